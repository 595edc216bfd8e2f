package dev.kinesisaggs.core.kpl;

/** Writes protobuf wire format into a pre-sized array: just what an AggregatedRecord needs. */
final class ProtobufWriter {

    private final byte[] out;
    private int position;

    ProtobufWriter(byte[] out, int position) {
        this.out = out;
        this.position = position;
    }

    int position() {
        return position;
    }

    /** Bytes a non-negative value takes as a varint. */
    static int varintLength(long value) {
        int length = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[position++] = (byte) value;
    }

    void varintField(int field, long value) {
        tag(field, 0);
        varint(value);
    }

    void bytesField(int field, byte[] bytes, int offset, int length) {
        tag(field, 2);
        varint(length);
        System.arraycopy(bytes, offset, out, position, length);
        position += length;
    }
}
