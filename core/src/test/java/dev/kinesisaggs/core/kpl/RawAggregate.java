package dev.kinesisaggs.core.kpl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hand-written protobuf bytes for tests: lets a test write any structure, valid or not, and wrap
 * it with the magic and a <em>correct</em> MD5 so that the structural checks behind the MD5 are
 * what gets exercised.
 */
final class RawAggregate {

    private final ByteArrayOutputStream protobuf = new ByteArrayOutputStream();

    RawAggregate varint(long value) {
        while ((value & ~0x7FL) != 0) {
            protobuf.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        protobuf.write((int) value);
        return this;
    }

    RawAggregate tag(int field, int wireType) {
        return varint(((long) field << 3) | wireType);
    }

    RawAggregate bytes(byte[] bytes) {
        protobuf.writeBytes(bytes);
        return this;
    }

    RawAggregate lengthDelimited(int field, byte[] content) {
        return tag(field, 2).varint(content.length).bytes(content);
    }

    RawAggregate partitionKey(String key) {
        return lengthDelimited(1, key.getBytes(StandardCharsets.UTF_8));
    }

    RawAggregate explicitHashKey(String key) {
        return lengthDelimited(2, key.getBytes(StandardCharsets.UTF_8));
    }

    RawAggregate record(RawAggregate record) {
        return lengthDelimited(3, record.protobufBytes());
    }

    static RawAggregate userRecord(long partitionKeyIndex, String data) {
        return new RawAggregate().tag(1, 0).varint(partitionKeyIndex)
                .lengthDelimited(3, data.getBytes(StandardCharsets.UTF_8));
    }

    byte[] protobufBytes() {
        return protobuf.toByteArray();
    }

    /** Magic + these protobuf bytes + their MD5. */
    byte[] withMagicAndMd5() {
        return wrap(protobufBytes());
    }

    static byte[] wrap(byte[] protobufBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(KplFormat.magic());
        out.writeBytes(protobufBytes);
        out.writeBytes(md5(protobufBytes));
        return out.toByteArray();
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
