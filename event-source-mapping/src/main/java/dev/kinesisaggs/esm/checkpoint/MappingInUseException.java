package dev.kinesisaggs.esm.checkpoint;

/** Another running instance of the mapping holds its lease ({@link MappingLease}). The message says what to do. */
public final class MappingInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public MappingInUseException(String message) {
        super(message);
    }
}
