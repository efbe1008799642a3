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
 * <p>Stateless and thread-safe; allocates nothing. (Not {@code FlowHash}: that name is maglev's lookup
 * hash, and a service using both modules imports both packages.)
 */
public final class TunnelSourcePort {
    /** Linux's default {@code net.ipv4.ip_local_port_range} low end. */
    public static final int DEFAULT_MIN_PORT = 32768;
    /** One past Linux's default {@code ip_local_port_range} high end (60999). */
    public static final int DEFAULT_MAX_PORT_EXCLUSIVE = 61000;

    private TunnelSourcePort() {
    }

    /**
     * Scales a 32-bit flow hash into {@code [min, maxExclusive)} the way {@code udp_flow_src_port}
     * does.
     */
    public static int fromHash(int hash, int min, int maxExclusive) {
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
    public static int flowHash(byte[] array, int offset, int length, int seed) {
        Wire.checkRange(offset, length, array.length);
        return hash(array, null, offset, length, seed);
    }

    /** As {@link #flowHash(byte[], int, int, int)}, at absolute index {@code offset} of {@code buffer}. */
    public static int flowHash(ByteBuffer buffer, int offset, int length, int seed) {
        Wire.checkRange(offset, length, buffer.limit());
        return hash(null, buffer, offset, length, seed);
    }

    /**
     * The frozen hash. The flow's fields are packed into 64-bit lanes (IPv4: the source and
     * destination address; IPv6: the four halves of the two addresses; then {@code protocol << 32 |
     * sourcePort << 16 | destinationPort}, the ports only for an unfragmented or first-fragment TCP,
     * UDP or SCTP packet). Lanes are combined in pairs by a folded multiply ({@link #mix}: the XOR of
     * the low and high halves of their 128-bit product, each lane XORed with its own key first).
     * IPv4: one folded multiply of the address lane (XOR the seed's lane) with the port lane. IPv6:
     * the two addresses' lanes pairwise, side by side, then their XOR (and the seed's) with the port
     * lane. The 32-bit hash is the XOR of the result's halves. It sits on the encapsulation path of
     * every packet, where a chain of dependent multiplies was the encoder's critical path: one
     * multiply deep for IPv4, two for IPv6. Changing it would move every flow to another port.
     */
    static int hash(byte[] a, ByteBuffer b, int p, int length, int seed) {
        long h = seedLane(seed);
        if (length < 1) {
            return fold(mix(h, LENGTH_KEY));
        }
        int version = Wire.u8(a, b, p) >>> 4;
        if (version == 4 && length >= 20) {
            int ihl = (Wire.u8(a, b, p) & 0x0f) * 4;
            int protocol = Wire.u8(a, b, p + 9);
            boolean ports = ihl >= 20 && (Wire.u16(a, b, p + 6) & 0x1fff) == 0 && ihl + 4 <= length && hasPorts(protocol);
            return ofIpv4(h, Wire.s64(a, b, p + 12), protocol, ports ? Wire.u32(a, b, p + ihl) : 0);
        }
        if (version == 6 && length >= 40) {
            int protocol = Wire.u8(a, b, p + 6);
            long ports = length >= 44 && hasPorts(protocol) ? Wire.u32(a, b, p + 40) : 0;
            return fold(mix(ipv6Addresses(a, b, p) ^ h, portLane(protocol, ports)));
        }
        return fold(mix(h, LENGTH_KEY ^ length));
    }

    /** The seed's lane, computed once per encapsulator by callers that hash many packets. */
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
     * {@link #hash} would read them, else 0. The encapsulator's fast path reads the fields itself.
     */
    static int ofIpv4(long seedLane, long addresses, int protocol, long ports) {
        return fold(mix(addresses ^ seedLane, portLane(protocol, ports)));
    }

    private static long portLane(int protocol, long ports) {
        return ((long) protocol << 32 | ports) ^ PORT_KEY;
    }

    /** The IPv6 source and destination addresses' lanes (apart, so that {@link #hash} stays small enough to inline). */
    private static long ipv6Addresses(byte[] a, ByteBuffer b, int p) {
        return mix(Wire.s64(a, b, p + 8) ^ SOURCE_HIGH_KEY, Wire.s64(a, b, p + 16) ^ SOURCE_LOW_KEY)
                ^ mix(Wire.s64(a, b, p + 24) ^ DESTINATION_HIGH_KEY, Wire.s64(a, b, p + 32) ^ DESTINATION_LOW_KEY);
    }

    /**
     * The folded multiply (as in wyhash): every bit of each input reaches the middle bits of the
     * 128-bit product, and XOR-ing its halves brings them to both ends. One input of 0 makes the
     * product 0 whatever the other holds; inputs are lanes XORed with keys (or, for IPv4's
     * addresses, with the seed's lane), so that takes one particular address pair per seed.
     */
    private static long mix(long x, long y) {
        return x * y ^ Math.multiplyHigh(x, y);
    }

    private static int fold(long h) {
        return (int) (h ^ h >>> 32);
    }

    // keys with well-spread bits, each lane XORed with its own before multiplying: the 64-bit
    // golden ratio, the fraction of sqrt 2 (SHA-512's first IV word), splitmix64's and wyhash's
    // multipliers, and the xorshift64* multiplier
    private static final long SEED_OFFSET = 0x2545_f491_4f6c_dd1dL;
    private static final long SEED_MULTIPLIER = 0x9e37_79b9_7f4a_7c15L;
    private static final long PORT_KEY = 0x6a09_e667_f3bc_c909L;
    private static final long LENGTH_KEY = 0xbf58_476d_1ce4_e5b9L;
    private static final long SOURCE_HIGH_KEY = 0xd6e8_feb8_6659_fd93L;
    private static final long SOURCE_LOW_KEY = 0xa076_1d64_78bd_642fL;
    private static final long DESTINATION_HIGH_KEY = 0xe703_7ed1_a0b4_28dbL;
    private static final long DESTINATION_LOW_KEY = 0x94d0_49bb_1331_11ebL;
}
