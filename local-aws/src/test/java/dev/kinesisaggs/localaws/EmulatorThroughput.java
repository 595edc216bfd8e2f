package dev.kinesisaggs.localaws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Measures PutRecords and GetRecords on each Kinesis emulator the way we use them (the figures
 * in local-aws/README.md). Not a test: run it by hand, e.g.
 * {@code java -cp <test classpath> dev.kinesisaggs.localaws.EmulatorThroughput [kinesis-local|kinesalite]}.
 */
public final class EmulatorThroughput {
    /** One workshop trip as JSON, about 330 bytes; an aggregate of ~150 of them is ~50 KB. */
    private static final String TRIP = "{\"id\":\"id%07d\",\"vendorId\":2,\"pickupDate\":\"2016-01-01T00:00:00\","
            + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":5,\"pickupLongitude\":-73.98174,"
            + "\"pickupLatitude\":40.71916,\"dropoffLongitude\":-73.93883,\"dropoffLatitude\":40.82918,"
            + "\"storeAndFwdFlag\":\"N\",\"gcDistance\":7.9288297,\"tripDuration\":849,\"googleDistance\":15309,"
            + "\"googleDuration\":1109}";
    private static final int TRIPS_PER_AGGREGATE = 150;

    private EmulatorThroughput() {}

    public static void main(String[] args) {
        List<KinesisEmulator> emulators = args.length == 0 ? List.of(KinesisEmulator.values())
                : List.of(KinesisEmulator.byPackageName(args[0]));
        for (KinesisEmulator emulator : emulators) {
            try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withKinesisEmulator(emulator))) {
                System.out.println("== " + emulator.packageName());
                run(aws.kinesis(), "aggregated", 1_000, 95, 250, aggregate());
                run(aws.kinesis(), "small", 20_000, 500, 5_000, String.format(TRIP, 1).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void run(KinesisClient kinesis, String stream, int records, int batch, int report, byte[] payload) {
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
        System.out.printf(Locale.ROOT, "%s: %d records of %d bytes, PutRecords of %d, 2 shards%n", stream, records,
                payload.length, batch);
        long chunkStart = System.nanoTime();
        long totalStart = chunkStart;
        int sent = 0;
        int reported = 0;
        while (sent < records) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch && sent + i < records; i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("id" + (sent + i))
                        .data(SdkBytes.fromByteArray(payload)).build());
            }
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
            if (response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records failed");
            }
            sent += entries.size();
            if (sent - reported >= report) {
                long now = System.nanoTime();
                System.out.printf(Locale.ROOT, "  put %6d..%6d: %8.0f records/s%n", reported, sent,
                        (sent - reported) / seconds(now - chunkStart));
                reported = sent;
                chunkStart = now;
            }
        }
        double putSeconds = seconds(System.nanoTime() - totalStart);
        System.out.printf(Locale.ROOT, "  put total: %.1f s, %.0f records/s, %.1f MB/s%n", putSeconds, records / putSeconds,
                (double) records * payload.length / putSeconds / 1e6);

        long readStart = System.nanoTime();
        int read = 0;
        int calls = 0;
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                calls++;
                read += response.records().size();
                if (response.records().isEmpty() && response.millisBehindLatest() != null
                        && response.millisBehindLatest() == 0) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        double readSeconds = seconds(System.nanoTime() - readStart);
        System.out.printf(Locale.ROOT, "  get: %d records in %d GetRecords calls, %.1f s, %.0f records/s, %.1f MB/s%n",
                read, calls, readSeconds, read / readSeconds, (double) read * payload.length / readSeconds / 1e6);
    }

    private static byte[] aggregate() {
        StringBuilder trips = new StringBuilder();
        for (int i = 0; i < TRIPS_PER_AGGREGATE; i++) {
            trips.append(String.format(TRIP, i));
        }
        return trips.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double seconds(long nanos) {
        return Duration.ofNanos(nanos).toMillis() / 1000.0;
    }
}
