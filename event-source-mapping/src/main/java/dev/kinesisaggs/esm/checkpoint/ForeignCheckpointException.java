package dev.kinesisaggs.esm.checkpoint;

/** A checkpoint store holds, under this mapping's key, an entry written for another stream. */
public final class ForeignCheckpointException extends IllegalStateException {

    public ForeignCheckpointException(String message) {
        super(message);
    }
}
