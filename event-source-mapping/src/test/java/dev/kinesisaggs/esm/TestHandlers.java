package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Handlers for the spec tests: a window counter, and handlers that fail on purpose. */
final class TestHandlers {

    private TestHandlers() {
    }

    static String text(KinesisEvent.KinesisEventRecord r) {
        return StandardCharsets.UTF_8.decode(r.getKinesis().getData().duplicate()).toString();
    }

    /** A tumbling-window handler that keeps, in its state, the data it has seen in the window ("seen": "a,b"). */
    static RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> windowConcatenator() {
        return (event, context) -> {
            Map<String, String> state = new HashMap<>(event.getState() == null ? Map.of() : event.getState());
            for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
                String seen = state.get("seen");
                state.put("seen", seen == null ? text(r) : seen + "," + text(r));
            }
            return TimeWindowEventResponse.builder().withState(state).build();
        };
    }

    /** A plain handler that throws whenever its batch holds a record whose data matches. */
    static RequestHandler<KinesisEvent, StreamsEventResponse> throwingOn(Predicate<String> poison) {
        return (event, context) -> {
            for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
                if (poison.test(text(r))) {
                    throw new IllegalStateException("poison record " + text(r));
                }
            }
            return new StreamsEventResponse();
        };
    }

    /** A plain handler that reports the matching records of its batch as batchItemFailures. */
    static RequestHandler<KinesisEvent, StreamsEventResponse> reportingFailuresOf(Set<String> failing) {
        return (event, context) -> {
            List<StreamsEventResponse.BatchItemFailure> failures = event.getRecords().stream()
                    .filter(r -> failing.contains(text(r)))
                    .map(r -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(r.getKinesis().getSequenceNumber()).build())
                    .collect(Collectors.toList());
            return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
        };
    }

    static RequestHandler<KinesisEvent, Void> accepting() {
        return (event, context) -> null;
    }

    /** "window-start-time [data] state FINAL/EARLY" for windowed invocations, "[data]" otherwise: compact and exact. */
    static String describe(DeliveredInvocation i) {
        String data = "[" + String.join(",", i.data()) + "]";
        if (i.windowStart().isEmpty()) {
            return data;
        }
        String w = i.windowStart().get().substring(11, 19);
        String state = i.state().toString();
        if (state.length() > 60) {
            state = "{" + state.length() + " bytes}";
        }
        return w + " " + data + " " + state + (i.isFinalInvokeForWindow() ? " FINAL" : "") + (i.isWindowTerminatedEarly() ? " EARLY" : "");
    }

    static List<String> describe(List<DeliveredInvocation> invocations) {
        return invocations.stream().map(TestHandlers::describe).toList();
    }
}
