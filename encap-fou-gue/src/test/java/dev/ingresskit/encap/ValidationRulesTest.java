package dev.ingresskit.encap;

import static dev.ingresskit.encap.Golden.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * One test per validation rule of the README, each breaking one field of a golden packet and
 * asserting the exact status, layer, field, offset and value reported.
 */
class ValidationRulesTest {
    private final PacketParser parser = PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).gre(true).build();
    private final ParsedPacket out = new ParsedPacket();

    /** GUE4_NOCSUM: outer IPv4 at 0, UDP at 20, GUE at 28, inner IPv4 at 32, inner TCP at 52, 72 bytes. */
    private static byte[] gue4() {
        return bytes(Golden.GUE4_NOCSUM);
    }

    private void expect(byte[] packet, ParseStatus status, Layer layer, String field, int offset, long value) {
        expect(parser, packet, status, layer, field, offset, value);
    }

    private void expect(PacketParser with, byte[] packet, ParseStatus status, Layer layer, String field, int offset,
            long value) {
        assertEquals(status, with.parse(packet, 0, packet.length, out), out::toString);
        assertEquals(layer, out.errorLayer(), out::toString);
        assertEquals(field, out.errorField(), out::toString);
        assertEquals(offset, out.errorOffset(), out::toString);
        assertEquals(value, out.errorValue(), out::toString);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> with.parseOrThrow(packet, 0, packet.length, new ParsedPacket()));
        assertEquals(status, e.kind());
        assertEquals(layer, e.layer());
        assertEquals(field, e.field());
        assertEquals(offset, e.offset());
        assertEquals(value, e.value());
        assertTrue(e.getMessage().contains(field + " offset=" + offset), e.getMessage());
    }

    private void outer(byte[] p, int at, int value) {
        Packets.put16(p, at, value);
        Packets.fixIpv4Checksum(p, 0);
    }

    private void inner(byte[] p, int at, int value) {
        Packets.put16(p, at, value);
        Packets.fixIpv4Checksum(p, 32);
    }

    @Test
    void emptyAndUnknownVersion() {
        expect(new byte[0], ParseStatus.TRUNCATED, Layer.OUTER_IPV4, "header", 0, 20);
        byte[] p = gue4();
        p[0] = 0x55;
        expect(p, ParseStatus.MALFORMED, Layer.OUTER_IPV4, "version", 0, 5);
    }

    @Test
    void outerIpv4Rules() {
        byte[] p = gue4();
        outer(p, 0, 0x4400);
        expect(p, ParseStatus.MALFORMED, Layer.OUTER_IPV4, "ihl", 0, 4);
        expect(java.util.Arrays.copyOf(gue4(), 19), ParseStatus.TRUNCATED, Layer.OUTER_IPV4, "header", 0, 20);
        p = java.util.Arrays.copyOf(gue4(), 30);
        p[0] = 0x48;
        expect(p, ParseStatus.TRUNCATED, Layer.OUTER_IPV4, "ihl", 0, 32);
        p = gue4();
        outer(p, 2, 10);
        expect(p, ParseStatus.MALFORMED, Layer.OUTER_IPV4, "totalLength", 2, 10);
        p = gue4();
        outer(p, 2, 100);
        expect(p, ParseStatus.TRUNCATED, Layer.OUTER_IPV4, "totalLength", 2, 100);
        assertEquals(72, out.errorAvailable());
        p = gue4();
        p[11] ^= 1;
        expect(p, ParseStatus.MALFORMED, Layer.OUTER_IPV4, "headerChecksum", 10, 0x26a2);
        p = gue4();
        outer(p, 6, 0x6000);
        expect(p, ParseStatus.UNSUPPORTED, Layer.OUTER_IPV4, "fragment", 6, 0x6000);
        p = gue4();
        outer(p, 6, 0x4001);
        expect(p, ParseStatus.UNSUPPORTED, Layer.OUTER_IPV4, "fragment", 6, 0x4001);
        p = gue4();
        outer(p, 8, 0x4006);
        expect(p, ParseStatus.UNSUPPORTED, Layer.OUTER_IPV4, "protocol", 9, 6);
    }

    @Test
    void trailingBytesAfterTheTotalLengthAreIgnored() {
        byte[] padded = java.util.Arrays.copyOf(gue4(), 90);
        assertEquals(ParseStatus.OK, parser.parse(padded, 0, padded.length, out), out::toString);
        assertEquals(72, out.outerEnd());
        assertEquals(72, out.innerEnd());
    }

    @Test
    void udpRules() {
        byte[] p = gue4();
        Packets.put16(p, 24, 7);
        expect(p, ParseStatus.MALFORMED, Layer.UDP, "length", 24, 7);
        p = gue4();
        Packets.put16(p, 24, 60);
        expect(p, ParseStatus.TRUNCATED, Layer.UDP, "length", 24, 60);
        assertEquals(52, out.errorAvailable());
        p = gue4();
        Packets.put16(p, 22, 6081);
        expect(p, ParseStatus.UNSUPPORTED, Layer.UDP, "destinationPort", 22, 6081);
        p = java.util.Arrays.copyOf(gue4(), 26);
        outer(p, 2, 26);
        expect(p, ParseStatus.TRUNCATED, Layer.UDP, "header", 20, 8);
    }

    @Test
    void udpChecksumRules() {
        byte[] p = bytes(Golden.GUE4_CSUM);
        p[27] ^= 0x10;
        expect(p, ParseStatus.MALFORMED, Layer.UDP, "checksum", 26, 0xbb18);
        PacketParser lenient = PacketParser.builder().gue(6080).verifyChecksums(false).build();
        assertEquals(ParseStatus.OK, lenient.parse(p, 0, p.length, out));

        byte[] v6 = bytes(Golden.GUE6_DIRECT);
        Packets.put16(v6, 46, 0);
        expect(v6, ParseStatus.MALFORMED, Layer.UDP, "checksum", 46, 0);
        PacketParser zeroOk = PacketParser.builder().gue(6080).allowZeroUdp6Checksum(true).build();
        assertEquals(ParseStatus.OK, zeroOk.parse(v6, 0, v6.length, out), out::toString);
    }

    @Test
    void gueVariantAndHlenRules() {
        byte[] p = gue4();
        p[28] = (byte) 0x80;
        expect(p, ParseStatus.MALFORMED, Layer.GUE, "variant", 28, 2);
        p = gue4();
        p[28] = 0x1f;
        expect(p, ParseStatus.TRUNCATED, Layer.GUE, "hlen", 28, 128);
        assertEquals(44, out.errorAvailable());
        p = gue4();
        p[28] = 0x75;   // variant 1, nibble 7
        expect(p, ParseStatus.MALFORMED, Layer.GUE, "version", 28, 7);
    }

    @Test
    void gueFlagRules() {
        byte[] p = gue4();
        Packets.put16(p, 30, 0x8000);
        expect(p, ParseStatus.MALFORMED, Layer.GUE, "flags", 30, 0x8000);
        p = gue4();
        Packets.put16(p, 30, 0x0001);
        expect(p, ParseStatus.MALFORMED, Layer.GUE, "hlen", 28, 0);
    }

    /** GUE4_REMCSUM: GUE at 28 (Hlen 2), private flags at 32, start at 36, offset at 38, inner at 40 (40 bytes). */
    @Test
    void remcsumRules() {
        byte[] p = bytes(Golden.GUE4_REMCSUM);
        PacketParser noCsum = PacketParser.builder().gue(6080).verifyChecksums(false).build();
        p[34] = 0x40;
        expect(noCsum, p, ParseStatus.MALFORMED, Layer.GUE, "privateFlags", 32, 0x80004000L);
        p = bytes(Golden.GUE4_REMCSUM);
        p[28] = 0x01;
        expect(noCsum, p, ParseStatus.MALFORMED, Layer.GUE, "hlen", 28, 1);
        p = bytes(Golden.GUE4_REMCSUM);
        Packets.put16(p, 36, 41);
        expect(noCsum, p, ParseStatus.MALFORMED, Layer.GUE, "csumStart", 36, 41);
        Packets.put16(p, 36, 40);
        Packets.put16(p, 38, 39);
        expect(noCsum, p, ParseStatus.MALFORMED, Layer.GUE, "csumOffset", 38, 39);
        Packets.put16(p, 38, 38);
        assertEquals(ParseStatus.OK, noCsum.parse(p, 0, p.length, out), "start == length and offset+2 == length fit");
    }

    @Test
    void controlMessagesAndProto() {
        byte[] p = gue4();
        p[28] = 0x20;
        expect(p, ParseStatus.UNSUPPORTED, Layer.GUE, "control", 28, 1);
        PacketParser control = PacketParser.builder().gue(6080).allowControlMessages(true).build();
        assertEquals(ParseStatus.OK, control.parse(p, 0, p.length, out), out::toString);
        assertTrue(out.control());
        assertEquals(32, out.innerL3());
        Packets.assertInvariant(out, 0, p.length);

        p = gue4();
        p[29] = 17;
        expect(p, ParseStatus.UNSUPPORTED, Layer.GUE, "proto", 29, 17);
        p = gue4();
        p[29] = 41;
        expect(p, ParseStatus.MALFORMED, Layer.INNER_IPV6, "version", 32, 4);
    }

    @Test
    void innerRules() {
        byte[] p = gue4();
        inner(p, 34, 41);
        expect(p, ParseStatus.TRUNCATED, Layer.INNER_IPV4, "totalLength", 34, 41);
        p = gue4();
        inner(p, 34, 19);
        expect(p, ParseStatus.MALFORMED, Layer.INNER_IPV4, "totalLength", 34, 19);
        p = gue4();
        p[64] = 0x40;
        expect(p, ParseStatus.MALFORMED, Layer.INNER_TCP, "dataOffset", 64, 4);
        p = gue4();
        p[64] = 0x60;
        expect(p, ParseStatus.TRUNCATED, Layer.INNER_TCP, "dataOffset", 64, 24);
        p = gue4();
        p[43] ^= 1;
        expect(p, ParseStatus.MALFORMED, Layer.INNER_IPV4, "headerChecksum", 42, 0xa52c);
        // an inner non-first fragment is fine: its transport header is not there to check
        p = gue4();
        inner(p, 38, 0x0001);
        p[64] = 0x00;
        assertEquals(ParseStatus.OK, parser.parse(p, 0, p.length, out), out::toString);
        assertTrue(out.innerLaterFragment());
    }

    @Test
    void innerUdpRules() {
        PacketParser noCsum = PacketParser.builder().gue(6080).verifyChecksums(false).build();
        byte[] p = bytes(Golden.GUE4_REMCSUM);
        Packets.put16(p, 64, 7);
        expect(noCsum, p, ParseStatus.MALFORMED, Layer.INNER_UDP, "length", 64, 7);
        Packets.put16(p, 64, 21);
        expect(noCsum, p, ParseStatus.TRUNCATED, Layer.INNER_UDP, "length", 64, 21);
    }

    /** GRE4_CSUM: GRE at 20, checksum at 24, inner at 28. */
    @Test
    void greRules() {
        PacketParser noCsum = PacketParser.builder().gre(true).verifyChecksums(false).build();
        byte[] p = bytes(Golden.GRE4_CSUM);
        p[21] = 0x01;
        expect(noCsum, p, ParseStatus.MALFORMED, Layer.GRE, "version", 20, 1);
        p = bytes(Golden.GRE4_CSUM);
        p[20] = (byte) 0xC0;
        expect(noCsum, p, ParseStatus.MALFORMED, Layer.GRE, "flags", 20, 0xC000);
        p = bytes(Golden.GRE4_CSUM);
        Packets.put16(p, 22, 0x6558);
        expect(noCsum, p, ParseStatus.UNSUPPORTED, Layer.GRE, "protocolType", 22, 0x6558);
        p = bytes(Golden.GRE4_CSUM);
        p[25] ^= 1;
        expect(p, ParseStatus.MALFORMED, Layer.GRE, "checksum", 24, 0xfb89);
        PacketParser noGre = PacketParser.builder().gue(6080).build();
        expect(noGre, bytes(Golden.GRE4_CSUM), ParseStatus.UNSUPPORTED, Layer.OUTER_IPV4, "protocol", 9, 47);
        p = java.util.Arrays.copyOf(bytes(Golden.GRE4_CSUM), 26);
        outer(p, 2, 26);
        expect(p, ParseStatus.TRUNCATED, Layer.GRE, "flags", 20, 8);
    }

    /** GUE6_DIRECT with 8-byte extension headers inserted after the fixed header. */
    private static byte[] gue6With(int... extensionTypes) {
        byte[] base = bytes(Golden.GUE6_DIRECT);
        int extra = 8 * extensionTypes.length;
        byte[] p = new byte[base.length + extra];
        System.arraycopy(base, 0, p, 0, 40);
        System.arraycopy(base, 40, p, 40 + extra, base.length - 40);
        Packets.put16(p, 4, base.length - 40 + extra);
        p[6] = (byte) extensionTypes[0];
        for (int i = 0; i < extensionTypes.length; i++) {
            p[40 + 8 * i] = (byte) (i + 1 < extensionTypes.length ? extensionTypes[i + 1] : IpProtocols.UDP);
            p[41 + 8 * i] = 0;
        }
        return p;
    }

    @Test
    void ipv6ExtensionHeaders() {
        PacketParser v6 = PacketParser.builder().gue(6080).build();
        byte[] p = gue6With(0, 60);
        assertEquals(ParseStatus.OK, v6.parse(p, 0, p.length, out), out::toString);
        assertEquals(56, out.outerL4());
        assertEquals(64, out.innerL3());
        expect(v6, gue6With(60, 0), ParseStatus.MALFORMED, Layer.OUTER_IPV6, "nextHeader", 40, 0);
        byte[] fragment = gue6With(44);
        Packets.put16(fragment, 42, 0x0001);
        expect(v6, fragment, ParseStatus.UNSUPPORTED, Layer.OUTER_IPV6, "fragment", 42, 1);
        byte[] atomic = gue6With(44);
        assertEquals(ParseStatus.OK, v6.parse(atomic, 0, atomic.length, out), "an atomic fragment (offset 0, M 0) is whole");
        byte[] longExt = gue6With(60);
        longExt[41] = (byte) 200;
        expect(v6, longExt, ParseStatus.TRUNCATED, Layer.OUTER_IPV6, "hdrExtLen", 41, 1608);
        expect(v6, gue6With(60, 60, 60, 60, 60, 60, 60, 60, 60), ParseStatus.UNSUPPORTED, Layer.OUTER_IPV6, "nextHeader",
                96, 60);
        byte[] shortPayload = bytes(Golden.GUE6_DIRECT);
        Packets.put16(shortPayload, 4, 100);
        expect(v6, shortPayload, ParseStatus.TRUNCATED, Layer.OUTER_IPV6, "payloadLength", 4, 140);
    }

    @Test
    void fouInnerMustMatchThePortProtocol() {
        PacketParser v6Port = PacketParser.builder().fou(5555, IpProtocols.IPV6).build();
        expect(v6Port, bytes(Golden.FOU4_CSUM), ParseStatus.MALFORMED, Layer.INNER_IPV6, "version", 28, 4);
    }

    @Test
    void offsetsAreIndexesIntoTheGivenBuffer() {
        byte[] packet = gue4();
        byte[] framed = new byte[packet.length + 30];
        System.arraycopy(packet, 0, framed, 14, packet.length);
        assertEquals(ParseStatus.OK, parser.parse(framed, 14, packet.length, out));
        assertEquals(14, out.outerL3());
        assertEquals(46, out.innerL3());
        ByteBuffer direct = ByteBuffer.allocateDirect(framed.length).put(framed);
        assertEquals(ParseStatus.OK, parser.parse(direct, 14, packet.length, out));
        assertEquals(46, out.innerL3());
        framed[14 + 28] = (byte) 0x80;
        assertEquals(ParseStatus.MALFORMED, parser.parse(framed, 14, packet.length, out));
        assertEquals(14 + 28, out.errorOffset());
    }

    @Test
    void callerRangeErrorsAreIllegalArguments() {
        byte[] packet = gue4();
        assertThrows(IllegalArgumentException.class, () -> parser.parse(packet, -1, 10, out));
        assertThrows(IllegalArgumentException.class, () -> parser.parse(packet, 10, packet.length, out));
        assertThrows(IllegalArgumentException.class, () -> parser.parse(packet, Integer.MAX_VALUE, Integer.MAX_VALUE, out));
        assertThrows(IllegalArgumentException.class, () -> new GueHeader().wrap(packet, 70, 4));
        assertThrows(IllegalStateException.class, () -> {
            parser.parse(new byte[0], 0, 0, out);
            out.innerL3();
        });
    }

    @Test
    void builderRejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> PacketParser.builder().gue(0));
        assertThrows(IllegalArgumentException.class, () -> PacketParser.builder().gue(6080).fou(6080, 4));
        assertThrows(IllegalArgumentException.class, () -> PacketParser.builder().fou(5555, 17));
        assertThrows(IllegalStateException.class, () -> Encapsulator.builder().gue().build());
        assertThrows(IllegalStateException.class, () -> Encapsulator.builder().gue()
                .addresses(Packets.ip("2001:db8::1"), Packets.ip("2001:db8::2")).udpChecksum(false).build());
        assertThrows(IllegalStateException.class, () -> Encapsulator.builder().fou(4)
                .addresses(Packets.ip("10.0.0.1"), Packets.ip("10.0.0.2")).build());
        assertThrows(IllegalStateException.class, () -> Encapsulator.builder().gre(false).destinationPort(1)
                .addresses(Packets.ip("10.0.0.1"), Packets.ip("10.0.0.2")).build());
        assertThrows(IllegalArgumentException.class, () -> Encapsulator.builder()
                .addresses(Packets.ip("10.0.0.1"), Packets.ip("2001:db8::2")));
    }

    @Test
    void encoderReportsHeadroomAndInnerErrors() {
        Encapsulator gue = Encapsulator.builder().gue().addresses(Packets.ip("10.0.0.1"), Packets.ip("10.0.0.2")).build();
        byte[] inner = bytes(Golden.INNER_IPV4_TCP);
        byte[] tight = Golden.withHeadroom(inner, 31);
        IllegalArgumentException headroom = assertThrows(IllegalArgumentException.class,
                () -> gue.encapsulate(tight, 31, inner.length));
        assertTrue(headroom.getMessage().contains("needs 32 bytes of headroom"), headroom.getMessage());
        byte[] junk = Golden.withHeadroom(new byte[] {0x10, 0, 0}, 40);
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> gue.encapsulate(junk, 40, 3));
        assertEquals("version", e.field());
        Encapsulator fou6 = Encapsulator.builder().fou(IpProtocols.IPV6).destinationPort(5555)
                .addresses(Packets.ip("10.0.0.1"), Packets.ip("10.0.0.2")).build();
        byte[] v4 = Golden.withHeadroom(inner, 40);
        assertThrows(MalformedPacketException.class, () -> fou6.encapsulate(v4, 40, inner.length));
    }
}
