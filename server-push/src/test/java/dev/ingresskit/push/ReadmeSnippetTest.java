package dev.ingresskit.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ingresskit.testsupport.ReadmeSnippet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's snippets, compiled and run. */
class ReadmeSnippetTest {
    @Test
    void usage() {
        // snippet: usage
        LinkHeaderGenerator generator = LinkHeaderGenerator.builder()
                .allowOrigin("https://cdn.example")   // same origin only, unless allowed
                .extraAttribute("nopush")             // netjet's extra attributes
                .cache(256)                           // LRU keyed by URL + ETag (or content hash)
                .build();
        String html = """
                <link rel=stylesheet href=/site.css>
                <script type=module src=app.mjs></script>
                <img src="https://cdn.example/hero.avif" fetchpriority=high>""";
        LinkHeader header = generator.generate(html, "https://example.com/blog/", "\"v42\"");
        String value = header.value(); // response.setHeader("Link", value)
        // end snippet
        assertEquals("</site.css>; rel=preload; as=style; nopush, </blog/app.mjs>; rel=modulepreload; nopush, "
                + "<https://cdn.example/hero.avif>; rel=preload; as=image; fetchpriority=high; nopush", value);
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/push/ReadmeSnippetTest.java", "usage");
    }

    @Test
    void streaming() {
        byte[] chunk1 = "<html><head><link rel=stylesheet href=/a.css><scr".getBytes(StandardCharsets.UTF_8);
        byte[] chunk2 = "ipt src=/b.js></script>".getBytes(StandardCharsets.UTF_8);
        // snippet: streaming
        ScanSession session = HtmlLinkScanner.create().newSession();  // keep one per thread and reuse it
        session.feedUtf8(chunk1, 0, chunk1.length);                     // chunks may split anything
        session.feedUtf8(chunk2, 0, chunk2.length);
        ScanResult scan = session.finish();
        LinkHeader header = LinkHeaderGenerator.defaults().fromScan(scan, "https://example.com/");
        session.reset();
        // end snippet
        assertEquals("</a.css>; rel=preload; as=style, </b.js>; rel=preload; as=script", header.value());
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/push/ReadmeSnippetTest.java", "streaming");
    }
}
