package dev.ingresskit.encap;

import static dev.ingresskit.encap.Golden.bytes;
import static dev.ingresskit.encap.Golden.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The low-level writers rebuild the golden packets byte for byte, and the readers read back what they wrote. */
class HeaderWriterTest {
    @Test
    void writersRebuildGueOverIpv4WithChecksum() {
        byte[] inner = bytes(Golden.INNER_IPV4_TCP);
        byte[] p = Golden.withHeadroom(inner, 32);
        new Ipv4HeaderWriter().wrap(p, 0, p.length).totalLength(p.length).dontFragment(true).ttl(64)
                .protocol(IpProtocols.UDP).source((Inet4Address) Golden.ip("10.0.0.1"))
                .destination((Inet4Address) Golden.ip("10.0.0.2")).headerChecksum();
        UdpHeaderWriter udp = new UdpHeaderWriter().wrap(p, 20, p.length - 20).sourcePort(40000).destinationPort(6080)
                .length(p.length - 20);
        assertEquals(4, new GueHeaderWriter().wrap(p, 28, 4).data(IpProtocols.IPIP));
        udp.checksum(4, 0);
        assertEquals(Golden.GUE4_CSUM, hex(p, 0, p.length));
        udp.noChecksum();
        assertEquals(Golden.GUE4_NOCSUM, hex(p, 0, p.length));
    }

    @Test
    void writerRebuildsLinuxRemcsumHeader() {
        byte[] header = new byte[12];
        java.util.Arrays.fill(header, (byte) 0xff);
        assertEquals(12, new GueHeaderWriter().wrap(header, 0, 12).dataWithRemcsum(IpProtocols.IPIP, 20, 26));
        assertEquals("020400018000000000140 01a".replace(" ", ""), hex(header, 0, 12));
        assertThrows(IllegalArgumentException.class, () -> new GueHeaderWriter().wrap(new byte[8], 0, 8)
                .dataWithRemcsum(4, 20, 26));
    }

    @Test
    void writersRebuildGueDirectOverIpv6() {
        byte[] inner = bytes(Golden.INNER_IPV6_UDP);
        byte[] p = Golden.withHeadroom(inner, 48);
        new Ipv6HeaderWriter().wrap(p, 0, p.length).flowLabel(0x12345).payloadLength(p.length - 40)
                .nextHeader(IpProtocols.UDP).hopLimit(64).source((Inet6Address) Golden.ip("2001:db8::1"))
                .destination((Inet6Address) Golden.ip("2001:db8::2"));
        new UdpHeaderWriter().wrap(p, 40, p.length - 40).sourcePort(50000).destinationPort(6080).length(p.length - 40)
                .checksum(6, 0);
        assertEquals(Golden.GUE6_DIRECT, hex(p, 0, p.length));
    }

    @Test
    void writersRebuildGreWithChecksum() {
        byte[] inner = bytes(Golden.INNER_IPV4_TCP);
        byte[] p = Golden.withHeadroom(inner, 28);
        new Ipv4HeaderWriter().wrap(p, 0, p.length).totalLength(p.length).dontFragment(true).ttl(64)
                .protocol(IpProtocols.GRE).source(0x0a000001).destination(0x0a000002).headerChecksum();
        GreHeaderWriter gre = new GreHeaderWriter().wrap(p, 20, p.length - 20);
        assertEquals(8, gre.write(IpProtocols.ETHERTYPE_IPV4, true));
        gre.checksum(p.length - 20);
        assertEquals(Golden.GRE4_CSUM, hex(p, 0, p.length));
    }

    @Test
    void writersRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv4HeaderWriter().wrap(new byte[19], 0, 19));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4HeaderWriter().wrap(new byte[20], 0, 20).ttl(256));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6HeaderWriter().wrap(new byte[40], 0, 40).flowLabel(1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new UdpHeaderWriter().wrap(new byte[8], 0, 8).length(9));
        assertThrows(IllegalArgumentException.class, () -> new UdpHeaderWriter().wrap(new byte[28], 20, 8).checksum(4, 5));
        assertThrows(IllegalStateException.class, () -> {
            GreHeaderWriter gre = new GreHeaderWriter().wrap(new byte[8], 0, 8);
            gre.write(0x0800, false);
            gre.checksum(8);
        });
        assertThrows(IllegalArgumentException.class, () -> new GueHeaderWriter().wrap(new byte[4], 0, 4).control(0, 1));
    }

    static LongStream seeds() {
        return Seeds.of("encapWriterReadBack", 200);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void readersReadBackWhatWritersWrote(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] p = new byte[128];
        random.nextBytes(p);  // dirty headroom: the writers must clear what they do not set
        int at = random.nextInt(8);
        int tos = random.nextInt(256);
        int total = 20 + random.nextInt(100);
        int id = random.nextInt(65536);
        boolean df = random.nextBoolean();
        int ttl = random.nextInt(256);
        int protocol = random.nextInt(256);
        int source = random.nextInt();
        int destination = random.nextInt();
        new Ipv4HeaderWriter().wrap(p, at, 20).tos(tos).totalLength(total).identification(id).dontFragment(df).ttl(ttl)
                .protocol(protocol).source(source).destination(destination).headerChecksum();
        Ipv4Header v4 = new Ipv4Header().wrap(p, at, 20);
        assertEquals(tos >>> 2, v4.dscp());
        assertEquals(tos & 3, v4.ecn());
        assertEquals(total, v4.totalLength());
        assertEquals(id, v4.identification());
        assertEquals(df, v4.dontFragment());
        assertEquals(false, v4.moreFragments());
        assertEquals(0, v4.fragmentOffsetBytes());
        assertEquals(ttl, v4.ttl());
        assertEquals(protocol, v4.protocol());
        assertEquals(source, v4.source());
        assertEquals(destination, v4.destination());
        assertTrue(v4.headerChecksumValid());

        int trafficClass = random.nextInt(256);
        int label = random.nextInt(1 << 20);
        int payload = random.nextInt(65536);
        new Ipv6HeaderWriter().wrap(p, at, 40).flowLabel(label).trafficClass(trafficClass).payloadLength(payload)
                .nextHeader(protocol).hopLimit(ttl);
        Ipv6Header v6 = new Ipv6Header().wrap(p, at, 40);
        assertEquals(6, v6.version());
        assertEquals(trafficClass, v6.trafficClass());
        assertEquals(label, v6.flowLabel());
        assertEquals(payload, v6.payloadLength());
        assertEquals(protocol, v6.nextHeader());
        assertEquals(ttl, v6.hopLimit());

        int ctype = random.nextInt(256);
        int hlen = random.nextInt(8);
        int length = new GueHeaderWriter().wrap(p, at, 40).control(ctype, hlen);
        GueHeader gue = new GueHeader().wrap(p, at, length);
        assertTrue(gue.control());
        assertEquals(hlen, gue.hlenWords());
        assertEquals(length, gue.headerLength());
        assertEquals(ctype, gue.protoCtype());
        assertEquals(0, gue.flags());

        int start = random.nextInt(65536);
        int offset = random.nextInt(65534);
        new GueHeaderWriter().wrap(p, at, 12).dataWithRemcsum(protocol, start, offset);
        gue.wrap(p, at, 12);
        assertEquals(start, gue.remcsumStart());
        assertEquals(offset, gue.remcsumOffset());
        assertEquals(protocol, gue.protoCtype());

        int ether = random.nextInt(65536);
        boolean checksum = random.nextBoolean();
        new GreHeaderWriter().wrap(p, at, 8).write(ether, checksum);
        GreHeader gre = new GreHeader().wrap(p, at, 8);
        assertEquals(ether, gre.protocolType());
        assertEquals(checksum, gre.checksumPresent());
        assertEquals(checksum ? 8 : 4, gre.headerLength());
        assertEquals(checksum ? 0 : -1, gre.checksum());
    }
}
