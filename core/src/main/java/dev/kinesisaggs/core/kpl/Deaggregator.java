package dev.kinesisaggs.core.kpl;

import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Rejection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Splits a Kinesis record into its KPL user records, checking the aggregate's MD5 and structure.
 *
 * <p>Rules, decided for this project:
 * <ul>
 *   <li>No magic: a plain record, passed on whole as user record 0 with the outer keys.</li>
 *   <li>Magic present: it must be a valid aggregate, or it is one {@code BAD_AGGREGATE} rejection
 *       and <em>no</em> user record is passed on. That is: shorter than magic + MD5, MD5 mismatch,
 *       malformed protobuf (varint over 10 bytes or over 64 bits, length past the end, wire type 3,
 *       4, 6 or 7, a known field with the wrong wire type, field number 0), a record without
 *       partition key index or data, an index outside its key table, or no user record at all.
 *       The reference Python deaggregator and KCL pass such a record through unchanged as plain
 *       data instead; we reject it because the bytes after the magic are not a trip, and the JSON
 *       parser would only report a vaguer reason. An aggregate with zero user records is rejected
 *       rather than silently consuming a Kinesis record (KCL would yield nothing for it).</li>
 *   <li>Unknown fields are skipped; the tags of a user record (field 4, unused by KPL and KCL) are
 *       ignored; a repeated scalar field keeps its last value, as protobuf does.</li>
 *   <li>Key strings are decoded as UTF-8 with malformed bytes replaced, as protobuf-java does for
 *       proto2 strings.</li>
 * </ul>
 *
 * <p>The whole aggregate is validated before the first user record is passed on, so a sink never
 * sees part of a broken aggregate. Nothing is copied: the sink gets views into the input array, and
 * the keys of a user record only when it asks for them ({@link UserRecordKeys}).
 *
 * <p>Not thread-safe: it reuses its MD5 digest and scratch arrays between calls. Keep one per
 * thread, e.g. {@link #forCurrentThread()}.
 */
public final class Deaggregator {

    private static final ThreadLocal<Deaggregator> PER_THREAD = ThreadLocal.withInitial(Deaggregator::new);

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    private final MessageDigest md5 = KplFormat.newMd5();
    private final byte[] digest = new byte[KplFormat.DIGEST_LENGTH];

    // key tables, as offsets into the input; strings decoded lazily, once per entry
    private final KeyTable partitionKeys = new KeyTable();
    private final KeyTable explicitHashKeys = new KeyTable();

    // user records, as indices into the tables and offsets into the input
    private int recordCount;
    private int[] recordPartitionKey = new int[64];
    private int[] recordExplicitHashKey = new int[64];
    private int[] recordDataOffset = new int[64];
    private int[] recordDataLength = new int[64];

    // The keys handed to the sink, one reused instance of each kind: a new one per record would be an
    // allocation per trip on the plain path (the sink call is not inlined, so it escapes).
    private final AggregatedKeys aggregatedKeys = new AggregatedKeys();
    private final OuterKeys outerKeys = new OuterKeys();

    // the last varint read, and the reason of the first failure of the current parse
    private long varint;
    private String failure;

    /** The deaggregator of the calling thread (created on first use). */
    public static Deaggregator forCurrentThread() {
        return PER_THREAD.get();
    }

    /**
     * Passes the user records of one Kinesis record to {@code sink}, or none if it is a broken aggregate.
     *
     * @param data                 the Kinesis record's data (already base64-decoded)
     * @param offset               where it starts in {@code data}
     * @param length               its length
     * @param outerPartitionKey    the Kinesis record's partition key, given to a plain record; not null
     * @param outerExplicitHashKey the Kinesis record's explicit hash key, or {@code null} (Lambda events have none)
     * @param sink                 receives each user record; its exceptions propagate
     */
    public DeaggregationResult deaggregate(byte[] data, int offset, int length,
                                           String outerPartitionKey, String outerExplicitHashKey,
                                           UserRecordSink sink) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " in " + data.length + " bytes");
        }
        Objects.requireNonNull(outerPartitionKey, "outerPartitionKey");
        if (!KplFormat.hasMagic(data, offset, length)) {
            OuterKeys keys = outerKeys;
            keys.partitionKey = outerPartitionKey;
            keys.explicitHashKey = outerExplicitHashKey;
            try {
                sink.accept(0, keys, data, offset, length);
            } finally {
                keys.partitionKey = null; // do not keep the caller's strings alive
                keys.explicitHashKey = null;
            }
            return DeaggregationResult.PLAIN;
        }
        if (!validate(data, offset, length)) {
            return new DeaggregationResult.Broken(
                    new Rejection(RejectReason.BAD_AGGREGATE, null, "KPL aggregate " + failure));
        }
        AggregatedKeys keys = aggregatedKeys;
        keys.data = data;
        try {
            for (int i = 0; i < recordCount; i++) {
                keys.record = i;
                sink.accept(i, keys, data, recordDataOffset[i], recordDataLength[i]);
            }
        } finally {
            keys.data = null; // do not keep the caller's array alive
        }
        return new DeaggregationResult.Aggregated(recordCount);
    }

    /** {@link #deaggregate(byte[], int, int, String, String, UserRecordSink)} over a whole array. */
    public DeaggregationResult deaggregate(byte[] data, String outerPartitionKey, String outerExplicitHashKey,
                                           UserRecordSink sink) {
        return deaggregate(data, 0, data.length, outerPartitionKey, outerExplicitHashKey, sink);
    }

    /**
     * The same over the remaining bytes of a buffer (its position is not moved). A heap buffer is
     * read in place; a direct buffer is copied first.
     */
    public DeaggregationResult deaggregate(ByteBuffer data, String outerPartitionKey, String outerExplicitHashKey,
                                           UserRecordSink sink) {
        if (data.hasArray()) {
            return deaggregate(data.array(), data.arrayOffset() + data.position(), data.remaining(),
                    outerPartitionKey, outerExplicitHashKey, sink);
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return deaggregate(copy, 0, copy.length, outerPartitionKey, outerExplicitHashKey, sink);
    }

    /** Convenience off the hot path: the user records collected in a list, each with its own data copy. */
    public Deaggregated deaggregateToList(byte[] data, String outerPartitionKey, String outerExplicitHashKey) {
        List<UserRecord> records = new ArrayList<>();
        DeaggregationResult outcome = deaggregate(data, outerPartitionKey, outerExplicitHashKey,
                (sub, keys, bytes, off, len) -> records.add(new UserRecord(sub, keys.partitionKey(),
                        keys.explicitHashKey(), Arrays.copyOfRange(bytes, off, off + len))));
        return new Deaggregated(outcome, records);
    }

    // ---- validation: fills the tables and records, or sets failure and returns false ----

    private boolean validate(byte[] data, int offset, int length) {
        partitionKeys.clear();
        explicitHashKeys.clear();
        recordCount = 0;
        failure = null;
        if (length < KplFormat.FIXED_OVERHEAD) {
            return fail("of " + length + " bytes is shorter than its magic number and MD5 ("
                    + KplFormat.FIXED_OVERHEAD + " bytes)");
        }
        int start = offset + KplFormat.MAGIC_LENGTH;
        int end = offset + length - KplFormat.DIGEST_LENGTH;
        if (!digestMatches(data, start, end)) {
            return fail("MD5 does not match its protobuf bytes (corrupted or truncated)");
        }
        if (!parseAggregatedRecord(data, start, end)) {
            return false;
        }
        if (recordCount == 0) {
            return fail("holds no user record");
        }
        for (int i = 0; i < recordCount; i++) {
            if (recordPartitionKey[i] >= partitionKeys.count) {
                return fail("user record " + i + " has partition key index " + recordPartitionKey[i]
                        + " but the table holds " + partitionKeys.count + " keys");
            }
            if (recordExplicitHashKey[i] >= explicitHashKeys.count) {
                return fail("user record " + i + " has explicit hash key index " + recordExplicitHashKey[i]
                        + " but the table holds " + explicitHashKeys.count + " keys");
            }
        }
        return true;
    }

    private boolean digestMatches(byte[] data, int start, int end) {
        md5.update(data, start, end - start);
        try {
            md5.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("MD5 digest does not fit 16 bytes", e);
        }
        return Arrays.equals(digest, 0, digest.length, data, end, end + KplFormat.DIGEST_LENGTH);
    }

    private boolean parseAggregatedRecord(byte[] data, int pos, int end) {
        while (pos < end) {
            pos = readTag(data, pos, end);
            if (pos < 0) {
                return false;
            }
            int field = (int) (varint >>> 3);
            int wireType = (int) (varint & 7);
            switch (field) {
                case 1, 2, 3 -> {
                    if (wireType != WIRE_LENGTH_DELIMITED) {
                        return fail("field " + field + " has wire type " + wireType + " instead of 2");
                    }
                    pos = readLength(data, pos, end);
                    if (pos < 0) {
                        return false;
                    }
                    int fieldLength = (int) varint;
                    if (field == 1) {
                        partitionKeys.add(pos, fieldLength);
                    } else if (field == 2) {
                        explicitHashKeys.add(pos, fieldLength);
                    } else if (!parseUserRecord(data, pos, pos + fieldLength)) {
                        return false;
                    }
                    pos += fieldLength;
                }
                default -> {
                    pos = skipField(data, pos, end, wireType);
                    if (pos < 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private boolean parseUserRecord(byte[] data, int pos, int end) {
        int index = recordCount;
        long partitionKeyIndex = -1;
        long explicitHashKeyIndex = -1;
        int dataOffset = -1;
        int dataLength = 0;
        while (pos < end) {
            pos = readTag(data, pos, end);
            if (pos < 0) {
                return false;
            }
            int field = (int) (varint >>> 3);
            int wireType = (int) (varint & 7);
            if (field >= 1 && field <= 4) {
                int expected = field <= 2 ? WIRE_VARINT : WIRE_LENGTH_DELIMITED;
                if (wireType != expected) {
                    return fail("user record " + index + " field " + field + " has wire type " + wireType
                            + " instead of " + expected);
                }
            }
            switch (field) {
                case 1, 2 -> {
                    pos = readVarint(data, pos, end);
                    if (pos < 0) {
                        return false;
                    }
                    // uint64 on the wire: a value of 2^63 or more reads negative; beyond an int it is out of any table
                    if (varint < 0 || varint > Integer.MAX_VALUE) {
                        return fail("user record " + index + " has " + (field == 1 ? "partition" : "explicit hash")
                                + " key index " + Long.toUnsignedString(varint) + ", beyond any key table");
                    }
                    if (field == 1) {
                        partitionKeyIndex = varint;
                    } else {
                        explicitHashKeyIndex = varint;
                    }
                }
                case 3 -> {
                    pos = readLength(data, pos, end);
                    if (pos < 0) {
                        return false;
                    }
                    dataOffset = pos;
                    dataLength = (int) varint;
                    pos += dataLength;
                }
                default -> {
                    // field 4 (tags) is skipped like any unknown field
                    pos = skipField(data, pos, end, wireType);
                    if (pos < 0) {
                        return false;
                    }
                }
            }
        }
        if (partitionKeyIndex < 0) {
            return fail("user record " + index + " has no partition key index");
        }
        if (dataOffset < 0) {
            return fail("user record " + index + " has no data");
        }
        ensureRecordCapacity(index + 1);
        recordPartitionKey[index] = (int) partitionKeyIndex;
        recordExplicitHashKey[index] = (int) explicitHashKeyIndex;
        recordDataOffset[index] = dataOffset;
        recordDataLength[index] = dataLength;
        recordCount = index + 1;
        return true;
    }

    private int skipField(byte[] data, int pos, int end, int wireType) {
        switch (wireType) {
            case WIRE_VARINT:
                return readVarint(data, pos, end);
            case WIRE_FIXED64:
                return end - pos >= 8 ? pos + 8 : failAt("fixed64 field runs past the end");
            case WIRE_LENGTH_DELIMITED:
                pos = readLength(data, pos, end);
                return pos < 0 ? pos : pos + (int) varint;
            case WIRE_FIXED32:
                return end - pos >= 4 ? pos + 4 : failAt("fixed32 field runs past the end");
            default:
                // 3 and 4 are the deprecated groups, which KPL never writes; 6 and 7 do not exist
                return failAt("has a field of unsupported wire type " + wireType);
        }
    }

    /** Reads a field tag into {@link #varint}; returns the new position, or -1. */
    private int readTag(byte[] data, int pos, int end) {
        pos = readVarint(data, pos, end);
        if (pos < 0) {
            return pos;
        }
        if (varint < 0 || varint > 0xFFFF_FFFFL) {
            return failAt("has a field tag over 32 bits");
        }
        if ((varint >>> 3) == 0) {
            return failAt("has a field number 0");
        }
        return pos;
    }

    /** Reads a length into {@link #varint}, checking it stays within {@code end}; returns the new position, or -1. */
    private int readLength(byte[] data, int pos, int end) {
        pos = readVarint(data, pos, end);
        if (pos < 0) {
            return pos;
        }
        if (varint < 0 || varint > end - pos) {
            return failAt("has a length " + Long.toUnsignedString(varint) + " past the end of its message ("
                    + (end - pos) + " bytes left)");
        }
        return pos;
    }

    /** Reads a base-128 varint of at most 64 bits into {@link #varint}; returns the new position, or -1. */
    private int readVarint(byte[] data, int pos, int end) {
        // the varints of an aggregate are tags and indexes of one byte and lengths of two: those without the loop
        if (pos + 1 < end) {
            int b0 = data[pos];
            if (b0 >= 0) {
                varint = b0;
                return pos + 1;
            }
            int b1 = data[pos + 1];
            if (b1 >= 0) {
                varint = (b0 & 0x7F) | b1 << 7;
                return pos + 2;
            }
        }
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                return failAt("has a varint that runs past the end");
            }
            int b = data[pos++];
            if (shift == 63 && (b & 0xFF) > 1) {
                return failAt("has a varint over 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                varint = result;
                return pos;
            }
        }
        return failAt("has a varint over 64 bits");
    }

    private boolean fail(String why) {
        if (failure == null) {
            failure = why;
        }
        return false;
    }

    private int failAt(String why) {
        fail(why);
        return -1;
    }

    private void ensureRecordCapacity(int needed) {
        if (needed > recordPartitionKey.length) {
            int size = Math.max(needed, recordPartitionKey.length * 2);
            recordPartitionKey = Arrays.copyOf(recordPartitionKey, size);
            recordExplicitHashKey = Arrays.copyOf(recordExplicitHashKey, size);
            recordDataOffset = Arrays.copyOf(recordDataOffset, size);
            recordDataLength = Arrays.copyOf(recordDataLength, size);
        }
    }

    /** The keys of a plain record: the Kinesis record's own. */
    private static final class OuterKeys implements UserRecordKeys {
        String partitionKey;
        String explicitHashKey;

        @Override
        public String partitionKey() {
            return partitionKey;
        }

        @Override
        public String explicitHashKey() {
            return explicitHashKey;
        }
    }

    /** The keys of user record {@link #record} of the aggregate in {@link #data}, from the key tables. */
    private final class AggregatedKeys implements UserRecordKeys {
        byte[] data;
        int record;

        @Override
        public String partitionKey() {
            return partitionKeys.string(data, recordPartitionKey[record]);
        }

        @Override
        public String explicitHashKey() {
            int index = recordExplicitHashKey[record];
            return index < 0 ? null : explicitHashKeys.string(data, index);
        }
    }

    /** A key table: entries as offsets into the input, each decoded to a String at most once per aggregate. */
    private static final class KeyTable {
        int count;
        int[] offsets = new int[64];
        int[] lengths = new int[64];
        String[] strings = new String[64];

        void clear() {
            Arrays.fill(strings, 0, count, null);
            count = 0;
        }

        void add(int offset, int length) {
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
                strings = Arrays.copyOf(strings, count * 2);
            }
            offsets[count] = offset;
            lengths[count] = length;
            count++;
        }

        String string(byte[] data, int index) {
            String s = strings[index];
            if (s == null) {
                s = new String(data, offsets[index], lengths[index], StandardCharsets.UTF_8);
                strings[index] = s;
            }
            return s;
        }
    }
}
