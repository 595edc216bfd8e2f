package dev.kinesisaggs.producer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kinesisaggs.core.kpl.KplFormat;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.trip.TripResult;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import dev.kinesisaggs.producer.Producer;
import dev.kinesisaggs.producer.ProducerListener;
import dev.kinesisaggs.producer.ProducerOptions;
import dev.kinesisaggs.producer.ProducerSummary;
import dev.kinesisaggs.producer.source.CsvTripSource;
import dev.kinesisaggs.producer.source.SourceItem;
import dev.kinesisaggs.producer.source.SyntheticTripSource;
import dev.kinesisaggs.producer.source.TripSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The workshop's real data set through the producer into the emulator, read back from TRIM_HORIZON: every trip
 * arrives exactly once, as it was in the file, on the shard its id hashes to. Prints the throughput for the README.
 */
@ExtendWith(LocalAwsExtension.class)
class ProduceTaxiTripsCsvIT {

    private static Path realCsv() {
        String property = System.getProperty("kinesisaggs.tripsCsv");
        assumeThat(property != null && Files.isRegularFile(Path.of(property)))
                .as("the real data set (system property kinesisaggs.tripsCsv) is not on this machine")
                .isTrue();
        return Path.of(property);
    }

    private static Map<String, Trip> tripsOf(Path csv) throws IOException {
        Map<String, Trip> trips = new HashMap<>();
        try (TripSource source = CsvTripSource.open(csv)) {
            for (Optional<SourceItem> item = source.next(); item.isPresent(); item = source.next()) {
                Trip trip = ((SourceItem.GoodTrip) item.get()).trip();
                trips.put(trip.id(), trip);
            }
        }
        return trips;
    }

    @Test
    void everyTripOfTheRealDataSetArrivesOnceOnItsOwnShard(KinesisClient kinesis) throws IOException {
        Path csv = realCsv();
        Map<String, Trip> expected = tripsOf(csv);
        String stream = TestStreams.create(kinesis, "taxi-trips", 4);

        ProducerSummary summary = Producer.create(kinesis, CsvTripSource.opener(csv), ProducerOptions.defaults(stream),
                ProducerListener.NONE).run();
        System.out.println("[figure] real CSV, KPL aggregation, 4 shards: " + summary.describe());

        assertThat(summary.stoppedBecause()).isEqualTo(ProducerSummary.StopReason.SOURCE_ENDED);
        assertThat(summary.progress().send().sentTrips()).isEqualTo(39_396);
        assertThat(summary.progress().send().failedTrips()).isZero();
        assertThat(summary.progress().badRowsSkipped()).isZero();

        List<StreamContents.ReadTrip> read = StreamContents.read(kinesis, stream);
        assertThat(read).hasSize(39_396);
        assertThat(read).extracting(StreamContents.ReadTrip::partitionKey).doesNotHaveDuplicates();
        TripParser parser = new TripParser();
        int withoutGoogleFields = 0;
        for (StreamContents.ReadTrip r : read) {
            TripResult parsed = parser.parse(r.data());
            assertThat(parsed).isEqualTo(expected.get(r.partitionKey()));
            if (((Trip) parsed).googleDistance() == null) {
                withoutGoogleFields++;
            }
            if (!r.aggregated()) { // an aggregate left with one trip at a flush goes plain, as with the KPL
                assertThat(r.outerPartitionKey()).isEqualTo(r.partitionKey());
            }
            assertThat(KplFormat.hashKeyOf(r.partitionKey())).isBetween(r.hashKeyStart(), r.hashKeyEnd());
        }
        assertThat(withoutGoogleFields).isEqualTo(559);
        assertThat(read.stream().map(StreamContents.ReadTrip::shardId).distinct()).hasSize(4);
        assertThat(read.stream().map(r -> r.shardId() + "/" + r.sequenceNumber()).distinct().count())
                .isEqualTo(summary.progress().send().sentRecords())
                .isLessThan(39_396 / 50);
    }

    @Test
    void withoutAggregationEveryTripIsItsOwnRecordOnItsOwnShard(KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "plain", 2);
        int trips = 5_000;
        ProducerSummary plain = Producer.create(kinesis, () -> new SyntheticTripSource(9),
                ProducerOptions.defaults(stream).withAggregation(false).withMaxTrips(trips), ProducerListener.NONE).run();
        System.out.println("[figure] synthetic, no aggregation, 2 shards: " + plain.describe());

        assertThat(plain.progress().send().sentRecords()).isEqualTo(trips);
        List<StreamContents.ReadTrip> read = StreamContents.read(kinesis, stream);
        assertThat(read).hasSize(trips).allSatisfy(r -> {
            assertThat(r.aggregated()).isFalse();
            assertThat(r.outerPartitionKey()).isEqualTo(r.partitionKey());
            assertThat(KplFormat.hashKeyOf(r.partitionKey())).isBetween(r.hashKeyStart(), r.hashKeyEnd());
        });
        assertThat(read).extracting(StreamContents.ReadTrip::partitionKey).doesNotHaveDuplicates();

        String aggregatedStream = TestStreams.create(kinesis, "aggregated", 2);
        ProducerSummary aggregated = Producer.create(kinesis, () -> new SyntheticTripSource(9),
                ProducerOptions.defaults(aggregatedStream).withMaxTrips(trips), ProducerListener.NONE).run();
        System.out.println("[figure] synthetic, KPL aggregation, 2 shards: " + aggregated.describe());
        assertThat(aggregated.progress().send().sentRecords()).isLessThan(trips / 50);
    }
}
