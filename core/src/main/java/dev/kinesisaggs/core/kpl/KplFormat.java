package dev.kinesisaggs.core.kpl;

import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Constants of the KPL aggregated-record format and the Kinesis limits that bound it. */
public final class KplFormat {

    /** The first four bytes of every aggregated record. */
    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};

    /** Length of {@link #magic()}. */
    public static final int MAGIC_LENGTH = 4;

    /** Length of the MD5 trailer (over the protobuf bytes only). */
    public static final int DIGEST_LENGTH = 16;

    /** Bytes an aggregate spends outside its protobuf message: magic plus MD5. */
    public static final int FIXED_OVERHEAD = MAGIC_LENGTH + DIGEST_LENGTH;

    /** Kinesis' default maximum record size: data (before base64) plus partition key, 1 MiB. */
    public static final int MAX_KINESIS_RECORD_BYTES = 1024 * 1024;

    /** Kinesis' maximum partition key length, in characters. */
    public static final int MAX_PARTITION_KEY_CHARS = 256;

    /** The largest hash key, 2^128 - 1: explicit hash keys are decimal integers in 0..this. */
    public static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private KplFormat() {
    }

    /**
     * What a record counts against Kinesis' record limit ({@link #MAX_KINESIS_RECORD_BYTES}) and the PutRecords request
     * limit: its data (before base64) plus its partition key's UTF-8 bytes.
     */
    public static long recordBytes(long dataLength, int partitionKeyUtf8Bytes) {
        return dataLength + partitionKeyUtf8Bytes;
    }

    /** {@link #recordBytes(long, int)} of data of {@code dataLength} bytes under {@code partitionKey}. */
    public static long recordBytes(long dataLength, String partitionKey) {
        return recordBytes(dataLength, partitionKey.getBytes(StandardCharsets.UTF_8).length);
    }

    /** A fresh copy of the magic bytes. */
    public static byte[] magic() {
        return MAGIC.clone();
    }

    /** Whether {@code length} bytes of {@code data} from {@code offset} start with the magic. */
    public static boolean hasMagic(byte[] data, int offset, int length) {
        return length >= MAGIC_LENGTH
                && data[offset] == MAGIC[0]
                && data[offset + 1] == MAGIC[1]
                && data[offset + 2] == MAGIC[2]
                && data[offset + 3] == MAGIC[3];
    }

    static void writeMagic(byte[] target, int offset) {
        System.arraycopy(MAGIC, 0, target, offset, MAGIC_LENGTH);
    }

    /**
     * The hash key Kinesis derives from a partition key: the MD5 of its UTF-8 bytes read as an
     * unsigned 128-bit integer. The shard whose hash key range holds it receives the record.
     */
    public static BigInteger hashKeyOf(String partitionKey) {
        return new BigInteger(1, newMd5().digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide MD5 (MessageDigest javadoc), so this is a broken JVM
            throw new IllegalStateException("this JVM provides no MD5 MessageDigest", e);
        }
    }
}
