package dev.ingresskit.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ingresskit.push.PageCorpus;
import dev.ingresskit.testsupport.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scanning tokenizer's whole-tag fast path against its state-by-state machine: the same tokens
 * (tag, id, end or start, self-closing, every recorded attribute and value) on real-world-shaped pages
 * and on tag soup built from attribute syntax, fed whole, split at every position, and in random chunks.
 */
class FastPathEquivalenceTest {
    /** Pieces that stress where a tag ends: quotes after '=' or not, '/' and '>' in every attribute state. */
    private static final String[] PIECES = {"<", ">", "</", "/", "/>", " / >", "=", "= ", " =", "\"", "'", "\">\"", "'>'",
        " ", "\n", "\r", "\r\n", "\t", "\f", "\0", "&", "&amp;", "&#62;", "&gt", "<div", "<DIV", "</div", "<a", "<td",
        "<img", "<IMG", "<link", "<script", "</script", "<script>", "</script>", "<source", "<base", "<picture",
        "</picture", "<svg", "</svg", "<math", "</math", "<template", "</template", "<style>", "</style>", "<title>",
        "</title>", "<textarea>", "<plaintext", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<?",
        " src", " SRC", " srcset", " href", " rel", " as", " type", " class", " x", "=a", "=\"a b\"", "='a'", "=x>y",
        "stylesheet", "preload", "a.png", "/x.css", "\u00e9", "\ud83d\ude00", "-", "!", "`", "<p", "<b", "<br/>",
        "<aVeryLongTagNameThatIsLongerThanThirtyTwoCharacters", " aVeryLongAttributeNameOverSixteen=\"v\"",
        // comment ends and raw-text end tags, each in every form the fast paths must decide alike
        "<!-->", "<!--->", "<!---->", "<!---!>", "<!--!>", "--!>", "-->", "<!-- a -- b --->", "</script\n>",
        "</style\t>", "</title\r\n>", "</SCRIPT >", "</script/>", "</textarea x='>'>", "</scripty>", "</scrip>",
        "<script><!--", "</style", "</"};

    static LongStream pages() {
        return Seeds.of("fast path pages", 60);
    }

    static LongStream soups() {
        return Seeds.of("fast path soup", 300);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("pages")
    void realShapedPages(long seed) {
        assertSameTokens(PageCorpus.page(seed), new SplittableRandom(seed), false);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("soups")
    void attributeSoup(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        int pieces = 20 + random.nextInt(200);
        for (int i = 0; i < pieces; i++) {
            int r = random.nextInt(20);
            if (r == 0) {
                b.append((char) random.nextInt(0x80));
            } else if (r < 8) {
                tag(random, b);
            } else {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        assertSameTokens(b.toString(), random, true);
    }

    private static final String[] TAGS = {"img", "IMG", "link", "script", "source", "base", "picture", "svg", "math",
        "template", "div", "a", "td", "style", "title", "textarea", "plaintext"};
    private static final String[] NAMES = {"src", "SRC", "srcset", "href", "rel", "as", "type", "x", "=", "\"", "'",
        "a\"b", "nomodule", "src=", "crossorigin", "FetchPriority", "imagesizes", "referrerpolicy", "loading",
        "referrerpolicyx", "aVeryLongAttributeNameOverSixteen", "sr\u00e9"};
    private static final String[] SPACE = {" ", "", "\n", "\t", "\r\n", "\r", "\f", "  "};
    private static final String[] VALUE = {"a.png", ">", "/", "\"", "'", "=", "a b", "&amp;", "&#47;", "\r", "\0", "",
        "x>y", "/>", "stylesheet", "\u00e9"};
    private static final String[] END = {">", "/>", " />", "/ >", "//>", "", " >"};

    /** A tag built from attribute syntax: every quoting style, '>' and '/' inside values, odd names. */
    private static void tag(SplittableRandom random, StringBuilder b) {
        b.append('<');
        if (random.nextInt(4) == 0) {
            b.append('/');
        }
        b.append(TAGS[random.nextInt(TAGS.length)]);
        int attributes = random.nextInt(5);
        for (int i = 0; i < attributes; i++) {
            b.append(SPACE[random.nextInt(SPACE.length)]).append(NAMES[random.nextInt(NAMES.length)]);
            if (random.nextInt(4) != 0) {
                b.append(SPACE[random.nextInt(SPACE.length)]).append('=').append(SPACE[random.nextInt(SPACE.length)]);
                String quote = switch (random.nextInt(3)) {
                    case 0 -> "\"";
                    case 1 -> "'";
                    default -> "";
                };
                b.append(quote);
                for (int k = random.nextInt(3); k >= 0; k--) {
                    b.append(VALUE[random.nextInt(VALUE.length)]);
                }
                b.append(quote);
            }
        }
        b.append(END[random.nextInt(END.length)]);
    }

    /**
     * Every page of a corpus of real documentation pages (by default Python's, from Debian's
     * {@code python3-doc}; {@code -Dingresskit.corpus=DIR} for another), whole and in two random
     * chunkings. Skipped, saying why, when the corpus is not installed.
     */
    @org.junit.jupiter.api.Test
    void realDocumentationPages() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("ingresskit.corpus", "/usr/share/doc/python3/html"));
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(dir), "the real-page corpus is absent ("
                + dir + "): apt-get install python3-doc, or -Dingresskit.corpus=DIR");
        List<java.nio.file.Path> files;
        try (var walk = java.nio.file.Files.walk(dir.toRealPath(), java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(f -> f.toString().endsWith(".html")).sorted().toList();
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(files.isEmpty(), "no *.html under " + dir);
        for (java.nio.file.Path file : files) {
            String html = java.nio.file.Files.readString(file);
            assertSameTokens(html, new SplittableRandom(file.toString().hashCode()), false, 2, file.toString());
        }
    }

    private static void assertSameTokens(String html, SplittableRandom random, boolean everySplit) {
        assertSameTokens(html, random, everySplit, 10, html);
    }

    private static void assertSameTokens(String html, SplittableRandom random, boolean everySplit, int rounds,
            String what) {
        char[] c = html.toCharArray();
        List<String> slow = tokens(c, false, new int[] {c.length});
        List<String> fast = tokens(c, true, new int[] {c.length});
        assertEquals(slow, fast, what);
        if (everySplit) {
            for (int at = 0; at <= c.length; at++) {
                assertEquals(slow, tokens(c, true, new int[] {at, c.length - at}), "split at " + at + " of " + html);
            }
        }
        for (int round = 0; round < rounds; round++) {
            List<Integer> sizes = new ArrayList<>();
            for (int left = c.length; left > 0; ) {
                int n = Math.min(left, 1 + random.nextInt(random.nextBoolean() ? 16 : 2000));
                sizes.add(n);
                left -= n;
            }
            int[] chunks = sizes.stream().mapToInt(Integer::intValue).toArray();
            assertEquals(slow, tokens(c, true, chunks), "chunks " + sizes + " of " + what);
        }
    }

    /** The tokens of the scanning tokenizer (with tree-builder emulation, as the scanner runs it). */
    private static List<String> tokens(char[] html, boolean fast, int[] chunks) {
        List<String> out = new ArrayList<>();
        Tokenizer tokenizer = new Tokenizer(new Tokenizer.Sink() {
            @Override
            public void startTag(Tokenizer t) {
                out.add(describe("start", t));
            }

            @Override
            public void endTag(Tokenizer t) {
                out.add(describe("end", t));
            }
        }, false, true, fast);
        int at = 0;
        for (int n : chunks) {
            tokenizer.feed(html, at, n);
            at += n;
        }
        tokenizer.finish();
        return out;
    }

    private static String describe(String kind, Tokenizer t) {
        StringBuilder b = new StringBuilder(kind).append(' ').append(t.tagName()).append(" id=").append(t.tagId());
        if (t.selfClosing()) {
            b.append(" /");
        }
        for (int i = 0; i < t.attributeCount(); i++) {
            b.append(' ').append(t.attributeName(i));
        }
        for (int id = 1; id <= Names.A_LOADING; id++) {
            if (t.has(id)) {
                b.append(" [").append(Names.attributeName(id)).append('=').append(t.value(id)).append(']');
            }
        }
        return b.toString();
    }

    /** Recorded values at the length cap, one under and one over it, quoted and not, first and duplicated. */
    @org.junit.jupiter.api.Test
    void valuesAtTheCap() {
        SplittableRandom random = new SplittableRandom(7);
        for (int len = Tokenizer.MAX_VALUE - 1; len <= Tokenizer.MAX_VALUE + 1; len++) {
            String v = "v".repeat(len);
            assertSameTokens("<img src=\"" + v + "\" srcset=" + v + " src='x'><link href=" + v + "><source srcset='" + v
                    + "' sizes=\"" + v + "1\">", random, false);
        }
    }

    @org.junit.jupiter.api.Test
    void aQuotedGreaterThanDoesNotEndATag() {
        char[] c = "<svg class=\"a>b\" x=y /><img src='a.png' alt=\"\"><div x='>'>".toCharArray();
        List<String> fast = tokens(c, true, new int[] {c.length});
        // outside SVG, <div> matters to nobody: it is not passed on
        assertEquals(List.of("start svg id=" + Names.SVG + " /", "start img id=" + Names.IMG + " src [src=a.png]"), fast);
        assertEquals(fast, tokens(c, false, new int[] {c.length}));
    }
}
