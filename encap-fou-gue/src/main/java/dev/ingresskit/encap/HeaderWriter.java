package dev.ingresskit.encap;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * State shared by the header writers: the buffer (one of {@code array}/{@code buffer}), the index
 * the header starts at, and the room there is. {@code wrap} checks the room once and clears the
 * fixed header, since headroom is assumed dirty.
 */
abstract class HeaderWriter {
    byte[] array;
    ByteBuffer buffer;
    int offset;
    int capacity;

    final void bindArray(byte[] array, int offset, int capacity, int needed) {
        Objects.requireNonNull(array, "array");
        Wire.checkRange(offset, capacity, array.length);
        bind(array, null, offset, capacity, needed);
    }

    final void bindBuffer(ByteBuffer buffer, int offset, int capacity, int needed) {
        Objects.requireNonNull(buffer, "buffer");
        Wire.checkRange(offset, capacity, buffer.limit());
        bind(null, buffer, offset, capacity, needed);
    }

    private void bind(byte[] array, ByteBuffer buffer, int offset, int capacity, int needed) {
        if (capacity < needed) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs " + needed + " bytes at offset "
                    + offset + ", there are " + capacity);
        }
        this.array = array;
        this.buffer = buffer;
        this.offset = offset;
        this.capacity = capacity;
        for (int i = 0; i + 4 <= needed; i += 4) {
            Wire.put32(array, buffer, offset + i, 0);
        }
    }

    /** Index of the header's first byte. */
    public final int offset() {
        return offset;
    }

    final void put8(int at, int value) {
        Wire.put8(array, buffer, offset + at, value);
    }

    final void put16(int at, int value) {
        Wire.put16(array, buffer, offset + at, value);
    }

    final void put32(int at, int value) {
        Wire.put32(array, buffer, offset + at, value);
    }

    final int get8(int at) {
        return Wire.u8(array, buffer, offset + at);
    }

    final int get16(int at) {
        return Wire.u16(array, buffer, offset + at);
    }

    static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", not " + value);
        }
        return value;
    }

    static byte[] bytes(java.net.InetAddress address, int length) {
        byte[] bytes = Objects.requireNonNull(address, "address").getAddress();
        if (bytes.length != length) {
            throw new IllegalArgumentException("expected an IPv" + (length == 4 ? 4 : 6) + " address, not " + address);
        }
        return bytes;
    }
}
