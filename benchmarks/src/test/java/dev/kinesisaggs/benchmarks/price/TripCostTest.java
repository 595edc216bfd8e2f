package dev.kinesisaggs.benchmarks.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kinesisaggs.benchmarks.price.UnitPrices.Architecture;
import org.junit.jupiter.api.Test;

class TripCostTest {

    private static final UnitPrices PRICES = UnitPrices.US_EAST_1;
    /** 1,000 trips/s per shard, 30 s windows, 100 trips and 2 PUT units per record, 10,000 trips per batch. */
    private static final TripCost.Stream STREAM = new TripCost.Stream(1000, 30, 100, 2, 10_000);
    /** 1 GB, 1 ms per trip, one write unit per trip and nothing else. */
    private static final TripCost.Function ONE_MS_ONE_WRITE = new TripCost.Function("f", 1024, 1.0, 0, 0, 1, 0, 0, 0);

    @Test
    void theUnitPricesAreThePublishedUsEast1Ones() {
        assertThat(PRICES.region()).isEqualTo("us-east-1");
        assertThat(PRICES.lambdaX86PerGbSecond()).isEqualTo(0.0000166667);
        assertThat(PRICES.lambdaArm64PerGbSecond()).isEqualTo(0.0000133334);
        assertThat(PRICES.lambdaPerMillionRequests()).isEqualTo(0.20);
        assertThat(PRICES.dynamoDbPerMillionWriteUnits()).isEqualTo(0.625);
        assertThat(PRICES.dynamoDbPerMillionReadUnits()).isEqualTo(0.125);
        assertThat(PRICES.kinesisPerShardHour()).isEqualTo(0.015);
        assertThat(PRICES.kinesisPerMillionPutUnits()).isEqualTo(0.014);
    }

    @Test
    void armIsBilledAtItsOwnRateAndX86AtItsOwn() {
        assertThat(PRICES.lambdaPerGbSecond(Architecture.ARM64)).isEqualTo(0.0000133334);
        assertThat(PRICES.lambdaPerGbSecond(Architecture.X86_64)).isEqualTo(0.0000166667);
    }

    @Test
    void aPutPayloadUnitIs25KbOfARecordRoundedUpPerRecord() {
        assertThat(UnitPrices.putPayloadUnits(1)).isEqualTo(1);
        assertThat(UnitPrices.putPayloadUnits(25 * 1024)).isEqualTo(1);
        assertThat(UnitPrices.putPayloadUnits(25 * 1024 + 1)).isEqualTo(2);
        assertThat(UnitPrices.putPayloadUnits(51_200)).isEqualTo(2);
        assertThat(UnitPrices.putPayloadUnits(51_201)).isEqualTo(3);
        assertThat(UnitPrices.putPayloadUnits(1000 * 1024)).isEqualTo(40); // AWS's example: "a 1MB record contains 40"
    }

    @Test
    void lambdaDurationIsMemoryInGbTimesSecondsTimesTheRate() {
        TripCost.Bill bill = TripCost.perMillionTrips(ONE_MS_ONE_WRITE, STREAM, Architecture.X86_64, PRICES);
        // 1,000,000 trips x 1 ms = 1,000 s at 1 GB
        assertThat(bill.gbSeconds()).isCloseTo(1000, within(1e-9));
        assertThat(bill.lambdaDuration()).isCloseTo(1000 * 0.0000166667, within(1e-12));
        TripCost.Bill arm = TripCost.perMillionTrips(ONE_MS_ONE_WRITE, STREAM, Architecture.ARM64, PRICES);
        assertThat(arm.lambdaDuration()).isCloseTo(1000 * 0.0000133334, within(1e-12));
        TripCost.Bill half = TripCost.perMillionTrips(new TripCost.Function("f", 512, 1.0, 0, 0, 1, 0, 0, 0), STREAM,
                Architecture.X86_64, PRICES);
        assertThat(half.gbSeconds()).isCloseTo(500, within(1e-9));
    }

    @Test
    void requestsAreTheBatchesOfEachShardWindowAndItsFinalInvoke() {
        // 1,000 trips/s x 30 s = 30,000 trips a window: 3 batches of 10,000 + 1 final invoke; 1,000,000 / 30,000 windows
        assertThat(TripCost.windowParts(STREAM)).isCloseTo(1_000_000 / 30_000.0, within(1e-9));
        assertThat(TripCost.invocationsPerWindow(STREAM)).isEqualTo(4);
        TripCost.Bill bill = TripCost.perMillionTrips(ONE_MS_ONE_WRITE, STREAM, Architecture.X86_64, PRICES);
        assertThat(bill.invocations()).isCloseTo(4 * 1_000_000 / 30_000.0, within(1e-9));
        assertThat(bill.lambdaRequests()).isCloseTo(bill.invocations() / 1e6 * 0.20, within(1e-15));
    }

    @Test
    void perInvocationAndPerPartTimeIsBilledToo() {
        TripCost.Function f = new TripCost.Function("f", 1024, 0, 100, 1000, 0, 0, 0, 0);
        TripCost.Bill bill = TripCost.perMillionTrips(f, STREAM, Architecture.X86_64, PRICES);
        double parts = 1_000_000 / 30_000.0;
        assertThat(bill.gbSeconds()).isCloseTo(parts * 4 * 0.1 + parts * 1.0, within(1e-9));
    }

    @Test
    void dynamoDbWritesAndReadsArePerTripAndPerWindowPart() {
        TripCost.Function f = new TripCost.Function("f", 1024, 0, 0, 0, 1, 0.5, 3, 1);
        TripCost.Bill bill = TripCost.perMillionTrips(f, STREAM, Architecture.X86_64, PRICES);
        double parts = 1_000_000 / 30_000.0;
        assertThat(bill.writeUnits()).isCloseTo(1_000_000 + 3 * parts, within(1e-6));
        assertThat(bill.readUnits()).isCloseTo(500_000 + parts, within(1e-6));
        assertThat(bill.dynamoDbWrites()).isCloseTo(bill.writeUnits() / 1e6 * 0.625, within(1e-12));
        assertThat(bill.dynamoDbReads()).isCloseTo(bill.readUnits() / 1e6 * 0.125, within(1e-12));
    }

    @Test
    void kinesisIsShardHoursAtTheRateAndPutUnitsPerRecord() {
        TripCost.Bill bill = TripCost.perMillionTrips(ONE_MS_ONE_WRITE, STREAM, Architecture.X86_64, PRICES);
        assertThat(bill.shardHours()).isCloseTo(1_000_000 / 1000.0 / 3600, within(1e-12));
        assertThat(bill.kinesisShardHours()).isCloseTo(bill.shardHours() * 0.015, within(1e-12));
        assertThat(bill.putUnits()).isCloseTo(20_000, within(1e-9)); // 10,000 records of 2 units
        assertThat(bill.kinesisPutUnits()).isCloseTo(20_000 / 1e6 * 0.014, within(1e-15));
    }

    @Test
    void theTotalIsTheSumOfItsItems() {
        TripCost.Bill bill = TripCost.perMillionTrips(new TripCost.Function("f", 512, 2, 10, 100, 1, 0, 3, 1), STREAM,
                Architecture.ARM64, PRICES);
        assertThat(bill.total()).isCloseTo(bill.lambdaDuration() + bill.lambdaRequests() + bill.dynamoDbWrites() + bill.dynamoDbReads()
                + bill.kinesisShardHours() + bill.kinesisPutUnits(), within(1e-15));
        // with these figures: 0.5 GB x 1,000,000 x 2 ms = 1,000 GB-s and a million write units dominate
        assertThat(bill.total()).isCloseTo(0.0133334 + 0.625 + 0.0042, within(0.001));
    }

    @Test
    void aShardFallsBehindWhenAWindowTakesLongerThanTheWindow() {
        // 30,000 trips x 1 ms = 30 s: just in time; 1.1 ms: behind
        assertThat(TripCost.secondsPerWindow(ONE_MS_ONE_WRITE, STREAM)).isCloseTo(30, within(1e-9));
        assertThat(TripCost.secondsPerWindow(new TripCost.Function("f", 1024, 1.1, 0, 0, 1, 0, 0, 0), STREAM)).isGreaterThan(30);
    }
}
