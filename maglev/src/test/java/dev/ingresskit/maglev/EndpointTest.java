package dev.ingresskit.maglev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1:80", "255.255.255.255:65535", "0.0.0.0:0", "[2001:db8::1]:443", "[::1]:1"})
    void roundTrips(String text) {
        assertEquals(text, Endpoint.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "10.0.0.1", "10.0.0.1:", "10.0.0.1:x", "10.0.0.1:65536", "10.0.0.1:-1",
        "256.0.0.1:80", "10.0.0:80", "example.com:80", "2001:db8::1:80", "[2001:db8::1]", "[2001:db8::1]80",
        "[10.0.0.1]:80", "[]:80", "[zz::1]:80", "10.0.0.1:80:90"})
    void refusesWithTheTextInTheMessage(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    static LongStream seeds() {
        return Seeds.of("endpointFuzz", 20);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomTextEitherParsesOrFailsCleanly(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String alphabet = "0123456789.:[]abcdef-x ";
        for (int i = 0; i < 500; i++) {
            StringBuilder s = new StringBuilder();
            int len = r.nextInt(24);
            for (int j = 0; j < len; j++) {
                s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                Endpoint e = Endpoint.parse(s.toString());
                assertTrue(e.port() >= 0 && e.port() <= 65535);
            } catch (IllegalArgumentException expected) {
                // the only failure allowed
            }
        }
    }
}
