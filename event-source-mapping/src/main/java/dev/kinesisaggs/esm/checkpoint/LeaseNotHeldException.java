package dev.kinesisaggs.esm.checkpoint;

/**
 * A checkpoint not saved because this instance of the mapping does not hold its lease now (another took it, or its
 * renewal could not be made): expected while the lease is lost, said in its one sentence, with no stack to read.
 */
public final class LeaseNotHeldException extends IllegalStateException {
    public LeaseNotHeldException(String message) {
        super(message);
    }
}
