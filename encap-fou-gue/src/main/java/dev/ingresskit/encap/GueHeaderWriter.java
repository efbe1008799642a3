package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/**
 * Writes a GUE variant 0 header in place: the plain 4-byte data header, the 12-byte header with the
 * Linux REMCSUM private option, or a control header. Reusable, allocation-free, not thread-safe.
 */
public final class GueHeaderWriter extends HeaderWriter {
    /** Wraps {@code capacity} bytes at {@code array[offset]} (at least 4). */
    public GueHeaderWriter wrap(byte[] array, int offset, int capacity) {
        bindArray(array, offset, capacity, GueHeader.BASE_LENGTH);
        return this;
    }

    /** Wraps absolute index {@code offset} of {@code buffer} (position ignored). */
    public GueHeaderWriter wrap(ByteBuffer buffer, int offset, int capacity) {
        bindBuffer(buffer, offset, capacity, GueHeader.BASE_LENGTH);
        return this;
    }

    /** {@code 0 | C=0 | Hlen=0}, proto, flags 0: what Linux sends without options. Returns 4. */
    public int data(int protocol) {
        put32(0, range("protocol", protocol, 0, 255) << 16);
        return GueHeader.BASE_LENGTH;
    }

    /**
     * Hlen 2, flag P, private flags REMCSUM, then {@code csumStart} and {@code csumOffset} relative
     * to the inner packet (Linux: {@code 02 PP 00 01 80 00 00 00 SS SS OO OO}). Returns 12.
     */
    public int dataWithRemcsum(int protocol, int csumStart, int csumOffset) {
        if (capacity < 12) {
            throw new IllegalArgumentException("a GUE header with REMCSUM needs 12 bytes, there are " + capacity);
        }
        put32(0, 2 << 24 | range("protocol", protocol, 0, 255) << 16 | GueHeader.FLAG_PRIVATE);
        put32(4, (int) GueHeader.PRIVATE_FLAG_REMCSUM);
        put16(8, range("csumStart", csumStart, 0, 0xffff));
        put16(10, range("csumOffset", csumOffset, 0, 0xfffd));
        return 12;
    }

    /** A control message header (C=1) with {@code hlenWords} words of fields left zero. Returns its length. */
    public int control(int ctype, int hlenWords) {
        range("hlenWords", hlenWords, 0, 31);
        int length = GueHeader.BASE_LENGTH + 4 * hlenWords;
        if (capacity < length) {
            throw new IllegalArgumentException("the GUE header needs " + length + " bytes, there are " + capacity);
        }
        put32(0, (0x20 | hlenWords) << 24 | range("ctype", ctype, 0, 255) << 16);
        for (int i = 4; i < length; i += 4) {
            put32(i, 0);
        }
        return length;
    }
}
