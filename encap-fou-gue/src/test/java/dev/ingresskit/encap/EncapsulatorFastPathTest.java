package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder's fast path against the general code: for random configurations, inner packets (also
 * odd ones: options, fragments, short, wrong version) and dirty headroom, both must write the same
 * bytes and return the same start, or fail with the same exception. Without this the fast path
 * could write a different checksum or source port and every round-trip test would still pass.
 */
class EncapsulatorFastPathTest {
    static LongStream seeds() {
        return Seeds.of("encapsulatorFastPath", 400);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fastPathWritesWhatTheGeneralCodeWrites(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // one configuration, three encapsulators: with DF off each has its own identification counter
        long configuration = random.nextLong();
        Encapsulator fast = randomEncapsulator(new SplittableRandom(configuration));
        Encapsulator general = fast.withoutFastPath();
        Encapsulator fastForDirect = randomEncapsulator(new SplittableRandom(configuration));
        int innerVersion = random.nextInt(8) == 0 ? 6 : 4;
        byte[] inner = oddly(random, innerVersion == 4 && random.nextBoolean() ? withoutOptions(random)
                : Packets.randomInner(random, innerVersion));
        int innerLength = random.nextInt(6) == 0 ? random.nextInt(inner.length + 1) : inner.length;
        // mostly enough headroom; sometimes exactly the overhead, sometimes too little
        int headroom = switch (random.nextInt(6)) {
            case 0 -> random.nextInt(fast.maxOverhead());
            case 1 -> fast.maxOverhead();
            default -> fast.maxOverhead() + random.nextInt(32);
        };
        byte[] dirty = new byte[headroom + inner.length];
        random.nextBytes(dirty);
        System.arraycopy(inner, 0, dirty, headroom, inner.length);

        byte[] viaFast = dirty.clone();
        byte[] viaGeneral = dirty.clone();
        String fastResult = run(() -> fast.encapsulate(viaFast, headroom, innerLength));
        String generalResult = run(() -> general.encapsulate(viaGeneral, headroom, innerLength));
        assertEquals(generalResult, fastResult, () -> fast + " inner " + Golden.hex(inner, 0, inner.length));
        assertArrayEquals(viaGeneral, viaFast, "bytes written differ");

        ByteBuffer direct = ByteBuffer.allocateDirect(dirty.length).put(dirty).flip();
        String directResult = run(() -> fastForDirect.encapsulate(direct, headroom, innerLength));
        assertEquals(generalResult, directResult, "direct buffer");
        byte[] viaDirect = new byte[dirty.length];
        direct.get(0, viaDirect);
        assertArrayEquals(viaGeneral, viaDirect, "bytes written to a direct buffer differ");
    }

    /**
     * The shape the fast path is for (asserted: otherwise the comparisons here would prove nothing
     * of it), and its source port is what the public helpers predict.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void fastPathAndGeneralCodeAgreeOnThePlainShape(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int hashSeed = random.nextInt();
        Encapsulator fast = Encapsulator.builder().gue().addresses(InetAddress.getByName("10.0.0.1"),
                InetAddress.getByName("10.0.0." + (2 + random.nextInt(200)))).flowHashSeed(hashSeed).build();
        assertTrue(fast.usesFastPath(), "GUE over IPv4 with DF and no UDP checksum takes the fast path");
        assertFalse(fast.withoutFastPath().usesFastPath());
        byte[] inner = Packets.randomInner(random, 4);
        ParsedPacket parsed = encapsulateBothWaysAndParse(fast, inner);
        // the port is the public helpers' prediction: TunnelSourcePort of the inner packet, scaled as Linux does
        assertEquals(TunnelSourcePort.fromHash(TunnelSourcePort.flowHash(inner, 0, inner.length, hashSeed), TunnelSourcePort.DEFAULT_MIN_PORT,
                TunnelSourcePort.DEFAULT_MAX_PORT_EXCLUSIVE), parsed.udp().sourcePort());
    }

    /**
     * The outer header checksum where the per-packet sum carries out of 16 bits: the destination is
     * chosen so that the constant words sum to just under 0xffff, and adding the total length must
     * then be folded. The parser, which verifies the checksum, is the independent judge.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void headerChecksumCarriesAreFolded(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int margin = random.nextInt(120);
        // version/IHL 0x4500 + DF 0x4000 + TTL 64 << 8 + protocol 17, source 0.0.0.0
        int constant = 0x4500 + 0x4000 + (64 << 8) + IpProtocols.UDP;
        int destination = 0xffff - margin - constant;
        Encapsulator fast = Encapsulator.builder().gue().ttl(64).addresses(InetAddress.getByName("0.0.0.0"),
                InetAddress.getByAddress(new byte[] {0, 0, (byte) (destination >>> 8), (byte) destination})).build();
        byte[] inner = withoutOptions(random);
        encapsulateBothWaysAndParse(fast, inner);
    }

    /**
     * Encapsulates {@code inner} with and without the fast path, asserts the same start and bytes,
     * and returns the parsed result, asserted OK (the parser verifies the checksums).
     */
    private static ParsedPacket encapsulateBothWaysAndParse(Encapsulator fast, byte[] inner) {
        byte[] a = Golden.withHeadroom(inner, fast.maxOverhead());
        byte[] b = a.clone();
        int start = fast.encapsulate(a, fast.maxOverhead(), inner.length);
        assertEquals(start, fast.withoutFastPath().encapsulate(b, fast.maxOverhead(), inner.length));
        assertArrayEquals(b, a);
        ParsedPacket parsed = new ParsedPacket();
        assertEquals(ParseStatus.OK, Packets.parserForAll().parse(a, start, a.length - start, parsed), parsed::toString);
        return parsed;
    }

    private static String run(java.util.function.IntSupplier call) {
        try {
            return "start " + call.getAsInt();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** An inner IPv4 packet with a 20-byte header: the only kind the fast path takes. */
    private static byte[] withoutOptions(SplittableRandom random) {
        while (true) {
            byte[] packet = Packets.randomInner(random, 4);
            if ((packet[0] & 0x0f) == 5) {
                return packet;
            }
        }
    }

    /** Sometimes options, a fragment, a wrong version or a short header, so the fast path must decline. */
    private static byte[] oddly(SplittableRandom random, byte[] packet) {
        switch (random.nextInt(10)) {
            case 0 -> packet[0] = (byte) (packet[0] & 0x0f | random.nextInt(16) << 4);
            case 1 -> packet[0] = (byte) (packet[0] & 0xf0 | random.nextInt(16));
            case 2 -> {
                // MF, each offset bit alone (0x1000 is the top one), all of them, or random flags
                int[] fragments = {0x2000, 0x1000, 0x0800, 0x0100, 0x0001, 0x1fff, 0x4000 | 0x1000, random.nextInt(0x10000)};
                int fragment = fragments[random.nextInt(fragments.length)];
                packet[6] = (byte) (fragment >>> 8);
                packet[7] = (byte) fragment;
            }
            case 3 -> packet[7] = (byte) random.nextInt(256);
            case 4 -> packet[9] = (byte) new int[] {6, 17, 132, 1, 47}[random.nextInt(5)];
            default -> {
            }
        }
        return packet;
    }

    private static Encapsulator randomEncapsulator(SplittableRandom random) {
        Encapsulator.Builder builder = Encapsulator.builder();
        int kind = random.nextInt(6);
        boolean gre = kind == 4;
        boolean remcsum = kind == 0 && random.nextInt(4) == 0;
        switch (kind) {
            case 0 -> builder.gue().remoteChecksumOffload(remcsum);
            case 1 -> builder.gue();
            case 2 -> builder.gueDirect();
            case 3 -> builder.fou(random.nextInt(4) == 0 ? IpProtocols.IPV6 : IpProtocols.IPIP).destinationPort(5555);
            case 4 -> builder.gre(random.nextInt(3) == 0);
            default -> builder.gue().destinationPort(1 + random.nextInt(65535));
        }
        if (random.nextInt(8) == 0) {
            builder.addresses(ip("2001:db8::a"), ip("2001:db8:ffff::b"));
            if (!gre && !remcsum && random.nextBoolean()) {
                builder.udpChecksum(false).allowZeroUdp6Checksum(true);
            }
        } else {
            builder.addresses(ip("10.1.2." + random.nextInt(256)), ip("10.9.8." + random.nextInt(256)));
            if (!gre && random.nextInt(4) == 0) {
                builder.udpChecksum(true);
            }
        }
        if (!gre && random.nextInt(4) == 0) {
            builder.sourcePort(1 + random.nextInt(65535));
        }
        if (!gre && random.nextInt(4) == 0) {
            int min = 1 + random.nextInt(60000);
            builder.sourcePortRange(min, min + 1 + random.nextInt(65536 - min));
        }
        if (random.nextInt(6) == 0) {
            builder.dontFragment(false);
        }
        return builder.flowHashSeed(random.nextInt()).ttl(1 + random.nextInt(255)).trafficClass(random.nextInt(256))
                .build();
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
