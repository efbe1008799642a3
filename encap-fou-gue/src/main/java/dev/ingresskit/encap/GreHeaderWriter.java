package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/** Writes a GRE header as IPVS does (RFC 2784): 4 bytes, or 8 with a checksum. Reusable, not thread-safe. */
public final class GreHeaderWriter extends HeaderWriter {
    public GreHeaderWriter wrap(byte[] array, int offset, int capacity) {
        bindArray(array, offset, capacity, GreHeader.BASE_LENGTH);
        return this;
    }

    /** Wraps absolute index {@code offset} of {@code buffer} (position ignored). */
    public GreHeaderWriter wrap(ByteBuffer buffer, int offset, int capacity) {
        bindBuffer(buffer, offset, capacity, GreHeader.BASE_LENGTH);
        return this;
    }

    /** Writes the header for payload EtherType {@code protocolType}; returns its length (4 or 8). */
    public int write(int protocolType, boolean checksum) {
        range("protocolType", protocolType, 0, 0xffff);
        if (checksum && capacity < 8) {
            throw new IllegalArgumentException("a GRE header with checksum needs 8 bytes, there are " + capacity);
        }
        put32(0, (checksum ? GreHeader.FLAG_CHECKSUM << 16 : 0) | protocolType);
        if (checksum) {
            put32(4, 0);
        }
        return checksum ? 8 : 4;
    }

    /** Computes the checksum over the header and the {@code totalLength - headerLength} payload bytes behind it. */
    public GreHeaderWriter checksum(int totalLength) {
        if ((get16(0) & GreHeader.FLAG_CHECKSUM) == 0) {
            throw new IllegalStateException("the header was written without a checksum field");
        }
        range("totalLength", totalLength, 8, capacity);
        put16(4, 0);
        put16(4, ~Wire.fold(Wire.sum(array, buffer, offset, totalLength, 0)) & 0xffff);
        return this;
    }
}
