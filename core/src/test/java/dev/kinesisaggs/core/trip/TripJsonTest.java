package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TripJsonTest {

    @Test
    void writes_the_workshop_example_byte_for_byte() {
        assertThat(TripJson.toJson(TripParserTest.WORKSHOP_TRIP)).isEqualTo(TripParserTest.WORKSHOP);
    }

    @Test
    void omits_absent_optional_fields() {
        Trip minimal = new Trip("a", 1, LocalDateTime.of(2016, 1, 1, 0, 0), null, 1,
                null, null, null, null, null, null, null, null, null);
        assertThat(TripJson.toJson(minimal)).isEqualTo(TripParserTest.MINIMAL);
    }

    @Test
    void writes_every_value_as_a_string_like_the_workshops_other_producer() {
        assertThat(new String(TripJson.toBytesAllStrings(TripParserTest.WORKSHOP_TRIP), StandardCharsets.UTF_8))
                .contains("\"vendorId\":\"2\"", "\"passengerCount\":\"5\"", "\"gcDistance\":\"7.9288297\"",
                        "\"pickupDate\":\"2016-01-01T00:00:00\"");
    }

    @Test
    void escapes_what_json_requires_in_the_id() {
        Trip t = new Trip("a\"b\\c\u0001é", 1, LocalDateTime.of(2016, 1, 1, 0, 0, 0, 5), null, 1,
                null, null, null, null, null, null, null, null, null);
        assertThat(TripJson.toJson(t)).contains("\"id\":\"a\\\"b\\\\c\\u0001é\"", "\"pickupDate\":\"2016-01-01T00:00:00.000000005\"");
        assertThat(new TripParser().parse(TripJson.toBytes(t))).isEqualTo(t);
    }

    @Test
    void refuses_a_number_json_cannot_hold() {
        Trip nan = new Trip("a", 1, LocalDateTime.of(2016, 1, 1, 0, 0), null, 1,
                null, null, null, null, null, Double.NaN, null, null, null);
        assertThatThrownBy(() -> TripJson.toBytes(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("gcDistance is NaN");
    }

    @Test
    void one_parser_serves_many_threads_at_once() throws Exception {
        TripParser shared = new TripParser();
        List<byte[]> records = new ArrayList<>();
        List<TripResult> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Trip t = new Trip("id" + i, 1 + i % 2, LocalDateTime.of(2016, 1, 1, 0, 0).plusMinutes(i), null, i % 10,
                    -73.9 - i / 1000.0, 40.7, null, null, i % 3 == 0 ? "Y" : "N", i / 7.0, (long) i, null, null);
            records.add(i % 2 == 0 ? TripJson.toBytes(t) : TripJson.toBytesAllStrings(t));
            expected.add(t);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<TripResult>>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(pool.submit(() -> {
                    List<TripResult> got = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        got.clear();
                        for (byte[] r : records) {
                            got.add(shared.parse(r));
                        }
                    }
                    return got;
                }));
            }
            for (Future<List<TripResult>> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
