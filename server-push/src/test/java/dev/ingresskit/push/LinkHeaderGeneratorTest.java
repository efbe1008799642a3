package dev.ingresskit.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** netjet's behaviour list, as our own tests, plus what netjet lacked. */
class LinkHeaderGeneratorTest {
    private static final String PAGE_URL = "https://example.com/blog/post.html";

    private static String value(LinkHeaderGenerator generator, String html) {
        return generator.generate(html, PAGE_URL).value();
    }

    private static List<String> lines(LinkHeaderGenerator generator, String html) {
        return generator.generate(html, PAGE_URL).links().stream().map(PreloadLink::toString).toList();
    }

    @Test
    void imagesScriptsAndStylesBecomePreloads() {
        assertEquals("</blog/app.css>; rel=preload; as=style, </js/app.js>; rel=preload; as=script, "
                        + "</img/logo.png>; rel=preload; as=image",
                value(LinkHeaderGenerator.defaults(),
                        "<img src='/img/logo.png'><script src='/js/app.js'></script><link rel=stylesheet href=app.css>"));
    }

    @Test
    void eachKindCanBeTurnedOff() {
        String html = "<img src=/i.png><script src=/s.js></script><link rel=stylesheet href=/c.css>";
        assertEquals(List.of("</s.js>; rel=preload; as=script", "</i.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.builder().styles(false).build(), html));
        assertEquals(List.of("</c.css>; rel=preload; as=style", "</i.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.builder().scripts(false).build(), html));
        assertEquals(List.of("</c.css>; rel=preload; as=style", "</s.js>; rel=preload; as=script"),
                lines(LinkHeaderGenerator.builder().images(false).build(), html));
    }

    @Test
    void baseHrefChangesResolution() {
        assertEquals(List.of("</static/v2/a.css>; rel=preload; as=style", "</root.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.defaults(),
                        "<base href='/static/v2/'><link rel=stylesheet href=a.css><img src=../../root.png>"));
        // a <base> on another origin makes relative URLs cross-origin: refused unless allowed
        assertEquals(List.of(), lines(LinkHeaderGenerator.defaults(), "<base href='https://cdn.example/x/'><img src=a.png>"));
        assertEquals(List.of("<https://cdn.example/x/a.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.builder().allowOrigin("https://cdn.example").build(),
                        "<base href='https://cdn.example/x/'><img src=a.png>"));
    }

    @Test
    void originPolicy() {
        String html = "<img src=https://cdn.example/a.png><img src=//cdn.example:443/b.png><img src=http://example.com/c.png>"
                + "<img src=https://EXAMPLE.com:443/d.png><img src=data:image/png;base64,AAAA><img src=blob:https://example.com/x>"
                + "<script src='javascript:alert(1)'></script><img src=mailto:x@example.com><img src=#top><img src=''>";
        assertEquals(List.of("</d.png>; rel=preload; as=image"), lines(LinkHeaderGenerator.defaults(), html));
        assertEquals(List.of("<https://cdn.example/a.png>; rel=preload; as=image", "<https://cdn.example/b.png>; rel=preload; as=image",
                        "</d.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.builder().allowOrigin("https://cdn.example").build(), html));
        assertEquals(4, LinkHeaderGenerator.builder().allowAnyOrigin().build().generate(html, PAGE_URL).links().size());
    }

    @Test
    void urlEncodingForTheHeader() {
        assertEquals(List.of("</blog/a%20b.png>; rel=preload; as=image", "</%C3%A9t%C3%A9/%E4%B8%AD.png?q=%3Cx%3E>; rel=preload; as=image",
                        "</x%22y%60.png?a=%27b%27>; rel=preload; as=image", "</already%20encoded.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.defaults(), "<img src=' a b.png '><img src='/\u00e9t\u00e9/\u4e2d.png?q=<x>#frag'>"
                        + "<img src='/x\"y`.png?a=&#39;b&#39;'><img src='/already%20encoded.png'>"));
        // tabs and newlines inside URLs are removed, as browsers do
        assertEquals(List.of("</blog/split.png>; rel=preload; as=image"), lines(LinkHeaderGenerator.defaults(), "<img src='spl\n\tit.png'>"));
    }

    @Test
    void dotSegmentsAndBackslashes() {
        assertEquals(List.of("</a/c.png>; rel=preload; as=image", "</x/y.png>; rel=preload; as=image", "</z.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.defaults(), "<img src='/a/b/../c.png'><img src='\\x\\y.png'><img src='/q/%2e%2E/z.png'>"));
    }

    @Test
    void duplicatesAreSentOnce() {
        assertEquals(List.of("</a.js>; rel=preload; as=script", "</i.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.defaults(), "<link rel=preload href=/a.js as=script><script src=/a.js></script>"
                        + "<img src=/i.png><img src=https://example.com/i.png#x><script src=./../a.js></script>"));
    }

    @Test
    void orderingPutsStylesAndBlockingScriptsFirst() {
        assertEquals(List.of("<https://fonts.example>; rel=preconnect; crossorigin", "</c.css>; rel=preload; as=style",
                        "</blocking.js>; rel=preload; as=script", "</f.woff2>; rel=preload; as=font; type=\"font/woff2\"; crossorigin",
                        "</m.mjs>; rel=modulepreload", "</async.js>; rel=preload; as=script", "</i.png>; rel=preload; as=image"),
                lines(LinkHeaderGenerator.defaults(), """
                        <img src=/i.png><script async src=/async.js></script><script type=module src=/m.mjs></script>
                        <link rel=preload href=/f.woff2 as=font type=font/woff2 crossorigin><script src=/blocking.js></script>
                        <link rel=stylesheet href=/c.css><link rel=preconnect href=https://fonts.example crossorigin>"""));
    }

    @Test
    void moduleScriptsAndCrossorigin() {
        String html = "<script type=module src=/m.mjs></script><script type=module src=/cred.mjs crossorigin=use-credentials></script>"
                + "<script src=/c.js crossorigin integrity='sha256-abc='></script>";
        assertEquals(List.of("</c.js>; rel=preload; as=script; crossorigin; integrity=\"sha256-abc=\"",
                        "</m.mjs>; rel=modulepreload", "</cred.mjs>; rel=modulepreload; crossorigin=use-credentials"),
                lines(LinkHeaderGenerator.defaults(), html));
        assertEquals(List.of("</c.js>; rel=preload; as=script; crossorigin; integrity=\"sha256-abc=\"",
                        "</m.mjs>; rel=preload; as=script; crossorigin", "</cred.mjs>; rel=preload; as=script; crossorigin=use-credentials"),
                lines(LinkHeaderGenerator.builder().moduleScripts(LinkHeaderGenerator.ModuleScripts.PRELOAD_AS_SCRIPT).build(), html));
    }

    @Test
    void nomoduleIsNeverPreloaded() {
        assertEquals("", value(LinkHeaderGenerator.defaults(), "<script nomodule src=/legacy.js></script>"));
    }

    @Test
    void extraAttributes() {
        LinkHeaderGenerator generator = LinkHeaderGenerator.builder().extraAttribute("nopush").extraAttribute("x-note", "a b").build();
        assertEquals("</a.css>; rel=preload; as=style; nopush; x-note=\"a b\"",
                value(generator, "<link rel=stylesheet href=/a.css>"));
        assertThrows(IllegalArgumentException.class, () -> LinkHeaderGenerator.builder().extraAttribute("no push"));
        assertThrows(IllegalArgumentException.class, () -> LinkHeaderGenerator.builder().extraAttribute("x", "line\r\nInjected: 1"));
    }

    @Test
    void responsiveImagesCarrySrcsetAndSizes() {
        assertEquals(List.of("</blog/a.jpg>; rel=preload; as=image; imagesrcset=\"/blog/a.jpg 1x, /blog/a%202.jpg 2x\"; imagesizes=100vw",
                        "</b.avif>; rel=preload; as=image; type=\"image/avif\"; media=\"(min-width: 600px)\"; imagesrcset=\"/b.avif 1x\""),
                lines(LinkHeaderGenerator.defaults(), "<img src=a.jpg srcset='a.jpg 1x, a%202.jpg 2x' sizes=100vw>"
                        + "<picture><source srcset='/b.avif 1x' type=image/avif media='(min-width: 600px)'></picture>"));
    }

    @Test
    void headerSizeAndCountAreCapped() {
        StringBuilder html = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            html.append("<img src=/images/photo-").append(i).append(".jpg>");
        }
        LinkHeader header = LinkHeaderGenerator.defaults().generate(html, PAGE_URL);
        assertTrue(header.value().length() <= LinkHeaderGenerator.DEFAULT_MAX_HEADER_BYTES, "length " + header.value().length());
        assertEquals(LinkHeaderGenerator.DEFAULT_MAX_LINKS, header.links().size());
        assertEquals(1000 - LinkHeaderGenerator.DEFAULT_MAX_LINKS, header.omitted());
        LinkHeader small = LinkHeaderGenerator.builder().maxHeaderBytes(200).build().generate(html, PAGE_URL);
        assertTrue(small.value().length() <= 200);
        assertEquals(4, small.links().size(), small.value()); // each link is 45 bytes plus ", ": a fifth makes 233
        assertEquals(3, LinkHeaderGenerator.builder().maxLinks(3).build().generate(html, PAGE_URL).links().size());
        assertThrows(IllegalArgumentException.class, () -> LinkHeaderGenerator.builder().maxLinks(0));
    }

    @Test
    void attributeTextCannotInjectHeaders() {
        String value = value(LinkHeaderGenerator.defaults(),
                "<link rel=stylesheet href='/a.css\r\nSet-Cookie: x=1' media='screen\r\nX: y'><img src='/b.png' fetchpriority='high\"'>");
        assertTrue(!value.contains("\r") && !value.contains("\n"), value);
        // the URL loses its newline as browsers do; the media text with a newline is dropped, not sent
        assertEquals("</a.cssSet-Cookie:%20x=1>; rel=preload; as=style, </b.png>; rel=preload; as=image; fetchpriority=\"high\\\"\"", value);
    }

    @Test
    void withoutAPageUrlRelativeReferencesStayRelative() {
        assertEquals("<img/a%20b.png>; rel=preload; as=image, </abs.png>; rel=preload; as=image",
                LinkHeaderGenerator.defaults().generate("<img src='img/a b.png'><img src='/abs.png'><img src=https://x.example/y.png>", null).value());
    }

    @Test
    void etagCacheHitsMissesAndEviction() {
        LinkHeaderGenerator generator = LinkHeaderGenerator.builder().cache(2).build();
        LinkHeader first = generator.generate("<img src=/a.png>", "https://example.com/a", "\"v1\"");
        assertSame(first, generator.generate("<img src=/changed-but-same-etag.png>", "https://example.com/a", "\"v1\""));
        generator.generate("<img src=/b.png>", "https://example.com/b", "\"v1\"");
        generator.generate("<img src=/c.png>", "https://example.com/c", null); // content-hash key
        LinkCache.Stats stats = generator.cache().stats();
        assertEquals(1, stats.hits());
        assertEquals(3, stats.misses());
        assertEquals(1, stats.evictions());
        assertEquals(2, stats.size());
        // /a was least recently used and is gone: a new ETag-less request regenerates
        assertEquals("</a2.png>; rel=preload; as=image", generator.generate("<img src=/a2.png>", "https://example.com/a", "\"v1\"").value());
        // no ETag: the content decides
        assertSame(generator.generate("<img src=/c.png>", "https://example.com/c", null),
                generator.generate("<img src=/c.png>", "https://example.com/c", null));
    }

    @Test
    void builderValidation() {
        assertThrows(IllegalArgumentException.class, () -> LinkHeaderGenerator.builder().allowOrigin("ftp://x"));
        assertThrows(IllegalArgumentException.class, () -> LinkHeaderGenerator.builder().allowOrigin("https://x/path"));
        assertThrows(IllegalArgumentException.class, () -> LinkHeaderGenerator.builder().maxHeaderBytes(10));
        assertThrows(IllegalArgumentException.class, () -> LinkHeaderGenerator.builder().cache(-1));
        assertThrows(IllegalArgumentException.class, () -> new LinkCache(0));
    }

    @Test
    void srcsetCandidatesWithInvalidDescriptorsAreDropped() {
        // "/img/hero image.jpg 1x" is the URL "/img/hero" with the bad descriptor "image.jpg"
        assertEquals(List.of("</hero%20image.jpg>; rel=preload; as=image; imagesrcset=\"/hero@2x.jpg 2x, /w.jpg 640w, /d.jpg 1.5x\""),
                lines(LinkHeaderGenerator.defaults(), "<img src='/hero image.jpg' srcset='/img/hero image.jpg 1x, /hero@2x.jpg 2x, /w.jpg 640w, /d.jpg 1.5x'>"));
        assertEquals(List.of("</a.jpg>; rel=preload; as=image"), lines(LinkHeaderGenerator.defaults(), "<img src=/a.jpg srcset='/b.jpg big'>"));
    }
}
