package dev.kinesisaggs.esm.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shard's tumbling window (spec §4): the one open now, if any, the state the function returned in it, and when it
 * closes: a later window's record is read, the shard ends, or it has been idle past its end plus the grace. Its
 * handled records wait in {@link ShardCheckpoints} until it closes.
 */
final class ShardWindow {

    private static final Logger LOG = LoggerFactory.getLogger(ShardWindow.class);
    /**
     * How long after a window's end a read must have begun for its reaching the tip to mean "none of
     * the window's records is left to read". The read's start is on the local clock, the window's end
     * on Kinesis' arrival timestamps; the local clock may be ahead of Kinesis, and a record is readable
     * a moment after its arrival timestamp. Without a margin a window could close while one of its
     * records is still unread, then open again for it and get a second final invoke. With the default
     * idle grace (120 s) it changes nothing: reads come every second long before the grace is over.
     */
    static final Duration TIP_READ_MARGIN = Duration.ofSeconds(2);

    private final EventSourceMappingConfig config;
    private final String shardId;
    private final ShardCheckpoints checkpoints;
    private final ShardCounters counters;
    private TimeWindow open;
    private JsonNode state;

    ShardWindow(EventSourceMappingConfig config, String shardId, ShardCheckpoints checkpoints, ShardCounters counters) {
        this.config = config;
        this.shardId = shardId;
        this.checkpoints = checkpoints;
        this.counters = counters;
    }

    Optional<TimeWindow> open() {
        return Optional.ofNullable(open);
    }

    boolean isOpen() {
        return open != null;
    }

    /** The window a record belongs to by its arrival time, or null without tumbling windows. */
    TimeWindow of(StreamRecord r) {
        return config.hasTumblingWindow() ? TimeWindow.containing(r.approximateArrivalTimestamp(), config.tumblingWindowInSeconds()) : null;
    }

    /** The state an invocation in {@code window} would carry: the open window's, or {@code {}} for a window not open yet. */
    JsonNode stateFor(TimeWindow window) {
        return window.equals(open) ? state : emptyState();
    }

    /** A batch of {@code window} is cut: the window opens with {@code {}}, unless it is open already. */
    void cutIn(TimeWindow window) {
        if (window != null && open == null) {
            open = window;
            state = emptyState();
            checkpoints.windowOpened();
            LOG.atDebug().log(() -> shardId + " opening window " + window);
        }
    }

    /**
     * Why the open window closes now, if it does. Idle means no record of the window is left to read, not merely
     * none read yet: a shard busy retrying or reading a backlog has records of the window behind what it has read.
     */
    Optional<String> closesNow(Lane lane, Instant now, boolean readerEnded, Instant caughtUpAt) {
        if (open == null) {
            return Optional.empty();
        }
        if (!lane.pending.isEmpty() && open.isBefore(of(lane.pending.peek().record()))) {
            return Optional.of("a later window's record arrived");
        }
        boolean idle = lane.pending.isEmpty() && !now.isBefore(idleAt())
                && caughtUpAt != null && !caughtUpAt.isBefore(open.end().plus(TIP_READ_MARGIN));
        if (idle) {
            return Optional.of("idle");
        }
        return lane.pending.isEmpty() && readerEnded ? Optional.of("shard ended") : Optional.empty();
    }

    /** When the open window may close for idleness, once a read has reached the tip. */
    Instant idleAt() {
        return open.end().plus(config.windowIdleGrace());
    }

    /** The event for a batch: the standard event without windows, the window's event with its state within one. */
    String event(EventJson json, Work w) {
        if (open == null) {
            return json.standardEvent(w.records);
        }
        boolean fin = w.kind != Work.Kind.DATA;
        boolean early = w.kind == Work.Kind.EARLY_TERMINATION;
        return json.windowEvent(w.records, open, state, shardId, fin, early);
    }

    /** Keeps the state a successful (or partly successful) invocation returned. */
    void keep(Optional<JsonNode> returned) {
        if (open != null && returned.isPresent()) {
            state = returned.get();
        }
    }

    /** The state is over the limit: the window must end early, handing it over in a final invoke (spec §4, §9). */
    boolean stateTooLarge() {
        return open != null && EventJson.bytes(state) > config.maxStateBytes();
    }

    /** The early-termination invoke is over: what the window handled is checkpointed, and it goes on with {@code {}}. */
    void endedEarly() {
        checkpoints.saveWindowProgress();
        state = emptyState();
    }

    /** The final invoke succeeded, or was given up and the window dropped: checkpointed either way. */
    void close(boolean succeeded) {
        TimeWindow closed = open;
        checkpoints.windowClosed();
        open = null;
        state = null;
        if (succeeded) {
            counters.windowClosed();
        }
        LOG.atInfo().log(() -> shardId + " window " + closed + (succeeded ? " closed by its final invoke" : " dropped after its final invoke failed"));
    }

    private static ObjectNode emptyState() {
        return EventJson.mapper().createObjectNode();
    }
}
