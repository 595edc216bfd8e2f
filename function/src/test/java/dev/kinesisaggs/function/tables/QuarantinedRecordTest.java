package dev.kinesisaggs.function.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The quarantine items read back as {@link RejectItems} writes them, and as older or foreign items hold them. */
class QuarantinedRecordTest {

    private static RecordRejects rejects() {
        byte[] cut = "{\"id\":".getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {'{', (byte) 0xFF, '}'};
        RecordRejects r = new RecordRejects("shardId-000000000001", "4959", Instant.parse("2016-01-01T00:00:10Z"), 100);
        r.add(0, new Rejection(RejectReason.MALFORMED_JSON, null, "not JSON"), cut, 0, cut.length);
        r.add(1, new Rejection(RejectReason.NOT_UTF8, null, "not UTF-8"), notUtf8, 0, notUtf8.length);
        r.add(2, new Rejection(RejectReason.MALFORMED_JSON, null, "not JSON either"), cut, 0, cut.length);
        return r;
    }

    @Test
    void aFullItemReadsBackAsItWasWritten() {
        QuarantinedRecord read = QuarantinedRecord.of(RejectItems.item(rejects(), "2026-12-05T00:00:00Z"));

        assertThat(read.recordId()).isEqualTo("shardId-000000000001:4959");
        assertThat(read.shardId()).isEqualTo("shardId-000000000001");
        assertThat(read.sequenceNumber()).isEqualTo("4959");
        assertThat(read.arrivalTime()).contains("2016-01-01T00:00:10Z");
        assertThat(read.quarantinedAt()).isEqualTo("2026-12-05T00:00:00Z");
        assertThat(read.recordBytes()).isEqualTo(100);
        assertThat(read.reasons()).containsExactly(Map.entry("MALFORMED_JSON", 2L), Map.entry("NOT_UTF8", 1L));
        assertThat(read.rejected()).isEqualTo(3);
        assertThat(read.note()).isEmpty();
        assertThat(read.examples()).hasSize(3);
        assertThat(read.examples().get(0)).isEqualTo(new QuarantinedRecord.Example(0, "MALFORMED_JSON", Optional.empty(), "not JSON", 6,
                false, Optional.of("{\"id\":"), Optional.empty()));
        assertThat(read.examples().get(1).payloadBase64()).contains(Base64.getEncoder().encodeToString(new byte[] {'{', (byte) 0xFF, '}'}));
        assertThat(read.examples().get(1).payloadText()).isEmpty();
    }

    @Test
    void aMinimalItemHasItsCountsAndSaysWhyItHasNoExamples() {
        QuarantinedRecord read = QuarantinedRecord.of(RejectItems.minimalItem(rejects(), "2026-12-05T00:00:00Z", "Item size too large"));

        assertThat(read.reasons()).containsEntry("MALFORMED_JSON", 2L);
        assertThat(read.examples()).isEmpty();
        assertThat(read.note()).hasValueSatisfying(n -> assertThat(n).contains("Item size too large").endsWith("counts only"));
    }

    @Test
    void anItemOfTheOlderFormatOrOfAnotherKindIsReadAsFarAsItCanBeNeverFailing() {
        QuarantinedRecord older = QuarantinedRecord.of(Map.of(Tables.RECORD_ID, AttributeValue.fromS("s:1"),
                RejectItems.REASON, AttributeValue.fromS("WRONG_TYPE")));
        assertThat(older.reasons()).containsExactly(Map.entry("WRONG_TYPE", 1L));

        QuarantinedRecord foreign = QuarantinedRecord.of(Map.of("recordBytes", AttributeValue.fromS("many"),
                RejectItems.EXAMPLES, AttributeValue.fromL(java.util.List.of(AttributeValue.fromS("no map"),
                        AttributeValue.fromM(Map.of("payloadSize", AttributeValue.fromN("1E+3")))))));
        assertThat(foreign.recordId()).isEmpty();
        assertThat(foreign.recordBytes()).isZero();
        assertThat(foreign.reasons()).containsExactly(Map.entry("UNKNOWN", 1L));
        assertThat(foreign.examples()).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("UNKNOWN");
            assertThat(e.payloadSize()).isZero();
        });
    }
}
