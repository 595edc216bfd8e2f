package dev.kinesisaggs.core.kpl;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Packs user records into KPL aggregated records, as the producer sends them.
 *
 * <p>An aggregate grows until the next user record would take its data (magic + protobuf + MD5)
 * over {@code maxAggregateBytes} (default 51,200, the workshop producer's KPL
 * {@code AggregationMaxSize}), or the data plus the outer partition key over 1 MiB. Partition keys and
 * explicit hash keys are stored once per aggregate.
 *
 * <p>Routing: an aggregate is put with the first user record's partition key and, as KPL does, an
 * explicit hash key equal to that record's hash key (its own explicit hash key, or the MD5 of its
 * partition key as an unsigned 128-bit decimal), so it lands on the shard the first user record
 * would. Unlike KPL, which sends {@code "a"} as the outer partition key to save bytes, we keep the
 * real key: it costs a few bytes and makes the record readable in a Lambda event. Like KPL's Java
 * producer aggregating for a single shard, this class does not know the shard map: a caller that
 * wants every user record on its own key's shard must keep one aggregator per shard.
 *
 * <p>A user record too large to join any aggregate is sent plain if data plus partition key fit in
 * 1 MiB, and rejected otherwise. An aggregate left with one user record is sent plain by default,
 * as KPL does ({@link SingleRecordMode}). Unlike KPL, a user record whose own data starts with the
 * magic bytes is never sent plain (the consumer would read it as a broken aggregate): it goes as a
 * one-record aggregate, even if that takes it a few bytes over {@code maxAggregateBytes}.
 *
 * <p>Not thread-safe. The data arrays passed to {@link #add} are referenced, not copied, until
 * their aggregate is finished: do not modify them.
 */
public final class Aggregator {

    /** The workshop producer's KPL {@code AggregationMaxSize}. */
    public static final int DEFAULT_MAX_AGGREGATE_BYTES = 51_200;

    private static final int TAG_LENGTH = 1; // every field number we write is below 16

    private final int maxAggregateBytes;
    private final SingleRecordMode singleRecordMode;
    private final MessageDigest md5 = KplFormat.newMd5();

    // the aggregate being filled
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Integer> partitionKeyIndex = new HashMap<>();
    private final List<byte[]> partitionKeyTable = new ArrayList<>();
    private final Map<String, Integer> explicitHashKeyIndex = new HashMap<>();
    private final List<byte[]> explicitHashKeyTable = new ArrayList<>();
    private int protobufLength;

    private record Pending(String partitionKey, int partitionKeyUtf8Length, String explicitHashKey,
                           int partitionKeyIndex, int explicitHashKeyIndex, byte[] data) {
    }

    /** An aggregator of at most {@link #DEFAULT_MAX_AGGREGATE_BYTES} per aggregate, sending single records plain. */
    public Aggregator() {
        this(DEFAULT_MAX_AGGREGATE_BYTES, SingleRecordMode.PLAIN);
    }

    /**
     * @param maxAggregateBytes the largest aggregate data, magic and MD5 included; at most 1 MiB
     * @param singleRecordMode  how to send an aggregate of one user record
     */
    public Aggregator(int maxAggregateBytes, SingleRecordMode singleRecordMode) {
        if (maxAggregateBytes <= KplFormat.FIXED_OVERHEAD || maxAggregateBytes > KplFormat.MAX_KINESIS_RECORD_BYTES) {
            throw new IllegalArgumentException("maxAggregateBytes must be in " + (KplFormat.FIXED_OVERHEAD + 1)
                    + ".." + KplFormat.MAX_KINESIS_RECORD_BYTES + ", not " + maxAggregateBytes);
        }
        this.maxAggregateBytes = maxAggregateBytes;
        this.singleRecordMode = java.util.Objects.requireNonNull(singleRecordMode, "singleRecordMode");
    }

    /**
     * Adds a user record.
     *
     * @param partitionKey    1 to 256 characters
     * @param explicitHashKey a decimal integer in 0..2^128-1, or {@code null}
     * @param data            the user record's data (may be empty); referenced, not copied
     */
    public AddResult add(String partitionKey, String explicitHashKey, byte[] data) {
        String invalid = invalidKeys(partitionKey, explicitHashKey);
        if (invalid != null) {
            return new AddResult.Rejected(invalid);
        }
        if (data == null) {
            return new AddResult.Rejected("a user record needs data (an empty array is fine), not null");
        }
        byte[] partitionKeyBytes = partitionKey.getBytes(StandardCharsets.UTF_8);
        if (fitsInCurrent(partitionKey, partitionKeyBytes.length, explicitHashKey, data.length)) {
            append(partitionKey, partitionKeyBytes, explicitHashKey, data);
            return new AddResult.Accepted(List.of());
        }
        long alone = aloneLength(partitionKeyBytes.length, explicitHashKey, data.length);
        boolean aloneFitsKinesis = KplFormat.recordBytes(alone, partitionKeyBytes.length) <= KplFormat.MAX_KINESIS_RECORD_BYTES;
        boolean fitsAloneAggregated = alone <= maxAggregateBytes && aloneFitsKinesis;
        boolean fitsPlain = KplFormat.recordBytes(data.length, partitionKeyBytes.length) <= KplFormat.MAX_KINESIS_RECORD_BYTES;
        boolean looksAggregated = KplFormat.hasMagic(data, 0, data.length);
        if (!fitsAloneAggregated && (looksAggregated ? !aloneFitsKinesis : !fitsPlain)) {
            return new AddResult.Rejected("a user record of " + data.length + " bytes with a partition key of "
                    + partitionKeyBytes.length + " bytes is over the Kinesis limit of "
                    + KplFormat.MAX_KINESIS_RECORD_BYTES + " bytes: split it before sending");
        }
        List<PutRecordEntry> completed = new ArrayList<>(2);
        flush().ifPresent(completed::add);
        if (fitsAloneAggregated) {
            append(partitionKey, partitionKeyBytes, explicitHashKey, data);
        } else if (looksAggregated) {
            // sent plain, it would read as a (broken) aggregate: wrap it alone, over the configured maximum
            append(partitionKey, partitionKeyBytes, explicitHashKey, data);
            completed.add(serializePending(partitionKey, explicitHashKey));
        } else {
            completed.add(new PutRecordEntry(partitionKey, explicitHashKey, data, 1, false));
        }
        return new AddResult.Accepted(completed);
    }

    /** Finishes the aggregate being filled, if any, and starts an empty one. */
    public Optional<PutRecordEntry> flush() {
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        Pending first = pending.get(0);
        if (pending.size() == 1 && singleRecordMode == SingleRecordMode.PLAIN
                // data that starts with the magic would read as a (broken) aggregate if sent plain
                && !KplFormat.hasMagic(first.data(), 0, first.data().length)) {
            PutRecordEntry entry = new PutRecordEntry(first.partitionKey(), first.explicitHashKey(), first.data(), 1, false);
            clear();
            return Optional.of(entry);
        }
        return Optional.of(serializePending(first.partitionKey(), first.explicitHashKey()));
    }

    /** The pending user records as one aggregate, routed like the first of them; then starts an empty one. */
    private PutRecordEntry serializePending(String firstPartitionKey, String firstExplicitHashKey) {
        String hashKey = firstExplicitHashKey != null ? firstExplicitHashKey : hashKeyOf(firstPartitionKey);
        PutRecordEntry entry = new PutRecordEntry(firstPartitionKey, hashKey, serialize(), pending.size(), true);
        clear();
        return entry;
    }

    private void clear() {
        pending.clear();
        partitionKeyIndex.clear();
        partitionKeyTable.clear();
        explicitHashKeyIndex.clear();
        explicitHashKeyTable.clear();
        protobufLength = 0;
    }

    /** User records waiting in the aggregate being filled. */
    public int pendingUserRecords() {
        return pending.size();
    }

    /** The data length, magic and MD5 included, of the aggregate being filled (0 when empty). */
    public int pendingAggregateBytes() {
        return pending.isEmpty() ? 0 : KplFormat.FIXED_OVERHEAD + protobufLength;
    }

    // ---- sizes ----

    private boolean fitsInCurrent(String partitionKey, int partitionKeyLength, String explicitHashKey, int dataLength) {
        Integer pkIndex = partitionKeyIndex.get(partitionKey);
        long growth = 0;
        int pkIdx = pkIndex != null ? pkIndex : partitionKeyTable.size();
        if (pkIndex == null) {
            growth += lengthDelimitedField(partitionKeyLength);
        }
        int ehkIdx = -1;
        if (explicitHashKey != null) {
            Integer ehkIndex = explicitHashKeyIndex.get(explicitHashKey);
            ehkIdx = ehkIndex != null ? ehkIndex : explicitHashKeyTable.size();
            if (ehkIndex == null) {
                growth += lengthDelimitedField(explicitHashKey.length()); // decimal digits: ASCII
            }
        }
        growth += lengthDelimitedField(userRecordLength(pkIdx, ehkIdx, dataLength));
        long total = KplFormat.FIXED_OVERHEAD + protobufLength + growth;
        int outerKeyLength = pending.isEmpty() ? partitionKeyLength : pending.get(0).partitionKeyUtf8Length();
        return total <= maxAggregateBytes && KplFormat.recordBytes(total, outerKeyLength) <= KplFormat.MAX_KINESIS_RECORD_BYTES;
    }

    private static long aloneLength(int partitionKeyLength, String explicitHashKey, int dataLength) {
        long length = KplFormat.FIXED_OVERHEAD + lengthDelimitedField(partitionKeyLength)
                + lengthDelimitedField(userRecordLength(0, explicitHashKey == null ? -1 : 0, dataLength));
        if (explicitHashKey != null) {
            length += lengthDelimitedField(explicitHashKey.length());
        }
        return length;
    }

    private static long userRecordLength(int partitionKeyIndex, int explicitHashKeyIndex, long dataLength) {
        long length = TAG_LENGTH + ProtobufWriter.varintLength(partitionKeyIndex)
                + lengthDelimitedField(dataLength);
        if (explicitHashKeyIndex >= 0) {
            length += TAG_LENGTH + ProtobufWriter.varintLength(explicitHashKeyIndex);
        }
        return length;
    }

    private static long lengthDelimitedField(long contentLength) {
        return TAG_LENGTH + ProtobufWriter.varintLength(contentLength) + contentLength;
    }

    // ---- building ----

    private void append(String partitionKey, byte[] partitionKeyBytes, String explicitHashKey, byte[] data) {
        Integer pkIndex = partitionKeyIndex.get(partitionKey);
        if (pkIndex == null) {
            pkIndex = partitionKeyTable.size();
            partitionKeyIndex.put(partitionKey, pkIndex);
            partitionKeyTable.add(partitionKeyBytes);
            protobufLength += (int) lengthDelimitedField(partitionKeyBytes.length);
        }
        int ehkIndex = -1;
        if (explicitHashKey != null) {
            Integer known = explicitHashKeyIndex.get(explicitHashKey);
            if (known == null) {
                known = explicitHashKeyTable.size();
                explicitHashKeyIndex.put(explicitHashKey, known);
                explicitHashKeyTable.add(explicitHashKey.getBytes(StandardCharsets.US_ASCII));
                protobufLength += (int) lengthDelimitedField(explicitHashKey.length());
            }
            ehkIndex = known;
        }
        protobufLength += (int) lengthDelimitedField(userRecordLength(pkIndex, ehkIndex, data.length));
        pending.add(new Pending(partitionKey, partitionKeyBytes.length, explicitHashKey, pkIndex, ehkIndex, data));
    }

    private byte[] serialize() {
        byte[] out = new byte[KplFormat.FIXED_OVERHEAD + protobufLength];
        KplFormat.writeMagic(out, 0);
        ProtobufWriter writer = new ProtobufWriter(out, KplFormat.MAGIC_LENGTH);
        for (byte[] key : partitionKeyTable) {
            writer.bytesField(1, key, 0, key.length);
        }
        for (byte[] key : explicitHashKeyTable) {
            writer.bytesField(2, key, 0, key.length);
        }
        for (Pending record : pending) {
            writer.tag(3, 2);
            writer.varint(userRecordLength(record.partitionKeyIndex(), record.explicitHashKeyIndex(), record.data().length));
            writer.varintField(1, record.partitionKeyIndex());
            if (record.explicitHashKeyIndex() >= 0) {
                writer.varintField(2, record.explicitHashKeyIndex());
            }
            writer.bytesField(3, record.data(), 0, record.data().length);
        }
        int protobufEnd = writer.position();
        if (protobufEnd != KplFormat.MAGIC_LENGTH + protobufLength) {
            throw new IllegalStateException("aggregate size accounting is off: wrote " + (protobufEnd - KplFormat.MAGIC_LENGTH)
                    + " protobuf bytes, expected " + protobufLength);
        }
        md5.update(out, KplFormat.MAGIC_LENGTH, protobufLength);
        try {
            md5.digest(out, protobufEnd, KplFormat.DIGEST_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("MD5 digest does not fit 16 bytes", e);
        }
        return out;
    }

    private String hashKeyOf(String partitionKey) {
        return new BigInteger(1, md5.digest(partitionKey.getBytes(StandardCharsets.UTF_8))).toString();
    }

    private static String invalidKeys(String partitionKey, String explicitHashKey) {
        if (partitionKey == null || partitionKey.isEmpty() || partitionKey.length() > KplFormat.MAX_PARTITION_KEY_CHARS) {
            return "a partition key must have 1 to " + KplFormat.MAX_PARTITION_KEY_CHARS + " characters, not "
                    + (partitionKey == null ? "null" : partitionKey.length());
        }
        if (explicitHashKey != null) {
            boolean decimal = !explicitHashKey.isEmpty() && explicitHashKey.length() <= 39
                    && explicitHashKey.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!decimal || new BigInteger(explicitHashKey).compareTo(KplFormat.MAX_HASH_KEY) > 0) {
                return "an explicit hash key must be a decimal integer from 0 to 2^128-1, not \"" + explicitHashKey + "\"";
            }
        }
        return null;
    }
}
