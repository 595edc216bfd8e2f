package dev.kinesisaggs.function.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RejectItemsTest {

    /** The quarantine item's one example, for a record of these bytes. */
    private static Map<String, AttributeValue> example(byte[] record) {
        RecordRejects rejects = new RecordRejects("shardId-000000000000", "4959", Instant.EPOCH, record.length);
        rejects.add(0, new Rejection(RejectReason.MALFORMED_JSON, null, "not JSON"), record, 0, record.length);
        return RejectItems.item(rejects, "2026-12-05T00:00:00Z").get("examples").l().get(0).m();
    }

    @Test
    void aPayloadCutAt8KbIsKeptAsTextUpToItsLastWholeCharacter() {
        // 8,191 ASCII bytes, then a euro sign (3 bytes) that the cap cuts after its first byte, then more
        String text = "a".repeat(RecordRejects.EXAMPLE_PAYLOAD_CAP - 1) + "\u20ac" + "b".repeat(400_000);
        Map<String, AttributeValue> example = example(text.getBytes(StandardCharsets.UTF_8));

        assertThat(example.get("payload").s()).isEqualTo("a".repeat(RecordRejects.EXAMPLE_PAYLOAD_CAP - 1));
        assertThat(example.get("payloadTruncated").bool()).isTrue();
        assertThat(example.get("payloadSize").n()).isEqualTo(Integer.toString(RecordRejects.EXAMPLE_PAYLOAD_CAP - 1 + 3 + 400_000));
        assertThat(example).doesNotContainKey("payloadBytes");
    }

    @Test
    void aWholeCharacterAtTheCutIsKept() {
        String text = "a".repeat(RecordRejects.EXAMPLE_PAYLOAD_CAP - 3) + "\u20ac" + "b".repeat(10);
        assertThat(example(text.getBytes(StandardCharsets.UTF_8)).get("payload").s())
                .isEqualTo("a".repeat(RecordRejects.EXAMPLE_PAYLOAD_CAP - 3) + "\u20ac");
    }

    @Test
    void aPayloadThatIsNotUtf8IsKeptAsBytesCutOrNot() {
        byte[] notUtf8 = {'{', (byte) 0xFF, '}'};
        assertThat(example(notUtf8).get("payloadBytes").b().asByteArray()).isEqualTo(notUtf8);
        byte[] long_ = new byte[20_000];
        long_[5] = (byte) 0xFF;
        Map<String, AttributeValue> cut = example(long_);
        assertThat(cut.get("payloadBytes").b().asByteArray()).hasSize(RecordRejects.EXAMPLE_PAYLOAD_CAP);
        assertThat(cut).doesNotContainKey("payload");
    }

    @Test
    void wholeCharactersDropsOnlyAnIncompleteLastSequence() {
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        assertThat(RejectItems.wholeCharacters(new byte[] {'a', euro[0], euro[1]})).containsExactly('a');
        assertThat(RejectItems.wholeCharacters(new byte[] {'a', euro[0]})).containsExactly('a');
        assertThat(RejectItems.wholeCharacters(new byte[] {'a', euro[0], euro[1], euro[2]})).containsExactly('a', euro[0], euro[1], euro[2]);
        byte[] astral = "\uD83D\uDE95".getBytes(StandardCharsets.UTF_8); // a taxi, 4 bytes
        assertThat(RejectItems.wholeCharacters(new byte[] {'a', astral[0], astral[1], astral[2]})).containsExactly('a');
        assertThat(RejectItems.wholeCharacters(new byte[] {'a'})).containsExactly('a');
        assertThat(RejectItems.wholeCharacters(new byte[0])).isEmpty();
    }
}
