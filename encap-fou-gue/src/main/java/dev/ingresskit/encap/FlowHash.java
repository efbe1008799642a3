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
     * The frozen hash. The flow's fields are packed into 64-bit lanes (IPv4: source and destination
     * address; IPv6: the four halves of the two addresses; then {@code protocol << 32 | sourcePort
     * << 16 | destinationPort}, the ports only for an unfragmented or first-fragment TCP, UDP or SCTP
     * packet); each lane is multiplied by its own odd constant, the products are XORed, and
     * MurmurHash3's 64-bit finaliser mixes the result, whose high half is the hash. The products
     * do not depend on each other, so the CPU computes them side by side: the hash sits on the
     * encapsulation path of every packet. Changing it would move every flow to another port.
     */
    static int of(byte[] a, ByteBuffer b, int p, int length, int seed) {
        long h = seedLane(seed);
        if (length < 1) {
            return finish(h);
        }
        int version = Wire.u8(a, b, p) >>> 4;
        int protocol;
        int l4;
        boolean ports;
        if (version == 4 && length >= 20) {
            int ihl = (Wire.u8(a, b, p) & 0x0f) * 4;
            protocol = Wire.u8(a, b, p + 9);
            l4 = p + ihl;
            ports = ihl >= 20 && (Wire.u16(a, b, p + 6) & 0x1fff) == 0 && ihl + 4 <= length && hasPorts(protocol);
            return ofIpv4(h, Wire.s64(a, b, p + 12), protocol, ports ? Wire.u32(a, b, l4) : 0);
        } else if (version == 6 && length >= 40) {
            h ^= ipv6Addresses(a, b, p);
            protocol = Wire.u8(a, b, p + 6);
            l4 = p + 40;
            ports = length >= 44;
        } else {
            return finish(h ^ length);
        }
        return finishWithPorts(h, protocol, ports && hasPorts(protocol) ? Wire.u32(a, b, l4) : 0);
    }

    /** The first lane: the seed's, computed once per encapsulator by callers that hash many packets. */
    static long seedLane(int seed) {
        return (seed + SEED_OFFSET) * SEED_MULTIPLIER;
    }

    /** TCP, UDP and SCTP: the protocols whose first four bytes are the ports. */
    static boolean hasPorts(int protocol) {
        return protocol == IpProtocols.TCP || protocol == IpProtocols.UDP || protocol == 132;
    }

    /**
     * The hash of an IPv4 packet from its fields: {@code addresses}, the 8 bytes at offset 12
     * (source, destination); {@code ports}, the transport header's first 4 bytes when
     * {@link #of} would read them, else 0. The encapsulator's fast path reads the fields itself.
     */
    static int ofIpv4(long seedLane, long addresses, int protocol, long ports) {
        return finishWithPorts(seedLane ^ (addresses + LANE_OFFSET) * LANE_1, protocol, ports);
    }

    private static int finishWithPorts(long h, int protocol, long ports) {
        return finish(h ^ (((long) protocol << 32 | ports) + LANE_OFFSET) * LANE_5);
    }

    /** The IPv6 source and destination addresses' lanes (apart, so that {@link #of} stays small enough to inline). */
    private static long ipv6Addresses(byte[] a, ByteBuffer b, int p) {
        return (Wire.s64(a, b, p + 8) + LANE_OFFSET) * LANE_1 ^ (Wire.s64(a, b, p + 16) + LANE_OFFSET) * LANE_2
                ^ (Wire.s64(a, b, p + 24) + LANE_OFFSET) * LANE_3 ^ (Wire.s64(a, b, p + 32) + LANE_OFFSET) * LANE_4;
    }

    // odd multipliers with well-spread bits (the first is the 64-bit golden ratio), and an offset
    // so that an all-zero lane still contributes
    private static final long SEED_OFFSET = 0x2545_f491_4f6c_dd1dL;
    private static final long SEED_MULTIPLIER = 0x9e37_79b9_7f4a_7c15L;
    private static final long LANE_OFFSET = 0x6a09_e667_f3bc_c909L;
    private static final long LANE_1 = 0xd6e8_feb8_6659_fd93L;
    private static final long LANE_2 = 0xa076_1d64_78bd_642fL;
    private static final long LANE_3 = 0xe703_7ed1_a0b4_28dbL;
    private static final long LANE_4 = 0x8ebc_6af0_9c88_c6e3L;
    private static final long LANE_5 = 0x5896_5ab8_9b3d_4a6bL;

    /** MurmurHash3's fmix64; the high half of the result. */
    private static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51_afd7_ed55_8ccdL;
        h ^= h >>> 33;
        h *= 0xc4ce_b9fe_1a85_ec53L;
        h ^= h >>> 33;
        return (int) (h >>> 32);
    }
}
