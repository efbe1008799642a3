package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/**
 * Read-only flyweight over a GRE header (RFC 2784, keys and sequence numbers RFC 2890). IPVS sends
 * the 4-byte base header, plus 4 bytes (checksum, reserved) when its tunnel has {@code --tun-csum}.
 * Reusable and allocation-free; not thread-safe.
 *
 * <p>{@code wrap} checks 4 bytes are present, version 0 and no routing (Linux {@code
 * gre_parse_header} drops both: {@code MALFORMED}), and that the optional fields the C, K and S
 * bits announce are present ({@code TRUNCATED flags}).
 */
public final class GreHeader extends HeaderView {
    public static final int BASE_LENGTH = 4;
    public static final int FLAG_CHECKSUM = 0x8000;
    public static final int FLAG_ROUTING = 0x4000;
    public static final int FLAG_KEY = 0x2000;
    public static final int FLAG_SEQUENCE = 0x1000;

    public GreHeader wrap(byte[] array, int offset, int length) {
        bindArray(array, offset, length);
        return check();
    }

    /** Wraps the header at absolute index {@code offset} (the buffer's position is ignored). */
    public GreHeader wrap(ByteBuffer buffer, int offset, int length) {
        bindBuffer(buffer, offset, length);
        return check();
    }

    private GreHeader check() {
        if (length < BASE_LENGTH) {
            throw truncated(Layer.GRE, "header", 0, BASE_LENGTH, "a GRE header needs 4 bytes");
        }
        if (version() != 0) {
            throw malformed(Layer.GRE, "version", 0, version(), "GRE version must be 0");
        }
        if ((flagsAndVersion() & FLAG_ROUTING) != 0) {
            throw malformed(Layer.GRE, "flags", 0, flagsAndVersion(), "routing present (deprecated; Linux drops it)");
        }
        if (headerLength() > length) {
            throw truncated(Layer.GRE, "flags", 0, headerLength(), "the optional fields run past the end");
        }
        return this;
    }

    /** The first 16 bits: C, R, K, S, reserved and the 3-bit version. */
    public int flagsAndVersion() {
        return u16(0);
    }

    public boolean checksumPresent() {
        return (flagsAndVersion() & FLAG_CHECKSUM) != 0;
    }

    public boolean keyPresent() {
        return (flagsAndVersion() & FLAG_KEY) != 0;
    }

    public boolean sequencePresent() {
        return (flagsAndVersion() & FLAG_SEQUENCE) != 0;
    }

    public int version() {
        return flagsAndVersion() & 7;
    }

    /** The EtherType of the payload: 0x0800 IPv4, 0x86DD IPv6. */
    public int protocolType() {
        return u16(2);
    }

    /** Header length in bytes: 4, plus 4 for each of checksum, key and sequence number present. */
    public int headerLength() {
        return lengthOf(flagsAndVersion());
    }

    static int lengthOf(int flags) {
        return BASE_LENGTH + ((flags & FLAG_CHECKSUM) != 0 ? 4 : 0) + ((flags & FLAG_KEY) != 0 ? 4 : 0)
                + ((flags & FLAG_SEQUENCE) != 0 ? 4 : 0);
    }

    /** The checksum field, or -1 when absent. */
    public int checksum() {
        return checksumPresent() ? u16(4) : -1;
    }

    /** The key (RFC 2890), or -1 when absent. */
    public long key() {
        return keyPresent() ? u32(checksumPresent() ? 8 : 4) : -1;
    }

    /** The sequence number (RFC 2890), or -1 when absent. */
    public long sequence() {
        if (!sequencePresent()) {
            return -1;
        }
        return u32(4 + (checksumPresent() ? 4 : 0) + (keyPresent() ? 4 : 0));
    }
}
