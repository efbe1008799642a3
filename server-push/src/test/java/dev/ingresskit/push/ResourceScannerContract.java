package dev.ingresskit.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.push.Subresource.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link ResourceScanner} must find (and must not), run against each implementation. */
public abstract class ResourceScannerContract {
    protected ResourceScannerContract() {
    }

    protected abstract ResourceScanner newInstance();

    private List<Subresource> scan(String html) {
        return newInstance().scan(html).resources();
    }

    private List<String> urls(String html) {
        return scan(html).stream().map(r -> r.kind() + " " + (r.url() == null ? r.imageSrcset() : r.url())).toList();
    }

    @Test
    void findsImagesScriptsAndStyles() {
        assertEquals(List.of("STYLESHEET /a.css", "SCRIPT /b.js", "IMAGE /c.png"), urls("""
                <!doctype html><html><head><link rel="stylesheet" href="/a.css"><script src="/b.js"></script>
                </head><body><img src="/c.png"></body></html>"""));
    }

    @Test
    void inlineScriptsAndStylesAreIgnoredAndTheirContentIsNotMarkup() {
        assertEquals(List.of("IMAGE /real.png"), urls("""
                <script>var s = '<img src="/fake1.png">'; document.write("<script src=/fake.js></scr" + "ipt>");</script>
                <style>body { background: url(/bg.png) } /* <img src="/fake2.png"> */</style>
                <textarea><img src="/fake3.png"></textarea><title><img src="/fake4.png"></title>
                <!-- <img src="/fake5.png"> --><img src="/real.png">"""));
    }

    @Test
    void attributeSyntaxVariants() {
        assertEquals(List.of("IMAGE /unquoted.png", "IMAGE /single.png", "IMAGE /first.png", "IMAGE /UPPER.png",
                "IMAGE /a&b.png", "IMAGE /spaced.png"), urls("""
                <img src=/unquoted.png><img src='/single.png'><img src="/first.png" src="/second.png">
                <IMG SRC="/UPPER.png"><img src="/a&amp;b.png"><img
                   alt="x"
                   src = "/spaced.png" >"""));
    }

    @Test
    void characterReferencesInAttributeValues() {
        assertEquals(List.of("IMAGE /x.png?a=1&b=2", "IMAGE /y.png?a=1&copy=2", "IMAGE /&#xZ;.png", "IMAGE /\u00e9/\u00a9.png",
                "IMAGE /a/b.png"), urls("""
                <img src="/x.png?a=1&amp;b=2"><img src="/y.png?a=1&copy=2"><img src="/&#xZ;.png">
                <img src="/&#233;/&copy.png"><img src="/a&sol;b.png">"""));
    }

    @Test
    void baseHrefFirstOneWins() {
        ScanResult result = newInstance().scan("<base target=_top><base href='/static/'><base href='/other/'><img src=a.png>");
        assertEquals("/static/", result.baseHref());
    }

    @Test
    void nomoduleScriptsAreSkippedAndModulesAreRecognised() {
        List<Subresource> found = scan("""
                <script nomodule src="/legacy.js"></script><script type="module" src="/app.mjs"></script>
                <script type="text/template" src="/not-js.html"></script><script type="application/ld+json">{}</script>
                <script type="TEXT/JavaScript" src="/classic.js" defer></script>""");
        assertEquals(List.of(Kind.MODULE_SCRIPT, Kind.SCRIPT), found.stream().map(Subresource::kind).toList());
        assertEquals("/app.mjs", found.get(0).url());
        assertTrue(!found.get(1).blocking(), "defer scripts are not blocking");
    }

    @Test
    void linkRelations() {
        List<Subresource> found = scan("""
                <link rel="preload" href="/font.woff2" as="font" type="font/woff2" crossorigin>
                <link rel=modulepreload href=/dep.mjs><link rel=preconnect href=https://cdn.example>
                <link rel="shortcut icon" href=/favicon.ico><link rel="alternate stylesheet" href=/alt.css>
                <link rel=stylesheet href=/print.css media=print integrity=sha384-abc>
                <link rel=preload href=/nothing><link rel=canonical href=/page>""");
        assertEquals(List.of(Kind.PRELOAD, Kind.MODULE_PRELOAD, Kind.PRECONNECT, Kind.ICON, Kind.STYLESHEET),
                found.stream().map(Subresource::kind).toList());
        Subresource font = found.get(0);
        assertEquals("font", font.as());
        assertEquals("font/woff2", font.type());
        assertEquals("", font.crossOrigin());
        assertEquals("print", found.get(4).media());
        assertEquals("sha384-abc", found.get(4).integrity());
    }

    @Test
    void pictureSourcesAndSrcset() {
        List<Subresource> found = scan("""
                <picture><source srcset="/a.avif 1x, /a2.avif 2x" type="image/avif" media="(min-width: 600px)">
                <img src="/a.jpg" srcset="/a.jpg 1x, /a2.jpg 2x" sizes="100vw"></picture>
                <video><source src="/movie.mp4"></video><img srcset="/only.png 1x"><img src="/lazy.png" loading=lazy>""");
        assertEquals(3, found.size(), found.toString());
        assertNull(found.get(0).url());
        assertEquals("/a.avif 1x, /a2.avif 2x", found.get(0).imageSrcset());
        assertEquals("image/avif", found.get(0).type());
        assertEquals("100vw", found.get(1).imageSizes());
        assertEquals("/only.png 1x", found.get(2).imageSrcset());
    }

    @Test
    void templateContentIsInert() {
        assertEquals(List.of("IMAGE /after.png"), urls("<template><img src=/inert.png><template></template><img src=/inert2.png></template><img src=/after.png>"));
    }

    @Test
    void malformedAndTruncatedDocumentsDoNotThrow() {
        assertEquals(List.of("IMAGE /ok.png"), urls("<img src=/ok.png><img src=\"/never-closed.png"));
        assertEquals(List.of(), urls("<"));
        assertEquals(List.of(), urls("<!--"));
        assertEquals(List.of(), urls("<script src"));
    }
}
