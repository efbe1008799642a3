package dev.ingresskit.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlLinkScannerTest extends ResourceScannerContract {
    @Override
    protected ResourceScanner newInstance() {
        return HtmlLinkScanner.create();
    }

    private static final String PAGE = "<link rel=stylesheet href='/s\u00e9.css'><script src=/a.js></script><img src=\"/\u4e2d.png\">";

    @Test
    void everyInputFormGivesTheSameResult() throws Exception {
        HtmlLinkScanner scanner = HtmlLinkScanner.create();
        ScanResult expected = scanner.scan(PAGE);
        assertEquals(3, expected.resources().size());
        byte[] utf8 = PAGE.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, scanner.scan(PAGE.toCharArray(), 0, PAGE.length()));
        assertEquals(expected, scanner.scan(new StringBuilder(PAGE)));
        assertEquals(expected, scanner.scan(new StringReader(PAGE)));
        assertEquals(expected, scanner.scanUtf8(utf8, 0, utf8.length));
        assertEquals(expected, scanner.scanUtf8(ByteBuffer.wrap(utf8)));
        ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length).put(utf8).flip();
        assertEquals(expected, scanner.scanUtf8(direct));
    }

    /** Direct and read-only buffers are read in 4 K pieces: characters of 2 to 4 bytes straddle each seam. */
    @Test
    void largeDirectAndReadOnlyBuffers() {
        StringBuilder page = new StringBuilder();
        for (int i = 0; page.length() < 40_000; i++) {
            page.append("<p>caf\u00e9 \u2014 \ud83d\ude00 ").append("x".repeat(i % 7)).append("<img src=\"/i").append(i)
                    .append("\u00e9.png\">");
        }
        String html = page.toString();
        ScanResult expected = HtmlLinkScanner.create().scan(html);
        assertTrue(expected.resources().size() > 500);
        byte[] utf8 = html.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 4; shift++) {
            byte[] shifted = new byte[utf8.length + shift];
            System.arraycopy(utf8, 0, shifted, shift, utf8.length);
            ByteBuffer direct = ByteBuffer.allocateDirect(shifted.length).put(shifted).flip().position(shift);
            assertEquals(expected, HtmlLinkScanner.create().scanUtf8(direct), "direct, shifted by " + shift);
            ByteBuffer readOnly = ByteBuffer.wrap(shifted).position(shift).asReadOnlyBuffer();
            assertEquals(expected, HtmlLinkScanner.create().scanUtf8(readOnly), "read-only, shifted by " + shift);
        }
    }

    @Test
    void utf8SplitInsideACharacterAndATag() {
        byte[] utf8 = PAGE.getBytes(StandardCharsets.UTF_8);
        ScanResult expected = HtmlLinkScanner.create().scan(PAGE);
        for (int cut = 0; cut <= utf8.length; cut++) {
            ScanSession session = HtmlLinkScanner.create().newSession();
            session.feedUtf8(utf8, 0, cut).feedUtf8(utf8, cut, utf8.length - cut);
            assertEquals(expected, session.finish(), "cut at byte " + cut);
        }
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() {
        byte[] bytes = {'<', 'i', 'm', 'g', ' ', 's', 'r', 'c', '=', '/', (byte) 0xC3, 'x', (byte) 0xFF, '>'};
        assertEquals("/\uFFFDx\uFFFD", HtmlLinkScanner.create().scanUtf8(bytes, 0, bytes.length).resources().getFirst().url());
    }

    @Test
    void aSessionIsReusable() {
        ScanSession session = HtmlLinkScanner.create().newSession();
        session.feed("<img src=/one.png><script>");
        assertEquals(1, session.finish().resources().size());
        session.reset();
        assertEquals(List.of("/two.png"), session.feed("<img src=/two.png>").finish().resources().stream().map(Subresource::url).toList());
    }

    @Test
    void cdataOnlyInsideSvgAndSvgScriptIsNotRawText() {
        assertEquals(List.of("/after-svg.png"), HtmlLinkScanner.create().scan(
                "<svg><![CDATA[<img src=/hidden.png>]]><script>x</script></svg><![CDATA[ a bogus comment here ]]><img src=/after-svg.png>")
                .resources().stream().map(Subresource::url).toList());
        assertEquals(List.of("/breakout.png"), HtmlLinkScanner.create().scan("<svg><title><img src=/breakout.png></title></svg>")
                .resources().stream().map(Subresource::url).toList());
    }

    @Test
    void scriptDataEscapesFollowTheSpec() {
        // "<!--" then "<script>" inside a script is double-escaped: its "</script>" does not end the outer one.
        String html = "<script><!-- <script>var x;</script> <img src=/inside.png> --></script><img src=/outside.png>";
        assertEquals(List.of("/outside.png"), HtmlLinkScanner.create().scan(html).resources().stream().map(Subresource::url).toList());
    }

    @Test
    void carriageReturnsEverywhere() {
        String html = "a\r<img\rsrc=/a.png>\r\n<style>\r</style>\r<img src='/b\r\n.png'><script>\r</script\r>\r<img\r\nsrc=/c.png\r>";
        assertEquals(List.of("/a.png", "/b\n.png", "/c.png"),
                HtmlLinkScanner.create().scan(html).resources().stream().map(Subresource::url).toList());
    }
}
