package dev.kinesisaggs.benchmarks.price;

import java.time.LocalDate;

/**
 * AWS's public unit prices that the price of a trip is made of, for one region on one date: the one
 * place they are written. On-demand and standard rates, no free tier, no Savings Plans, no tiered
 * discounts (Lambda's start above 6 billion GB-seconds a month).
 *
 * @param lambdaX86PerGbSecond          Lambda duration, x86_64, USD per GB-second (GB = 1,024 MB of configured memory)
 * @param lambdaArm64PerGbSecond        Lambda duration, arm64 (Graviton2), USD per GB-second
 * @param lambdaPerMillionRequests      Lambda requests (invocations), USD per million, either architecture
 * @param dynamoDbPerMillionWriteUnits  DynamoDB on-demand write request units (1 KB of a standard write), USD per million
 * @param dynamoDbPerMillionReadUnits   DynamoDB on-demand read request units (4 KB of a strongly consistent read), USD per million
 * @param kinesisPerShardHour           Kinesis Data Streams provisioned shard-hour, USD
 * @param kinesisPerMillionPutUnits     Kinesis Data Streams PUT payload units (25 KB chunks of a record), USD per million
 */
public record UnitPrices(String region, LocalDate asOf, String sources,
                         double lambdaX86PerGbSecond, double lambdaArm64PerGbSecond, double lambdaPerMillionRequests,
                         double dynamoDbPerMillionWriteUnits, double dynamoDbPerMillionReadUnits,
                         double kinesisPerShardHour, double kinesisPerMillionPutUnits) {

    /** Lambda's two architectures, by the names the template's {@code Architectures} takes. */
    public enum Architecture {
        X86_64("x86_64"), ARM64("arm64");

        private final String lambdaName;

        Architecture(String lambdaName) {
            this.lambdaName = lambdaName;
        }

        public String lambdaName() {
            return lambdaName;
        }
    }

    /** Bytes in one PUT payload unit: "A PUT Payload Unit is counted in 25KB payload chunks". */
    public static final int PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;

    /**
     * US East (N. Virginia), read on 2026-12-03 (DynamoDB on-demand after its November 2024 price cut).
     * Checked that day against third-party copies of the pages below (no AWS pricing page itself was at
     * hand): DynamoDB's and Lambda's figures matched; for Kinesis only the PUT payload unit's 25 KB
     * definition was found (aws.amazon.com/kinesis/pricing), not its two dollar figures.
     */
    public static final UnitPrices US_EAST_1 = new UnitPrices("us-east-1", LocalDate.of(2026, 12, 3),
            "https://aws.amazon.com/lambda/pricing/ https://aws.amazon.com/dynamodb/pricing/on-demand/"
                    + " https://aws.amazon.com/kinesis/data-streams/pricing/",
            0.0000166667, 0.0000133334, 0.20,
            0.625, 0.125,
            0.015, 0.014);

    public double lambdaPerGbSecond(Architecture architecture) {
        return architecture == Architecture.ARM64 ? lambdaArm64PerGbSecond : lambdaX86PerGbSecond;
    }

    /** PUT payload units of one Kinesis record of {@code bytes} (data and partition key), rounded up per record. */
    public static int putPayloadUnits(long bytes) {
        return (int) Math.max(1, (bytes + PUT_PAYLOAD_UNIT_BYTES - 1) / PUT_PAYLOAD_UNIT_BYTES);
    }
}
