package dev.ingresskit.access.internal;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the small documents this module sees (JOSE headers, JWT claims, JWKS).
 * Objects become insertion-ordered {@code Map<String,Object>}, arrays {@code List<Object>}, numbers
 * {@link BigDecimal}, plus {@code String}, {@code Boolean} and {@link #NULL}.
 *
 * <p>Stricter than RFC 8259 requires in one way that matters for tokens: a repeated member name is an
 * error, because two readers that pick different duplicates ({@code "alg"}, {@code "aud"}) are how
 * JWT confusion attacks start. Nesting deeper than {@link #MAX_DEPTH} is refused so hostile input
 * cannot exhaust the stack.
 */
public final class JsonReader {
    /** JSON {@code null}; distinct from a missing member. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Containers nested deeper than this are refused. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses UTF-8 bytes; malformed UTF-8 is an error at offset 0. */
    public static Object parse(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonSyntaxException("invalid UTF-8", 0);
        }
        return parse(text);
    }

    /** Parses exactly one value surrounded by optional whitespace. */
    public static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        reader.whitespace();
        Object value = reader.value(0);
        reader.whitespace();
        if (reader.pos != text.length()) {
            throw new JsonSyntaxException("trailing characters after the value", reader.pos);
        }
        return value;
    }

    /** Parses an object, or fails naming what it found instead. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] utf8) {
        Object value = parse(utf8);
        if (!(value instanceof Map<?, ?>)) {
            throw new JsonSyntaxException("expected an object, found " + typeName(value), 0);
        }
        return (Map<String, Object>) value;
    }

    public static String typeName(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "object";
            case List<?> l -> "array";
            case String s -> "string";
            case BigDecimal n -> "number";
            case Boolean b -> "boolean";
            default -> value == NULL ? "null" : value.getClass().getSimpleName();
        };
    }

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw new JsonSyntaxException("unexpected end, expected a value", pos);
        }
        char first = text.charAt(pos);
        if ((first == '{' || first == '[') && depth >= MAX_DEPTH) {
            throw new JsonSyntaxException("more than " + MAX_DEPTH + " nested containers", pos);
        }
        return switch (first) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw new JsonSyntaxException("expected a member name", pos);
            }
            int nameAt = pos;
            String name = string();
            whitespace();
            expect(':');
            whitespace();
            Object value = value(depth + 1);
            if (members.putIfAbsent(name, value) != null) {
                throw new JsonSyntaxException("duplicate member \"" + printable(name) + "\"", nameAt);
            }
            whitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return Collections.unmodifiableMap(members);
            }
            if (c != ',') {
                throw new JsonSyntaxException("expected ',' or '}' in an object", pos - 1);
            }
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> items = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            whitespace();
            items.add(value(depth + 1));
            whitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return Collections.unmodifiableList(items);
            }
            if (c != ',') {
                throw new JsonSyntaxException("expected ',' or ']' in an array", pos - 1);
            }
        }
    }

    private String string() {
        int start = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new JsonSyntaxException("unterminated string", start);
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new JsonSyntaxException("control character in a string", pos - 1);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw new JsonSyntaxException("unterminated escape", pos - 1);
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> throw new JsonSyntaxException("invalid escape \\" + printable(String.valueOf(e)), pos - 2);
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw new JsonSyntaxException("truncated \\u escape", pos - 2);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw new JsonSyntaxException("invalid hex digit in \\u escape", pos + i);
            }
            v = v << 4 | d;
        }
        pos += 4;
        return (char) v;
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw new JsonSyntaxException("unexpected character, expected a value", start);
        }
        if (peek() == '.') {
            pos++;
            requireDigit();
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            requireDigit();
            digits();
        }
        if (pos - start > 64) {
            throw new JsonSyntaxException("number longer than 64 characters", start);
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JsonSyntaxException("number out of range", start);
        }
    }

    private void requireDigit() {
        if (!isDigit(peek())) {
            throw new JsonSyntaxException("expected a digit", pos);
        }
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw new JsonSyntaxException("invalid literal, expected " + word, pos);
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new JsonSyntaxException("expected '" + c + "'", pos);
        }
        pos++;
    }

    /** The current character, or U+0000 at the end (never valid where a token is expected). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void whitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** Names in error messages come from untrusted input: cut and escape them. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 40 ? out + "..." : out.toString();
    }
}
