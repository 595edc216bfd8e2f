package dev.kinesisaggs.benchmarks.price;

import dev.kinesisaggs.benchmarks.price.UnitPrices.Architecture;

/**
 * What a million trips cost on AWS, from what a function does per trip and per window and what the stream
 * carries. Each shard is taken as carrying {@link Stream#tripsPerSecondPerShard} all the time, so that
 * every shard-window has its batches, its final invoke and its one window part.
 */
public final class TripCost {

    public static final double TRIPS = 1_000_000;

    private TripCost() {
    }

    /**
     * What a function does.
     *
     * @param memoryMb                 configured memory (billed GB = memoryMb / 1,024)
     * @param msPerTrip                billed duration per trip (its handler time; for a CPU-bound function, CPU time / share)
     * @param msPerInvocation          billed duration each invocation adds whatever its trips (per-invocation set-up)
     * @param msPerWindowPart          billed duration of writing one shard's part of a window (the final invoke's work)
     * @param writeUnitsPerTrip        DynamoDB write request units per trip (a trips table's put)
     * @param readUnitsPerTrip         DynamoDB read request units per trip
     * @param writeUnitsPerWindowPart  write request units of one shard's part of a window (the aggregates)
     * @param readUnitsPerWindowPart   read request units of one shard's part of a window
     */
    public record Function(String name, int memoryMb, double msPerTrip, double msPerInvocation, double msPerWindowPart,
                           double writeUnitsPerTrip, double readUnitsPerTrip,
                           double writeUnitsPerWindowPart, double readUnitsPerWindowPart) {
    }

    /**
     * What the stream carries and how Lambda reads it.
     *
     * @param tripsPerSecondPerShard trips written to each shard per second
     * @param windowSeconds          the tumbling window
     * @param tripsPerRecord         trips per Kinesis record (a KPL aggregate holds many)
     * @param putUnitsPerRecord      PUT payload units per Kinesis record (an average: each record's are rounded up on their own)
     * @param tripsPerBatch          trips in a full batch (the mapping's batch size or 6 MB, whichever comes first)
     */
    public record Stream(double tripsPerSecondPerShard, int windowSeconds, double tripsPerRecord, double putUnitsPerRecord,
                         double tripsPerBatch) {
    }

    /** USD per million trips, per item of the bill. */
    public record Bill(double lambdaDuration, double lambdaRequests, double dynamoDbWrites, double dynamoDbReads,
                       double kinesisShardHours, double kinesisPutUnits,
                       double invocations, double gbSeconds, double writeUnits, double readUnits, double shardHours, double putUnits) {

        public double lambda() {
            return lambdaDuration + lambdaRequests;
        }

        public double dynamoDb() {
            return dynamoDbWrites + dynamoDbReads;
        }

        public double kinesis() {
            return kinesisShardHours + kinesisPutUnits;
        }

        public double total() {
            return lambda() + dynamoDb() + kinesis();
        }
    }

    /** Shard-windows a million trips fill: one window part each. */
    public static double windowParts(Stream stream) {
        return TRIPS / (stream.tripsPerSecondPerShard() * stream.windowSeconds());
    }

    /** Invocations per shard-window: the batches of its trips and its final invoke. */
    public static double invocationsPerWindow(Stream stream) {
        double tripsPerWindow = stream.tripsPerSecondPerShard() * stream.windowSeconds();
        return Math.ceil(tripsPerWindow / stream.tripsPerBatch()) + 1;
    }

    /** Handler time a shard-window takes, in seconds: more than the window means the shard falls behind. */
    public static double secondsPerWindow(Function function, Stream stream) {
        double tripsPerWindow = stream.tripsPerSecondPerShard() * stream.windowSeconds();
        return (tripsPerWindow * function.msPerTrip() + invocationsPerWindow(stream) * function.msPerInvocation()
                + function.msPerWindowPart()) / 1000;
    }

    public static Bill perMillionTrips(Function function, Stream stream, Architecture architecture, UnitPrices prices) {
        double parts = windowParts(stream);
        double invocations = parts * invocationsPerWindow(stream);
        double seconds = (TRIPS * function.msPerTrip() + invocations * function.msPerInvocation() + parts * function.msPerWindowPart()) / 1000;
        double gbSeconds = seconds * function.memoryMb() / 1024.0;
        double writeUnits = TRIPS * function.writeUnitsPerTrip() + parts * function.writeUnitsPerWindowPart();
        double readUnits = TRIPS * function.readUnitsPerTrip() + parts * function.readUnitsPerWindowPart();
        double shardHours = TRIPS / stream.tripsPerSecondPerShard() / 3600;
        double putUnits = TRIPS / stream.tripsPerRecord() * stream.putUnitsPerRecord();
        return new Bill(
                gbSeconds * prices.lambdaPerGbSecond(architecture),
                invocations / 1e6 * prices.lambdaPerMillionRequests(),
                writeUnits / 1e6 * prices.dynamoDbPerMillionWriteUnits(),
                readUnits / 1e6 * prices.dynamoDbPerMillionReadUnits(),
                shardHours * prices.kinesisPerShardHour(),
                putUnits / 1e6 * prices.kinesisPerMillionPutUnits(),
                invocations, gbSeconds, writeUnits, readUnits, shardHours, putUnits);
    }
}
