package dev.kinesisaggs.esm.config;

/** A setting is out of AWS's range or a combination AWS (or the spec) rejects; the message is one sentence saying what to change. */
public final class InvalidConfigException extends IllegalArgumentException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
