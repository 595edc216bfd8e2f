package dev.kinesisaggs.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinesisaggs.core.trip.Trip;
import java.io.IOException;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowStateTest {

    static final String SHARD = "shardId-000000000006";
    static final String SEQ = "49590338271490256608559692538361571095921575989136588898";
    static final String SEQ2 = "49590338271490256608559692538361571095921575989136588899";

    static Trip trip(int vendor, int passengers, Double gc, Long duration) {
        return new Trip("id" + vendor + passengers, vendor, LocalDateTime.of(2016, 1, 1, 0, 0), null, passengers,
                null, null, null, null, null, gc, duration, null, null);
    }

    @Test
    void an_empty_or_null_map_is_a_fresh_window_and_a_fresh_window_writes_an_empty_map() {
        assertThat(WindowState.fromMap(Map.of())).isEqualTo(WindowState.EMPTY);
        assertThat(WindowState.fromMap(null)).isEqualTo(WindowState.EMPTY);
        assertThat(WindowState.EMPTY.toMap()).isEmpty();
        assertThat(WindowState.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void the_state_map_has_a_version_the_run_the_open_part_and_one_entry_per_vendor() {
        WindowRun run = WindowRun.resume(WindowState.EMPTY, "req-1", SEQ);
        run.covers(SEQ, 0);
        run.fold(trip(2, 5, 7.928829612, 849L), SEQ);
        run.covers(SEQ2, 0);
        run.fold(trip(1, 1, 2.49248213, 1294L), SEQ2);
        run.fold(trip(2, 1, 0.180098735, 114L), SEQ2);
        Map<String, String> map = run.state().toMap();
        assertThat(map).containsExactlyInAnyOrderEntriesOf(Map.of(
                "v", "2", "run", "req-1", "start", SEQ, "n", "2", "part", "0", "first", SEQ, "last", SEQ2,
                "1", "1,1,2492482,1294",
                "2", "6,2,8108929,963")); // 7928830 + 180099 micro-miles, each trip rounded to the nearest
        assertThat(WindowState.fromMap(map)).isEqualTo(run.state());
    }

    @Test
    void the_run_counts_the_kinesis_records_it_covered_across_parts_and_a_state_without_the_count_reads_as_zero() {
        WindowRun run = WindowRun.resume(WindowState.EMPTY, "req-1", SEQ, 1);
        run.covers(SEQ, 0);
        assertThat(run.fold(trip(1, 1, 1.0, 1L), SEQ)).isEmpty();
        run.covers(SEQ2, 0);
        ClosedPart full = run.fold(trip(2, 1, 1.0, 1L), SEQ2).orElseThrow();
        WindowRun resumed = WindowRun.resume(WindowState.fromMap(run.state().toMap()), "other", null, 1);
        resumed.covers(SEQ2 + "1", 0);

        assertThat(full.runRecords()).isEqualTo(2);
        assertThat(resumed.close(true).runRecords()).isEqualTo(3);
        assertThat(WindowState.fromMap(Map.of("v", "2", "run", "r", "start", "1", "part", "0")).records()).isZero();
    }

    @Test
    void the_run_counts_the_user_records_it_left_out_across_invocations_and_parts() {
        WindowRun run = WindowRun.resume(WindowState.EMPTY, "req-1", SEQ, 1);
        run.covers(SEQ, 2);
        assertThat(run.fold(trip(1, 1, 1.0, 1L), SEQ)).isEmpty();
        run.covers(SEQ2, 0);
        ClosedPart full = run.fold(trip(2, 1, 1.0, 1L), SEQ2).orElseThrow();
        Map<String, String> carried = run.state().toMap();
        WindowRun resumed = WindowRun.resume(WindowState.fromMap(carried), "other", null, 1);
        resumed.covers(SEQ2 + "1", 5);

        assertThat(carried).containsEntry("x", "2");
        assertThat(full.runRejected()).isEqualTo(2);
        assertThat(resumed.close(true).runRejected()).isEqualTo(7);
        assertThat(WindowState.fromMap(Map.of("v", "2", "run", "r", "start", "1", "part", "0")).rejected()).isZero();
    }

    @Test
    void a_version_1_state_left_by_the_previous_deployment_continues_as_a_run_named_after_its_part() {
        WindowState v1 = WindowState.fromMap(Map.of("v", "1", "part", SHARD + ":" + SEQ, "1", "3,2,0,10"));
        assertThat(v1.run()).isEqualTo("v1-" + SEQ);
        assertThat(v1.part()).isZero();
        assertThat(v1.totals().vendor(1)).isEqualTo(new VendorTotals(3, 2, 0, 10));
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
        WindowState state = new WindowState("8f507cfc-0000-4697-b07a-ac58fc914c95", SEQ, Long.MAX_VALUE, Long.MAX_VALUE, 7, SEQ, SEQ2, new WindowTotals(byVendor));
        assertThat(jsonBytes(state.toMap())).isLessThan(1_000_000);
        // a full part, at the most vendors a run puts in one, stays under a quarter of the limit
        Map<Integer, VendorTotals> full = new HashMap<>();
        for (int v = 1; v <= WindowRun.MAX_PART_VENDORS; v++) {
            full.put(Integer.MAX_VALUE - v, new VendorTotals(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        assertThat(jsonBytes(new WindowState("8f507cfc-0000-4697-b07a-ac58fc914c95", SEQ, Long.MAX_VALUE, Long.MAX_VALUE, 7, SEQ, SEQ2, new WindowTotals(full)).toMap()))
                .isLessThan(1_048_576 / 2);
        // and a realistic window (2 vendors) is tiny
        WindowRun run = WindowRun.resume(WindowState.EMPTY, "8f507cfc-0000-4697-b07a-ac58fc914c95", SEQ);
        run.covers(SEQ, 0);
        run.fold(trip(1, 1, 1.0, 1L), SEQ);
        run.fold(trip(2, 1, 1.0, 1L), SEQ);
        assertThat(jsonBytes(run.state().toMap())).isLessThan(400);
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
            "no version|1=1,1,0,0|window state has version (none) but this code reads versions 1 and 2",
            "other version|v=3;1=1,1,0,0|window state has version \"3\" but this code reads versions 1 and 2",
            "numbers as in the AWS example|1=282;2=715|window state has version (none)",
            "no run|v=2;start=1;part=0|window state has no value for \"run\"",
            "no start|v=2;run=r;part=0|window state has no value for \"start\"",
            "bad start|v=2;run=r;start=1x;part=0|window state \"start\" is \"1x\", not a sequence number",
            "bad part|v=2;run=r;start=1;part=-1|window state part \"-1\" is not a whole number from 0",
            "bad count|v=2;run=r;start=1;n=x;part=0|window state \"n\" is \"x\", not a whole number from 0",
            "bad rejected count|v=2;run=r;start=1;x=-1;part=0|window state \"x\" is \"-1\", not a whole number from 0",
            "first without last|v=2;run=r;start=1;part=0;first=1|one of \"first\" and \"last\" without the other",
            "unknown key|v=2;run=r;start=1;part=0;y=1|window state key \"y\" is neither one of the run's keys nor a vendor id",
            "vendor 0|v=2;run=r;start=1;part=0;0=1,1,0,0|window state key \"0\" is neither",
            "three sums|v=2;run=r;start=1;part=0;1=1,1,0|window state for vendor 1 is \"1,1,0\" but should be passengers,trips,gcDistanceMicros,tripDurationSeconds",
            "negative sum|v=2;run=r;start=1;part=0;1=1,-1,0,0|window state for vendor 1 is \"1,-1,0,0\" but its four sums must be whole numbers from 0",
            "sum too large|v=2;run=r;start=1;part=0;1=1,1,0,9223372036854775808|but its four sums must be whole numbers from 0",
            "bad version 1 part|v=1;part=shard:x1|window state \"part\" is \"x1\", not a sequence number"})
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
