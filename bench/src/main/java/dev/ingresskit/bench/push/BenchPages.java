package dev.ingresskit.bench.push;

import java.util.SplittableRandom;

/**
 * Real-world-shaped HTML of a given size: a head with ~25 stylesheets, preloads and scripts (inline and
 * external), a body of nested blocks with text, links, images (srcset, lazy), pictures, inline scripts
 * and styles, comments and an inline SVG, repeated until the size is reached. Deterministic.
 */
public final class BenchPages {
    private BenchPages() {
    }

    /**
     * Writes {@code COUNT} copies of the page of {@code SIZE} bytes into {@code DIR}, a corpus for
     * {@code -Dingresskit.corpus=DIR} (the real-page tools then compare with the synthetic page):
     * {@code java -cp bench/target/benchmarks.jar dev.ingresskit.bench.push.BenchPages DIR COUNT SIZE}.
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[0]));
        String page = page(Integer.parseInt(args[2]));
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            java.nio.file.Files.writeString(dir.resolve("page" + i + ".html"), page);
        }
    }

    static String page(int size) {
        SplittableRandom random = new SplittableRandom(size);
        StringBuilder b = new StringBuilder(size + 4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Example &amp; news</title>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<link rel=\"preconnect\" href=\"https://fonts.example\" crossorigin>\n");
        for (int i = 0; i < 6; i++) {
            b.append("<link rel=\"stylesheet\" href=\"/assets/css/site-").append(i).append(".css?v=1a2b3c\" media=\"all\">\n");
        }
        b.append("<link rel=\"preload\" href=\"/fonts/inter.woff2\" as=\"font\" type=\"font/woff2\" crossorigin>\n");
        b.append("<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} if (a < b) {}</script>\n");
        for (int i = 0; i < 8; i++) {
            b.append("<script src=\"/assets/js/chunk-").append(i).append(".js\"").append(i % 2 == 0 ? " defer" : "").append("></script>\n");
        }
        b.append("<script type=\"module\" src=\"/assets/js/app.mjs\"></script>\n");
        b.append("<style>.hero{background:url(/img/hero.jpg)} .a > .b { color: #333 }</style>\n</head>\n<body class=\"home\">\n");
        int n = 0;
        while (b.length() < size - 200) {
            n++;
            switch (random.nextInt(10)) {
                case 0, 1, 2 -> b.append("<div class=\"card col-").append(n % 12).append("\"><h2 class=\"title\">Headline number ")
                        .append(n).append("</h2><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
                                + "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation.</p>"
                                + "<a href=\"/articles/").append(n).append("\" class=\"more\">Read more &raquo;</a></div>\n");
                case 3 -> b.append("<img src=\"/img/photo-").append(n).append(".jpg\" srcset=\"/img/photo-").append(n)
                        .append("@2x.jpg 2x\" alt=\"Photo ").append(n).append("\" width=\"640\" height=\"480\" loading=\"lazy\">\n");
                case 4 -> b.append("<ul class=\"nav\"><li><a href=\"/a\">Home</a></li><li><a href=\"/b\">News</a></li><li><a href=\"/c\">About us</a></li></ul>\n");
                case 5 -> b.append("<picture><source srcset=\"/img/p").append(n).append(".avif\" type=\"image/avif\"><img src=\"/img/p")
                        .append(n).append(".jpg\" alt=\"\"></picture>\n");
                case 6 -> b.append("<script>(function(){var x = document.querySelectorAll('.card'); for (var i = 0; i < x.length; i++) { x[i].dataset.i = i; }})();</script>\n");
                case 7 -> b.append("<!-- component ").append(n).append(" rendered in 3ms -->\n");
                case 8 -> b.append("<table><tr><td>1</td><td>2</td><td>3</td></tr><tr><td>4</td><td>5</td><td>6</td></tr></table>\n");
                default -> b.append("<svg width=\"24\" height=\"24\" viewBox=\"0 0 24 24\"><path d=\"M12 2L2 7l10 5 10-5-10-5z\"/></svg>\n");
            }
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }
}
