package dev.kinesisaggs.function.storage;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * Something the invocation had to store could not be stored: before its time ran out (throttling, a DynamoDB that
 * does not answer), or at all for now (a missing table, a right the role lacks). The invocation fails as a whole, so
 * that Lambda retries it with the state it had before. That reading of a failure is the one AWS documents for every
 * configuration; a partial batch response inside a window would depend on how Lambda combines it with the returned
 * state, which it does not document (see the README).
 */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }

    /**
     * A call that no retry within the invocation will mend: a missing table, a right the role lacks. DynamoDB's own
     * message does not say which table ("Requested resource not found"), and a function writes three, so this one
     * does. The invocation fails, as with the SDK's exception, and Lambda retries the batch as it retries any failed
     * one (until the mapping's MaximumRetryAttempts or MaximumRecordAge, if set, runs out).
     */
    static StorageException notRetryable(String what, String table, SdkException e) {
        String code = Throttling.errorCode(e);
        if (code.isEmpty()) {
            code = e.getClass().getSimpleName();
        }
        return new StorageException(message(what, table, code, e.getMessage()), e);
    }

    /** The same for one statement of a batch that failed so ({@code ResourceNotFound}, {@code AccessDenied}). */
    static StorageException notRetryable(String what, String table, String code, String message) {
        return new StorageException(message(what, table, code, message));
    }

    private static String message(String what, String table, String code, String message) {
        String meaning = switch (code.replaceFirst("Exception$", "")) {
            case "ResourceNotFound" -> ": it does not exist in this account and region, or is not active yet";
            case "AccessDenied" -> ": the function's role lacks the right";
            default -> "";
        };
        return what + " in table " + table + " failed with " + code + meaning + " (" + message + ")";
    }
}
