package dev.kinesisaggs.benchmarks;

import dev.kinesisaggs.benchmarks.price.TripCost;
import dev.kinesisaggs.benchmarks.price.UnitPrices;
import dev.kinesisaggs.benchmarks.price.UnitPrices.Architecture;
import dev.kinesisaggs.esm.runtime.LambdaJvmFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The price of a million trips on AWS (Lambda, DynamoDB on demand, Kinesis provisioned) at the workshop lab's
 * settings (30 s windows, batch size 1,000, the producer's KPL aggregates), for our function and for the lab's,
 * on x86_64 and arm64, at a few rates per shard. Unit prices: {@link UnitPrices#US_EAST_1}, the one place they
 * are written. What each function does per trip and per window part comes from measurements (defaults below,
 * from {@link SaturatedShard} and the ShardScaleSimulation) or, for the lab's Python function, from stated
 * assumptions; each can be given on the command line.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.kinesisaggs.benchmarks.PricePerMillionTrips [--rate TRIPS_PER_S ...]
 * [--memory 1769] [--cpu-ms-per-1000-trips X] [--lab-cpu-us-per-trip X] [--lab-cpu-ms-per-invocation X] [--csv ../shared/data/taxi-trips.csv]}
 */
public final class PricePerMillionTrips {

    /**
     * Our function's CPU time per 1,000 clean trips, trips table on: SaturatedShard at 1,769 MB with the trips inserted
     * 25 to a BatchExecuteStatement (2026-12-05, 15:13 UTC; 91-102 at the three sizes on a quiet machine, against 377-452
     * with a PutItem per trip; benchmarks/FIGURES.md).
     */
    static final double CPU_MS_PER_1000_TRIPS = 94;
    /** The same with {@code tripsTableName} empty (no trip stored). */
    static final double CPU_MS_PER_1000_TRIPS_NO_TRIPS_TABLE = 8;
    /** CPU time of a window's final invoke: one part, two vendors (SaturatedShard). */
    static final double PART_CPU_MS = 40;
    /**
     * A window part's DynamoDB units with two vendors: the run's opening, 2 vendor items and the marker written, the
     * marker read (ShardScaleSimulation).
     */
    static final double PART_WRITE_UNITS = 4;
    static final double PART_READ_UNITS = 1;
    /**
     * A batch of more than 1,000 trips looks them up before it puts them (TripClaims), 100 to an eventually consistent
     * BatchGetItem: half a read unit a trip. Counted for every trip, an upper bound (at the lab's 120 s batching window
     * every batch holds more from 9 trips/s on).
     */
    static final double LOOK_UP_READ_UNITS_PER_TRIP = 0.5;
    /** The template's default memory (FunctionMemorySize). */
    static final int OUR_MEMORY_MB = 1769;
    /** The lab's function: Lambda's default memory, which the lab leaves as it is (it changes only the timeout). */
    static final int LAB_MEMORY_MB = 128;
    /**
     * ESTIMATED, the lab's handler not run: its Python 3.9 handler's CPU time per trip at one vCPU. benchmarks/lab/lab_handler_cpu.py,
     * its per-record work with the standard library (aws_kinesis_agg's deaggregation, which base64-encodes each user record
     * again, then base64-decode and json.loads per trip), measured 16-19 us on Python 3.11 here; 3.9 is slower.
     */
    static final double LAB_CPU_US_PER_TRIP = 25;
    /** ESTIMATED: per invocation at one vCPU, the {@code boto3.resource('dynamodb')} the lab builds in every invocation (5-14 ms measured). */
    static final double LAB_CPU_MS_PER_INVOCATION = 10;

    private PricePerMillionTrips() {
    }

    public static void main(String[] args) {
        List<Double> rates = new ArrayList<>();
        int memoryMb = OUR_MEMORY_MB;
        double cpuMsPer1000 = CPU_MS_PER_1000_TRIPS;
        double labCpuUsPerTrip = LAB_CPU_US_PER_TRIP;
        double labCpuMsPerInvocation = LAB_CPU_MS_PER_INVOCATION;
        Path csv = Path.of("..", "shared", "data", "taxi-trips.csv");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rates.add(Double.parseDouble(args[++i]));
                case "--memory" -> memoryMb = Integer.parseInt(args[++i]);
                case "--cpu-ms-per-1000-trips" -> cpuMsPer1000 = Double.parseDouble(args[++i]);
                case "--lab-cpu-us-per-trip" -> labCpuUsPerTrip = Double.parseDouble(args[++i]);
                case "--lab-cpu-ms-per-invocation" -> labCpuMsPerInvocation = Double.parseDouble(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + ": --rate, --memory, --cpu-ms-per-1000-trips, --lab-cpu-us-per-trip, --lab-cpu-ms-per-invocation, --csv");
            }
        }
        // the stream as the producer fills it from the real data set
        KinesisRecordsOfTrips records = KinesisRecordsOfTrips.aggregatedAll(csv);
        long trips = 0;
        long putUnits = 0;
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            long recordBytes = Base64.getDecoder().decode(records.base64Data()[i]).length
                    + records.partitionKeys()[i].getBytes(StandardCharsets.UTF_8).length;
            bytes += recordBytes;
            putUnits += UnitPrices.putPayloadUnits(recordBytes);
            trips += records.tripCounts()[i];
        }
        double tripsPerRecord = (double) trips / records.size();
        double putUnitsPerRecord = (double) putUnits / records.size();
        double tripsPerBatch = new ShardBatches(records, Integer.MAX_VALUE).next(Map.of()).trips();
        // a shard takes 1 MiB/s of writes: that many trips of these aggregates
        double shardWriteLimit = Math.floor(1024 * 1024 / ((double) bytes / trips));
        if (rates.isEmpty()) {
            rates = List.of(50.0, 500.0, shardWriteLimit);
        }

        UnitPrices prices = UnitPrices.US_EAST_1;
        System.out.printf(Locale.ROOT, "unit prices, %s, as of %s: Lambda $%s (x86_64) / $%s (arm64) per GB-s, $%.2f per million requests;"
                        + " DynamoDB on demand $%.3f per million WRU, $%.3f per million RRU; Kinesis $%.3f per shard-hour, $%.3f per million"
                        + " PUT payload units (%s)%n", prices.region(), prices.asOf(), plain(prices.lambdaX86PerGbSecond()), plain(prices.lambdaArm64PerGbSecond()),
                prices.lambdaPerMillionRequests(), prices.dynamoDbPerMillionWriteUnits(), prices.dynamoDbPerMillionReadUnits(),
                prices.kinesisPerShardHour(), prices.kinesisPerMillionPutUnits(), prices.sources());
        System.out.printf(Locale.ROOT, "stream (measured from %s): %.1f trips per KPL record, %.2f PUT payload units per record, %,.0f trips"
                        + " per 6 MB batch; a shard's 1 MiB/s of writes is %,.0f trips/s%n", csv.getFileName(), tripsPerRecord, putUnitsPerRecord,
                tripsPerBatch, shardWriteLimit);

        double share = Math.min(1.0, memoryMb / (double) LambdaJvmFlags.ONE_VCPU_MB);
        double labShare = Math.min(1.0, LAB_MEMORY_MB / (double) LambdaJvmFlags.ONE_VCPU_MB);
        // CPU-bound (as measured against an endpoint that answers at once): billed time = CPU time / share
        List<TripCost.Function> functions = List.of(
                new TripCost.Function("ours, trips table on (template default)", memoryMb, cpuMsPer1000 / 1000 / share, 0,
                        PART_CPU_MS / share, 1, LOOK_UP_READ_UNITS_PER_TRIP, PART_WRITE_UNITS, PART_READ_UNITS),
                new TripCost.Function("ours, TripsTableName empty", memoryMb, CPU_MS_PER_1000_TRIPS_NO_TRIPS_TABLE / 1000 / share, 0,
                        PART_CPU_MS / share, 0, 0, PART_WRITE_UNITS, PART_READ_UNITS),
                new TripCost.Function("the lab's (Python, CPU ESTIMATED)", LAB_MEMORY_MB, labCpuUsPerTrip / 1000 / labShare,
                        labCpuMsPerInvocation / labShare, 0, 0, 0, 1, 0));
        System.out.printf(Locale.ROOT, "ours: %d MB (%.3f vCPU), %.0f CPU ms per 1,000 trips, 1 WRU per trip (an INSERT, item < 1 KB),"
                        + " %.0f WRU + %.0f RRU per window part; the lab's: %d MB, %.0f CPU us per trip and %.0f CPU ms per invocation at one vCPU"
                        + " (ESTIMATED), 1 WRU per window part (one PutItem at the final invoke), no trips table%n", memoryMb, share, cpuMsPer1000,
                PART_WRITE_UNITS, PART_READ_UNITS, LAB_MEMORY_MB, labCpuUsPerTrip, labCpuMsPerInvocation);
        System.out.println();
        System.out.println("trips/s per shard | function | arch | Lambda $ | DynamoDB $ | Kinesis $ | total $ per million trips"
                + " | handler s per 30 s window");
        for (double rate : rates) {
            TripCost.Stream stream = new TripCost.Stream(rate, 30, tripsPerRecord, putUnitsPerRecord, tripsPerBatch);
            for (TripCost.Function f : functions) {
                double windowSeconds = TripCost.secondsPerWindow(f, stream);
                for (Architecture arch : Architecture.values()) {
                    TripCost.Bill bill = TripCost.perMillionTrips(f, stream, arch, prices);
                    System.out.printf(Locale.ROOT, "%,.0f | %s, %d MB | %s | %.4f | %.4f | %.4f | %.4f | %.1f%s%n", rate, f.name(), f.memoryMb(),
                            arch.lambdaName(), bill.lambda(), bill.dynamoDb(), bill.kinesis(), bill.total(), windowSeconds,
                            windowSeconds > stream.windowSeconds() ? " (FALLS BEHIND)" : "");
                }
            }
        }
        System.out.println();
        System.out.println("Lambda time is CPU time / the memory's CPU share: the same GB-seconds per trip at any memory up to 1,769 MB,"
                + " so more memory costs nothing per trip while the function is CPU-bound. arm64 rows assume the same CPU time per trip"
                + " as measured here on x86_64 (not measured on arm64).");
    }

    private static String plain(double price) {
        return java.math.BigDecimal.valueOf(price).toPlainString();
    }
}
