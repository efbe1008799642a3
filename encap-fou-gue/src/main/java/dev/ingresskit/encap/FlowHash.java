package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/**
 * Spreads flows over UDP source ports, as Linux's {@code udp_flow_src_port()}
 * ({@code include/net/udp.h}) does for FOU, GUE and IPVS tunnels: the inner flow's hash is mixed
 * ({@code hash ^= hash << 16}, so the high half matters) and scaled into {@code [min, max)} with
 * {@code ((hash * (max - min)) >> 32) + min}. Linux's default range is the local port range
 * {@code 32768..60999}; its hash is the skb flow hash (SipHash with a per-boot random key), which
 * user space cannot reproduce, so this class hashes the inner 5-tuple with its own frozen function
 * (documented at {@link #hash}) and an optional seed. The same flow always gets the same port;
 * different flows spread evenly, so receivers' RSS/ECMP see the inner flows.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class FlowHash {
    /** Linux's default {@code net.ipv4.ip_local_port_range} low end. */
    public static final int DEFAULT_MIN_PORT = 32768;
    /** One past Linux's default {@code ip_local_port_range} high end (60999). */
    public static final int DEFAULT_MAX_PORT_EXCLUSIVE = 61000;

    private FlowHash() {
    }

    /**
     * Scales a 32-bit flow hash into {@code [min, maxExclusive)} the way {@code udp_flow_src_port}
     * does.
     */
    public static int sourcePort(int hash, int min, int maxExclusive) {
        if (min < 1 || maxExclusive > 65536 || min >= maxExclusive) {
            throw new IllegalArgumentException("port range must satisfy 1 <= min < maxExclusive <= 65536, not ["
                    + min + ", " + maxExclusive + ")");
        }
        return scale(hash, min, maxExclusive);
    }

    static int scale(int hash, int min, int maxExclusive) {
        hash ^= hash << 16;
        return (int) (((hash & 0xffffffffL) * (maxExclusive - min)) >>> 32) + min;
    }

    /**
     * The flow hash of the IP packet at {@code array[offset]}: addresses, protocol and, for an
     * unfragmented or first-fragment TCP/UDP/SCTP packet, the ports. Never throws on short or odd
     * input: whatever is not present is left out of the hash.
     */
    public static int ofPacket(byte[] array, int offset, int length, int seed) {
        Wire.checkRange(offset, length, array.length);
        return of(array, null, offset, length, seed);
    }

    /** As {@link #ofPacket(byte[], int, int, int)}, at absolute index {@code offset} of {@code buffer}. */
    public static int ofPacket(ByteBuffer buffer, int offset, int length, int seed) {
        Wire.checkRange(offset, length, buffer.limit());
        return of(null, buffer, offset, length, seed);
    }

    /**
     * The frozen hash: a MurmurHash3-style mix of 32-bit words (the seed, then source and
     * destination address words, then {@code protocol}, then {@code sourcePort << 16 | destinationPort}),
     * finished with MurmurHash3's fmix32. Changing it would move every flow to another port.
     */
    static int of(byte[] a, ByteBuffer b, int p, int length, int seed) {
        int h = seed;
        if (length < 1) {
            return fmix(h);
        }
        int version = Wire.u8(a, b, p) >>> 4;
        int protocol;
        int l4;
        boolean ports;
        if (version == 4 && length >= 20) {
            int ihl = (Wire.u8(a, b, p) & 0x0f) * 4;
            h = mix(h, Wire.s32(a, b, p + 12));
            h = mix(h, Wire.s32(a, b, p + 16));
            protocol = Wire.u8(a, b, p + 9);
            l4 = p + ihl;
            ports = ihl >= 20 && (Wire.u16(a, b, p + 6) & 0x1fff) == 0 && ihl + 4 <= length;
        } else if (version == 6 && length >= 40) {
            for (int i = 8; i < 40; i += 4) {
                h = mix(h, Wire.s32(a, b, p + i));
            }
            protocol = Wire.u8(a, b, p + 6);
            l4 = p + 40;
            ports = length >= 44;
        } else {
            return fmix(h ^ length);
        }
        h = mix(h, protocol);
        if (ports && (protocol == IpProtocols.TCP || protocol == IpProtocols.UDP || protocol == 132)) {
            h = mix(h, Wire.s32(a, b, l4));
        }
        return fmix(h);
    }

    private static int mix(int h, int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
