package dev.kinesisaggs.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinesisaggs.core.trip.Trip;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowStateTest {

    static final String SHARD = "shardId-000000000006";
    static final String SEQ = "49590338271490256608559692538361571095921575989136588898";

    static Trip trip(int vendor, int passengers, Double gc, Long duration) {
        return new Trip("id" + vendor + passengers, vendor, LocalDateTime.of(2016, 1, 1, 0, 0), null, passengers,
                null, null, null, null, null, gc, duration, null, null);
    }

    @Test
    void an_empty_or_null_map_is_a_fresh_window_and_a_fresh_window_writes_an_empty_map() {
        assertThat(WindowState.fromMap(Map.of())).isEqualTo(WindowState.EMPTY);
        assertThat(WindowState.fromMap(null)).isEqualTo(WindowState.EMPTY);
        assertThat(new WindowAccumulator().toStateMap()).isEmpty();
        assertThat(WindowState.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void the_state_map_has_a_version_the_part_and_one_entry_per_vendor() {
        WindowAccumulator acc = new WindowAccumulator();
        acc.fold(SHARD, SEQ, trip(2, 5, 7.928829612, 849L));
        acc.fold(SHARD, "49590338271490256608559692538361571095921575989136588899", trip(1, 1, 2.49248213, 1294L));
        acc.fold(SHARD, "49590338271490256608559692538361571095921575989136588900", trip(2, 1, 0.180098735, 114L));
        assertThat(acc.toStateMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "v", "1",
                "part", SHARD + ":" + SEQ,
                "1", "1,1,2492482,1294",
                "2", "6,2,8108929,963")); // 7928830 + 180099 micro-miles, each trip rounded to the nearest
    }

    @Test
    void absent_distance_and_duration_count_as_zero() {
        WindowAccumulator acc = new WindowAccumulator();
        acc.fold(trip(1, 3, null, null));
        acc.fold(trip(1, 2, 1.5, null));
        assertThat(acc.totals().vendor(1)).isEqualTo(new VendorTotals(5, 2, 1_500_000, 0));
        assertThat(acc.totals().vendor(1).gcDistanceMiles()).isEqualTo(1.5);
        assertThat(acc.totals().vendor(7)).isEqualTo(VendorTotals.ZERO);
    }

    @Test
    void the_part_is_named_after_the_first_record_folded_and_survives_the_state_map() {
        WindowAccumulator acc = new WindowAccumulator();
        assertThat(acc.partId()).isEmpty();
        assertThat(acc.startPartIfAbsent(SHARD, SEQ)).isTrue();
        assertThat(acc.startPartIfAbsent(SHARD, "99")).isFalse();
        acc.fold(SHARD, "100", trip(1, 1, null, null));
        WindowPartId expected = new WindowPartId(SHARD, new BigInteger(SEQ));
        assertThat(acc.partId()).contains(expected);
        WindowAccumulator next = WindowAccumulator.fromStateMap(acc.toStateMap());
        next.fold(SHARD, "200", trip(1, 1, null, null));
        assertThat(next.partId()).contains(expected);
        assertThat(next.totals().vendor(1).trips()).isEqualTo(2);
    }

    @Test
    void a_part_id_reads_back_from_its_text_which_has_the_kinesis_event_id_form() {
        WindowPartId id = WindowPartId.of(SHARD, SEQ);
        assertThat(id.toString()).isEqualTo("shardId-000000000006:" + SEQ);
        assertThat(WindowPartId.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> WindowPartId.of(SHARD, "12a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a sequence number is a string of decimal digits, got \"12a\"");
        assertThatThrownBy(() -> WindowPartId.parse("no-separator")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void many_vendors_fold_without_losing_any() {
        WindowAccumulator acc = new WindowAccumulator();
        for (int round = 0; round < 3; round++) {
            for (int v = 1; v <= 1000; v++) {
                acc.fold(trip(v * 7919, v % 10, null, (long) v));
            }
        }
        WindowTotals totals = acc.totals();
        assertThat(totals.byVendor()).hasSize(1000);
        assertThat(totals.vendor(5 * 7919)).isEqualTo(new VendorTotals(15, 3, 0, 15));
    }

    @Test
    void sums_saturate_instead_of_turning_negative() {
        VendorTotals big = new VendorTotals(Long.MAX_VALUE - 1, 1, 0, 0);
        assertThat(big.plus(new VendorTotals(5, 1, 0, 0)).passengers()).isEqualTo(Long.MAX_VALUE);
        WindowAccumulator acc = new WindowAccumulator();
        acc.fold(trip(1, 1, Double.MAX_VALUE, Long.MAX_VALUE));
        acc.fold(trip(1, 1, Double.MAX_VALUE, Long.MAX_VALUE));
        assertThat(acc.totals().vendor(1)).isEqualTo(new VendorTotals(2, 2, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void ten_thousand_vendors_with_the_largest_sums_stay_far_below_the_one_megabyte_state_limit() throws IOException {
        Map<Integer, VendorTotals> byVendor = new HashMap<>();
        for (int v = 1; v <= 10_000; v++) {
            byVendor.put(Integer.MAX_VALUE - v, new VendorTotals(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        WindowState state = new WindowState(WindowPartId.of(SHARD, SEQ), new WindowTotals(byVendor));
        assertThat(jsonBytes(state.toMap())).isLessThan(1_000_000);
        // and a realistic window (2 vendors) is tiny
        WindowAccumulator acc = new WindowAccumulator();
        acc.fold(SHARD, SEQ, trip(1, 1, 1.0, 1L));
        acc.fold(SHARD, SEQ, trip(2, 1, 1.0, 1L));
        assertThat(jsonBytes(acc.toStateMap())).isLessThan(200);
    }

    private static int jsonBytes(Map<String, String> map) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : map.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        return w.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no version|1=1,1,0,0|window state has version (none) but this code reads version 1",
            "other version|v=2;1=1,1,0,0|window state has version \"2\" but this code reads version 1",
            "numbers as in the AWS example|1=282;2=715|window state has version (none)",
            "unknown key|v=1;x=1|window state key \"x\" is neither \"v\", \"part\" nor a vendor id",
            "vendor 0|v=1;0=1,1,0,0|window state key \"0\" is neither",
            "three sums|v=1;1=1,1,0|window state for vendor 1 is \"1,1,0\" but should be passengers,trips,gcDistanceMicros,tripDurationSeconds",
            "negative sum|v=1;1=1,-1,0,0|window state for vendor 1 is \"1,-1,0,0\" but its four sums must be whole numbers from 0",
            "sum too large|v=1;1=1,1,0,9223372036854775808|but its four sums must be whole numbers from 0",
            "bad part|v=1;part=shard|a window part id is \"<shardId>:<sequenceNumber>\", got \"shard\""})
    void a_state_map_this_code_did_not_write_is_a_bug_reported_clearly(String what, String entries, String message) {
        Map<String, String> map = new HashMap<>();
        for (String entry : entries.split(";")) {
            String[] kv = entry.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        assertThatThrownBy(() -> WindowState.fromMap(map)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
