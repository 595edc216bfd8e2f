package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.KplFormat;

/**
 * The partition key a record is sent with: its trip's id, or a bad row's first field, cut to what Kinesis takes.
 *
 * <p>Kinesis allows a partition key of "256 characters" without saying whether a character is a UTF-16 unit or a
 * code point (kinesalite counts units; a trip id may have 256 code points, up to 512 units). A key of at most 256
 * units is within both readings, so a longer text is cut there, at a whole code point (never half of a surrogate
 * pair). The key only chooses the shard; the trip keeps its whole id in its data, and the same text always gets the
 * same key, so a producer's retry of a trip lands on the shard of its first copy.
 */
public final class PartitionKeys {

    private PartitionKeys() {
    }

    /** The text itself when it fits, else its longest prefix of whole code points that does; the text must not be empty. */
    public static String of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a partition key cannot be empty");
        }
        int max = KplFormat.MAX_PARTITION_KEY_CHARS;
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) && Character.isLowSurrogate(text.charAt(max)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
