package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class VipRouteTest {

    @ParameterizedTest
    @CsvSource({
        "198.51.100.10, 198.51.100.10/32",
        "2001:db8::10, 2001:db8::10/128",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128", // first of two equal runs (RFC 5952 4.2.3)
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1/128", // a single zero group stays (4.2.2)
        "::, ::/128",
        "::1, ::1/128",
        "fe80::, fe80::/128",
        "2001:DB8::ABCD, 2001:db8::abcd/128",
    })
    void prefixIsTheHostRouteInCanonicalText(String address, String prefix) throws UnknownHostException {
        assertEquals(prefix, VipRoute.of(InetAddress.getByName(address)).prefix());
    }

    static LongStream seeds() {
        return Seeds.of("vip-route-ipv6-text", 200);
    }

    /** The text parses back to the same address, and is never longer than Java's own full form. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void ipv6TextRoundTrips(long seed) throws UnknownHostException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[16];
        for (int g = 0; g < 8; g++) {
            // Zero groups often, so runs of every length occur.
            int v = random.nextInt(3) == 0 ? 0 : random.nextInt(0x10000);
            bytes[2 * g] = (byte) (v >> 8);
            bytes[2 * g + 1] = (byte) v;
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        String prefix = VipRoute.of(address).prefix();
        String text = prefix.substring(0, prefix.length() - "/128".length());
        assertEquals(address, InetAddress.getByName(text), text);
        assertTrue(text.length() <= address.getHostAddress().length(), text);
        assertTrue(text.indexOf("::") == text.lastIndexOf("::"), text);
    }

    @Test
    void attributesAreRangeChecked() throws UnknownHostException {
        InetAddress vip = InetAddress.getByName("198.51.100.10");
        assertThrows(IllegalArgumentException.class,
                () -> new VipRoute(vip, List.of(), OptionalLong.of(0x1_0000_0000L), 0));
        assertThrows(IllegalArgumentException.class, () -> new VipRoute(vip, List.of(), OptionalLong.of(-1), 0));
        assertThrows(IllegalArgumentException.class, () -> new VipRoute(vip, List.of(), OptionalLong.empty(), -1));
        assertThrows(IllegalArgumentException.class,
                () -> new VipRoute(vip, List.of(), OptionalLong.empty(), VipRoute.MAX_PREPEND + 1));
        assertEquals(4_294_967_295L, new VipRoute(vip, List.of(), OptionalLong.of(0xFFFF_FFFFL), 0).med().getAsLong());
    }

    @ParameterizedTest
    @CsvSource({"65000:100, 65000, 100", "0:0, 0, 0", "65535:65535, 65535, 65535"})
    void communitiesParse(String text, int asn, int value) {
        assertEquals(new Community(asn, value), Community.parse(text));
        assertEquals(text, Community.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(value = {"65536:1", "1:65536", "1", ":1", "1:", "1:2:3", "a:1", "-1:1", "1:+2", "999999:1", "''"},
            nullValues = "NULL")
    void badCommunitiesAreRefusedNamingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Community.parse(text));
        assertTrue(e.getMessage().startsWith("community: "), e.getMessage());
    }
}
