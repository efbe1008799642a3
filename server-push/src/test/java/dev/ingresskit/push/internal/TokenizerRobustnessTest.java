package dev.ingresskit.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.push.HtmlLinkScanner;
import dev.ingresskit.push.ScanResult;
import dev.ingresskit.testsupport.Seeds;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random and hostile input: no exception, and memory that does not grow with the input. */
class TokenizerRobustnessTest {
    private static final String[] PIECES = {"<", ">", "</", "<!", "<!--", "-->", "--", "-", "<!DOCTYPE", "<![CDATA[", "]]>",
        "<img", "<IMG", " src", "=", "\"", "'", "&", "&amp;", "&#x", "&#", ";", "&not", "<script>", "</script>", "<script",
        "<style>", "</style", "<svg>", "</svg>", "<math>", "<template>", "</template>", "<picture>", "<source srcset=",
        "<link rel=stylesheet href=", "<base href=", "/", " ", "\n", "\r", "\t", "\0", "a", "x.png", "\u00e9", "\ud83d\ude00",
        "\ud800", "<textarea>", "</textarea>", "<plaintext>", "?", "<noscript>"};

    static LongStream seeds() {
        return Seeds.of("tag soup", 200);
    }

    static String soup(SplittableRandom random, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            if (random.nextInt(10) == 0) {
                b.append((char) random.nextInt(0x10000));
            } else {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return b.toString();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void tagSoupNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String html = soup(random, 2000);
        ScanResult result = HtmlLinkScanner.create().scan(html);
        byte[] bytes = new byte[4000];
        random.nextBytes(bytes);
        HtmlLinkScanner.create().scanUtf8(bytes, 0, bytes.length);
        // the result can always be turned into a header
        dev.ingresskit.push.LinkHeaderGenerator.builder().allowAnyOrigin().build().fromScan(result, "https://example.com/");
    }

    @Test
    void hostileInputKeepsBuffersSmall() {
        LinkExtractor extractor = new LinkExtractor();
        Tokenizer tokenizer = extractor.tokenizer();
        char[] chunk = new char[8192];
        // a 4 MB URL, a 4 MB tag name, a tag with 200,000 attributes, a 4 MB comment
        feed(tokenizer, "<img src=\"");
        java.util.Arrays.fill(chunk, 'a');
        for (int i = 0; i < 512; i++) {
            tokenizer.feed(chunk, 0, chunk.length);
        }
        feed(tokenizer, "\"><");
        for (int i = 0; i < 512; i++) {
            tokenizer.feed(chunk, 0, chunk.length);
        }
        feed(tokenizer, "><link");
        for (int i = 0; i < 200_000; i++) {
            feed(tokenizer, " href=x rel=y as" + (i % 100) + "=z");
        }
        feed(tokenizer, "><!--");
        for (int i = 0; i < 512; i++) {
            tokenizer.feed(chunk, 0, chunk.length);
        }
        ScanResult result = extractor.finish();
        assertEquals(0, result.resources().size(), "the over-long URL is dropped, not truncated");
        assertTrue(tokenizer.retainedChars() < 64 * 1024, "retained " + tokenizer.retainedChars());
    }

    @Test
    @Tag("fuzz")
    void longTagSoupRun() {
        SplittableRandom random = new SplittableRandom(Seeds.of("long tag soup", 1).findFirst().orElseThrow());
        for (int i = 0; i < 20_000; i++) {
            HtmlLinkScanner.create().scan(soup(random, 500));
        }
    }

    private static void feed(Tokenizer tokenizer, String s) {
        tokenizer.feed(s.toCharArray(), 0, s.length());
    }
}
