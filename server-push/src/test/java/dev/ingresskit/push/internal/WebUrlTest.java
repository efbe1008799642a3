package dev.ingresskit.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resolution as the WHATWG URL Standard's basic URL parser does it for http(s) (the expected values are
 * what a browser's {@code new URL(input, base).href} gives, minus the fragment).
 */
class WebUrlTest {
    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "https://example.com/a/b/c.html | d.css                  | https://example.com/a/b/d.css",
        "https://example.com/a/b/c.html | ../d.css               | https://example.com/a/d.css",
        "https://example.com/a/b/c.html | ../../../../d.css      | https://example.com/d.css",
        "https://example.com/a/b/c.html | /x/./y/../z.js         | https://example.com/x/z.js",
        "https://example.com/a/b/c.html | ?q=1                   | https://example.com/a/b/c.html?q=1",
        "https://example.com/a/b/c.html | //cdn.example/x.js     | https://cdn.example/x.js",
        "https://example.com/a/b/c.html | \\\\cdn.example\\x.js  | https://cdn.example/x.js",
        "https://example.com/a/b/c.html | https:x.png            | https://example.com/a/b/x.png",
        "https://example.com/a/b/c.html | http:x.png             | http://x.png/",
        "https://example.com/a/b/c.html | HTTPS://EXAMPLE.COM:443/Up.PNG | https://example.com/Up.PNG",
        "https://example.com/a/b/c.html | http://example.com:80/p | http://example.com/p",
        "https://example.com/a/b/c.html | https://example.com:8443/p | https://example.com:8443/p",
        "https://example.com/a/b/c.html | `  \t/sp ace.png\n `   | https://example.com/sp%20ace.png",
        "https://example.com/a/b/c.html | /%2e%2E/x/%2e/y.png    | https://example.com/x/y.png",
        "https://example.com/a/b/c.html | /caf\u00e9/\u00fc.png  | https://example.com/caf%C3%A9/%C3%BC.png",
        "https://example.com/a/b/c.html | /p?a=<b>&c='d' e       | https://example.com/p?a=%3Cb%3E&c=%27d%27%20e",
        "https://example.com/a/b/c.html | /p#frag                | https://example.com/p",
        "https://example.com/a/b/c.html | /a\"b`c{d}.png          | https://example.com/a%22b%60c%7Bd%7D.png",
        "https://example.com/a/b/c.html | /100%/x%zz.png         | https://example.com/100%/x%zz.png",
        "https://example.com/a/b/c.html | https://b\u00fccher.example/x | https://xn--bcher-kva.example/x",
        "https://example.com/a/b/c.html | https://[2001:DB8::1]:8080/x | https://[2001:db8::1]:8080/x",
        "https://example.com/a/b/      | ..                      | https://example.com/a/",
        "https://example.com/a/b/      | https:///x              | https://x/",
        "https://example.com/a/b/      | .                       | https://example.com/a/b/",
    })
    void resolves(String base, String reference, String expected) {
        WebUrl url = WebUrl.resolve(WebUrl.parseAbsolute(base.strip()), reference.replace("\\t", "\t").replace("\\n", "\n"));
        assertEquals(expected, url == null ? null : url.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "data:image/png;base64,AAAA", "blob:https://example.com/uuid", "javascript:alert(1)", "JavaScript:void(0)",
        "mailto:a@example.com", "ftp://example.com/x", "#top", "''", "https://user:pw@example.com/x",
        "https://example.com:99999/x", "https://example.com:8a/x", "https://exa mple.com/x", "https://%65xample.com/x",
        "about:blank",
    })
    void refuses(String reference) {
        String ref = reference.equals("''") ? "" : reference;
        assertNull(WebUrl.resolve(WebUrl.parseAbsolute("https://example.com/page"), ref));
    }
}
