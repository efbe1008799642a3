package dev.ingresskit.encap.contract;

import static dev.ingresskit.encap.Golden.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.encap.Encapsulation;
import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.Golden;
import dev.ingresskit.encap.IpProtocols;
import dev.ingresskit.encap.Layer;
import dev.ingresskit.encap.MalformedPacketException;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.Packets;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.testsupport.Seeds;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One suite, run over every kind of memory the codecs accept: each subclass says how to put bytes
 * into its memory ({@link #load}), and the same decode, encode and hostile-input properties must hold.
 */
public abstract class BufferContract {
    /** Bytes in some memory, with {@code headroom} bytes in front of the loaded data. */
    public interface Subject {
        /** Index (in the memory's own terms) of the first loaded byte. */
        int origin();

        /** Parses the loaded bytes from {@code origin() + from} for {@code length} bytes. */
        ParseStatus parse(PacketParser parser, int from, int length, ParsedPacket out);

        /** Encapsulates the loaded bytes (an inner packet) in place; returns the outer start index. */
        int encapsulate(Encapsulator encapsulator);

        /** Copies memory indexes {@code [from, to)} out. */
        byte[] read(int from, int to);
    }

    /** A new memory holding {@code data} after {@code headroom} dirty bytes. */
    protected abstract Subject load(byte[] data, int headroom);

    private final PacketParser parser = PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).gre(true).build();

    @Test
    void goldenPacketsParseWithOffsetsInTheMemorysOwnIndexes() {
        ParsedPacket out = new ParsedPacket();
        Subject s = load(bytes(Golden.GUE4_REMCSUM), 16);
        assertEquals(ParseStatus.OK, s.parse(parser, 0, 80, out), out::toString);
        int o = s.origin();
        assertEquals(o, out.outerL3());
        assertEquals(o + 20, out.outerL4());
        assertEquals(o + 40, out.innerL3());
        assertEquals(o + 60, out.innerL4());
        assertEquals(o + 80, out.outerEnd());
        assertEquals(20, out.tunnelHeaderLength());
        assertEquals(26, out.gue().remcsumOffset());
        assertEquals(0xc744, out.udp().checksum());
        assertEquals("192.168.1.20", out.innerIpv4().destinationAddress().getHostAddress());

        s = load(bytes(Golden.GRE6), 3);
        assertEquals(ParseStatus.OK, s.parse(parser, 0, 97, out), out::toString);
        assertEquals(Encapsulation.GRE, out.encapsulation());
        assertEquals(s.origin() + 44, out.innerL3());
        assertEquals(0x12345, out.outerIpv6().flowLabel());
    }

    @Test
    void errorsReportTheMemorysOwnIndexes() {
        byte[] bad = bytes(Golden.GUE4_NOCSUM);
        bad[28] = (byte) 0x80;
        Subject s = load(bad, 9);
        ParsedPacket out = new ParsedPacket();
        assertEquals(ParseStatus.MALFORMED, s.parse(parser, 0, bad.length, out));
        assertEquals(Layer.GUE, out.errorLayer());
        assertEquals("variant", out.errorField());
        assertEquals(s.origin() + 28, out.errorOffset());
        MalformedPacketException e = out.toException();
        assertEquals(s.origin() + 28, e.offset());
    }

    @Test
    void encapsulationInPlaceMatchesTheGoldenBytes() {
        Subject s = load(bytes(Golden.INNER_IPV4_TCP), 64);
        Encapsulator gue = Encapsulator.builder().gue().addresses(Golden.ip("10.0.0.1"), Golden.ip("10.0.0.2"))
                .sourcePort(40000).udpChecksum(true).build();
        int start = s.encapsulate(gue);
        assertEquals(s.origin() - 32, start);
        assertEquals(Golden.GUE4_CSUM, Golden.hex(s.read(start, s.origin() + 40), 0, 72));

        Subject t = load(bytes(Golden.INNER_IPV6_UDP), 48);
        Encapsulator direct = Encapsulator.builder().gueDirect().addresses(Golden.ip("2001:db8::1"), Golden.ip("2001:db8::2"))
                .sourcePort(50000).flowLabel(0x12345).build();
        int at = t.encapsulate(direct);
        assertEquals(Golden.GUE6_DIRECT, Golden.hex(t.read(at, t.origin() + 53), 0, 101));
    }

    @Test
    void tooLittleHeadroomIsRefusedWithoutWritingBelowTheMemory() {
        Subject s = load(bytes(Golden.INNER_IPV4_TCP), 31);
        Encapsulator gue = Encapsulator.builder().gue().addresses(Golden.ip("10.0.0.1"), Golden.ip("10.0.0.2")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.encapsulate(gue));
        assertTrue(e.getMessage().contains("needs 32 bytes of headroom"), e.getMessage());
    }

    static LongStream seeds() {
        return Seeds.of("encapContract", 40);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void roundTripsAndTruncationsBehaveTheSameInEveryMemory(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int kind = random.nextInt(7);
        Encapsulator encapsulator = Packets.randomEncapsulator(random, kind, random.nextBoolean() ? 4 : 6);
        byte[] inner = Packets.randomInner(random, Packets.innerVersionFor(random, kind));
        Subject s = load(inner, encapsulator.maxOverhead() + random.nextInt(8));
        int start = s.encapsulate(encapsulator);
        int end = s.origin() + inner.length;
        PacketParser all = Packets.parserForAll();
        ParsedPacket out = new ParsedPacket();
        assertEquals(ParseStatus.OK, s.parse(all, start - s.origin(), end - start, out), out::toString);
        Packets.assertInvariant(out, start, end - start);
        assertEquals(s.origin(), out.innerL3());
        for (int length = 0; length < end - start; length++) {
            assertNotEquals(ParseStatus.OK, s.parse(all, start - s.origin(), length, out), "cut at " + length);
            assertEquals(ParseStatus.TRUNCATED, out.status());
        }
    }
}
