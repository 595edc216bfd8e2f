package dev.kinesisaggs.benchmarks;

import dev.kinesisaggs.core.kpl.DeaggregationResult;
import dev.kinesisaggs.core.kpl.Deaggregator;
import dev.kinesisaggs.core.kpl.KplFormat;
import dev.kinesisaggs.core.kpl.UserRecordSink;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.trip.TripResult;
import dev.kinesisaggs.core.window.WindowAccumulator;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The consumer's hot path on the real data set, in trips per second (one operation = one trip).
 *
 * <ul>
 *   <li>{@code floorBase64AndMd5}: what no KPL consumer can avoid, base64 decode and the MD5 check of
 *       each aggregated record;</li>
 *   <li>{@code deaggregate}: the same plus walking the protobuf and handing each trip's bytes on;</li>
 *   <li>{@code fullAggregated}: base64 decode, deaggregate with MD5 check, parse and validate each trip,
 *       fold it into the window state: what the function does per trip;</li>
 *   <li>{@code fullPlain}: the same when the producer does not aggregate: one base64 record per trip;</li>
 *   <li>{@code parseAndFoldOnly}: parse, validate and fold alone, from already decoded trip JSON: what
 *       the full paths add to the floor;</li>
 *   <li>{@code jacksonTokensOnly}: a Jackson streaming parser created per trip that only walks the tokens,
 *       no values: the share of {@code parseAndFoldOnly} that is Jackson's own.</li>
 * </ul>
 *
 * <p>The data set is read from {@code tripsCsv} (default {@code ../shared/data/taxi-trips.csv}, relative
 * to the repository root where the benchmark is started); {@value #TRIPS} trips are used.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

    /** Trips per benchmark invocation; the workshop file has 39,396. A constant because JMH needs one. */
    public static final int TRIPS = 39_000;

    @Param("../shared/data/taxi-trips.csv")
    public String tripsCsv;

    private KinesisRecordsOfTrips aggregated;
    private KinesisRecordsOfTrips plain;
    private byte[][] decodedTrips;

    private final Base64.Decoder base64 = Base64.getDecoder();
    private final Deaggregator deaggregator = new Deaggregator();
    private final TripParser parser = new TripParser();
    private final MessageDigest md5 = md5();
    private final byte[] digest = new byte[16];

    /** What the sink folds into during one invocation. */
    private WindowAccumulator accumulator;
    private int rejected;
    private final UserRecordSink parseAndFold = (sub, keys, data, offset, length) -> {
        TripResult result = parser.parse(data, offset, length);
        if (result instanceof Trip trip) {
            accumulator.fold(trip);
        } else {
            rejected++;
        }
    };

    @Setup
    public void load() {
        aggregated = KinesisRecordsOfTrips.aggregated(Path.of(tripsCsv), TRIPS);
        plain = KinesisRecordsOfTrips.plain(Path.of(tripsCsv), TRIPS);
        decodedTrips = new byte[TRIPS][];
        for (int i = 0; i < TRIPS; i++) {
            decodedTrips[i] = base64.decode(plain.base64Data()[i]);
        }
        // the figures are only worth something if every trip goes through the whole path
        fullAggregated();
        checkAllFolded("aggregated");
        fullPlain();
        checkAllFolded("plain");
        System.out.printf("%n%,d trips: %,d aggregated records (%,d bytes, %.1f trips each), %,d plain records (%,d bytes)%n",
                TRIPS, aggregated.size(), aggregated.dataBytes(), (double) TRIPS / aggregated.size(),
                plain.size(), plain.dataBytes());
    }

    private void checkAllFolded(String path) {
        long folded = accumulator.totals().byVendor().values().stream().mapToLong(dev.kinesisaggs.core.window.VendorTotals::trips).sum();
        if (rejected != 0 || folded != TRIPS) {
            throw new IllegalStateException("the " + path + " path folded " + folded + " trips and rejected "
                    + rejected + "; expected " + TRIPS + " and 0");
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public void floorBase64AndMd5(Blackhole blackhole) throws DigestException {
        String[] records = aggregated.base64Data();
        for (String record : records) {
            byte[] data = base64.decode(record);
            md5.update(data, KplFormat.MAGIC_LENGTH, data.length - KplFormat.FIXED_OVERHEAD);
            md5.digest(digest, 0, digest.length);
            blackhole.consume(digest[0] == data[data.length - KplFormat.DIGEST_LENGTH]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public void deaggregate(Blackhole blackhole) {
        String[] keys = aggregated.partitionKeys();
        String[] records = aggregated.base64Data();
        UserRecordSink consume = (sub, userKeys, data, offset, length) -> blackhole.consume(length);
        for (int i = 0; i < records.length; i++) {
            DeaggregationResult result = deaggregator.deaggregate(base64.decode(records[i]), keys[i], null, consume);
            blackhole.consume(result);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public WindowAccumulator fullAggregated() {
        return decodeDeaggregateParseFold(aggregated);
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public WindowAccumulator fullPlain() {
        return decodeDeaggregateParseFold(plain);
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public WindowAccumulator parseAndFoldOnly() {
        accumulator = new WindowAccumulator();
        rejected = 0;
        for (byte[] trip : decodedTrips) {
            parseAndFold.accept(0, null, trip, 0, trip.length);
        }
        return accumulator;
    }

    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public int jacksonTokensOnly() throws java.io.IOException {
        int tokens = 0;
        for (byte[] trip : decodedTrips) {
            try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(trip, 0, trip.length)) {
                while (p.nextToken() != null) {
                    tokens++;
                }
            }
        }
        return tokens;
    }

    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    private WindowAccumulator decodeDeaggregateParseFold(KinesisRecordsOfTrips records) {
        accumulator = new WindowAccumulator();
        rejected = 0;
        String[] keys = records.partitionKeys();
        String[] data = records.base64Data();
        for (int i = 0; i < data.length; i++) {
            DeaggregationResult result = deaggregator.deaggregate(base64.decode(data[i]), keys[i], null, parseAndFold);
            if (result instanceof DeaggregationResult.Broken) {
                rejected++;
            }
        }
        return accumulator;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM provides no MD5", e);
        }
    }
}
