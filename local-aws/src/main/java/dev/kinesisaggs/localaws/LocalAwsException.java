package dev.kinesisaggs.localaws;

/**
 * The local emulators could not be installed or started. The message is one sentence for a
 * user: what went wrong and what to do (the command line prints it without a stack trace).
 */
public class LocalAwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalAwsException(String message) {
        super(message);
    }

    public LocalAwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
