package dev.kinesisaggs.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kinesisaggs.function.batch.WindowEventJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Lambda handler (the SAM template's {@code Handler}): {@link TripWindowHandler}'s work, with the event read from
 * its JSON and the answer written as JSON by {@link WindowEventJson} instead of the runtime's event serializer, whose
 * set-up at the first event was about 0.35 s of a cold start at one vCPU (the runtime hands a stream handler the
 * bytes and builds no serializer). The answer is the same {@code {"state": ..., "batchItemFailures": []}}.
 * {@link TripWindowHandler} stays the handler of in-process runs (the deterministic driver, tests), which pass it
 * the event's objects.
 */
public final class TripWindowStreamHandler implements RequestStreamHandler {

    private final TripWindowHandler handler;

    /** Used by Lambda: the handler as {@link TripWindowHandler#TripWindowHandler()} makes it, SnapStart's hook included. */
    public TripWindowStreamHandler() {
        this(new TripWindowHandler());
    }

    TripWindowStreamHandler(TripWindowHandler handler) {
        this.handler = handler;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        WindowEventJson.writeResponse(handler.handle(WindowEventJson.read(input), context), output);
    }
}
