package dev.ingresskit.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The html5lib tokenizer conformance vectors (html5lib/html5lib-tests, tokenizer/*.test, MIT), read in
 * place from ../shared/testdata/html5lib-tokenizer. Each case runs in each of its initial states, once
 * with the whole input and once a character at a time (every chunk boundary), and the two must agree
 * with the expected tokens.
 *
 * <p>Compared: StartTag (name, attributes, self-closing), EndTag (name), Comment (data), DOCTYPE (name).
 * Not compared, because the scanner does not produce them: Character tokens, parse errors, DOCTYPE
 * public/system identifiers and force-quirks. Filtered out: xmlViolation.test (a different tokenizer
 * mode), and cases whose attribute values contain a named character reference that the scanner's subset
 * table decodes differently from the full WHATWG table (see {@link Entities}).
 */
class Html5libTokenizerTest {
    private static final List<String> FILES = List.of("contentModelFlags.test", "domjs.test", "entities.test",
            "escapeFlag.test", "namedEntities.test", "numericEntities.test", "pendingSpecChanges.test",
            "test1.test", "test2.test", "test3.test", "unicodeChars.test", "unicodeCharsProblematic.test");

    static int run;
    static int filtered;

    @TestFactory
    Stream<DynamicTest> html5libTokenizerVectors() throws IOException {
        Path dir = SharedTestData.require("html5lib-tokenizer");
        Set<String> fullTable = fullEntityTable(dir);
        Set<String> ours = Set.of(Entities.names());
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : FILES) {
            Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve(file)));
            int index = 0;
            for (Object o : (List<?>) root.get("tests")) {
                Map<?, ?> test = (Map<?, ?>) o;
                boolean doubleEscaped = Boolean.TRUE.equals(test.get("doubleEscaped"));
                String input = unescape((String) test.get("input"), doubleEscaped);
                List<String> expected = expected((List<?>) test.get("output"), doubleEscaped);
                boolean hasAttributes = expected.stream().anyMatch(t -> t.startsWith("StartTag") && !t.contains("{}"));
                if (hasAttributes && entityOutsideSubset(input, fullTable, ours)) {
                    filtered++;
                    continue;
                }
                List<?> states = test.containsKey("initialStates") ? (List<?>) test.get("initialStates") : List.of("Data state");
                String last = (String) test.get("lastStartTag");
                for (Object state : states) {
                    Tokenizer.InitialState initial = initialState((String) state);
                    String name = file + "#" + index + " [" + state + "] " + test.get("description");
                    run++;
                    tests.add(DynamicTest.dynamicTest(name, () -> {
                        assertEquals(expected, tokens(input, initial, last, false), "whole input");
                        assertEquals(expected, tokens(input, initial, last, true), "one char at a time");
                    }));
                }
                index++;
            }
        }
        return tests.stream();
    }

    @Test
    void coverageIsWhatTheReadmeSays() throws IOException {
        html5libTokenizerVectors().count();
        // README: 6,700+ cases run, fewer than 60 filtered.
        assertTrue(run > 6700, "cases run: " + run);
        assertTrue(filtered < 60, "cases filtered: " + filtered);
        System.out.printf("html5lib tokenizer: %d runs, %d cases filtered%n", run, filtered);
        run = 0;
        filtered = 0;
    }

    static List<String> tokens(String input, Tokenizer.InitialState state, String last, boolean charByChar) {
        List<String> out = new ArrayList<>();
        Tokenizer tokenizer = new Tokenizer(new Tokenizer.Sink() {
            @Override
            public void startTag(Tokenizer t) {
                Map<String, String> attrs = new LinkedHashMap<>();
                for (int i = 0; i < t.attributeCount(); i++) {
                    attrs.put(t.attributeName(i), t.attributeValue(i));
                }
                out.add("StartTag " + t.tagName() + " " + attrs + (t.selfClosing() ? " selfclosing" : ""));
            }

            @Override
            public void endTag(Tokenizer t) {
                out.add("EndTag " + t.tagName());
            }

            @Override
            public void comment(String data) {
                out.add("Comment " + data);
            }

            @Override
            public void doctype(String name) {
                out.add("DOCTYPE " + name);
            }
        }, true, false);
        tokenizer.start(state, last);
        char[] chars = input.toCharArray();
        if (charByChar) {
            for (int i = 0; i < chars.length; i++) {
                tokenizer.feed(chars, i, 1);
            }
        } else {
            tokenizer.feed(chars, 0, chars.length);
        }
        tokenizer.finish();
        return out;
    }

    private static List<String> expected(List<?> output, boolean doubleEscaped) {
        List<String> out = new ArrayList<>();
        for (Object o : output) {
            List<?> token = (List<?>) o;
            String type = (String) token.get(0);
            switch (type) {
                case "StartTag" -> {
                    Map<String, String> attrs = new LinkedHashMap<>();
                    ((Map<?, ?>) token.get(2)).forEach((k, v) ->
                            attrs.put(unescape((String) k, doubleEscaped), unescape((String) v, doubleEscaped)));
                    boolean selfClosing = token.size() > 3 && Boolean.TRUE.equals(token.get(3));
                    out.add("StartTag " + unescape((String) token.get(1), doubleEscaped) + " " + attrs
                            + (selfClosing ? " selfclosing" : ""));
                }
                case "EndTag" -> out.add("EndTag " + unescape((String) token.get(1), doubleEscaped));
                case "Comment" -> out.add("Comment " + unescape((String) token.get(1), doubleEscaped));
                case "DOCTYPE" -> out.add("DOCTYPE " + unescape((String) token.get(1), doubleEscaped));
                case "Character" -> {
                    // not produced by the scanner
                }
                default -> throw new IllegalArgumentException("token type " + type);
            }
        }
        return out;
    }

    private static Tokenizer.InitialState initialState(String name) {
        return switch (name) {
            case "Data state" -> Tokenizer.InitialState.DATA;
            case "PLAINTEXT state" -> Tokenizer.InitialState.PLAINTEXT;
            case "RCDATA state" -> Tokenizer.InitialState.RCDATA;
            case "RAWTEXT state" -> Tokenizer.InitialState.RAWTEXT;
            case "Script data state" -> Tokenizer.InitialState.SCRIPT_DATA;
            case "CDATA section state" -> Tokenizer.InitialState.CDATA_SECTION;
            default -> throw new IllegalArgumentException("initial state " + name);
        };
    }

    /** Every name of the WHATWG table, as namedEntities.test lists them ("&AElig", "&AElig;" …). */
    private static Set<String> fullEntityTable(Path dir) throws IOException {
        Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("namedEntities.test")));
        Set<String> names = new HashSet<>();
        for (Object o : (List<?>) root.get("tests")) {
            String input = (String) ((Map<?, ?>) o).get("input");
            List<?> output = (List<?>) ((Map<?, ?>) o).get("output");
            List<?> first = (List<?>) output.get(0);
            if (input.startsWith("&") && !first.get(1).equals(input)) {
                names.add(input.substring(1));
            }
        }
        return names;
    }

    /** True when some "&name" in the input has a different longest match in our table than in the full one. */
    static boolean entityOutsideSubset(String input, Set<String> full, Set<String> ours) {
        for (int at = input.indexOf('&'); at >= 0; at = input.indexOf('&', at + 1)) {
            int end = at + 1;
            while (end < input.length() && end - at <= 40 && (Character.isLetterOrDigit(input.charAt(end)))) {
                end++;
            }
            if (end < input.length() && input.charAt(end) == ';') {
                end++;
            }
            String run = input.substring(at + 1, end);
            if (!longest(run, full).equals(longest(run, ours))) {
                return true;
            }
        }
        return false;
    }

    private static String longest(String run, Set<String> names) {
        for (int n = run.length(); n > 0; n--) {
            if (names.contains(run.substring(0, n))) {
                return run.substring(0, n);
            }
        }
        return "";
    }

    private static String unescape(String s, boolean doubleEscaped) {
        if (s == null || !doubleEscaped) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\u", i) && i + 6 <= s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                b.append(s.charAt(i));
            }
        }
        return b.toString();
    }
}
