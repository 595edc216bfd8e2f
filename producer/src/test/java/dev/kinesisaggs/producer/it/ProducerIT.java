package dev.kinesisaggs.producer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kinesisaggs.core.trip.TripJson;
import dev.kinesisaggs.core.csv.TripCsv;
import dev.kinesisaggs.core.kpl.KplFormat;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import dev.kinesisaggs.producer.Producer;
import dev.kinesisaggs.producer.ProducerListener;
import dev.kinesisaggs.producer.ProducerOptions;
import dev.kinesisaggs.producer.ProducerProgress;
import dev.kinesisaggs.producer.ProducerSummary;
import dev.kinesisaggs.producer.ProducerTiming;
import dev.kinesisaggs.producer.send.FakeTime;
import dev.kinesisaggs.producer.send.KplAggregatingPacker;
import dev.kinesisaggs.producer.send.ShardMap;
import dev.kinesisaggs.producer.source.CsvTripSource;
import dev.kinesisaggs.producer.source.JsonLinesTripSource;
import dev.kinesisaggs.producer.source.SourceItem;
import dev.kinesisaggs.producer.source.SyntheticTripSource;
import dev.kinesisaggs.producer.source.TripSourceOpener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The facade end to end on the emulator, with a fake ticker: pacing, buffering, limits, stop, bad rows. */
@ExtendWith(LocalAwsExtension.class)
class ProducerIT {

    private final FakeTime time = new FakeTime();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private final List<ProducerProgress> reports = new ArrayList<>();
    private final List<SourceItem.BadRow> badRows = new ArrayList<>();
    private final ProducerListener listener = new ProducerListener() {
        @Override
        public void onProgress(ProducerProgress progress) {
            reports.add(progress);
        }

        @Override
        public void onBadRow(SourceItem.BadRow row, boolean sentAsIs) {
            badRows.add(row);
        }
    };

    private Producer producer(KinesisClient kinesis, TripSourceOpener source, ProducerOptions options) {
        return new Producer(kinesis, source, options, listener, TripJson::toBytes,
                new KplAggregatingPacker(ShardMap.of(kinesis, options.streamName())),
                new ProducerTiming(time, time, clock, new SplittableRandom(3)));
    }

    @Test
    void pacesTripsAtTheRateAndSendsEachWithinTheBufferTime(KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "paced", 2);
        ProducerSummary summary = producer(kinesis, () -> new SyntheticTripSource(1),
                ProducerOptions.defaults(stream).withRate(20).withMaxTrips(200)).run();

        assertThat(summary.stoppedBecause()).isEqualTo(ProducerSummary.StopReason.MAX_TRIPS);
        assertThat(summary.progress().send().sentTrips()).isEqualTo(200);
        // the first trip goes at once, then one every 50 ms (fake time: the ticker moves only when the producer sleeps)
        assertThat(summary.progress().elapsed().toMillis()).isCloseTo(9950, within(60L));
        // no trip waits for an aggregate to fill: a trip is sent at most 100 ms after it was taken, so 1 to 2 a call
        assertThat(summary.progress().send().requests()).isBetween(90L, 200L);
        assertThat(reports).hasSizeBetween(9, 11);
        assertThat(reports.get(reports.size() / 2).recentRate()).isCloseTo(20, within(2.0));
        assertThat(StreamContents.read(kinesis, stream)).hasSize(200);
    }

    @Test
    void stopsAfterTheMaximumDuration(KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "duration", 1);
        ProducerSummary summary = producer(kinesis, () -> new SyntheticTripSource(2),
                ProducerOptions.defaults(stream).withRate(50).withMaxDuration(java.time.Duration.ofSeconds(5))).run();

        assertThat(summary.stoppedBecause()).isEqualTo(ProducerSummary.StopReason.MAX_DURATION);
        assertThat(summary.progress().send().sentTrips()).isBetween(249L, 252L);
        assertThat(StreamContents.read(kinesis, stream)).hasSize((int) summary.progress().send().sentTrips());
    }

    @Test
    void stopSendsWhatIsBufferedAndEnds(KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "stop", 1);
        Producer[] self = new Producer[1];
        Producer producer = new Producer(kinesis, () -> new SyntheticTripSource(3),
                ProducerOptions.defaults(stream).withRate(1000).withMaxBufferTime(java.time.Duration.ofHours(1)),
                new ProducerListener() {
                    @Override
                    public void onProgress(ProducerProgress progress) {
                        if (progress.elapsed().toSeconds() >= 3) {
                            self[0].stop();
                        }
                    }
                }, TripJson::toBytes, new KplAggregatingPacker(null), new ProducerTiming(time, time, clock, new SplittableRandom(3)));
        self[0] = producer;

        ProducerSummary summary = producer.run();

        assertThat(summary.stoppedBecause()).isEqualTo(ProducerSummary.StopReason.STOPPED);
        assertThat(summary.progress().buffered()).isZero();
        assertThat(summary.progress().send().sentTrips()).isBetween(3000L, 3002L);
        assertThat(StreamContents.read(kinesis, stream)).hasSize((int) summary.progress().send().sentTrips());
    }

    @Test
    void loopsWithFreshIdsAndShiftsTheFirstPickupToNow(KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "loop", 1);
        SyntheticTripSource generator = new SyntheticTripSource(4);
        List<dev.kinesisaggs.core.trip.Trip> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(generator.nextTrip());
        }
        TripSourceOpener tenTrips = () -> new FiniteSource(ten);
        ProducerSummary summary = producer(kinesis, tenTrips,
                ProducerOptions.defaults(stream).withLoop(true).withShiftToNow(true).withMaxTrips(35)).run();

        assertThat(summary.progress().send().sentTrips()).isEqualTo(35);
        List<StreamContents.ReadTrip> read = StreamContents.read(kinesis, stream);
        assertThat(read).extracting(StreamContents.ReadTrip::partitionKey).doesNotHaveDuplicates().hasSize(35)
                .contains(ten.get(0).id(), "id1" + ten.get(0).id().substring(2), "id3" + ten.get(4).id().substring(2));
        var parser = new dev.kinesisaggs.core.trip.TripParser();
        var first = (dev.kinesisaggs.core.trip.Trip) parser.parse(read.get(0).data());
        assertThat(first.pickupDate()).isEqualTo(LocalDateTime.of(2026, 11, 27, 12, 0));
    }

    @Test
    void badRowsAreReportedWithTheirLineNumberAndSkippedOrSentAsIs(KinesisClient kinesis, @TempDir Path dir) throws IOException {
        Path csv = dir.resolve("with-bad-rows.csv");
        String bad1 = "id0000002,two,1/1/2016 0:01,1/1/2016 0:03,1,-73.97,40.76,-73.97,40.76,N,0.18,114,289,79";
        String bad2 = ",2,1/1/2016 0:02,1/1/2016 0:03,1,-73.97,40.76,-73.97,40.76,N,0.18,114,289,79";
        Files.write(csv, List.of(TripCsv.HEADER,
                "id0000001,2,1/1/2016 0:00,1/1/2016 0:14,5,-73.98174286,40.71915817,-73.93882751,40.82918167,N,7.928829612,849,15309,1109",
                bad1,
                "id0000003,1,1/1/2016 0:02,1/1/2016 0:20,1,-73.98,40.74,-73.95,40.71,N,2.49,1080,,",
                bad2), StandardCharsets.UTF_8);

        String skipped = TestStreams.create(kinesis, "bad-skipped", 1);
        ProducerSummary skipping = producer(kinesis, CsvTripSource.opener(csv), ProducerOptions.defaults(skipped)).run();
        assertThat(badRows).extracting(SourceItem.BadRow::lineNumber).containsExactly(3L, 5L);
        assertThat(skipping.progress().badRowsSkipped()).isEqualTo(2);
        assertThat(StreamContents.read(kinesis, skipped)).extracting(StreamContents.ReadTrip::partitionKey)
                .containsExactly("id0000001", "id0000003");

        String sent = TestStreams.create(kinesis, "bad-sent", 1);
        ProducerSummary sending = producer(kinesis, CsvTripSource.opener(csv), ProducerOptions.defaults(sent).withSendBadRows(true)).run();
        assertThat(sending.progress().badRowsSent()).isEqualTo(2);
        assertThat(sending.progress().send().sentTrips()).isEqualTo(4);
        List<StreamContents.ReadTrip> read = StreamContents.read(kinesis, sent);
        assertThat(read).extracting(StreamContents.ReadTrip::partitionKey)
                .containsExactly("id0000001", "id0000002", "id0000003", "line-5");
        assertThat(new String(read.get(1).data(), StandardCharsets.UTF_8)).isEqualTo(bad1);
        assertThat(new String(read.get(3).data(), StandardCharsets.UTF_8)).isEqualTo(bad2);
    }

    /**
     * Kinesis' limits on what the rules let through: a trip id of 200 code points is 400 UTF-16 units, beyond a partition
     * key under one reading of "256 characters"; a bad row of more than 1 MiB is beyond any record. Neither stops the run
     * or keeps the records around it from the stream, with aggregation or without.
     */
    @Test
    void aTripIdBeyondAPartitionKeyAndABadRowBeyondARecordNeitherStopTheRunNorLoseTheOthers(KinesisClient kinesis,
                                                                                           @TempDir Path dir) throws IOException {
        String longId = "\uD83D\uDE95".repeat(200); // a taxi emoji: 200 code points, 400 UTF-16 units
        String longTrip = TripJson.toJson(new dev.kinesisaggs.core.trip.Trip(longId, 2, LocalDateTime.of(2016, 1, 1, 0, 0),
                LocalDateTime.of(2016, 1, 1, 0, 14), 5, null, null, null, null, "N", 7.9, 849L, null, null));
        String huge = "{\"id\":\"huge\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
        String smallBad = "{\"id\":\"id-bad\",\"vendorId\":\"two\"}";
        String lastTrip = longTrip.replace(longId, "id0000004");
        byte[] notUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}'};
        Path lines = dir.resolve("limits.jsonl");
        Files.write(lines, String.join("\n", longTrip, huge, smallBad).getBytes(StandardCharsets.UTF_8));
        Files.write(lines, ("\n" + new String(notUtf8, StandardCharsets.ISO_8859_1) + "\n").getBytes(StandardCharsets.ISO_8859_1),
                java.nio.file.StandardOpenOption.APPEND);
        Files.write(lines, lastTrip.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);

        for (boolean aggregation : new boolean[] {true, false}) {
            badRows.clear();
            String stream = TestStreams.create(kinesis, "limits-" + aggregation, 2);
            ProducerSummary summary = Producer.create(kinesis, JsonLinesTripSource.opener(lines),
                    ProducerOptions.defaults(stream).withAggregation(aggregation).withSendBadRows(true), listener).run();

            assertThat(summary.progress().badRowsSent()).as("aggregation %s", aggregation).isEqualTo(2);
            assertThat(summary.progress().badRowsSkipped()).isEqualTo(1);
            assertThat(badRows).extracting(SourceItem.BadRow::lineNumber).containsExactly(2L, 3L, 4L);
            assertThat(badRows.get(0).reason()).contains("not sent as it is").contains("more than the 1048576 of a Kinesis record");
            List<StreamContents.ReadTrip> read = StreamContents.read(kinesis, stream);
            // byte for byte: the line that is not UTF-8 arrives as it was in the file
            assertThat(read).extracting(r -> new String(r.data(), StandardCharsets.ISO_8859_1)).containsExactlyInAnyOrder(
                    latin1(longTrip), latin1(smallBad), new String(notUtf8, StandardCharsets.ISO_8859_1), latin1(lastTrip));
            StreamContents.ReadTrip first = read.stream()
                    .filter(r -> new String(r.data(), StandardCharsets.UTF_8).equals(longTrip)).findFirst().orElseThrow();
            // cut at 256 UTF-16 units, at a whole code point; the whole id is in the data
            assertThat(first.partitionKey()).isEqualTo("\uD83D\uDE95".repeat(128));
            assertThat(KplFormat.hashKeyOf(first.partitionKey())).isBetween(first.hashKeyStart(), first.hashKeyEnd());
        }
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aMissingStreamIsOneClearSentence(KinesisClient kinesis) {
        assertThatThrownBy(() -> Producer.create(kinesis, () -> new SyntheticTripSource(1),
                ProducerOptions.defaults("no-such-stream"), ProducerListener.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Stream 'no-such-stream' does not exist: create it first, or give the name of an existing stream.");
        assertThatThrownBy(() -> new Producer(kinesis, () -> new SyntheticTripSource(1),
                ProducerOptions.defaults("no-such-stream").withAggregation(false).withMaxTrips(5), ProducerListener.NONE,
                TripJson::toBytes, new dev.kinesisaggs.producer.send.OneRecordPerTrip(),
                new ProducerTiming(time, time, clock, new SplittableRandom(3))).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");
    }

    /** A finite list of trips as a source. */
    private static final class FiniteSource implements dev.kinesisaggs.producer.source.TripSource {
        private final java.util.Iterator<dev.kinesisaggs.core.trip.Trip> trips;

        FiniteSource(List<dev.kinesisaggs.core.trip.Trip> trips) {
            this.trips = trips.iterator();
        }

        @Override
        public java.util.Optional<SourceItem> next() {
            return trips.hasNext() ? java.util.Optional.of(new SourceItem.GoodTrip(trips.next())) : java.util.Optional.empty();
        }

        @Override
        public String describe() {
            return "ten trips";
        }
    }
}
