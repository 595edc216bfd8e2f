package dev.kinesisaggs.app.rejects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.function.tables.QuarantinedRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuarantineListingTest {

    private static QuarantinedRecord at(String recordId, String quarantinedAt) {
        return new QuarantinedRecord(recordId, "s", "1", Optional.empty(), quarantinedAt, 1, Map.of("MALFORMED_JSON", 1L), List.of(),
                Optional.empty());
    }

    @Test
    void newestFirstByInstantNotByTextThenByRecord() {
        List<QuarantinedRecord> records = new ArrayList<>(List.of(at("a", "2026-12-05T17:00:05Z"), at("b", "2026-12-05T17:00:05.123Z"),
                at("c", "2026-12-05T17:00:05.123Z"), at("d", "not an instant"), at("e", "2026-12-05T16:59:59.999999999Z")));
        records.sort(QuarantineListing.NEWEST_FIRST);

        // as text, "...:05Z" sorts after "...:05.123Z" ('Z' > '.'): it is the older
        assertThat(records).extracting(QuarantinedRecord::recordId).containsExactly("b", "c", "a", "e", "d");
    }
}
