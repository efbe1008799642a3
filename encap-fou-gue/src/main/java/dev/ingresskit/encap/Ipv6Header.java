package dev.ingresskit.encap;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Read-only flyweight over the fixed 40-byte IPv6 header (RFC 8200). Reusable and allocation-free;
 * not thread-safe. {@code wrap} checks 40 bytes are present ({@code TRUNCATED header}) and the
 * version is 6 ({@code MALFORMED}); extension headers are walked by the {@link PacketParser}.
 */
public final class Ipv6Header extends HeaderView {
    /** Length of the fixed IPv6 header. */
    public static final int LENGTH = 40;
    private final Layer layer;

    /** A view that reports problems as {@link Layer#OUTER_IPV6}. */
    public Ipv6Header() {
        this(Layer.OUTER_IPV6);
    }

    /** A view that reports problems as {@code layer} ({@code OUTER_IPV6} or {@code INNER_IPV6}). */
    public Ipv6Header(Layer layer) {
        if (layer != Layer.OUTER_IPV6 && layer != Layer.INNER_IPV6) {
            throw new IllegalArgumentException("an IPv6 header is OUTER_IPV6 or INNER_IPV6, not " + layer);
        }
        this.layer = layer;
    }

    public Ipv6Header wrap(byte[] array, int offset, int length) {
        bindArray(array, offset, length);
        return check();
    }

    /** Wraps the header at absolute index {@code offset} (the buffer's position is ignored). */
    public Ipv6Header wrap(ByteBuffer buffer, int offset, int length) {
        bindBuffer(buffer, offset, length);
        return check();
    }

    private Ipv6Header check() {
        if (length < LENGTH) {
            throw truncated(layer, "header", 0, LENGTH, "an IPv6 header needs 40 bytes");
        }
        if (version() != 6) {
            throw malformed(layer, "version", 0, version(), "not IPv6");
        }
        return this;
    }

    public int version() {
        return u8(0) >>> 4;
    }

    public int trafficClass() {
        return (u16(0) >>> 4) & 0xff;
    }

    /** The 20-bit flow label. */
    public int flowLabel() {
        return s32(0) & 0xfffff;
    }

    /** Payload length in bytes (extension headers included, the fixed header not). */
    public int payloadLength() {
        return u16(4);
    }

    public int nextHeader() {
        return u8(6);
    }

    public int hopLimit() {
        return u8(7);
    }

    /** Source address, first 8 bytes, big-endian. */
    public long sourceHigh() {
        return s64(8);
    }

    /** Source address, last 8 bytes, big-endian. */
    public long sourceLow() {
        return s64(16);
    }

    public long destinationHigh() {
        return s64(24);
    }

    public long destinationLow() {
        return s64(32);
    }

    /** Source address (allocates; for logs and tests). */
    public Inet6Address sourceAddress() {
        return address(sourceHigh(), sourceLow());
    }

    /** Destination address (allocates; for logs and tests). */
    public Inet6Address destinationAddress() {
        return address(destinationHigh(), destinationLow());
    }

    static Inet6Address address(long high, long low) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an address", e);
        }
    }
}
