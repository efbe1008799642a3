package dev.ingresskit.encap;

import static dev.ingresskit.encap.Wire.put16;
import static dev.ingresskit.encap.Wire.put32;
import static dev.ingresskit.encap.Wire.put64;
import static dev.ingresskit.encap.Wire.put8;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encapsulates an inner IP packet in place: writes the outer IP header, the UDP header and the
 * GUE header (or UDP only for FOU and GUE variant 1, or a GRE header) into the headroom directly in
 * front of the inner packet, so nothing is copied. Immutable and thread-safe (configure one per
 * tunnel destination); {@link #encapsulate} allocates nothing.
 *
 * <p>What it writes, and why:
 * <ul>
 * <li>Every header byte, lengths and checksums included: the headroom is assumed dirty.</li>
 * <li>GUE variant 0 (as Linux and IPVS send it): {@code ver 0, C 0}, proto 4 or 41 from the inner
 *     IP version, Hlen 0 — or, with {@linkplain Builder#remoteChecksumOffload remote checksum
 *     offload} and an inner TCP/UDP packet, Hlen 2, flag P, private flag REMCSUM and
 *     {@code csum_start}/{@code csum_offset} relative to the inner packet, the inner checksum
 *     field replaced by its pseudo-header sum (what Linux's {@code CHECKSUM_PARTIAL} leaves there),
 *     and the outer UDP checksum always computed.</li>
 * <li>The UDP checksum when asked (IPv4: optional, default off as in IPVS; IPv6: mandatory unless
 *     the builder opts into RFC 6935 zero checksums). A computed 0 is sent as 0xFFFF.</li>
 * <li>The UDP source port from the inner flow ({@link TunnelSourcePort}) unless fixed; for IPv6 the flow
 *     label from the same hash (RFC 6438).</li>
 * <li>IPv4: DF set and identification 0 by default (atomic datagrams, RFC 6864); with DF off, a
 *     per-encapsulator counter.</li>
 * </ul>
 */
public final class Encapsulator {
    private final Encapsulation kind;
    private final int outerVersion;
    private final int source4;
    private final int destination4;
    private final long source6High;
    private final long source6Low;
    private final long destination6High;
    private final long destination6Low;
    private final int sourcePort;
    private final int minPort;
    private final int maxPortExclusive;
    private final int destinationPort;
    private final boolean udpChecksum;
    private final boolean remcsum;
    private final boolean greChecksum;
    private final int fouInnerVersion;
    private final int ttl;
    private final int trafficClass;
    private final boolean dontFragment;
    private final int flowLabel;
    private final int hashSeed;
    private final AtomicInteger identification = new AtomicInteger();
    /** Sum of the IPv4 header words that never change, folded to 16 bits, for a cheap per-packet checksum. */
    private final int ipv4ConstantSum;
    /** The IPv4 header's first word without the total length, and its third without the checksum. */
    private final int ipv4VersionWord;
    private final int ipv4TtlWord;
    /** Outer IP header bytes, and tunnel header bytes without and with the REMCSUM option. */
    private final int ipHeaderLength;
    private final int plainTunnelLength;
    private final int remcsumTunnelLength;
    /**
     * Which shape {@link #ipv4Fast} writes ({@code FAST_NONE}: it does not run): outer IPv4 with DF
     * (identification 0), then GUE variant 0, UDP only (FOU, GUE variant 1) without UDP checksums,
     * or GRE without a checksum; only inner IPv4 without options then fits it.
     */
    private final int fastShape;
    private static final int FAST_NONE = 0;
    private static final int FAST_GUE = 1;
    private static final int FAST_UDP = 2;
    private static final int FAST_GRE = 3;
    /**
     * The fast path's header bytes 0..7, 8..15 and 16..23 without what changes per packet (total
     * length, checksum, source port): OR-ing those in is all a packet costs.
     */
    private final long fastWord0;
    private final long fastWord1;
    private final long fastWord2;
    /** {@link TunnelSourcePort#seedLane} of the seed, computed once. */
    private final long seedLane;

    private Encapsulator(Builder b) {
        this(b, true);
    }

    private Encapsulator(Builder b, boolean fastPath) {
        this.kind = b.kind;
        this.outerVersion = b.outerVersion;
        this.source4 = b.source4;
        this.destination4 = b.destination4;
        this.source6High = b.source6High;
        this.source6Low = b.source6Low;
        this.destination6High = b.destination6High;
        this.destination6Low = b.destination6Low;
        this.sourcePort = b.sourcePort;
        this.minPort = b.minPort;
        this.maxPortExclusive = b.maxPortExclusive;
        this.destinationPort = b.destinationPort;
        this.remcsum = b.remcsum;
        this.udpChecksum = b.udpChecksum || b.remcsum;
        this.greChecksum = b.greChecksum;
        this.fouInnerVersion = b.fouInnerVersion;
        this.ttl = b.ttl;
        this.trafficClass = b.trafficClass;
        this.dontFragment = b.dontFragment;
        this.flowLabel = b.flowLabel;
        this.hashSeed = b.hashSeed;
        int protocol = kind == Encapsulation.GRE ? IpProtocols.GRE : IpProtocols.UDP;
        this.ipv4ConstantSum = Wire.fold(0x4500L + trafficClass + (dontFragment ? 0x4000 : 0) + ((long) ttl << 8) + protocol
                + (source4 >>> 16) + (source4 & 0xffff) + (destination4 >>> 16) + (destination4 & 0xffff));
        this.ipv4VersionWord = 0x4500_0000 | trafficClass << 16;
        this.ipv4TtlWord = ttl << 24 | protocol << 16;
        this.ipHeaderLength = outerHeaderLength();
        this.plainTunnelLength = tunnelHeaderLength(false);
        this.remcsumTunnelLength = tunnelHeaderLength(true);
        this.fastShape = !fastPath || outerVersion != 4 || !dontFragment || udpChecksum || greChecksum
                || fouInnerVersion == 6 ? FAST_NONE
                : switch (kind) {
                    case GUE -> FAST_GUE;
                    case FOU, GUE_DIRECT -> FAST_UDP;
                    case GRE -> FAST_GRE;
                };
        this.fastWord0 = (long) ipv4VersionWord << 32 | 0x4000;
        this.fastWord1 = (long) ipv4TtlWord << 32 | source4 & 0xffffffffL;
        // GRE: flags 0, version 0, protocol IPv4; UDP: the destination port (source port per packet)
        this.fastWord2 = (long) destination4 << 32
                | (kind == Encapsulation.GRE ? IpProtocols.ETHERTYPE_IPV4 : destinationPort & 0xffff);
        this.seedLane = TunnelSourcePort.seedLane(hashSeed);
        this.builder = b;
    }

    private final Builder builder;

    /** Whether {@link #ipv4Fast} runs for this configuration (for tests). */
    boolean usesFastPath() {
        return fastShape != FAST_NONE;
    }

    /** The same configuration without the fast path: only the general code runs (for tests). */
    Encapsulator withoutFastPath() {
        return new Encapsulator(builder, false);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Encapsulation encapsulation() {
        return kind;
    }

    /** The most headroom {@link #encapsulate} needs in front of the inner packet (outer IP + tunnel headers). */
    public int maxOverhead() {
        return ipHeaderLength + remcsumTunnelLength;
    }

    private int outerHeaderLength() {
        return outerVersion == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
    }

    private int tunnelHeaderLength(boolean withRemcsum) {
        return switch (kind) {
            case GUE -> UdpHeader.LENGTH + GueHeader.BASE_LENGTH + (remcsum && withRemcsum ? 8 : 0);
            case FOU, GUE_DIRECT -> UdpHeader.LENGTH;
            case GRE -> GreHeader.BASE_LENGTH + (greChecksum ? 4 : 0);
        };
    }

    /**
     * Writes the outer headers in front of the inner packet at {@code array[innerOffset]} and
     * returns the index where the outer packet now starts; the outer packet ends at
     * {@code innerOffset + innerLength}.
     *
     * @throws IllegalArgumentException when the range is outside the array, the headroom is smaller
     *         than needed, or the result would exceed 65535 bytes of IP length
     * @throws MalformedPacketException when the inner packet is not IPv4/IPv6 (or not the version a
     *         FOU tunnel was configured for), or its header is too short to read what REMCSUM needs
     */
    public int encapsulate(byte[] array, int innerOffset, int innerLength) {
        Objects.requireNonNull(array, "array");
        Wire.checkRange(innerOffset, innerLength, array.length);
        // the fast path right here, with the buffer and floor constant (see PacketParser.parse)
        int start = fastShape == FAST_NONE ? -1 : ipv4Fast(array, null, innerOffset, innerLength, 0);
        return start >= 0 ? start : general(array, null, innerOffset, innerLength, 0);
    }

    /** As {@link #encapsulate(byte[], int, int)}, at absolute indexes of {@code buffer} (position ignored). */
    public int encapsulate(ByteBuffer buffer, int innerOffset, int innerLength) {
        Objects.requireNonNull(buffer, "buffer");
        Wire.checkRange(innerOffset, innerLength, buffer.limit());
        int start = fastShape == FAST_NONE ? -1 : ipv4Fast(null, buffer, innerOffset, innerLength, 0);
        return start >= 0 ? start : general(null, buffer, innerOffset, innerLength, 0);
    }

    /** {@code floor}: the lowest index the headers may be written at (an adapter's view may not start at 0). */
    int encapsulate(byte[] a, ByteBuffer b, int inner, int innerLength, int floor) {
        int start = fastShape == FAST_NONE ? -1 : ipv4Fast(a, b, inner, innerLength, floor);
        return start >= 0 ? start : general(a, b, inner, innerLength, floor);
    }

    /** Every shape, every check: what runs when {@link #ipv4Fast} declines. */
    private int general(byte[] a, ByteBuffer b, int inner, int innerLength, int floor) {
        if (innerLength < 1) {
            throw new MalformedPacketException(ParseStatus.TRUNCATED, Layer.INNER_IPV4, "header", inner, 20, 0,
                    "no inner packet to encapsulate");
        }
        int innerVersion = Wire.u8(a, b, inner) >>> 4;
        if (innerVersion != 4 && innerVersion != 6) {
            throw new MalformedPacketException(ParseStatus.MALFORMED, Layer.INNER_IPV4, "version", inner, innerVersion, -1,
                    "the inner packet is neither IPv4 nor IPv6");
        }
        if (fouInnerVersion != 0 && innerVersion != fouInnerVersion) {
            throw new MalformedPacketException(ParseStatus.MALFORMED, innerVersion == 4 ? Layer.INNER_IPV4 : Layer.INNER_IPV6,
                    "version", inner, innerVersion, -1, "this FOU tunnel carries IPv" + fouInnerVersion);
        }
        // REMCSUM only for a TCP/UDP inner packet whose checksum field we can locate, as Linux uses it
        // only for CHECKSUM_PARTIAL packets; otherwise a plain GUE header
        int csumStart = remcsum ? remcsumStart(a, b, inner, innerLength, innerVersion) : -1;
        int csumOffset = -1;
        if (csumStart >= 0) {
            int protocol = innerVersion == 4 ? Wire.u8(a, b, inner + 9) : Wire.u8(a, b, inner + 6);
            csumOffset = csumStart + (protocol == IpProtocols.TCP ? 16 : 6);
            if (csumOffset + 2 > innerLength) {
                csumStart = -1;
            } else {
                int l4Length = innerLength - csumStart;
                long pseudo = Checksums.pseudoHeaderSum(a, b, innerVersion, inner, protocol, l4Length);
                put16(a, b, inner + csumOffset, Wire.fold(pseudo));
            }
        }
        int tunnelLength = csumStart >= 0 ? remcsumTunnelLength : plainTunnelLength;
        int ipLength = ipHeaderLength;
        int overhead = ipLength + tunnelLength;
        if (inner - floor < overhead) {
            throw new IllegalArgumentException("encapsulation needs " + overhead
                    + " bytes of headroom in front of the inner packet, there are " + (inner - floor));
        }
        int start = inner - overhead;
        int l4 = start + ipLength;
        int l4Length = tunnelLength + innerLength;
        int protocol = kind == Encapsulation.GRE ? IpProtocols.GRE : IpProtocols.UDP;
        int hash = kind == Encapsulation.GRE && outerVersion == 4 ? 0 : TunnelSourcePort.hash(a, b, inner, innerLength, hashSeed);
        if (outerVersion == 4) {
            int total = ipLength + l4Length;
            if (total > 0xffff) {
                throw new IllegalArgumentException("outer IPv4 total length " + total + " exceeds 65535");
            }
            int id = dontFragment ? 0 : identification.getAndIncrement() & 0xffff;
            // three 16-bit values: two folds bring the sum to 16 bits
            int sum = ipv4ConstantSum + total + id;
            sum = (sum & 0xffff) + (sum >>> 16);
            sum = (sum & 0xffff) + (sum >>> 16);
            put64(a, b, start, (long) (ipv4VersionWord | total) << 32 | (id << 16 | (dontFragment ? 0x4000 : 0)));
            put64(a, b, start + 8, (long) (ipv4TtlWord | ~sum & 0xffff) << 32 | source4 & 0xffffffffL);
            put32(a, b, start + 16, destination4);
        } else {
            if (l4Length > 0xffff) {
                throw new IllegalArgumentException("outer IPv6 payload length " + l4Length + " exceeds 65535");
            }
            int label = flowLabel >= 0 ? flowLabel : hash & 0xfffff;
            put32(a, b, start, 6 << 28 | trafficClass << 20 | label);
            put32(a, b, start + 4, l4Length << 16 | protocol << 8 | ttl);
            put64(a, b, start + 8, source6High);
            put64(a, b, start + 16, source6Low);
            put64(a, b, start + 24, destination6High);
            put64(a, b, start + 32, destination6Low);
        }
        if (kind == Encapsulation.GRE) {
            int etherType = innerVersion == 4 ? IpProtocols.ETHERTYPE_IPV4 : IpProtocols.ETHERTYPE_IPV6;
            put32(a, b, l4, (greChecksum ? GreHeader.FLAG_CHECKSUM << 16 : 0) | etherType);
            if (greChecksum) {
                put32(a, b, l4 + 4, 0);
                put16(a, b, l4 + 4, ~Wire.fold(Wire.sum(a, b, l4, l4Length, 0)) & 0xffff);
            }
            return start;
        }
        int port = sourcePort != 0 ? sourcePort : TunnelSourcePort.scale(hash, minPort, maxPortExclusive);
        put64(a, b, l4, (long) (port << 16 | destinationPort) << 32 | (long) l4Length << 16);
        if (kind == Encapsulation.GUE) {
            int proto = innerVersion == 4 ? IpProtocols.IPIP : IpProtocols.IPV6;
            if (csumStart >= 0) {
                put32(a, b, l4 + 8, 2 << 24 | proto << 16 | GueHeader.FLAG_PRIVATE);
                put32(a, b, l4 + 12, (int) GueHeader.PRIVATE_FLAG_REMCSUM);
                put32(a, b, l4 + 16, csumStart << 16 | csumOffset);
            } else {
                put32(a, b, l4 + 8, proto << 16);
            }
        }
        if (udpChecksum) {
            put16(a, b, l4 + 6, Checksums.udpChecksum(a, b, outerVersion, start, l4, l4Length));
        }
        return start;
    }

    /**
     * The shape a load balancer sends most, small enough for C2 to inline: an inner IPv4 packet
     * without options in an outer IPv4 header with DF set, then UDP without a checksum + GUE or FOU,
     * or GRE without a checksum. Every read is at a constant offset from {@code inner} and every
     * write at a constant offset from the start, so that C2 merges their bounds checks. It writes
     * exactly the bytes the general path writes (the tests compare the two) and returns the start,
     * or -1, having written nothing, for anything else (the general path then runs and reports what
     * is wrong).
     */
    private int ipv4Fast(byte[] a, ByteBuffer b, int inner, int innerLength, int floor) {
        int overhead = Ipv4Header.MIN_LENGTH + plainTunnelLength;
        int total = overhead + innerLength;
        if (innerLength < Ipv4Header.MIN_LENGTH || inner - floor < overhead || total > 0xffff) {
            return -1;
        }
        // version, IHL and the fragment field are bytes 0..7; the protocol is the low byte of 2..9
        long w0 = Wire.s64(a, b, inner);
        if ((w0 >>> 56) != 0x45) {
            return -1;
        }
        int shape = fastShape;
        int port = 0;
        if (shape != FAST_GRE) {
            port = sourcePort;
            if (port == 0) {
                int protocol = (int) Wire.s64(a, b, inner + 2) & 0xff;
                boolean ports = (w0 & 0x1fff) == 0 && innerLength >= Ipv4Header.MIN_LENGTH + 4
                        && TunnelSourcePort.hasPorts(protocol);
                long portWord = ports ? Wire.u32(a, b, inner + Ipv4Header.MIN_LENGTH) : 0;
                int hash = TunnelSourcePort.ofIpv4(seedLane, Wire.s64(a, b, inner + 12), protocol, portWord);
                port = TunnelSourcePort.scale(hash, minPort, maxPortExclusive);
            }
        }
        // DF and identification 0 leave two 16-bit values to sum: one fold
        int sum = ipv4ConstantSum + total;
        sum = (sum & 0xffff) + (sum >>> 16);
        int start = inner - overhead;
        put64(a, b, start, fastWord0 | (long) total << 32);
        put64(a, b, start + 8, fastWord1 | (long) (~sum & 0xffff) << 32);
        // bytes 16..23: the destination address, then the GRE header or the UDP ports
        put64(a, b, start + 16, fastWord2 | (long) port << 16);
        int udpLength = total - Ipv4Header.MIN_LENGTH;
        if (shape == FAST_GUE) {
            // UDP length, checksum 0, then GUE: variant 0, C 0, Hlen 0, proto 4, no flags
            put64(a, b, start + 24, (long) udpLength << 48 | IpProtocols.IPIP << 16);
        } else if (shape == FAST_UDP) {
            put32(a, b, start + 24, udpLength << 16);
        }
        return start;
    }

    /** Offset of the inner transport header when it is TCP/UDP and readable, else -1. */
    private static int remcsumStart(byte[] a, ByteBuffer b, int inner, int length, int version) {
        if (version == 4) {
            if (length < 20) {
                return -1;
            }
            int ihl = (Wire.u8(a, b, inner) & 0x0f) * 4;
            int protocol = Wire.u8(a, b, inner + 9);
            boolean laterFragment = (Wire.u16(a, b, inner + 6) & 0x1fff) != 0;
            boolean moreFragments = (Wire.u16(a, b, inner + 6) & 0x2000) != 0;
            if (ihl < 20 || ihl > length || laterFragment || moreFragments
                    || (protocol != IpProtocols.TCP && protocol != IpProtocols.UDP)) {
                return -1;
            }
            return ihl;
        }
        if (length < 40) {
            return -1;
        }
        int protocol = Wire.u8(a, b, inner + 6);
        return protocol == IpProtocols.TCP || protocol == IpProtocols.UDP ? 40 : -1;
    }

    /** Configures an {@link Encapsulator}; each setter checks its argument at once, {@link #build()} the whole. */
    public static final class Builder {
        private Encapsulation kind = Encapsulation.GUE;
        private int outerVersion;
        private int source4;
        private int destination4;
        private long source6High;
        private long source6Low;
        private long destination6High;
        private long destination6Low;
        private int sourcePort;
        private int minPort = TunnelSourcePort.DEFAULT_MIN_PORT;
        private int maxPortExclusive = TunnelSourcePort.DEFAULT_MAX_PORT_EXCLUSIVE;
        private int destinationPort = -1;
        private Boolean udpChecksumSet;
        private boolean udpChecksum;
        private boolean allowZeroUdp6Checksum;
        private boolean remcsum;
        private boolean greChecksum;
        private int fouInnerVersion;
        private int ttl = 64;
        private int trafficClass;
        private boolean dontFragment = true;
        private int flowLabel = -1;
        private int hashSeed;

        private Builder() {
        }

        /** GUE variant 0 (the default), as Linux and IPVS send it. */
        public Builder gue() {
            this.kind = Encapsulation.GUE;
            this.fouInnerVersion = 0;
            return this;
        }

        /** GUE variant 1: the inner IP packet directly after the UDP header. */
        public Builder gueDirect() {
            this.kind = Encapsulation.GUE_DIRECT;
            this.fouInnerVersion = 0;
            return this;
        }

        /**
         * FOU: the inner packet directly after UDP. The receiver decides the inner protocol by port
         * ({@code ip fou add port N ipproto 4|41}), so the encapsulator refuses inner packets of the
         * other version.
         */
        public Builder fou(int innerProtocol) {
            if (innerProtocol != IpProtocols.IPIP && innerProtocol != IpProtocols.IPV6) {
                throw new IllegalArgumentException("FOU inner protocol must be 4 (IPIP) or 41 (IPv6), not " + innerProtocol);
            }
            this.kind = Encapsulation.FOU;
            this.fouInnerVersion = innerProtocol == IpProtocols.IPIP ? 4 : 6;
            return this;
        }

        /** GRE as IPVS sends it: 4 bytes, or 8 with {@code checksum}. */
        public Builder gre(boolean checksum) {
            this.kind = Encapsulation.GRE;
            this.greChecksum = checksum;
            this.fouInnerVersion = 0;
            return this;
        }

        /** Outer IPv4 or IPv6 source and destination (both of one family). */
        public Builder addresses(InetAddress source, InetAddress destination) {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            if (source instanceof Inet4Address && destination instanceof Inet4Address) {
                byte[] s = source.getAddress();
                byte[] d = destination.getAddress();
                outerVersion = 4;
                source4 = (s[0] & 0xff) << 24 | (s[1] & 0xff) << 16 | (s[2] & 0xff) << 8 | (s[3] & 0xff);
                destination4 = (d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
            } else if (source instanceof Inet6Address && destination instanceof Inet6Address) {
                byte[] s = source.getAddress();
                byte[] d = destination.getAddress();
                outerVersion = 6;
                source6High = longAt(s, 0);
                source6Low = longAt(s, 8);
                destination6High = longAt(d, 0);
                destination6Low = longAt(d, 8);
            } else {
                throw new IllegalArgumentException("source and destination must both be IPv4 or both IPv6: "
                        + source.getHostAddress() + ", " + destination.getHostAddress());
            }
            return this;
        }

        private static long longAt(byte[] bytes, int at) {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (bytes[at + i] & 0xff);
            }
            return value;
        }

        /** UDP destination port (GUE default 6080; FOU has no default). */
        public Builder destinationPort(int port) {
            this.destinationPort = checkPort(port);
            return this;
        }

        /** A fixed UDP source port instead of one per inner flow. */
        public Builder sourcePort(int port) {
            this.sourcePort = checkPort(port);
            return this;
        }

        /** The range flow-hashed source ports fall in, {@code [min, maxExclusive)}; default Linux's 32768..60999. */
        public Builder sourcePortRange(int min, int maxExclusive) {
            TunnelSourcePort.fromHash(0, min, maxExclusive);
            this.minPort = min;
            this.maxPortExclusive = maxExclusive;
            return this;
        }

        /** Seed of the flow hash (Linux uses a random per-boot key; the default 0 is deterministic). */
        public Builder flowHashSeed(int seed) {
            this.hashSeed = seed;
            return this;
        }

        /** Whether the outer UDP checksum is computed (IPv4 default false; IPv6 default true). */
        public Builder udpChecksum(boolean compute) {
            this.udpChecksumSet = compute;
            return this;
        }

        /** Allows {@code udpChecksum(false)} over IPv6: a zero checksum, as RFC 6935 permits for tunnels. */
        public Builder allowZeroUdp6Checksum(boolean allow) {
            this.allowZeroUdp6Checksum = allow;
            return this;
        }

        /** GUE remote checksum offload (the private REMCSUM option); implies the UDP checksum. */
        public Builder remoteChecksumOffload(boolean enabled) {
            this.remcsum = enabled;
            return this;
        }

        /** Outer TTL / hop limit, 1..255 (default 64). */
        public Builder ttl(int ttl) {
            if (ttl < 1 || ttl > 255) {
                throw new IllegalArgumentException("ttl must be 1..255, not " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** Outer IPv4 TOS / IPv6 traffic class byte ({@code DSCP << 2 | ECN}), default 0. */
        public Builder trafficClass(int trafficClass) {
            if (trafficClass < 0 || trafficClass > 255) {
                throw new IllegalArgumentException("traffic class must be 0..255, not " + trafficClass);
            }
            this.trafficClass = trafficClass;
            return this;
        }

        /** Outer IPv4 DF bit (default true, identification 0; false uses a counter). */
        public Builder dontFragment(boolean dontFragment) {
            this.dontFragment = dontFragment;
            return this;
        }

        /** A fixed IPv6 flow label instead of the inner flow's hash. */
        public Builder flowLabel(int label) {
            if (label < 0 || label > 0xfffff) {
                throw new IllegalArgumentException("flow label must be 0..0xFFFFF, not " + label);
            }
            this.flowLabel = label;
            return this;
        }

        private static int checkPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, not " + port);
            }
            return port;
        }

        public Encapsulator build() {
            if (outerVersion == 0) {
                throw new IllegalStateException("set the outer addresses first: addresses(source, destination)");
            }
            if (kind == Encapsulation.GRE) {
                if (remcsum || udpChecksumSet != null || destinationPort != -1 || sourcePort != 0) {
                    throw new IllegalStateException("GRE has no UDP header: UDP ports, UDP checksum and REMCSUM do not apply");
                }
            } else {
                if (destinationPort == -1) {
                    if (kind == Encapsulation.FOU) {
                        throw new IllegalStateException("FOU has no standard port: set destinationPort(N)");
                    }
                    destinationPort = GueHeader.DEFAULT_PORT;
                }
                if (remcsum && kind != Encapsulation.GUE) {
                    throw new IllegalStateException("remote checksum offload is a GUE variant 0 option");
                }
                udpChecksum = udpChecksumSet != null ? udpChecksumSet : outerVersion == 6;
                if (outerVersion == 6 && !udpChecksum && !remcsum && !allowZeroUdp6Checksum) {
                    throw new IllegalStateException("a UDP checksum is mandatory over IPv6: keep udpChecksum(true) or opt into"
                            + " RFC 6935 zero checksums with allowZeroUdp6Checksum(true)");
                }
                if (remcsum && udpChecksumSet == Boolean.FALSE) {
                    throw new IllegalStateException("remote checksum offload needs the outer UDP checksum: drop udpChecksum(false)");
                }
            }
            return new Encapsulator(this);
        }
    }

    @Override
    public String toString() {
        return "Encapsulator[" + kind + " over IPv" + outerVersion
                + (kind == Encapsulation.GRE ? (greChecksum ? " csum" : "") : " port " + destinationPort
                        + (udpChecksum ? " udp-csum" : "") + (remcsum ? " remcsum" : ""))
                + "]";
    }
}
