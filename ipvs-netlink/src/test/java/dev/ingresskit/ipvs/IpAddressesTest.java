package dev.ingresskit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ingresskit.testsupport.Seeds;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The dotted-quad shortcut answers exactly as the general literal parser does, for any text. */
class IpAddressesTest {
    static LongStream seeds() {
        return Seeds.of("ipAddressesShortcut", 40);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void shortcutAgreesWithTheGeneralParser(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            String text = i % 2 == 0 ? quadLike(random) : noise(random);
            assertEquals(outcome(() -> IpAddresses.anyLiteral(text)), outcome(() -> IpAddresses.parse(text)),
                    "seed " + seed + ": '" + text + "'");
        }
    }

    @Test
    void quadsAreIpv4AndTheRestIsExplained() {
        InetAddress a = IpAddresses.parse("10.255.0.1");
        assertEquals(Inet4Address.class, a.getClass());
        assertEquals("10.255.0.1", IpAddresses.format(a));
        assertEquals("'10.0.0.256' is not an IPv4 address (256 > 255)",
                assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse("10.0.0.256")).getMessage());
        assertEquals("'10.0.0' is not an IP address (names are not resolved)",
                assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse("10.0.0")).getMessage());
    }

    /** Mostly well-formed quads, with the edge cases: leading zeros, 255/256, missing or extra parts. */
    private static String quadLike(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        int parts = random.nextInt(10) == 0 ? 3 + random.nextInt(3) : 4;
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                b.append(random.nextInt(30) == 0 ? ".." : ".");
            }
            switch (random.nextInt(6)) {
                case 0 -> b.append("0").append(random.nextInt(10));
                case 1 -> b.append(250 + random.nextInt(10));
                case 2 -> b.append(random.nextInt(2000));
                default -> b.append(random.nextInt(256));
            }
        }
        if (random.nextInt(20) == 0) {
            b.append(random.nextBoolean() ? " " : "x");
        }
        return b.toString();
    }

    private static String noise(SplittableRandom random) {
        String alphabet = "0123456789.:[]abf ";
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(18);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String outcome(java.util.function.Supplier<InetAddress> parse) {
        try {
            InetAddress a = parse.get();
            return a.getClass().getSimpleName() + " " + java.util.Arrays.toString(a.getAddress()) + " " + a;
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }
}
