package dev.ingresskit.encap;

import static dev.ingresskit.encap.Golden.bytes;
import static dev.ingresskit.encap.Golden.hex;
import static dev.ingresskit.encap.Golden.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Decodes the golden packets of {@link Golden} and re-encodes them byte for byte. */
class GoldenPacketTest {
    private final PacketParser parser = PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).gre(true)
            .allowZeroUdp6Checksum(false).build();
    private final ParsedPacket out = new ParsedPacket();

    @Test
    void linuxRemcsumHeaderDecodes() {
        // Linux 6.1 GUE header with REMCSUM, captured in the VM (see ../shared/vm-notes.md)
        GueHeader gue = new GueHeader().wrap(bytes("020400018000000000140 01a".replace(" ", "")), 0, 12);
        assertEquals(0, gue.variant());
        assertFalse(gue.control());
        assertEquals(2, gue.hlenWords());
        assertEquals(12, gue.headerLength());
        assertEquals(IpProtocols.IPIP, gue.protoCtype());
        assertEquals(GueHeader.FLAG_PRIVATE, gue.flags());
        assertEquals(GueHeader.PRIVATE_FLAG_REMCSUM, gue.privateFlags());
        assertTrue(gue.remcsum());
        assertEquals(20, gue.remcsumStart(), "csum_start: after the inner IPv4 header");
        assertEquals(26, gue.remcsumOffset(), "csum_offset: the inner UDP checksum field, 20 + 6");
    }

    @Test
    void linuxPlainHeaderDecodes() {
        GueHeader gue = new GueHeader().wrap(bytes("00040000"), 0, 4);
        assertEquals(0, gue.variant());
        assertEquals(0, gue.hlenWords());
        assertEquals(4, gue.headerLength());
        assertEquals(4, gue.protoCtype());
        assertEquals(0, gue.flags());
        assertFalse(gue.privateFlagsPresent());
        assertFalse(gue.remcsum());
        assertEquals(-1, gue.remcsumStart());
    }

    @Test
    void gueIpv4WithoutChecksum() {
        byte[] packet = bytes(Golden.GUE4_NOCSUM);
        assertEquals(ParseStatus.OK, parser.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(Encapsulation.GUE, out.encapsulation());
        assertEquals(0, out.outerL3());
        assertEquals(20, out.outerL4());
        assertEquals(32, out.tunnelEnd());
        assertEquals(32, out.innerL3());
        assertEquals(52, out.innerL4());
        assertEquals(72, out.innerEnd());
        assertEquals(72, out.outerEnd());
        assertEquals(12, out.tunnelHeaderLength());
        assertEquals(4, out.innerIpVersion());
        assertEquals(IpProtocols.TCP, out.innerProtocol());
        assertEquals("10.0.0.1", out.outerIpv4().sourceAddress().getHostAddress());
        assertEquals("10.0.0.2", out.outerIpv4().destinationAddress().getHostAddress());
        assertEquals(40000, out.udp().sourcePort());
        assertEquals(6080, out.udp().destinationPort());
        assertEquals(52, out.udp().length());
        assertEquals(0, out.udp().checksum());
        assertEquals(4, out.gue().protoCtype());
        assertEquals("192.168.1.20", out.innerIpv4().destinationAddress().getHostAddress());
        assertTrue(out.innerIpv4().headerChecksumValid());

        Encapsulator encapsulator = Encapsulator.builder().gue().addresses(ip("10.0.0.1"), ip("10.0.0.2"))
                .sourcePort(40000).build();
        assertEncodes(encapsulator, Golden.INNER_IPV4_TCP, Golden.GUE4_NOCSUM);
    }

    @Test
    void gueIpv4WithChecksum() {
        byte[] packet = bytes(Golden.GUE4_CSUM);
        assertEquals(ParseStatus.OK, parser.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(0xbb08, out.udp().checksum());
        Encapsulator encapsulator = Encapsulator.builder().gue().addresses(ip("10.0.0.1"), ip("10.0.0.2"))
                .sourcePort(40000).udpChecksum(true).build();
        assertEncodes(encapsulator, Golden.INNER_IPV4_TCP, Golden.GUE4_CSUM);
    }

    @Test
    void gueIpv4WithRemcsum() {
        byte[] packet = bytes(Golden.GUE4_REMCSUM);
        assertEquals(ParseStatus.OK, parser.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(20, out.tunnelHeaderLength(), "UDP 8 + GUE 4 + private flags 4 + REMCSUM 4");
        assertEquals("020400018000000000140 01a".replace(" ", ""), hex(packet, 28, 12), "Linux's REMCSUM header");
        assertEquals(20, out.gue().remcsumStart());
        assertEquals(26, out.gue().remcsumOffset());
        assertEquals(IpProtocols.UDP, out.innerProtocol());
        assertEquals(60, out.innerL4());

        // the encoder gets the inner packet with its real checksum and must leave the pseudo-header sum
        byte[] inner = bytes(Golden.GUE4_REMCSUM.substring(80));
        byte[] real = inner.clone();
        real[26] = 0;
        real[27] = 0;
        int udpLength = 20;
        long sum = 0;
        for (int i = 20; i < 40; i += 2) {
            sum += ((real[i] & 0xff) << 8) | (real[i + 1] & 0xff);
        }
        sum += 0xc0a8 + 0x010a + 0xc0a8 + 0x0114 + 17 + udpLength;
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int check = (int) (~sum & 0xffff);
        real[26] = (byte) (check >> 8);
        real[27] = (byte) check;
        Encapsulator encapsulator = Encapsulator.builder().gue().addresses(ip("10.0.0.1"), ip("10.0.0.2"))
                .sourcePort(40000).remoteChecksumOffload(true).build();
        assertEncodes(encapsulator, Golden.hex(real, 0, real.length), Golden.GUE4_REMCSUM);
    }

    @Test
    void gueDirectOverIpv6() {
        byte[] packet = bytes(Golden.GUE6_DIRECT);
        assertEquals(ParseStatus.OK, parser.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(Encapsulation.GUE_DIRECT, out.encapsulation());
        assertEquals(6, out.outerIpVersion());
        assertEquals(40, out.outerL4());
        assertEquals(48, out.innerL3());
        assertEquals(8, out.tunnelHeaderLength());
        assertEquals(88, out.innerL4());
        assertEquals(101, out.innerEnd());
        assertEquals(6, out.innerIpVersion());
        assertEquals(1, out.gue().variant());
        assertEquals(0, out.gue().headerLength());
        assertEquals(IpProtocols.IPV6, out.gue().protoCtype());
        assertEquals(0x12345, out.outerIpv6().flowLabel());
        assertEquals("fd00:0:0:0:0:0:0:20", out.innerIpv6().destinationAddress().getHostAddress());
        Encapsulator encapsulator = Encapsulator.builder().gueDirect().addresses(ip("2001:db8::1"), ip("2001:db8::2"))
                .sourcePort(50000).flowLabel(0x12345).build();
        assertEncodes(encapsulator, Golden.INNER_IPV6_UDP, Golden.GUE6_DIRECT);
    }

    @Test
    void fouOverIpv4() {
        byte[] packet = bytes(Golden.FOU4_CSUM);
        assertEquals(ParseStatus.OK, parser.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(Encapsulation.FOU, out.encapsulation());
        assertEquals(28, out.innerL3());
        assertEquals(8, out.tunnelHeaderLength());
        assertEquals(48, out.innerL4());
        Encapsulator encapsulator = Encapsulator.builder().fou(IpProtocols.IPIP).destinationPort(5555)
                .addresses(ip("10.0.0.1"), ip("10.0.0.2")).sourcePort(40001).udpChecksum(true).build();
        assertEncodes(encapsulator, Golden.INNER_IPV4_TCP, Golden.FOU4_CSUM);
    }

    @Test
    void greWithChecksumOverIpv4() {
        byte[] packet = bytes(Golden.GRE4_CSUM);
        assertEquals(ParseStatus.OK, parser.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(Encapsulation.GRE, out.encapsulation());
        assertEquals(8, out.tunnelHeaderLength());
        assertTrue(out.gre().checksumPresent());
        assertEquals(0xfb88, out.gre().checksum());
        assertEquals(0x0800, out.gre().protocolType());
        Encapsulator encapsulator = Encapsulator.builder().gre(true).addresses(ip("10.0.0.1"), ip("10.0.0.2")).build();
        assertEncodes(encapsulator, Golden.INNER_IPV4_TCP, Golden.GRE4_CSUM);
    }

    @Test
    void greOverIpv6() {
        byte[] packet = bytes(Golden.GRE6);
        assertEquals(ParseStatus.OK, parser.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(Encapsulation.GRE, out.encapsulation());
        assertEquals(4, out.tunnelHeaderLength());
        assertFalse(out.gre().checksumPresent());
        assertEquals(0x86dd, out.gre().protocolType());
        Encapsulator encapsulator = Encapsulator.builder().gre(false).addresses(ip("2001:db8::1"), ip("2001:db8::2"))
                .flowLabel(0x12345).build();
        assertEncodes(encapsulator, Golden.INNER_IPV6_UDP, Golden.GRE6);
    }

    private static void assertEncodes(Encapsulator encapsulator, String innerHex, String expectedHex) {
        byte[] inner = bytes(innerHex);
        int headroom = 64;
        byte[] buffer = Golden.withHeadroom(inner, headroom);
        int start = encapsulator.encapsulate(buffer, headroom, inner.length);
        assertEquals(expectedHex, hex(buffer, start, buffer.length - start));
    }
}
