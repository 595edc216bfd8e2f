package dev.kinesisaggs.app.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinesisaggs.app.aggregates.AggregatesJson;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.AggregatesQuery.RecentWindows;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The JSON bodies of the dashboard's endpoints, apart from HTTP. */
final class DashboardApi {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Duration REJECTS_INTERVAL = Duration.ofSeconds(5);

    private final String aggregatesTable;
    private final Function<Optional<Instant>, RecentWindows> recentWindows;
    private final Supplier<RejectCounts> rejects;
    private final LagSource lag;
    private final Clock clock;

    DashboardApi(String aggregatesTable, Function<Optional<Instant>, RecentWindows> recentWindows,
                 Supplier<RejectCounts> rejects, LagSource lag, Clock clock) {
        this.aggregatesTable = aggregatesTable;
        this.recentWindows = recentWindows;
        this.rejects = rejects;
        this.lag = lag;
        this.clock = clock;
    }

    static DashboardApi of(AggregatesQuery aggregates, RejectCountsQuery rejects, LagSource lag,
                           DashboardOptions options, Clock clock) {
        // rejects change slowly and their count scans a table: read them at most every 5 s, however many pages poll
        return new DashboardApi(aggregates.tableName(),
                since -> aggregates.recent(since, options.vendors(), options.recentWindows(), options.maxItemsRead()),
                new Throttled<>(rejects::count, REJECTS_INTERVAL, clock), lag, clock);
    }

    /**
     * {@code {"generatedAt", "table", "complete", "partialWindows": [...], "windows": [...]}}: the newest windows at or
     * after since, all vendors, and the starts of those that hold the sums of some shards only.
     */
    String aggregates(Optional<Instant> since) {
        RecentWindows recent = recentWindows.apply(since);
        return write(json -> {
            json.writeStringField("table", aggregatesTable);
            json.writeBooleanField("complete", recent.complete());
            json.writeArrayFieldStart("partialWindows");
            for (Instant start : recent.partialWindows().stream().sorted().toList()) {
                json.writeString(start.toString());
            }
            json.writeEndArray();
            json.writeFieldName("windows");
            AggregatesJson.write(json, recent.windows(), recent.partialWindows());
        });
    }

    /** {@code {"generatedAt", "status": "ok"|"missing", "table"?, "total", "complete", "byReason": {...}}}. */
    String rejects() {
        RejectCounts counts = rejects.get();
        return write(json -> {
            // Java 17 has no pattern matching in switch: the two cases of the sealed type, by instanceof
            if (counts instanceof RejectCounts.Counted c) {
                json.writeStringField("status", "ok");
                json.writeNumberField("total", c.total());
                json.writeBooleanField("complete", c.complete());
                json.writeObjectFieldStart("byReason");
                for (Map.Entry<String, Long> e : c.byReason().entrySet()) {
                    json.writeNumberField(e.getKey(), e.getValue());
                }
                json.writeEndObject();
            } else if (counts instanceof RejectCounts.TableMissing m) {
                json.writeStringField("status", "missing");
                json.writeStringField("table", m.tableName());
            }
        });
    }

    /** {@code {"generatedAt", "shards": [{shardId, iteratorAgeMillis, ...}]}}, ordered by shard id. */
    String lag() {
        return write(json -> {
            json.writeArrayFieldStart("shards");
            for (ShardLag s : lag.shards().stream().sorted(Comparator.comparing(ShardLag::shardId)).toList()) {
                json.writeStartObject();
                json.writeStringField("shardId", s.shardId());
                json.writeNumberField("iteratorAgeMillis", s.iteratorAgeMillis());
                json.writeNumberField("recordsIn", s.recordsIn());
                json.writeNumberField("invocations", s.invocations());
                json.writeNumberField("failures", s.failures());
                json.writeStringField("currentWindow", s.currentWindow().orElse(null));
                json.writeStringField("lastCheckpoint", s.lastCheckpoint().orElse(null));
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    static String error(String message) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("generatedAt", clock.instant().toString());
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
