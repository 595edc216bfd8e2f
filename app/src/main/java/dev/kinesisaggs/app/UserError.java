package dev.kinesisaggs.app;

/** Something the user can fix; the message is one sentence saying what to do. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
