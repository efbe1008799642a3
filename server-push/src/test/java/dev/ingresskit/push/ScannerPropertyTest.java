package dev.ingresskit.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.push.jsoup.JsoupScanner;
import dev.ingresskit.testsupport.Seeds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties over generated real-world-shaped pages. */
class ScannerPropertyTest {
    static LongStream pages() {
        return Seeds.of("server-push pages", 300);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("pages")
    void sameResourcesAsJsoup(long seed) {
        String page = PageCorpus.page(seed);
        ScanResult ours = HtmlLinkScanner.create().scan(page);
        assertEquals(new JsoupScanner().scan(page), ours, page);
        String pageUrl = "https://example.com/dir/page.html";
        LinkHeaderGenerator jsoupGenerator = LinkHeaderGenerator.builder().scanner(new JsoupScanner()).build();
        assertEquals(jsoupGenerator.generate(page, pageUrl), LinkHeaderGenerator.defaults().generate(page, pageUrl));
    }

    @org.junit.jupiter.api.Test
    void theCorpusExercisesEveryKind() {
        java.util.Map<Subresource.Kind, Integer> kinds = new java.util.EnumMap<>(Subresource.Kind.class);
        pages().limit(100).forEach(seed -> HtmlLinkScanner.create().scan(PageCorpus.page(seed)).resources()
                .forEach(r -> kinds.merge(r.kind(), 1, Integer::sum)));
        assertEquals(java.util.EnumSet.allOf(Subresource.Kind.class), kinds.keySet(), kinds.toString());
        assertTrue(kinds.values().stream().mapToInt(Integer::intValue).sum() > 1000, kinds.toString());
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("pages")
    void chunkBoundariesDoNotMatter(long seed) {
        String page = PageCorpus.page(seed);
        ScanResult whole = HtmlLinkScanner.create().scan(page);
        SplittableRandom random = new SplittableRandom(seed);
        ScanSession chars = HtmlLinkScanner.create().newSession();
        char[] c = page.toCharArray();
        for (int at = 0; at < c.length; ) {
            int n = Math.min(c.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 4000));
            chars.feed(c, at, n);
            at += n;
        }
        assertEquals(whole, chars.finish());
        ScanSession bytes = HtmlLinkScanner.create().newSession();
        byte[] b = page.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < b.length; ) {
            int n = Math.min(b.length - at, 1 + random.nextInt(random.nextBoolean() ? 5 : 3000));
            bytes.feedUtf8(ByteBuffer.wrap(b, at, n));
            at += n;
        }
        assertEquals(whole, bytes.finish());
    }

    /**
     * Pages of many 4 K chunks through every input form: a String and a reader are chunked by the session
     * (each chunk ends before its last tag), a StringBuilder character by character, UTF-8 by the decoder.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("pages")
    void longPagesGiveTheSameResultInEveryInputForm(long seed) throws java.io.IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder joined = new StringBuilder();
        for (long s = seed; joined.length() < 40_000; s++) {
            joined.append(PageCorpus.page(s));
        }
        String page = joined.append("<img src=/end.png>").toString(); // a tag held back until the end
        ScanSession chars = HtmlLinkScanner.create().newSession();
        char[] c = page.toCharArray();
        for (int at = 0; at < c.length; ) {
            int n = Math.min(c.length - at, 1 + random.nextInt(9000));
            chars.feed(c, at, n);
            at += n;
        }
        ScanResult expected = chars.finish();
        assertTrue(expected.resources().toString().contains("/end.png"), expected.resources().toString());
        assertEquals(expected, HtmlLinkScanner.create().scan(page), "String");
        assertEquals(expected, HtmlLinkScanner.create().scan(joined), "StringBuilder");
        java.io.Reader shortReads = new java.io.FilterReader(new java.io.StringReader(page)) {
            @Override
            public int read(char[] buf, int off, int len) throws java.io.IOException {
                return super.read(buf, off, Math.min(len, 1 + random.nextInt(random.nextBoolean() ? 10 : 5000)));
            }
        };
        assertEquals(expected, HtmlLinkScanner.create().scan(shortReads), "reader");
        byte[] utf8 = page.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, HtmlLinkScanner.create().scanUtf8(utf8, 0, utf8.length), "UTF-8");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("pages")
    void everyTruncationIsHandled(long seed) {
        String page = PageCorpus.page(seed);
        SplittableRandom random = new SplittableRandom(seed);
        int found = HtmlLinkScanner.create().scan(page).resources().size();
        for (int i = 0; i < 20; i++) {
            int cut = random.nextInt(page.length() + 1);
            int prefixFound = HtmlLinkScanner.create().scan(page.substring(0, cut)).resources().size();
            assertTrue(prefixFound <= found, "a prefix cannot refer to more than the page: cut " + cut);
        }
    }
}
