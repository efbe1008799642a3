package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;

/** Random valid packets and the invariant every OK parse must satisfy. */
public final class Packets {
    private Packets() {
    }

    /** A random inner IPv4 or IPv6 packet (TCP, UDP or ICMP, random options and payload), lengths consistent. */
    public static byte[] randomInner(SplittableRandom random, int version) {
        int protocol = switch (random.nextInt(3)) {
            case 0 -> IpProtocols.TCP;
            case 1 -> IpProtocols.UDP;
            default -> version == 4 ? 1 : 58;
        };
        int l4Header = protocol == IpProtocols.TCP ? 20 + 4 * random.nextInt(11) : 8;
        int payload = random.nextInt(200);
        int ipHeader = version == 4 ? 20 + 4 * random.nextInt(11) : 40;
        byte[] p = new byte[ipHeader + l4Header + payload];
        random.nextBytes(p);
        if (version == 4) {
            p[0] = (byte) (0x40 | ipHeader / 4);
            put16(p, 2, p.length);
            put16(p, 6, 0x4000);
            p[9] = (byte) protocol;
            put16(p, 10, 0);
            put16(p, 10, ~sum(p, 0, ipHeader) & 0xffff);
        } else {
            p[0] = 0x60;
            put16(p, 4, p.length - 40);
            p[6] = (byte) protocol;
        }
        if (protocol == IpProtocols.TCP) {
            p[ipHeader + 12] = (byte) ((l4Header / 4) << 4);
        } else if (protocol == IpProtocols.UDP) {
            put16(p, ipHeader + 4, l4Header + payload);
        }
        return p;
    }

    /** A random encapsulator (kind, family, options) — `kind` picks one of 7 shapes. */
    public static Encapsulator randomEncapsulator(SplittableRandom random, int kind, int outerVersion) {
        Encapsulator.Builder builder = Encapsulator.builder();
        switch (kind) {
            case 0 -> builder.gue();
            case 1 -> builder.gue().remoteChecksumOffload(true);
            case 2 -> builder.gueDirect();
            case 3 -> builder.fou(IpProtocols.IPIP).destinationPort(5555);
            case 4 -> builder.fou(IpProtocols.IPV6).destinationPort(5556);
            case 5 -> builder.gre(false);
            default -> builder.gre(true);
        }
        if (outerVersion == 4) {
            builder.addresses(ip("10.1.2.3"), ip("10.9.8.7"));
            if (kind < 5 && kind != 1) {
                builder.udpChecksum(random.nextBoolean());
            }
        } else {
            builder.addresses(ip("2001:db8::a"), ip("2001:db8:ffff::b"));
            if (kind < 5 && kind != 1 && random.nextBoolean()) {
                builder.udpChecksum(false).allowZeroUdp6Checksum(true);
            }
        }
        if (kind < 5 && random.nextBoolean()) {
            builder.sourcePort(1 + random.nextInt(65535));
        }
        builder.ttl(1 + random.nextInt(255)).trafficClass(random.nextInt(256));
        return builder.build();
    }

    public static int innerVersionFor(SplittableRandom random, int kind) {
        return kind == 3 ? 4 : kind == 4 ? 6 : random.nextBoolean() ? 4 : 6;
    }

    public static PacketParser parserForAll() {
        return PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).fou(5556, IpProtocols.IPV6).gre(true)
                .allowZeroUdp6Checksum(true).build();
    }

    /**
     * Parses with {@code parser} and with its twin without the fast path, and asserts both give the
     * same result: the fast path may only accept what the full rules accept, with the same offsets.
     */
    public static ParseStatus parseBothWays(PacketParser parser, byte[] packet, int offset, int length, ParsedPacket out) {
        ParsedPacket full = new ParsedPacket();
        ParseStatus slow = parser.withoutFastPath().parse(packet, offset, length, full);
        ParseStatus status = parser.parse(packet, offset, length, out);
        assertEquals(full.toString(), out.toString(), "fast path and full path disagree");
        assertEquals(slow, status);
        if (status == ParseStatus.OK) {
            assertEquals(full.innerProtocol(), out.innerProtocol());
            assertEquals(full.innerIpVersion(), out.innerIpVersion());
            assertEquals(full.innerLaterFragment(), out.innerLaterFragment());
            assertEquals(full.tunnelEnd(), out.tunnelEnd());
        }
        return status;
    }

    /** The ordering and containment every OK result promises. */
    public static void assertInvariant(ParsedPacket p, int offset, int length) {
        assertEquals(ParseStatus.OK, p.status());
        int outerL3 = p.outerL3();
        assertEquals(offset, outerL3);
        assertTrue(outerL3 < p.outerL4(), p::toString);
        assertTrue(p.outerL4() < p.tunnelEnd(), p::toString);
        assertEquals(p.tunnelEnd(), p.innerL3());
        if (!p.control()) {
            assertTrue(p.innerL3() < p.innerL4(), p::toString);
        }
        assertTrue(p.innerL4() <= p.innerEnd(), p::toString);
        assertTrue(p.innerEnd() <= p.outerEnd(), p::toString);
        assertTrue(p.outerEnd() <= offset + length, p::toString);
        assertEquals(p.innerL3() - p.outerL4(), p.tunnelHeaderLength());
        assertTrue(p.tunnelHeaderLength() > 0);
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static void put16(byte[] p, int at, int value) {
        p[at] = (byte) (value >>> 8);
        p[at + 1] = (byte) value;
    }

    static int u16(byte[] p, int at) {
        return (p[at] & 0xff) << 8 | (p[at + 1] & 0xff);
    }

    /** Word-by-word RFC 1071 sum, folded (independent of the code under test). */
    static int sum(byte[] p, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += (p[from + i] & 0xff) << 8 | (i + 1 < length ? p[from + i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Recomputes the IPv4 header checksum at {@code at} after a test edited the header. */
    static void fixIpv4Checksum(byte[] p, int at) {
        put16(p, at + 10, 0);
        put16(p, at + 10, ~sum(p, at, (p[at] & 0x0f) * 4) & 0xffff);
    }
}
