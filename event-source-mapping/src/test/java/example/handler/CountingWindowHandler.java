package example.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tumbling-window handler that reads and writes the JSON itself (a {@code RequestStreamHandler}, with
 * nothing but the JDK): it counts the records of its window in the state, and prints the count at the
 * window's final invoke.
 */
public final class CountingWindowHandler implements RequestStreamHandler {

    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*\"(\\d+)\"");
    private static final Pattern SEQUENCE = Pattern.compile("\"sequenceNumber\"\\s*:\\s*\"");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = COUNT.matcher(event);
        long count = m.find() ? Long.parseLong(m.group(1)) : 0;
        Matcher records = SEQUENCE.matcher(event);
        while (records.find()) {
            count++;
        }
        if (event.contains("\"isFinalInvokeForWindow\":true")) {
            System.out.println("window-total " + count);
            count = 0;
        }
        output.write(("{\"state\":{\"count\":\"" + count + "\"},\"batchItemFailures\":[]}").getBytes(StandardCharsets.UTF_8));
    }
}
