package dev.ingresskit.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scanner's UTF-8 decoder against the JDK's (malformed input replaced), on random byte soup built
 * from ASCII runs of every length, characters at each edge of each sequence length, and every kind of
 * malformed sequence (stray continuations, C0/C1 and F5–FF leads, overlongs, encoded surrogates, code
 * points above U+10FFFF, sequences cut short): the same characters, whole, in random chunks, and split
 * at every position. The seed is in each case's name.
 */
class Utf8DecoderTest {
    /** Characters at the edges: the first and last of each length, around the surrogates, U+FFFD itself. */
    private static final int[] EDGES = {0x80, 0xB6, 0xFF, 0x100, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000,
        0x1F600, 0x10FFFF, 0x2014, 0x2019};
    /** Malformed pieces, and pieces that are only malformed when what follows them is wrong. */
    private static final String[] BAD = {"80", "bf", "c0", "c1", "c0af", "c280", "c2", "df", "e0", "e080", "e08080",
        "e09f80", "e0a0", "eda080", "edbfbf", "ed9fbf", "ef", "efbf", "f0", "f08080", "f0808080", "f09080", "f4", "f48f",
        "f4908080", "f5", "f8", "fc", "fe", "ff", "e1", "e180", "f1", "f180", "f18080", "c3", "e280", "41"};

    static LongStream seeds() {
        return Seeds.of("utf8 decoder", 250);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void sameCharactersAsTheJdk(long seed) throws CharacterCodingException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] input = soup(random, random.nextInt(6) == 0 ? 20_000 : 600);
        String expected = jdk(input);
        assertEquals(expected, decode(input, new int[] {input.length}), () -> "whole " + hex(input));
        for (int round = 0; round < 8; round++) {
            int[] chunks = chunks(random, input.length);
            assertEquals(expected, decode(input, chunks), () -> "chunks " + java.util.Arrays.toString(chunks) + " of "
                    + hex(input));
        }
        if (input.length <= 600) {
            for (int at = 0; at <= input.length; at++) {
                int split = at;
                assertEquals(expected, decode(input, new int[] {at, input.length - at}), () -> "split at " + split
                        + " of " + hex(input));
            }
        }
    }

    /**
     * A chunk passed on before the end of the input is full (input in small writes is gathered) and ends
     * where a tag starts (the next chunk starts with '<'), unless no '<' is among its last 512 characters
     * but its first: the tokenizer reads a whole tag in one pass, a cut one a character at a time.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void chunksEndBeforeTheirLastTag(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder page = new StringBuilder();
        while (page.length() < 30_000) {
            page.append(random.nextInt(40) == 0 ? "x".repeat(random.nextInt(2000)) : "text — ’ ")
                    .append("<span class=\"c").append(random.nextInt(1000)).append("\">");
        }
        byte[] input = page.toString().getBytes(StandardCharsets.UTF_8);
        java.util.List<String> out = new java.util.ArrayList<>();
        Utf8Decoder decoder = new Utf8Decoder((chars, offset, length) -> out.add(new String(chars, offset, length)));
        int at = 0;
        for (int n : chunks(random, input.length)) {
            decoder.feed(input, at, n);
            at += n;
        }
        int beforeFinish = out.size();
        decoder.finish();
        assertEquals(page.toString(), String.join("", out));
        int cut = 0;
        for (int i = 0; i + 1 < out.size() && i < beforeFinish; i++) {
            String chunk = out.get(i);
            int index = i;
            // small writes are gathered: a chunk goes on once full, less at most the held-back tag
            assertTrue(chunk.length() >= Utf8Decoder.CHUNK - 2 - 512, () -> "chunk " + index + " of "
                    + chunk.length() + " characters passed on before the chunk filled");
            int last = chunk.lastIndexOf('<');
            boolean tagInTail = last > 0 && last >= chunk.length() - 512;
            String next = out.get(i + 1);
            assertTrue(next.startsWith("<") || !tagInTail, () -> "chunk " + index + " has its last '<' at "
                    + last + " of " + chunk.length() + " and the next starts " + next.substring(0, Math.min(20, next.length())));
            cut += next.startsWith("<") ? 1 : 0;
        }
        if (beforeFinish > 2) {
            assertTrue(cut > 0, "no chunk ended before a tag");
        }
    }

    @Test
    void beforeLastTag() {
        char[] buf = "ab<c>de<f".toCharArray();
        assertEquals(7, Tokenizer.beforeLastTag(buf, buf.length));
        assertEquals(2, Tokenizer.beforeLastTag(buf, 7), "the '<' of a whole tag ends the chunk too");
        assertEquals(3, Tokenizer.beforeLastTag("<ab<".toCharArray(), 3), "never before the first character");
        assertEquals(0, Tokenizer.beforeLastTag(buf, 0));
        char[] in = ("a<" + "x".repeat(511)).toCharArray();
        assertEquals(1, Tokenizer.beforeLastTag(in, in.length), "a '<' 512 characters from the end");
        char[] out = ("a<" + "x".repeat(512)).toCharArray();
        assertEquals(out.length, Tokenizer.beforeLastTag(out, out.length), "513 characters from the end");
    }

    /** Every 1- to 3-byte sequence, and every 4-byte sequence that starts with F0, F4 or F5. */
    @Test
    void everyShortSequence() throws CharacterCodingException {
        java.util.List<byte[]> cases = new java.util.ArrayList<>();
        for (int a = 0; a < 256; a++) {
            cases.add(new byte[] {(byte) a, 'x'});
            for (int b = 0; b < 256; b++) {
                cases.add(new byte[] {(byte) a, (byte) b, 'x'});
            }
        }
        for (int a = 0xE0; a <= 0xEF; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0x70; c < 0xD0; c++) {
                    cases.add(new byte[] {(byte) a, (byte) b, (byte) c});
                }
            }
        }
        for (int a : new int[] {0xF0, 0xF4, 0xF5}) {
            for (int b = 0x70; b < 0xD0; b++) {
                for (int c = 0x70; c < 0xD0; c += 7) {
                    for (int d = 0x70; d < 0xD0; d += 3) {
                        cases.add(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
                    }
                }
            }
        }
        for (byte[] input : cases) {
            String expected = jdk(input);
            assertEquals(expected, decode(input, new int[] {input.length}), () -> hex(input));
            assertEquals(expected, decode(input, new int[] {1, input.length - 1}), () -> "split after 1: " + hex(input));
        }
    }

    /** Random bytes from the pieces above, with ASCII runs shorter and longer than a word and a chunk. */
    private static byte[] soup(SplittableRandom random, int approximateLength) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (b.size() < approximateLength) {
            switch (random.nextInt(8)) {
                case 0, 1 -> {
                    int n = random.nextInt(4) == 0 ? random.nextInt(5000) : random.nextInt(40);
                    for (int i = 0; i < n; i++) {
                        b.write(random.nextInt(4) == 0 ? '<' : 0x20 + random.nextInt(0x5F));
                    }
                }
                case 2, 3 -> {
                    int cp = EDGES[random.nextInt(EDGES.length)];
                    b.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                }
                case 4 -> {
                    int cp = random.nextInt(0x110000);
                    if (cp < 0xD800 || cp > 0xDFFF) {
                        b.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    }
                }
                case 5 -> b.writeBytes(HexFormat.of().parseHex(BAD[random.nextInt(BAD.length)]));
                case 6 -> b.write(random.nextInt(256));
                default -> b.write(0x80 + random.nextInt(0x80));
            }
        }
        return b.toByteArray();
    }

    private static int[] chunks(SplittableRandom random, int length) {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        for (int left = length; left > 0; ) {
            int n = Math.min(left, 1 + random.nextInt(random.nextBoolean() ? 6 : 9000));
            sizes.add(n);
            left -= n;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String decode(byte[] input, int[] chunks) {
        StringBuilder out = new StringBuilder();
        Utf8Decoder decoder = new Utf8Decoder((chars, offset, length) -> out.append(chars, offset, length));
        decoder.feed(new byte[] {(byte) 0xE2, (byte) 0x80}, 0, 2); // kept for the next call, until a reset
        decoder.reset();
        int at = 0;
        for (int n : chunks) {
            // the chunk at an offset inside a larger array, as callers hand them over
            byte[] padded = new byte[n + 10];
            System.arraycopy(input, at, padded, 5, n);
            decoder.feed(padded, 5, n);
            at += n;
        }
        decoder.finish();
        return out.toString();
    }

    private static String jdk(byte[] input) throws CharacterCodingException {
        CharBuffer out = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(ByteBuffer.wrap(input));
        return out.toString();
    }

    private static String hex(byte[] input) {
        return input.length > 4000 ? input.length + " bytes" : HexFormat.of().formatHex(input);
    }
}
