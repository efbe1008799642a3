package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ingresskit.testsupport.Seeds;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Encode → decode round trips for every shape, and hostile input that may only produce typed errors. */
class PacketPropertyTest {
    private static final PacketParser PARSER = Packets.parserForAll();

    static LongStream roundTripSeeds() {
        return Seeds.of("encapRoundTrip", 300);
    }

    static LongStream hostileSeeds() {
        return Seeds.of("encapHostile", 60);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("roundTripSeeds")
    void encodeThenDecodeGivesBackTheLayers(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int kind = random.nextInt(7);
        int outerVersion = random.nextBoolean() ? 4 : 6;
        Encapsulator encapsulator = Packets.randomEncapsulator(random, kind, outerVersion);
        byte[] inner = Packets.randomInner(random, Packets.innerVersionFor(random, kind));
        int headroom = encapsulator.maxOverhead() + random.nextInt(16);
        byte[] buffer = Golden.withHeadroom(inner, headroom);
        int start = encapsulator.encapsulate(buffer, headroom, inner.length);
        ParsedPacket p = new ParsedPacket();
        assertEquals(ParseStatus.OK, PARSER.parse(buffer, start, buffer.length - start, p), p::toString);
        Packets.assertInvariant(p, start, buffer.length - start);
        assertEquals(encapsulator.encapsulation(), p.encapsulation());
        assertEquals(outerVersion, p.outerIpVersion());
        assertEquals(headroom, p.innerL3());
        assertEquals(buffer.length, p.innerEnd());
        assertEquals(buffer.length, p.outerEnd());
        assertEquals(inner[0] >>> 4 & 0xf, p.innerIpVersion());
        int expectedTunnel = switch (encapsulator.encapsulation()) {
            case GUE -> p.gue().remcsum() ? 20 : 12;
            case FOU, GUE_DIRECT -> 8;
            case GRE -> p.gre().checksumPresent() ? 8 : 4;
        };
        assertEquals(expectedTunnel, p.tunnelHeaderLength());
        if (kind == 1) {
            int protocol = p.innerProtocol();
            boolean transport = protocol == IpProtocols.TCP || protocol == IpProtocols.UDP;
            assertEquals(transport, p.gue().remcsum(), "REMCSUM only for TCP/UDP inner packets");
            if (transport) {
                assertEquals(p.innerL4() - p.innerL3(), p.gue().remcsumStart());
                assertEquals(p.gue().remcsumStart() + (protocol == IpProtocols.TCP ? 16 : 6), p.gue().remcsumOffset());
                // the receiver's derivation gives the real inner checksum: sum from start to end + pseudo = 0xffff
                int fieldAt = p.innerL3() + p.gue().remcsumOffset();
                byte[] copy = buffer.clone();
                int l4 = p.innerL4();
                int l4Length = p.innerEnd() - l4;
                long partial = Packets.u16(copy, fieldAt);
                long pseudo = pseudoSum(copy, p.innerL3(), p.innerIpVersion(), protocol, l4Length);
                assertEquals(Packets.sum(pseudoBytes(pseudo), 0, 2), Packets.sum(toBytes(partial), 0, 2),
                        "the field holds the folded pseudo-header sum");
            }
        }
        if (p.encapsulation() != Encapsulation.GRE) {
            int checksum = p.udp().checksum();
            if (checksum != 0) {
                // verified by the parser (verifyChecksums is on); check independently too
                assertEquals(0xffff, Packets.sum(pseudoPlusUdp(buffer, p), 0, pseudoPlusUdp(buffer, p).length));
            } else {
                assertTrue(outerVersion == 4 || kind != 1, "REMCSUM always has a UDP checksum");
            }
        }
        if (outerVersion == 4) {
            assertTrue(p.outerIpv4().headerChecksumValid());
        }
    }

    private static long pseudoSum(byte[] p, int l3, int version, int protocol, int l4Length) {
        int from = version == 4 ? l3 + 12 : l3 + 8;
        int length = version == 4 ? 8 : 32;
        long sum = Packets.sum(p, from, length) + protocol + l4Length;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }

    private static byte[] pseudoBytes(long sum) {
        return toBytes(sum);
    }

    private static byte[] toBytes(long value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    private static byte[] pseudoPlusUdp(byte[] buffer, ParsedPacket p) {
        int l3 = p.outerL3();
        int l4 = p.outerL4();
        int udpLength = p.udp().length();
        boolean v4 = p.outerIpVersion() == 4;
        int addresses = v4 ? 8 : 32;
        byte[] out = new byte[addresses + 4 + udpLength + (udpLength & 1)];
        System.arraycopy(buffer, v4 ? l3 + 12 : l3 + 8, out, 0, addresses);
        out[addresses + 1] = 17;
        Packets.put16(out, addresses + 2, udpLength);
        System.arraycopy(buffer, l4, out, addresses + 4, udpLength);
        return out;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("hostileSeeds")
    void truncationAtEveryOffsetIsTyped(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] packet = validPacket(random);
        ParsedPacket p = new ParsedPacket();
        for (int length = 0; length < packet.length; length++) {
            ParseStatus status = parseNeverThrows(packet, 0, length, p);
            assertEquals(ParseStatus.TRUNCATED, status, "cut at " + length + ": " + p);
            // now claim the cut length in the outer header, so the short layer is found deeper inside
            byte[] cut = java.util.Arrays.copyOf(packet, length);
            if (length >= 20 && (cut[0] & 0xf0) == 0x40) {
                Packets.put16(cut, 2, length);
                Packets.fixIpv4Checksum(cut, 0);
            } else if (length >= 40 && (cut[0] & 0xf0) == 0x60) {
                Packets.put16(cut, 4, length - 40);
            }
            status = parseNeverThrows(cut, 0, cut.length, p);
            if (status == ParseStatus.OK) {
                Packets.assertInvariant(p, 0, cut.length);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("hostileSeeds")
    void everySingleBitFlipIsTypedOrValid(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] packet = validPacket(random);
        ParsedPacket p = new ParsedPacket();
        int limit = Math.min(packet.length, 120);
        int rejected = 0;
        for (int bit = 0; bit < limit * 8; bit++) {
            byte[] flipped = packet.clone();
            flipped[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
            if (parseNeverThrows(flipped, 0, flipped.length, p) == ParseStatus.OK) {
                Packets.assertInvariant(p, 0, flipped.length);
            } else {
                rejected++;
            }
        }
        assertTrue(rejected > 0, "some flips must be caught");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("hostileSeeds")
    void randomBytesAreTypedOrValid(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ParsedPacket p = new ParsedPacket();
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(160)];
            random.nextBytes(junk);
            if (junk.length > 0 && random.nextBoolean()) {
                junk[0] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
            }
            int offset = junk.length == 0 ? 0 : random.nextInt(junk.length);
            if (parseNeverThrows(junk, offset, junk.length - offset, p) == ParseStatus.OK) {
                Packets.assertInvariant(p, offset, junk.length - offset);
            }
        }
    }

    static byte[] validPacket(SplittableRandom random) {
        int kind = random.nextInt(7);
        int outerVersion = random.nextBoolean() ? 4 : 6;
        Encapsulator encapsulator = Packets.randomEncapsulator(random, kind, outerVersion);
        byte[] inner = Packets.randomInner(random, Packets.innerVersionFor(random, kind));
        byte[] buffer = Golden.withHeadroom(inner, encapsulator.maxOverhead());
        int start = encapsulator.encapsulate(buffer, encapsulator.maxOverhead(), inner.length);
        return java.util.Arrays.copyOfRange(buffer, start, buffer.length);
    }

    /** Parses with both entry points; only a status or a MalformedPacketException may come out. */
    static ParseStatus parseNeverThrows(byte[] packet, int offset, int length, ParsedPacket p) {
        ParseStatus status;
        try {
            status = Packets.parseBothWays(PARSER, packet, offset, length, p);
        } catch (RuntimeException e) {
            throw new AssertionError("parse threw " + e, e);
        }
        assertNotEquals(null, status);
        try {
            PARSER.parseOrThrow(packet, offset, length, p);
            assertEquals(ParseStatus.OK, status);
        } catch (MalformedPacketException e) {
            assertEquals(status, e.kind());
            assertTrue(e.offset() >= offset && e.offset() <= offset + length, e::getMessage);
            if (e.isTruncated()) {
                assertTrue(e.value() > e.available() && e.available() >= 0, e::getMessage);
            }
        } catch (RuntimeException e) {
            fail("parseOrThrow threw " + e, e);
        }
        return status;
    }

    /**
     * The first fast path knows only the lowest GUE port and the lowest FOU/IPIP port; packets to the
     * other mapped ports must still parse, through the general paths, with the same result as the full
     * rules, and packets to an unmapped port must not.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("roundTripSeeds")
    void everyMappedPortParsesNotOnlyTheLowest(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        PacketParser parser = PacketParser.builder().gue(6080, 7000, 60000).fou(5555, IpProtocols.IPIP)
                .fou(5557, IpProtocols.IPIP).build();
        int[] gue = {6080, 7000, 60000};
        int[] fou = {5555, 5557};
        boolean isGue = random.nextBoolean();
        int port = isGue ? gue[random.nextInt(gue.length)] : fou[random.nextInt(fou.length)];
        Encapsulator.Builder builder = isGue ? Encapsulator.builder().gue() : Encapsulator.builder().fou(IpProtocols.IPIP);
        Encapsulator encapsulator = builder.destinationPort(port).addresses(java.net.InetAddress.getByName("10.1.2.3"),
                java.net.InetAddress.getByName("10.9.8.7")).build();
        byte[] inner = Packets.randomInner(random, 4);
        byte[] buffer = Golden.withHeadroom(inner, encapsulator.maxOverhead());
        int start = encapsulator.encapsulate(buffer, encapsulator.maxOverhead(), inner.length);
        ParsedPacket p = new ParsedPacket();
        assertEquals(ParseStatus.OK, Packets.parseBothWays(parser, buffer, start, buffer.length - start, p), p::toString);
        assertEquals(isGue ? Encapsulation.GUE : Encapsulation.FOU, p.encapsulation(), "port " + port);
        assertEquals(encapsulator.maxOverhead(), p.innerL3() - start);

        // the same packet to a port nobody mapped is not a tunnel packet
        Wire.put16(buffer, null, start + Ipv4Header.MIN_LENGTH + 2, 6081);
        assertNotEquals(ParseStatus.OK, Packets.parseBothWays(parser, buffer, start, buffer.length - start, p), p::toString);
    }
}
