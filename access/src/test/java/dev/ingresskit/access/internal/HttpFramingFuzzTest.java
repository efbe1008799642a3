package dev.ingresskit.access.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ingresskit.testsupport.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The relay's two decoders, HTTP heads and chunked framing, on valid, truncated, mutated and random bytes. */
class HttpFramingFuzzTest {
    static final String HEAD = "POST /api/v1/namespaces/x/pods HTTP/1.1\r\nHost: kube.test:6443\r\nContent-Length: 12\r\n"
            + "Transfer-Encoding: chunked\r\nImpersonate-Group: a\r\nImpersonate-Group: b\r\n\r\n";
    static final String CHUNKED = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";

    static LongStream seeds() {
        return Seeds.of("httpFramingFuzz", 30);
    }

    @Test
    void readsAndRewritesAHead() throws IOException {
        HttpHead head = HttpHead.read(new ByteArrayInputStream(HEAD.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("POST", head.method());
        assertEquals(java.util.List.of("a", "b"), head.all("impersonate-group"));
        assertThrows(HttpFormatException.class, head::chunked, "both framings at once");
        head.removeStartingWith("Impersonate-");
        head.remove("Content-Length");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head.write(out);
        assertEquals("POST /api/v1/namespaces/x/pods HTTP/1.1\r\nHost: kube.test:6443\r\nTransfer-Encoding: chunked\r\n\r\n", out.toString(StandardCharsets.ISO_8859_1));
        assertThrows(IllegalArgumentException.class, () -> head.add("X", "a\r\nInjected: yes"));
    }

    @Test
    void copiesChunkedFramingVerbatim() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpRelay.copyBody(new ByteArrayInputStream(CHUNKED.getBytes(StandardCharsets.ISO_8859_1)), out, -1, true);
        assertEquals(CHUNKED, out.toString(StandardCharsets.ISO_8859_1));
        for (String smuggling : new String[] {"5\nhello\r\n0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\r\nhello\r\n0\r\n\r\n", "0\r\nX: a\rb\r\n\r\n"}) {
            assertThrows(HttpFormatException.class, () -> HttpRelay.copyBody(
                    new ByteArrayInputStream(smuggling.getBytes(StandardCharsets.ISO_8859_1)), new ByteArrayOutputStream(), -1, true), smuggling);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void brokenInputOnlyEverFailsTyped(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 300; round++) {
            byte[] head = mutate(HEAD.getBytes(StandardCharsets.ISO_8859_1), random);
            try {
                HttpHead parsed = HttpHead.read(new ByteArrayInputStream(head));
                if (parsed != null) {
                    parsed.contentLength();
                    parsed.chunked();
                    parsed.method();
                }
            } catch (HttpFormatException | EOFException expected) {
                // typed
            } catch (IOException e) {
                throw new AssertionError("untyped I/O failure for seed " + seed + ": " + e);
            }
            byte[] chunked = mutate(CHUNKED.getBytes(StandardCharsets.ISO_8859_1), random);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                HttpRelay.copyBody(new ByteArrayInputStream(chunked), out, -1, true);
                assertArrayEquals(java.util.Arrays.copyOf(chunked, out.size()), out.toByteArray(), "copied bytes are a prefix of the input");
            } catch (HttpFormatException expected) {
                // typed
            } catch (IOException e) {
                throw new AssertionError("untyped I/O failure for seed " + seed + ": " + e);
            }
        }
    }

    static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] b = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            case 1 -> {
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    b[random.nextInt(b.length)] = (byte) "\r\n: ;0123456789abcdefxXG\u0000\u00ff".charAt(random.nextInt(26));
                }
            }
            case 2 -> {
                b = new byte[random.nextInt(120)];
                random.nextBytes(b);
            }
            default -> {
            }
        }
        return b;
    }
}
