package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/**
 * Read-only flyweight over a GUE header (draft-ietf-intarea-gue-09; Linux {@code include/net/gue.h}).
 * Reusable and allocation-free; not thread-safe.
 *
 * <pre>
 *  0                   1                   2                   3
 * |Ver|C|  Hlen   |  Proto/ctype  |        Standard flags       |P|
 * |                 Private flags (when P)                        |
 * |     REMCSUM csum_start        |      REMCSUM csum_offset      |   (private flag 0x80000000)
 * </pre>
 *
 * <p>Variant 0 is the 4-byte header plus {@code 4*hlenWords} bytes of optional fields. Variant 1
 * has no header: the UDP payload is an IPv4 or IPv6 packet, so the first two bits read 01.
 * {@code wrap} checks: a first byte exists; variant 0 or 1 (2 and 3 are reserved: {@code MALFORMED
 * variant}); for variant 0, 4 bytes and then {@code 4+4*hlenWords} bytes present ({@code TRUNCATED}).
 * The flag rules (unknown flags, flags longer than Hlen) are the {@link PacketParser}'s; the
 * accessors of optional fields return 0 / false when the header is too short to hold them.
 */
public final class GueHeader extends HeaderView {
    /** Length of the variant 0 base header. */
    public static final int BASE_LENGTH = 4;
    /** Standard flag P: a 4-byte private flags field follows (Linux {@code GUE_FLAG_PRIV}). */
    public static final int FLAG_PRIVATE = 0x0001;
    /** Private flag REMCSUM: 4 bytes of remote checksum offload follow (Linux {@code GUE_PFLAG_REMCSUM}). */
    public static final long PRIVATE_FLAG_REMCSUM = 0x8000_0000L;
    /** The IANA-assigned GUE port (Linux's default in IPVS and iproute2 examples). */
    public static final int DEFAULT_PORT = 6080;

    public GueHeader wrap(byte[] array, int offset, int length) {
        bindArray(array, offset, length);
        return check();
    }

    /** Wraps the header at absolute index {@code offset} (the buffer's position is ignored). */
    public GueHeader wrap(ByteBuffer buffer, int offset, int length) {
        bindBuffer(buffer, offset, length);
        return check();
    }

    private GueHeader check() {
        if (length < 1) {
            throw truncated(Layer.GUE, "header", 0, BASE_LENGTH, "empty UDP payload");
        }
        int variant = variant();
        if (variant > 1) {
            throw malformed(Layer.GUE, "variant", 0, variant, "GUE variants 2 and 3 are reserved");
        }
        if (variant == 0) {
            if (length < BASE_LENGTH) {
                throw truncated(Layer.GUE, "header", 0, BASE_LENGTH, "a GUE header needs 4 bytes");
            }
            if (headerLength() > length) {
                throw truncated(Layer.GUE, "hlen", 0, headerLength(), "4+4*Hlen runs past the UDP payload");
            }
        }
        return this;
    }

    /** The 2-bit variant: 0 (GUE header) or 1 (direct IP). */
    public int variant() {
        return u8(0) >>> 6;
    }

    /** The C bit: a control message (Linux drops them). Always false for variant 1. */
    public boolean control() {
        return variant() == 0 && (u8(0) & 0x20) != 0;
    }

    /** Hlen: length of the optional fields in 32-bit words (0..31); 0 for variant 1. */
    public int hlenWords() {
        return variant() == 0 ? u8(0) & 0x1f : 0;
    }

    /** Header length in bytes: {@code 4 + 4*hlenWords()} for variant 0, 0 for variant 1. */
    public int headerLength() {
        return variant() == 0 ? BASE_LENGTH + 4 * (u8(0) & 0x1f) : 0;
    }

    /**
     * The IP protocol number of the payload (data messages) or the control type (C set). For
     * variant 1 it is derived from the IP version nibble: 4 → 4 (IPIP), 6 → 41 (IPv6), else -1.
     */
    public int protoCtype() {
        if (variant() == 0) {
            return u8(1);
        }
        int version = u8(0) >>> 4;
        return version == 4 ? IpProtocols.IPIP : version == 6 ? IpProtocols.IPV6 : -1;
    }

    /** The 16 standard flag bits; 0 for variant 1. */
    public int flags() {
        return variant() == 0 ? u16(2) : 0;
    }

    /** Whether the P flag is set and the header holds the private flags word. */
    public boolean privateFlagsPresent() {
        return (flags() & FLAG_PRIVATE) != 0 && hlenWords() >= 1;
    }

    /** The private flags word, or 0 when absent. */
    public long privateFlags() {
        return privateFlagsPresent() ? u32(4) : 0;
    }

    /** Whether the REMCSUM private flag is set and the header holds its 4 bytes (Hlen ≥ 2). */
    public boolean remcsum() {
        return (privateFlags() & PRIVATE_FLAG_REMCSUM) != 0 && hlenWords() >= 2;
    }

    /** REMCSUM {@code csum_start}: where the checksum coverage starts, relative to the inner packet; -1 without REMCSUM. */
    public int remcsumStart() {
        return remcsum() ? u16(8) : -1;
    }

    /** REMCSUM {@code csum_offset}: where the checksum field is, relative to the inner packet; -1 without REMCSUM. */
    public int remcsumOffset() {
        return remcsum() ? u16(10) : -1;
    }
}
