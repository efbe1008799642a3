package dev.ingresskit.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our subset of named references against html5lib's namedEntities.test (the WHATWG table). */
class EntitiesTest {
    @Test
    void everyNameWeDecodeMatchesTheStandard() throws Exception {
        Path dir = SharedTestData.require("html5lib-tokenizer");
        Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("namedEntities.test")));
        Map<String, String> standard = new HashMap<>();
        for (Object o : (List<?>) root.get("tests")) {
            Map<?, ?> test = (Map<?, ?>) o;
            String input = (String) test.get("input");
            List<?> first = (List<?>) ((List<?>) test.get("output")).get(0);
            if (!first.get(1).equals(input)) {
                standard.put(input.substring(1), (String) first.get(1));
            }
        }
        String[] names = Entities.names();
        assertTrue(names.length > 200, "names: " + names.length);
        for (String name : names) {
            assertTrue(standard.containsKey(name), "not a standard name (or needs its semicolon): " + name);
            List<String> tokens = Html5libTokenizerTest.tokens("<a x=\"&" + name + "\">", Tokenizer.InitialState.DATA, null, false);
            assertEquals(List.of("StartTag a {x=" + standard.get(name) + "}"), tokens, name);
        }
    }
}
