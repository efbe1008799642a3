package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostnamesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "example.com, example.com",
            "WWW.Example.COM, www.example.com",
            "example.com., example.com",
            "'  api.example.com ', api.example.com",
            "*.example.com, *.example.com",
            "bücher.example, xn--bcher-kva.example",
            "*.bücher.example, *.xn--bcher-kva.example",
            "xn--bcher-kva.example, xn--bcher-kva.example",
            "a-b.c-d.example, a-b.c-d.example",
            "1.2.3.example, 1.2.3.example",
    })
    void normalises(String input, String expected) {
        assertEquals(expected, Hostnames.normalize(input));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", " ", "localhost", "192.0.2.1", "10.0.0.256", "::1", "[2001:db8::1]", "example.com:443",
            "*.*.example.com", "www.*.example.com", "*example.com", "a..example.com", ".example.com", "-a.example.com",
            "a-.example.com", "under_score.example.com", "sp ace.example.com", "*.com.", "*"})
    void refuses(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hostnames.normalize(input));
        assertTrue(e.getMessage().startsWith("hostname[0]"), e.getMessage());
    }

    @Test
    void labelAndNameLengths() {
        assertEquals(("a".repeat(63) + ".example.com"), Hostnames.normalize("a".repeat(63) + ".example.com"));
        assertThrows(IllegalArgumentException.class, () -> Hostnames.normalize("a".repeat(64) + ".example.com"));
        String long253 = ("a".repeat(61) + ".").repeat(4) + "com"; // 62*4 + 3 = 251
        assertEquals(long253, Hostnames.normalize(long253));
        assertThrows(IllegalArgumentException.class, () -> Hostnames.normalize("aaa." + long253));
    }

    @Test
    void listsAreDeduplicatedAndCapped() {
        assertEquals(List.of("a.example.com", "b.example.com"),
                Hostnames.normalize(List.of("a.example.com", "B.example.com", "A.EXAMPLE.COM.")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add("h" + i + ".example.com");
        }
        assertEquals(200, Hostnames.normalize(many).size());
        many.add("h200.example.com");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hostnames.normalize(many));
        assertTrue(e.getMessage().contains("201"), e.getMessage());
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class,
                () -> Hostnames.normalize(List.of("ok.example.com", "bad")));
        assertTrue(second.getMessage().startsWith("hostname[1] 'bad'"), second.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Hostnames.normalize(List.of()));
    }

    @Test
    void wildcardMatching() {
        assertTrue(Hostnames.matches("*.example.com", "www.example.com"));
        assertTrue(!Hostnames.matches("*.example.com", "a.b.example.com"));
        assertTrue(!Hostnames.matches("*.example.com", "example.com"));
        assertTrue(Hostnames.matches("example.com", "example.com"));
    }
}
