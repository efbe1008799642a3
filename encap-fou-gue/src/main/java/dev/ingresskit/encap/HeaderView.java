package dev.ingresskit.encap;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * State shared by the read-only header views: the wrapped buffer (exactly one of {@code array} and
 * {@code buffer} is non-null), the index of the header and the bytes available from there. A view
 * checks once, in {@code wrap}, that every byte its accessors read is inside the range; the
 * accessors then read fixed offsets.
 */
abstract class HeaderView {
    byte[] array;
    ByteBuffer buffer;
    int offset;
    int length;

    final void bind(byte[] array, ByteBuffer buffer, int offset, int length) {
        this.array = array;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    final void bindArray(byte[] array, int offset, int length) {
        Objects.requireNonNull(array, "array");
        Wire.checkRange(offset, length, array.length);
        bind(array, null, offset, length);
    }

    final void bindBuffer(ByteBuffer buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Wire.checkRange(offset, length, buffer.limit());
        bind(null, buffer, offset, length);
    }

    /** Index of the header's first byte in the wrapped buffer. */
    public final int offset() {
        return offset;
    }

    /** Bytes available from {@link #offset()} in the range given to {@code wrap}. */
    public final int available() {
        return length;
    }

    final int u8(int at) {
        return Wire.u8(array, buffer, offset + at);
    }

    final int u16(int at) {
        return Wire.u16(array, buffer, offset + at);
    }

    final long u32(int at) {
        return Wire.u32(array, buffer, offset + at);
    }

    final int s32(int at) {
        return Wire.s32(array, buffer, offset + at);
    }

    final long s64(int at) {
        return Wire.s64(array, buffer, offset + at);
    }

    final MalformedPacketException truncated(Layer layer, String field, int at, long needed, String reason) {
        return new MalformedPacketException(ParseStatus.TRUNCATED, layer, field, offset + at, needed, length, reason);
    }

    final MalformedPacketException malformed(Layer layer, String field, int at, long value, String reason) {
        return new MalformedPacketException(ParseStatus.MALFORMED, layer, field, offset + at, value, -1, reason);
    }
}
