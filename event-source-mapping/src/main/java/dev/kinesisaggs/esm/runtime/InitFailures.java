package dev.kinesisaggs.esm.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once per distinct error of a function, that it cannot run: an init error (a constructor that throws, a class that
 * cannot load) or {@value #BAD_FUNCTION_CODE}, which the runtime client answers an invocation with when the handler
 * has no such method or is no handler. Either fails every invocation alike, and the mapping retries each batch as
 * AWS's does, so without this the only sign outside the function's log was a shard retrying.
 */
final class InitFailures {

    /** The runtime client's error type for a handler it cannot call. */
    static final String BAD_FUNCTION_CODE = "Runtime.BadFunctionCode";

    /** Enough of a message to see the cause; an init error's message can hold a whole stack trace. */
    private static final int MAX_MESSAGE = 300;
    private static final Logger LOG = LoggerFactory.getLogger(InitFailures.class);
    /** Bounds what is kept should a function's init errors differ every time (one with a time in it, say). */
    private static final int MAX_SAID = 100;
    /** One function's errors said so far (its environments share this object). */
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    void failed(String errorType, String errorMessage) {
        String message = errorMessage == null ? "" : errorMessage.strip();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        String error = errorType + ": " + message;
        if (said.size() < MAX_SAID && said.add(error)) {
            LOG.warn("The function cannot run ({}): each invocation fails alike until its code or handler is fixed,"
                    + " and the mapping retries the batch meanwhile, as AWS's does. The function's log has the whole error.", error);
        }
    }
}
