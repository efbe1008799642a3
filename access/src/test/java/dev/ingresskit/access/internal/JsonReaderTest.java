package dev.ingresskit.access.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class JsonReaderTest {
    @Test
    void readsEveryKindOfValue() {
        Object v = JsonReader.parse(" {\"a\":[1,-2.5e3,true,false,null],\"b\":{\"c\":\"x\\u00e9\\n\\\"\\/\"},\"d\":\"\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, JsonReader.NULL), m.get("a"));
        assertEquals(Map.of("c", "x\u00e9\n\"/"), m.get("b"));
        assertEquals("", m.get("d"));
        assertEquals(List.of("a", "b", "d"), List.copyOf(m.keySet()), "insertion order kept");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"a\":2}|duplicate member \"a\" at offset 7",
            "{\"a\":1,}|expected a member name at offset 7",
            "[1,]|unexpected character, expected a value at offset 3",
            "01|trailing characters after the value at offset 1",
            "\"abc|unterminated string at offset 0",
            "\"\\x\"|invalid escape \\x at offset 1",
            "\"\\u12\"|truncated \\u escape at offset 1",
            "\"\\u12G4\"|invalid hex digit in \\u escape at offset 5",
            "-|unexpected character, expected a value at offset 0",
            "1.|expected a digit at offset 2",
            "tru|invalid literal, expected true at offset 0",
            "{\"a\" 1}|expected ':' at offset 5",
            "[1 2]|expected ',' or ']' in an array at offset 3",
            "x|unexpected character, expected a value at offset 0",
    })
    void errorsSayWhatAndWhere(String input, String message) {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(input));
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesDeepNestingAndBadUtf8AndControlCharacters() {
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse("[".repeat(65) + "]".repeat(65)));
        assertEquals(64 - 1, depth(JsonReader.parse("[".repeat(64) + "]".repeat(64))));
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(new byte[] {'"', (byte) 0xC3, '"'}));
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse("\"a\u0001\""));
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse(""));
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parseObject("[]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(JsonSyntaxException.class, () -> JsonReader.parse("1" + "0".repeat(70)));
    }

    private static int depth(Object v) {
        return v instanceof List<?> l && !l.isEmpty() ? 1 + depth(l.getFirst()) : 0;
    }

    static LongStream seeds() {
        return Seeds.of("jsonReaderFuzz", 30);
    }

    /** Random and truncated documents: a value or a JsonSyntaxException with an offset inside the input. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomInputOnlyEverFailsTyped(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String sample = "{\"keys\":[{\"kid\":\"a\",\"n\":\"xyz\",\"e\":1e5,\"t\":[true,false,null,-0.5]}],\"s\":\"\\u0041\\n\"}";
        String alphabet = "{}[]\",:\\u0123456789.eE+-truefalsn \t\n";
        for (int round = 0; round < 500; round++) {
            String input;
            if (random.nextBoolean()) {
                StringBuilder s = new StringBuilder(sample.substring(0, random.nextInt(sample.length() + 1)));
                if (random.nextBoolean() && !s.isEmpty()) {
                    s.setCharAt(random.nextInt(s.length()), alphabet.charAt(random.nextInt(alphabet.length())));
                }
                input = s.toString();
            } else {
                byte[] bytes = new byte[random.nextInt(40)];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : (byte) alphabet.charAt(random.nextInt(alphabet.length()));
                }
                try {
                    JsonReader.parse(bytes);
                } catch (JsonSyntaxException e) {
                    assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, e.getMessage());
                }
                continue;
            }
            try {
                JsonReader.parse(input);
            } catch (JsonSyntaxException e) {
                assertTrue(e.offset() >= 0 && e.offset() <= input.length(), e.getMessage());
            }
        }
    }
}
