package dev.ingresskit.push;

import java.util.SplittableRandom;

/**
 * Generates real-world-shaped HTML pages from a seed: head with meta, title, stylesheets, preloads,
 * preconnects, icons, inline and external scripts (classic, async, defer, module, nomodule, data blocks),
 * styles whose text looks like markup; a body with nested blocks, text, links, images with srcset and
 * lazy loading, pictures, textareas, comments hiding tags, templates, inline SVG; attributes in every
 * quoting style, upper case, with character references, whitespace and newlines inside tags.
 */
public final class PageCorpus {
    private final SplittableRandom random;
    private final StringBuilder out = new StringBuilder();

    private PageCorpus(long seed) {
        random = new SplittableRandom(seed);
    }

    public static String page(long seed) {
        return new PageCorpus(seed).build();
    }

    private String build() {
        out.append(pick("<!DOCTYPE html>", "<!doctype html>", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">", ""));
        out.append("\n<html lang=en>\n<head>\n<meta charset=\"utf-8\">\n");
        out.append("<title>").append(pick("Home", "A <b>bold</b> & <img src=/title-trap.png> title", "News")).append("</title>\n");
        if (random.nextInt(4) == 0) {
            out.append("<base href=\"").append(pick("/static/", "/a/b/", "https://example.com/base/")).append("\">\n");
        }
        int heads = 3 + random.nextInt(12);
        for (int i = 0; i < heads; i++) {
            headElement();
        }
        out.append("</head>\n<body class=\"page\">\n");
        int blocks = 5 + random.nextInt(40);
        for (int i = 0; i < blocks; i++) {
            block(0);
        }
        if (random.nextBoolean()) {
            out.append("<script src=\"").append(url("js")).append("\" defer></script>\n");
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void headElement() {
        switch (random.nextInt(15)) {
            case 0, 1 -> out.append(tag("link", "rel", "stylesheet", "href", url("css")));
            case 2 -> out.append(tag("link", "rel", "stylesheet", "href", url("css"), "media", pick("print", "screen and (min-width: 40em)")));
            case 3 -> out.append(tag("link", "rel", "preload", "href", url("woff2"), "as", "font", "type", "font/woff2", "crossorigin", null));
            case 4 -> out.append(tag("link", "rel", "preconnect", "href", pick("https://fonts.example", "https://cdn.example")));
            case 5 -> out.append(tag("link", "rel", pick("icon", "shortcut icon", "apple-touch-icon"), "href", url("png")));
            case 6 -> out.append(tag("script", "src", url("js"))).append("</script>");
            case 7 -> out.append(tag("script", "src", url("mjs"), "type", "module")).append("</script>");
            case 8 -> out.append(tag("script", "src", url("js"), "nomodule", null)).append("</script>");
            case 9 -> out.append("<script>var html = '<img src=\"/in-script.png\">'; if (a < b && c > d) {}</script>");
            case 10 -> out.append("<style>.x::after { content: '<link rel=stylesheet href=/in-style.css>' }</style>");
            case 11 -> out.append(tag("script", "type", "application/ld+json")).append("{\"image\": \"<img src=/ld.png>\"}</script>");
            case 12 -> out.append("<!-- <script src=\"/commented.js\"></script> -->");
            case 13 -> out.append(tag("link", "rel", "modulepreload", "href", url("mjs")));
            default -> out.append(tag("meta", "name", "viewport", "content", "width=device-width, initial-scale=1"));
        }
        out.append('\n');
    }

    private void block(int depth) {
        switch (random.nextInt(depth > 3 ? 8 : 12)) {
            case 0 -> out.append("<p>").append(text()).append("</p>");
            case 1 -> out.append(tag("img", "src", url("jpg"), "alt", text(), "width", "640"));
            case 2 -> out.append(tag("img", "src", url("png"), "srcset", url("png") + " 1x, " + url("png") + " 2x", "sizes", "(max-width: 600px) 100vw, 50vw"));
            case 3 -> out.append(tag("img", "src", url("jpg"), "loading", "lazy"));
            case 4 -> out.append("<picture>").append(tag("source", "srcset", url("avif"), "type", "image/avif"))
                    .append(tag("source", "srcset", url("webp") + " 1x", "type", "image/webp", "media", "(min-width: 800px)"))
                    .append(tag("img", "src", url("jpg"), "alt", "")).append("</picture>");
            case 5 -> out.append("<textarea name=t><img src=\"/in-textarea.png\"></textarea>");
            case 6 -> out.append("<!-- a comment with <img src=/commented.png> -- inside -->");
            case 7 -> out.append(tag("a", "href", url("html"))).append(text()).append("</a>");
            case 8 -> out.append("<template><img src=\"/in-template.png\"><script src=/in-template.js></script></template>");
            case 9 -> out.append("<svg width=10 height=10><title>icon</title><circle r=5 /></svg>");
            case 10 -> out.append(tag("script", "src", url("js"), pick("async", "defer", "data-x"), null)).append("</script>");
            default -> {
                out.append(tag("div", "class", "c" + random.nextInt(9)));
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    block(depth + 1);
                }
                out.append("</div>");
            }
        }
        out.append(random.nextInt(3) == 0 ? "\n" : "");
    }

    /** A start tag with attributes in random quoting, case and spacing. A null value is a bare attribute. */
    private String tag(String name, String... pairs) {
        StringBuilder b = new StringBuilder("<").append(random.nextInt(8) == 0 ? name.toUpperCase() : name);
        for (int i = 0; i < pairs.length; i += 2) {
            b.append(pick(" ", " ", "\n  ", "\t"));
            String attr = random.nextInt(8) == 0 ? pairs[i].toUpperCase() : pairs[i];
            b.append(attr);
            String value = pairs[i + 1];
            if (value == null) {
                continue;
            }
            String escaped = value.replace("&", random.nextBoolean() ? "&amp;" : "&#38;");
            boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> " \t\n\"'=<>`&".indexOf(c) >= 0);
            switch (plain ? random.nextInt(3) : random.nextInt(2)) {
                case 0 -> b.append(pick("=", " = ")).append('"').append(escaped.replace("\"", "&quot;")).append('"');
                case 1 -> b.append("='").append(escaped.replace("'", "&#39;")).append('\'');
                default -> b.append('=').append(value);
            }
            if (random.nextInt(20) == 0) {
                b.append(" ").append(attr).append("=\"/duplicate-loses\"");
            }
        }
        return b.append(random.nextInt(10) == 0 && !name.equals("script") ? " />" : ">").toString();
    }

    private String url(String extension) {
        String path = pick("", "assets/", "/static/", "../up/", "/img/sub dir/", "/caf\u00e9/", "./x/");
        String name = pick("app", "main", "logo", "hero", "photo", "vendor") + random.nextInt(50);
        String query = random.nextInt(4) == 0 ? "?v=" + random.nextInt(1000) + "&h=" + Integer.toHexString(random.nextInt()) : "";
        return switch (random.nextInt(12)) {
            case 0 -> "https://cdn.example/" + name + "." + extension;
            case 1 -> "//cdn.example/" + name + "." + extension;
            case 2 -> "data:image/png;base64,iVBORw0KGgo=";
            default -> path + name + "." + extension + query;
        };
    }

    private String text() {
        return pick("Hello world", "Fish &amp; chips", "1 < 2 and 3 > 2", "caf\u00e9 na\u00efve", "Tom & Jerry", "a<b");
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
