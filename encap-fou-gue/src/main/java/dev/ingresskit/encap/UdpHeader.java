package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/**
 * Read-only flyweight over a UDP header (RFC 768). Reusable and allocation-free; not thread-safe.
 * {@code wrap} checks the 8 bytes are present; the length and checksum rules belong to the
 * {@link PacketParser}, which knows the IP header around it.
 */
public final class UdpHeader extends HeaderView {
    public static final int LENGTH = 8;

    public UdpHeader wrap(byte[] array, int offset, int length) {
        bindArray(array, offset, length);
        return check();
    }

    /** Wraps the header at absolute index {@code offset} (the buffer's position is ignored). */
    public UdpHeader wrap(ByteBuffer buffer, int offset, int length) {
        bindBuffer(buffer, offset, length);
        return check();
    }

    private UdpHeader check() {
        if (length < LENGTH) {
            throw truncated(Layer.UDP, "header", 0, LENGTH, "a UDP header needs 8 bytes");
        }
        return this;
    }

    public int sourcePort() {
        return u16(0);
    }

    public int destinationPort() {
        return u16(2);
    }

    /** UDP length in bytes: header plus payload. */
    public int length() {
        return u16(4);
    }

    /** The checksum field; 0 means "none" (allowed over IPv4, and over IPv6 only per RFC 6935). */
    public int checksum() {
        return u16(6);
    }
}
