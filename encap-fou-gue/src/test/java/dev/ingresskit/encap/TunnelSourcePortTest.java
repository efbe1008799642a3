package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flow hash spreads flows over source ports the way a receiver's RSS/ECMP needs: evenly, every
 * input bit mattering, the same answer for the same flow in any kind of buffer.
 */
class TunnelSourcePortTest {
    static LongStream seeds() {
        return Seeds.of("flowHash", 8);
    }

    /** 5-tuple packets: IPv4 TCP/UDP (version 4) or IPv6 (version 6), random addresses and ports. */
    private static byte[] packet(SplittableRandom random, int version) {
        byte[] p = new byte[version == 4 ? 24 : 44];
        random.nextBytes(p);
        if (version == 4) {
            p[0] = 0x45;
            p[6] = 0x40;   // DF, not a fragment: the ports count
            p[7] = 0;
            p[9] = (byte) (random.nextBoolean() ? IpProtocols.TCP : IpProtocols.UDP);
        } else {
            p[0] = 0x60;
            p[6] = (byte) (random.nextBoolean() ? IpProtocols.TCP : IpProtocols.UDP);
        }
        return p;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void sourcePortsAreEvenOverLinuxDefaultRange(long seed) {
        var random = new SplittableRandom(seed);
        int buckets = 64;
        int flows = 64_000;
        for (int version : new int[] {4, 6}) {
            int[] counts = new int[buckets];
            for (int i = 0; i < flows; i++) {
                byte[] p = packet(random, version);
                int port = TunnelSourcePort.fromHash(TunnelSourcePort.flowHash(p, 0, p.length, 0), TunnelSourcePort.DEFAULT_MIN_PORT,
                        TunnelSourcePort.DEFAULT_MAX_PORT_EXCLUSIVE);
                assertTrue(port >= TunnelSourcePort.DEFAULT_MIN_PORT && port < TunnelSourcePort.DEFAULT_MAX_PORT_EXCLUSIVE, "port " + port);
                counts[(port - TunnelSourcePort.DEFAULT_MIN_PORT) * buckets / (TunnelSourcePort.DEFAULT_MAX_PORT_EXCLUSIVE - TunnelSourcePort.DEFAULT_MIN_PORT)]++;
            }
            double expected = (double) flows / buckets;
            double chiSquare = 0;
            for (int count : counts) {
                chiSquare += (count - expected) * (count - expected) / expected;
            }
            // 63 degrees of freedom: the 99.99th percentile is about 116
            assertTrue(chiSquare < 116, "IPv" + version + " chi-square " + chiSquare + " over " + buckets + " buckets");
        }
    }

    /** Flipping any one bit of the addresses, protocol or ports flips about half of the hash's bits. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everyFlowBitAvalanches(long seed) {
        var random = new SplittableRandom(seed);
        for (int version : new int[] {4, 6}) {
            byte[] p = packet(random, version);
            int base = TunnelSourcePort.flowHash(p, 0, p.length, 7);
            int from = version == 4 ? 12 : 8;
            int to = p.length;
            long flipped = 0;
            int bits = 0;
            for (int i = from; i < to; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    p[i] ^= (byte) (1 << bit);
                    int h = TunnelSourcePort.flowHash(p, 0, p.length, 7);
                    p[i] ^= (byte) (1 << bit);
                    assertNotEquals(base, h, "byte " + i + " bit " + bit + " does not change the hash");
                    flipped += Integer.bitCount(base ^ h);
                    bits++;
                }
            }
            double mean = (double) flipped / bits;
            assertTrue(mean > 14 && mean < 18, "IPv" + version + ": a one-bit change flips " + mean + " of 32 bits on average");
        }
    }

    @Test
    void sameFlowSameHashInEveryBufferAndTheSeedMatters() {
        byte[] p = HexFormat.of().parseHex("45000028123440004006a52dc0a8010ac0a8011430390050000003e8000000005002fffff8020000");
        int h = TunnelSourcePort.flowHash(p, 0, p.length, 0);
        byte[] shifted = new byte[p.length + 5];
        System.arraycopy(p, 0, shifted, 5, p.length);
        assertEquals(h, TunnelSourcePort.flowHash(shifted, 5, p.length, 0));
        assertEquals(h, TunnelSourcePort.flowHash(ByteBuffer.wrap(p), 0, p.length, 0));
        ByteBuffer direct = ByteBuffer.allocateDirect(p.length).put(p).flip();
        assertEquals(h, TunnelSourcePort.flowHash(direct, 0, p.length, 0));
        assertNotEquals(h, TunnelSourcePort.flowHash(p, 0, p.length, 1));
        // the TTL, checksum and payload are not part of the flow
        p[8] = 1;
        p[10] = 0;
        p[p.length - 1] = 9;
        assertEquals(h, TunnelSourcePort.flowHash(p, 0, p.length, 0));
        // a later fragment carries no ports: its hash leaves them out
        p[7] = 1;
        int fragment = TunnelSourcePort.flowHash(p, 0, p.length, 0);
        p[20] ^= 1;
        assertEquals(fragment, TunnelSourcePort.flowHash(p, 0, p.length, 0));
    }
}
