package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SegmentationTest {
    private static final PacketParser PARSER = Packets.parserForAll();

    /** An inner IPv4/IPv6 TCP packet with {@code payload} bytes (values i & 0xff) and a valid checksum. */
    static byte[] innerTcp(int version, int payload, int flags, int optionWords) {
        int ip = version == 4 ? 20 : 40;
        int tcp = 20 + 4 * optionWords;
        byte[] p = new byte[ip + tcp + payload];
        if (version == 4) {
            p[0] = 0x45;
            Packets.put16(p, 2, p.length);
            Packets.put16(p, 4, 0x1000);
            Packets.put16(p, 6, 0x4000);
            p[8] = 64;
            p[9] = 6;
            p[12] = (byte) 192; p[13] = (byte) 168; p[14] = 1; p[15] = 10;
            p[16] = (byte) 192; p[17] = (byte) 168; p[18] = 1; p[19] = 20;
            Packets.fixIpv4Checksum(p, 0);
        } else {
            p[0] = 0x60;
            Packets.put16(p, 4, p.length - 40);
            p[6] = 6;
            p[7] = 64;
            p[8] = (byte) 0xfd; p[23] = 0x10;
            p[24] = (byte) 0xfd; p[39] = 0x20;
        }
        Packets.put16(p, ip, 12345);
        Packets.put16(p, ip + 2, 443);
        p[ip + 4] = 0x10;   // sequence 0x10000000
        p[ip + 12] = (byte) ((tcp / 4) << 4);
        p[ip + 13] = (byte) flags;
        Packets.put16(p, ip + 14, 65535);
        for (int i = 0; i < payload; i++) {
            p[ip + tcp + i] = (byte) i;
        }
        Packets.put16(p, ip + 16, ~tcpSum(p, 0, version) & 0xffff);
        return p;
    }

    /** Folded sum over pseudo-header + TCP segment (0xffff when the checksum verifies). */
    static int tcpSum(byte[] p, int l3, int version) {
        int ip = version == 4 ? (p[l3] & 0x0f) * 4 : 40;
        int total = version == 4 ? Packets.u16(p, l3 + 2) : 40 + Packets.u16(p, l3 + 4);
        int tcpLength = total - ip;
        long sum = version == 4 ? Packets.sum(p, l3 + 12, 8) : Packets.sum(p, l3 + 8, 32);
        sum += 6 + tcpLength + Packets.sum(p, l3 + ip, tcpLength);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    static byte[] encapsulate(Encapsulator encapsulator, byte[] inner) {
        byte[] buffer = Golden.withHeadroom(inner, encapsulator.maxOverhead());
        int start = encapsulator.encapsulate(buffer, encapsulator.maxOverhead(), inner.length);
        return java.util.Arrays.copyOfRange(buffer, start, buffer.length);
    }

    @Test
    void gueSuperPacketSplitsIntoMssSegmentsEachWithTheSameTunnelHeaderLength() {
        Encapsulator gue = Encapsulator.builder().gue().addresses(Golden.ip("10.0.0.1"), Golden.ip("10.0.0.2"))
                .udpChecksum(true).build();
        byte[] packet = encapsulate(gue, innerTcp(4, 4000, 0x80 | 0x10 | 0x08 | 0x01, 0));
        List<byte[]> segments = new ArrayList<>();
        Segmentation.Result result = Segmentation.segment(PARSER, packet, 0, packet.length, 1400,
                (index, segment, length) -> segments.add(java.util.Arrays.copyOf(segment, length)));
        assertEquals(new Segmentation.Result(3, 1400, 12, 72, 4000, 1200), result);
        assertEquals(3, segments.size());
        ParsedPacket p = new ParsedPacket();
        int[] payloads = {1400, 1400, 1200};
        for (int i = 0; i < 3; i++) {
            byte[] s = segments.get(i);
            assertEquals(72 + payloads[i], s.length);
            assertEquals(ParseStatus.OK, PARSER.parse(s, 0, s.length, p), p::toString);
            assertEquals(12, p.innerL3() - p.outerL4(), "the kernel's inner_mac_header - transport_header");
            assertEquals(s.length, p.outerIpv4().totalLength());
            assertEquals(s.length - 20, p.udp().length());
            assertEquals(s.length - 32, p.innerIpv4().totalLength());
            assertEquals(0x1000 + i, p.innerIpv4().identification());
            assertEquals(0xffff, tcpSum(s, 32, 4), "inner TCP checksum of segment " + i);
            assertEquals(0x10000000L + 1400L * i, Integer.toUnsignedLong(
                    (s[56] & 0xff) << 24 | (s[57] & 0xff) << 16 | (s[58] & 0xff) << 8 | (s[59] & 0xff)));
            int flags = s[65] & 0xff;
            assertEquals(i == 0, (flags & 0x80) != 0, "CWR only on the first");
            assertEquals(i == 2, (flags & 0x09) == 0x09, "FIN and PSH only on the last");
            assertEquals((byte) (1400 * i), s[72], "payload continues where the previous segment stopped");
        }
    }

    static LongStream seeds() {
        return Seeds.of("encapSegmentation", 120);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everySegmentOfEveryShapeKeepsTheTunnelHeaderLength(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int kind = random.nextInt(7);
        Encapsulator encapsulator = Packets.randomEncapsulator(random, kind, random.nextBoolean() ? 4 : 6);
        int innerVersion = Packets.innerVersionFor(random, kind);
        int payload = random.nextInt(6000);
        byte[] packet = encapsulate(encapsulator, innerTcp(innerVersion, payload, 0x18, random.nextInt(4)));
        int mss = 1 + random.nextInt(random.nextBoolean() ? 1500 : 100);
        ParsedPacket whole = PARSER.parseOrThrow(packet, 0, packet.length, new ParsedPacket());
        int[] total = {0};
        Segmentation.Result result = Segmentation.segment(PARSER, packet, 0, packet.length, mss, (index, segment, length) -> {
            ParsedPacket p = new ParsedPacket();
            assertEquals(ParseStatus.OK, PARSER.parse(segment, 0, length, p), p::toString);
            assertEquals(whole.tunnelHeaderLength(), p.tunnelHeaderLength());
            assertTrue(p.tunnelHeaderLength() > 0);
            if (kind != 1) {
                assertEquals(0xffff, tcpSum(segment, p.innerL3(), innerVersion), "segment " + index);
            }
            total[0] += length - (whole.innerL4() - whole.outerL3()) - ((segment[p.innerL4() + 12] & 0xf0) >>> 2);
        });
        assertEquals(payload, total[0]);
        assertEquals(payload, result.payloadLength());
        assertEquals(Math.max(1, (payload + mss - 1) / mss), result.segments());
        assertEquals(whole.tunnelHeaderLength(), result.tunnelHeaderLength());
    }

    @Test
    void refusesWhatCannotBeSegmented() {
        byte[] udp = Golden.bytes(Golden.GUE4_REMCSUM);
        assertThrows(IllegalArgumentException.class, () -> Segmentation.check(PARSER, udp, 0, udp.length, 1000));
        byte[] tcp = Golden.bytes(Golden.GUE4_NOCSUM);
        assertThrows(IllegalArgumentException.class, () -> Segmentation.check(PARSER, tcp, 0, tcp.length, 0));
        tcp[28] = 0x1f;
        assertThrows(MalformedPacketException.class, () -> Segmentation.check(PARSER, tcp, 0, tcp.length, 1000));
    }
}
