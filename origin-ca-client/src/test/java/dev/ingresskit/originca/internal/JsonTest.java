package dev.ingresskit.originca.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ingresskit.testsupport.Seeds;
import dev.ingresskit.testsupport.SharedTestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {
    /**
     * JSONTestSuite (Nicolas Seriot, test_parsing/): y_ files must parse, n_ files must be rejected,
     * i_ files may go either way but must end in a value or a JsonException — never another
     * exception or a hang. Read in place from ../shared/testdata.
     */
    static Stream<Path> suite() throws IOException {
        Path dir = SharedTestData.require("JSONTestSuite").resolve("test_parsing");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            if (all.size() < 300) {
                fail("expected the full JSONTestSuite (318 files) in " + dir + ", found " + all.size());
            }
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suite")
    void jsonTestSuite(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        long start = System.nanoTime();
        switch (name.charAt(0)) {
            case 'y' -> assertDoesNotThrow(() -> Json.parse(bytes), name);
            case 'n' -> assertThrows(JsonException.class, () -> Json.parse(bytes), name);
            case 'i' -> {
                try {
                    Json.parse(bytes);
                } catch (JsonException expected) {
                    // either outcome is allowed
                }
            }
            default -> fail("unexpected file " + name);
        }
        // A guard against pathological behaviour, not a timing test: every file is tiny.
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, name + " took too long");
    }

    @Test
    void valuesMapToJavaTypes() {
        Object value = Json.parse("{\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"], \"b\": {}}");
        Map<?, ?> map = (Map<?, ?>) value;
        List<?> a = (List<?>) map.get("a");
        assertEquals(new JsonNumber("1"), a.get(0));
        assertEquals(-2500.0, ((JsonNumber) a.get(1)).doubleValue());
        assertEquals(Boolean.TRUE, a.get(2));
        assertEquals(Boolean.FALSE, a.get(3));
        assertEquals(Json.NULL, a.get(4));
        assertEquals("xé\n", a.get(5));
        assertEquals(Map.of(), map.get("b"));
    }

    @Test
    void errorsNameTheOffset() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\": [1, 2,]}"));
        assertEquals(12, e.offset());
        assertTrue(e.getMessage().contains("offset 12"), e.getMessage());
        JsonException trailing = assertThrows(JsonException.class, () -> Json.parse("{} x"));
        assertEquals(3, trailing.offset());
        assertThrows(JsonException.class, () -> Json.parse("\"\t\""));
        assertThrows(JsonException.class, () -> Json.parse(new byte[] {'"', (byte) 0xC3, '"'}));
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting"));
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertDoesNotThrow(() -> Json.parse(ok));
    }

    @Test
    void writerEscapes() {
        assertEquals("{\"k\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":[1,null,true]}",
                Json.write(mapOf("k", "a\"b\\c\n\u0001", "n", java.util.Arrays.asList(1, null, true))));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    static LongStream seeds() {
        return Seeds.of("json.roundTrip", 200);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void writeThenParseIsIdentity(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Object value = randomValue(random, 0);
        String text = Json.write(value);
        assertEquals(normalise(value), Json.parse(text.getBytes(StandardCharsets.UTF_8)), text);
    }

    static LongStream fuzzSeeds() {
        return Seeds.of("json.fuzz", 200);
    }

    /** Random bytes, and truncations and mutations of valid JSON: a value or a JsonException, nothing else. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fuzzSeeds")
    void garbageNeverEscapesAsAnotherException(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = Json.write(randomValue(random, 0)).getBytes(StandardCharsets.UTF_8);
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1)));
        byte[] mutated = valid.clone();
        for (int i = 0; i < 3; i++) {
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
        }
        inputs.add(mutated);
        byte[] noise = new byte[random.nextInt(64)];
        random.nextBytes(noise);
        inputs.add(noise);
        for (byte[] input : inputs) {
            try {
                Json.parse(input);
            } catch (JsonException expected) {
                assertTrue(expected.offset() >= 0);
            }
        }
    }

    private static Object randomValue(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 4 ? 5 : 7);
        return switch (kind) {
            case 0 -> Json.NULL;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong();
            case 3 -> random.nextInt(-1000, 1000) / 8.0;
            case 4 -> randomString(random);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private static String randomString(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            int pick = random.nextInt(4);
            s.appendCodePoint(switch (pick) {
                case 0 -> random.nextInt(0, 0x20);
                case 1 -> random.nextInt(0x20, 0x7f);
                case 2 -> random.nextInt(0xa0, 0xd7ff);
                default -> random.nextInt(0x10000, 0x10ffff);
            });
        }
        return s.toString();
    }

    /** What the reader returns for a written value: numbers as their literal. */
    private static Object normalise(Object value) {
        if (value instanceof Long || value instanceof Double) {
            return new JsonNumber(value.toString());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonTest::normalise).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, normalise(v)));
            return out;
        }
        return value;
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put((String) kv[i], kv[i + 1]);
        }
        return map;
    }
}
