package dev.ingresskit.encap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Read-only flyweight over an IPv4 header (RFC 791). Reusable: {@code wrap} returns {@code this}
 * and allocates nothing. Not thread-safe; use one per thread.
 *
 * <p>{@code wrap} checks the fixed header and the options the IHL declares: at least 20 bytes
 * ({@code TRUNCATED header}), version 4, IHL ≥ 5 words ({@code MALFORMED}), {@code 4*IHL} bytes
 * present ({@code TRUNCATED ihl}). The total length is reported, not enforced here: the
 * {@link PacketParser} checks it against the buffer.
 */
public final class Ipv4Header extends HeaderView {
    /** Length of an IPv4 header without options. */
    public static final int MIN_LENGTH = 20;
    private final Layer layer;

    /** A view that reports problems as {@link Layer#OUTER_IPV4}. */
    public Ipv4Header() {
        this(Layer.OUTER_IPV4);
    }

    /** A view that reports problems as {@code layer} ({@code OUTER_IPV4} or {@code INNER_IPV4}). */
    public Ipv4Header(Layer layer) {
        if (layer != Layer.OUTER_IPV4 && layer != Layer.INNER_IPV4) {
            throw new IllegalArgumentException("an IPv4 header is OUTER_IPV4 or INNER_IPV4, not " + layer);
        }
        this.layer = layer;
    }

    /** Wraps the header at {@code array[offset]}, with {@code length} bytes available. */
    public Ipv4Header wrap(byte[] array, int offset, int length) {
        bindArray(array, offset, length);
        return check();
    }

    /** Wraps the header at absolute index {@code offset} (the buffer's position is ignored). */
    public Ipv4Header wrap(ByteBuffer buffer, int offset, int length) {
        bindBuffer(buffer, offset, length);
        return check();
    }

    private Ipv4Header check() {
        if (length < MIN_LENGTH) {
            throw truncated(layer, "header", 0, MIN_LENGTH, "an IPv4 header needs 20 bytes");
        }
        if (version() != 4) {
            throw malformed(layer, "version", 0, version(), "not IPv4");
        }
        if (ihlWords() < 5) {
            throw malformed(layer, "ihl", 0, ihlWords(), "IHL below 5 words");
        }
        if (headerLength() > length) {
            throw truncated(layer, "ihl", 0, headerLength(), "the options the IHL declares run past the end");
        }
        return this;
    }

    public int version() {
        return u8(0) >>> 4;
    }

    /** Internet Header Length in 32-bit words (5..15). */
    public int ihlWords() {
        return u8(0) & 0x0f;
    }

    /** Header length in bytes: {@code 4 * ihlWords()}. */
    public int headerLength() {
        return ihlWords() * 4;
    }

    /** Differentiated Services Code Point (6 bits). */
    public int dscp() {
        return u8(1) >>> 2;
    }

    /** Explicit Congestion Notification (2 bits). */
    public int ecn() {
        return u8(1) & 3;
    }

    /** Total length in bytes: header plus payload. */
    public int totalLength() {
        return u16(2);
    }

    public int identification() {
        return u16(4);
    }

    public boolean dontFragment() {
        return (u16(6) & 0x4000) != 0;
    }

    public boolean moreFragments() {
        return (u16(6) & 0x2000) != 0;
    }

    /** Fragment offset converted to bytes (the field counts 8-byte units). */
    public int fragmentOffsetBytes() {
        return (u16(6) & 0x1fff) * 8;
    }

    public int ttl() {
        return u8(8);
    }

    public int protocol() {
        return u8(9);
    }

    public int headerChecksum() {
        return u16(10);
    }

    /** Whether the header checksum verifies over the {@link #headerLength()} bytes. */
    public boolean headerChecksumValid() {
        return Wire.fold(Wire.sum(array, buffer, offset, headerLength(), 0)) == 0xffff;
    }

    /** Source address as a big-endian int. */
    public int source() {
        return s32(12);
    }

    /** Destination address as a big-endian int. */
    public int destination() {
        return s32(16);
    }

    /** Source address as an {@link InetAddress} (allocates; for logs and tests). */
    public Inet4Address sourceAddress() {
        return address(source());
    }

    /** Destination address as an {@link InetAddress} (allocates; for logs and tests). */
    public Inet4Address destinationAddress() {
        return address(destination());
    }

    static Inet4Address address(int value) {
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an address", e);
        }
    }
}
