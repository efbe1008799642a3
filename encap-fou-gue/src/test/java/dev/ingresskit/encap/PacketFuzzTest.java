package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long fuzz run ({@code mvn verify -Pfuzz -pl encap-fou-gue -am}): 10 million (or
 * {@code -Dingresskit.fuzz.count=N}) random and mutated packets through the parser, both entry
 * points, with and without checksum verification, and through the header views and the flow hash.
 * Only a {@link ParseStatus} or a {@link MalformedPacketException} may come out, and every OK result
 * must keep the offset invariant. Seed: {@code -Dingresskit.fuzz.seed=N} (printed).
 */
@Tag("fuzz")
class PacketFuzzTest {
    private static final int[] INTERESTING = {0, 1, 2, 4, 5, 6, 7, 8, 0x0f, 0x10, 0x1f, 0x20, 0x3f, 0x40, 0x45, 0x60,
        0x7f, 0x80, 0xc0, 0xfe, 0xff};

    @Test
    void tenMillionMutatedPackets() {
        long count = Long.getLong("ingresskit.fuzz.count", 10_000_000L);
        long seed = Long.getLong("ingresskit.fuzz.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] corpus = new byte[512][];
        for (int i = 0; i < corpus.length; i++) {
            corpus[i] = PacketPropertyTest.validPacket(random);
        }
        PacketParser strict = Packets.parserForAll();
        PacketParser lenient = PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).fou(5556, IpProtocols.IPV6)
                .gre(true).verifyChecksums(false).allowZeroUdp6Checksum(true).allowControlMessages(true).build();
        ParsedPacket out = new ParsedPacket();
        ParsedPacket full = new ParsedPacket();
        PacketParser strictFull = strict.withoutFastPath();
        PacketParser lenientFull = lenient.withoutFastPath();
        GueHeader gue = new GueHeader();
        GreHeader gre = new GreHeader();
        Ipv4Header v4 = new Ipv4Header();
        Ipv6Header v6 = new Ipv6Header();
        byte[] work = new byte[2048];
        Map<ParseStatus, Long> statuses = new EnumMap<>(ParseStatus.class);
        long started = System.nanoTime();
        for (long n = 0; n < count; n++) {
            int length;
            int offset = random.nextInt(4);
            if (random.nextInt(10) == 0) {
                length = random.nextInt(200);
                for (int i = 0; i < length; i++) {
                    work[offset + i] = (byte) random.nextInt(256);
                }
                if (length > 0 && random.nextBoolean()) {
                    work[offset] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
                }
            } else {
                byte[] base = corpus[random.nextInt(corpus.length)];
                length = base.length;
                System.arraycopy(base, 0, work, offset, length);
                int mutations = 1 + random.nextInt(4);
                for (int m = 0; m < mutations; m++) {
                    switch (random.nextInt(6)) {
                        case 0 -> work[offset + random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
                        case 1 -> work[offset + random.nextInt(length)] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                        case 2 -> {
                            int at = random.nextInt(Math.max(1, length - 1));
                            int value = random.nextBoolean() ? random.nextInt(65536) : length - at + random.nextInt(9) - 4;
                            work[offset + at] = (byte) (value >>> 8);
                            if (at + 1 < length) {
                                work[offset + at + 1] = (byte) value;
                            }
                        }
                        case 3 -> length = random.nextInt(length + 1);
                        case 4 -> {
                            int extra = random.nextInt(64);
                            for (int i = 0; i < extra && length < 1500; i++) {
                                work[offset + length++] = (byte) random.nextInt(256);
                            }
                        }
                        default -> work[offset + random.nextInt(length)] = (byte) random.nextInt(256);
                    }
                    if (length == 0) {
                        break;
                    }
                }
                if (length >= 20 && (work[offset] & 0xf0) == 0x40 && random.nextBoolean()) {
                    Packets.fixIpv4Checksum(work, offset);   // get past the outer header more often
                }
            }
            boolean useStrict = random.nextBoolean();
            PacketParser parser = useStrict ? strict : lenient;
            ParseStatus status = parser.parse(work, offset, length, out);
            // the fast path must accept exactly what the full rules accept, with the same offsets
            ParseStatus fullStatus = (useStrict ? strictFull : lenientFull).parse(work, offset, length, full);
            if (fullStatus != status || status == ParseStatus.OK && !full.toString().equals(out.toString())) {
                throw new AssertionError("fast path " + out + " but full path " + full);
            }
            statuses.merge(status, 1L, Long::sum);
            if (status == ParseStatus.OK) {
                checkInvariant(out, offset, length);
            } else if ((n & 15) == 0) {
                try {
                    parser.parseOrThrow(work, offset, length, out);
                    throw new AssertionError("parseOrThrow accepted what parse rejected");
                } catch (MalformedPacketException expected) {
                    if (expected.kind() != status || expected.offset() < offset || expected.offset() > offset + length) {
                        throw new AssertionError("inconsistent exception " + expected.getMessage() + " for " + status);
                    }
                }
            }
            if ((n & 7) == 0) {
                views(work, offset, length, gue, gre, v4, v6);
            }
            TunnelSourcePort.flowHash(work, offset, length, (int) n);
        }
        long nanos = System.nanoTime() - started;
        System.out.printf("encap fuzz: %,d packets in %.1f s (%.0f ns/packet), seed %d, %s%n", count, nanos / 1e9,
                (double) nanos / count, seed, statuses);
        assertTrue(statuses.getOrDefault(ParseStatus.OK, 0L) > 0, "some mutants must still parse");
        assertTrue(statuses.getOrDefault(ParseStatus.MALFORMED, 0L) > 0);
        assertTrue(statuses.getOrDefault(ParseStatus.TRUNCATED, 0L) > 0);
    }

    private static void views(byte[] work, int offset, int length, GueHeader gue, GreHeader gre, Ipv4Header v4,
            Ipv6Header v6) {
        for (int at = offset; at < offset + Math.min(length, 48); at += 4) {
            int available = offset + length - at;
            try {
                gue.wrap(work, at, available);
                gue.remcsumOffset();
                gue.privateFlags();
                gue.protoCtype();
            } catch (MalformedPacketException expected) {
                // typed: fine
            }
            try {
                gre.wrap(work, at, available);
                gre.sequence();
                gre.key();
            } catch (MalformedPacketException expected) {
                // typed: fine
            }
            try {
                v4.wrap(work, at, available);
                v4.headerChecksumValid();
            } catch (MalformedPacketException expected) {
                // typed: fine
            }
            try {
                v6.wrap(work, at, available);
                v6.flowLabel();
            } catch (MalformedPacketException expected) {
                // typed: fine
            }
        }
    }

    private static void checkInvariant(ParsedPacket p, int offset, int length) {
        boolean ok = p.outerL3() == offset && p.outerL3() < p.outerL4() && p.outerL4() < p.tunnelEnd()
                && p.tunnelEnd() == p.innerL3() && (p.control() || p.innerL3() < p.innerL4())
                && p.innerL4() <= p.innerEnd() && p.innerEnd() <= p.outerEnd() && p.outerEnd() <= offset + length
                && p.tunnelHeaderLength() > 0;
        if (!ok) {
            throw new AssertionError("invariant broken: " + p);
        }
    }
}
