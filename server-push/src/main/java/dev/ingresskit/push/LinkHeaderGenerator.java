package dev.ingresskit.push;

import dev.ingresskit.push.internal.Srcset;
import dev.ingresskit.push.internal.WebUrl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an HTML page into the {@code Link} header that lets a browser or CDN fetch its sub-resources
 * early (RFC 8288; read by {@code 103 Early Hints} and CDN preload). Scan, resolve against the page URL
 * and {@code <base href>}, filter by kind and origin, de-duplicate, order (preconnects, stylesheets and
 * blocking scripts first), cap by count and bytes, serialise.
 *
 * <p>Immutable and thread-safe once built; the optional cache is shared and thread-safe.
 *
 * <pre>{@code
 * LinkHeaderGenerator generator = LinkHeaderGenerator.builder().allowOrigin("https://cdn.example").build();
 * LinkHeader header = generator.generate(html, "https://example.com/index.html");
 * response.setHeader("Link", header.value());
 * }</pre>
 */
public final class LinkHeaderGenerator {
    /** How a {@code <script type=module>} is announced. */
    public enum ModuleScripts {
        /** {@code rel=modulepreload} (the default; CORS mode is implied). */
        MODULEPRELOAD,
        /** {@code rel=preload; as=script; crossorigin}, for consumers that do not know modulepreload. */
        PRELOAD_AS_SCRIPT
    }

    /** Default cap on the header value: proxies commonly allow 8 KiB for all headers together. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 4096;
    public static final int DEFAULT_MAX_LINKS = 64;

    private final boolean images, scripts, styles, fonts, preloads, preconnects, icons;
    private final ModuleScripts moduleScripts;
    private final List<String> extra;
    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final int maxLinks, maxHeaderBytes;
    private final ResourceScanner scanner;
    private final LinkCache cache;

    private LinkHeaderGenerator(Builder b) {
        images = b.images;
        scripts = b.scripts;
        styles = b.styles;
        fonts = b.fonts;
        preloads = b.preloads;
        preconnects = b.preconnects;
        icons = b.icons;
        moduleScripts = b.moduleScripts;
        extra = List.copyOf(b.extra);
        allowedOrigins = Set.copyOf(b.allowedOrigins);
        anyOrigin = b.anyOrigin;
        maxLinks = b.maxLinks;
        maxHeaderBytes = b.maxHeaderBytes;
        scanner = b.scanner;
        cache = b.cacheCapacity > 0 ? new LinkCache(b.cacheCapacity) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: images, scripts, styles, fonts, preloads and preconnects; same origin only; 4 KiB. */
    public static LinkHeaderGenerator defaults() {
        return builder().build();
    }

    /** The cache configured with {@link Builder#cache(int)}, or null. */
    public LinkCache cache() {
        return cache;
    }

    public ResourceScanner scanner() {
        return scanner;
    }

    /**
     * Scans {@code html} and builds its header. {@code pageUrl} is the absolute URL the page was served
     * at; when null, relative references stay relative (a {@code Link} header's own base is the request
     * URL, so that is still right) and absolute ones count as other origins.
     *
     * @throws IllegalArgumentException when {@code pageUrl} is not null and not an absolute http(s) URL
     */
    public LinkHeader generate(CharSequence html, String pageUrl) {
        return fromScan(scanner.scan(html), pageUrl);
    }

    /**
     * Like {@link #generate(CharSequence, String)} but through the cache, keyed by
     * {@link LinkCache#key(String, String, CharSequence) page URL + ETag or content hash}. Without a
     * configured cache it just generates.
     */
    public LinkHeader generate(CharSequence html, String pageUrl, String etag) {
        if (cache == null) {
            return generate(html, pageUrl);
        }
        String key = LinkCache.key(pageUrl, etag, html);
        LinkHeader cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        LinkHeader header = generate(html, pageUrl);
        cache.put(key, header);
        return header;
    }

    /**
     * Builds the header from a scan made elsewhere (for example by a {@link ScanSession}).
     *
     * @throws IllegalArgumentException when {@code pageUrl} is not null and not an absolute http(s) URL
     */
    public LinkHeader fromScan(ScanResult scan, String pageUrl) {
        WebUrl page = pageUrl == null ? null : WebUrl.parseAbsolute(pageUrl);
        if (pageUrl != null && page == null) {
            throw new IllegalArgumentException("page URL is not an absolute http(s) URL: " + pageUrl);
        }
        WebUrl base = page;
        if (scan.baseHref() != null) {
            WebUrl resolved = WebUrl.resolve(page, scan.baseHref());
            if (resolved != null && !resolved.relative()) {
                base = resolved;
            }
        }
        String pageOrigin = page == null ? null : page.origin();
        // Sort first, resolve lazily: once the link cap is reached, the rest is only counted.
        List<Subresource> all = scan.resources();
        int[] order = new int[all.size()];
        long[] keys = new long[all.size()];
        int n = 0;
        for (int i = 0; i < all.size(); i++) {
            Subresource r = all.get(i);
            if (wanted(r)) {
                keys[n++] = ((long) group(r) << 32) | i;
            }
        }
        java.util.Arrays.sort(keys, 0, n);
        for (int k = 0; k < n; k++) {
            order[k] = (int) keys[k];
        }
        List<PreloadLink> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        StringBuilder value = new StringBuilder();
        int omitted = 0;
        for (int k = 0; k < n; k++) {
            if (chosen.size() >= maxLinks) {
                omitted += n - k;
                break;
            }
            PreloadLink link = toLink(all.get(order[k]), base, pageOrigin);
            if (link == null || !seen.add(dedupKey(link))) {
                continue;
            }
            String text = link.toString();
            int needed = text.length() + (value.isEmpty() ? 0 : 2);
            if (value.length() + needed > maxHeaderBytes) {
                omitted++;
                continue;
            }
            if (!value.isEmpty()) {
                value.append(", ");
            }
            value.append(text);
            chosen.add(link);
        }
        return chosen.isEmpty() && omitted == 0 ? LinkHeader.EMPTY : new LinkHeader(chosen, value.toString(), omitted);
    }

    private static String dedupKey(PreloadLink link) {
        return link.rel().equals("preconnect") ? "preconnect " + link.target()
                : link.target() + (link.imageSrcset() == null ? "" : " " + link.imageSrcset());
    }

    /** Send order: connections first, then what blocks rendering, then the rest. */
    private static int group(Subresource r) {
        return switch (r.kind()) {
            case PRECONNECT -> 0;
            case STYLESHEET -> 1;
            case SCRIPT -> r.blocking() ? 2 : 5;
            case PRELOAD -> "style".equals(r.as()) ? 1 : "font".equals(r.as()) ? 3 : 4;
            case MODULE_PRELOAD, MODULE_SCRIPT -> 4;
            case IMAGE -> 6;
            case ICON -> 7;
        };
    }

    private boolean wanted(Subresource r) {
        return switch (r.kind()) {
            case STYLESHEET -> styles;
            case SCRIPT, MODULE_SCRIPT -> scripts;
            case IMAGE -> images;
            case ICON -> icons;
            case PRECONNECT -> preconnects;
            case MODULE_PRELOAD -> preloads && scripts;
            case PRELOAD -> preloads && switch (String.valueOf(r.as())) {
                case "style" -> styles;
                case "script" -> scripts;
                case "image" -> images;
                case "font" -> fonts;
                default -> true;
            };
        };
    }

    private PreloadLink toLink(Subresource r, WebUrl base, String pageOrigin) {
        if (!wanted(r)) {
            return null;
        }
        String crossOrigin = r.crossOrigin() == null ? null
                : r.crossOrigin().strip().equalsIgnoreCase("use-credentials") ? "use-credentials" : "anonymous";
        if (r.kind() == Subresource.Kind.PRECONNECT) {
            WebUrl url = WebUrl.resolve(base, r.url());
            if (url == null || url.relative() || url.origin().equals(pageOrigin)) {
                return null;
            }
            return new PreloadLink(url.origin(), "preconnect", null, null, null, crossOrigin, null, null, null, null, extra);
        }
        String srcset = r.imageSrcset() == null ? null : resolveSrcset(r.imageSrcset(), base, pageOrigin);
        String url = r.url();
        if (url == null) {
            // <picture><source srcset>: the first candidate stands as the target, the set decides.
            if (srcset == null) {
                return null;
            }
            url = Srcset.parse(r.imageSrcset()).getFirst().url();
        }
        String target = target(url, base, pageOrigin);
        if (target == null) {
            return null;
        }
        String integrity = safe(r.integrity());
        String fetchPriority = safe(r.fetchPriority());
        return switch (r.kind()) {
            case STYLESHEET -> new PreloadLink(target, "preload", "style", null, safe(r.media()), crossOrigin,
                    integrity, fetchPriority, null, null, extra);
            case SCRIPT -> new PreloadLink(target, "preload", "script", null, null, crossOrigin, integrity,
                    fetchPriority, null, null, extra);
            case MODULE_SCRIPT, MODULE_PRELOAD -> {
                boolean credentials = "use-credentials".equals(crossOrigin);
                if (moduleScripts == ModuleScripts.MODULEPRELOAD) {
                    yield new PreloadLink(target, "modulepreload", r.kind() == Subresource.Kind.MODULE_PRELOAD ? safe(r.as()) : null,
                            null, null, credentials ? crossOrigin : null, integrity, fetchPriority, null, null, extra);
                }
                // Module scripts are always fetched in CORS mode: the preload must be too, or it is wasted.
                yield new PreloadLink(target, "preload", "script", null, null, credentials ? crossOrigin : "anonymous",
                        integrity, fetchPriority, null, null, extra);
            }
            case PRELOAD -> new PreloadLink(target, "preload", safe(r.as()), safe(r.type()), safe(r.media()),
                    crossOrigin, integrity, fetchPriority, srcset, safe(r.imageSizes()), extra);
            case IMAGE -> new PreloadLink(target, "preload", "image", safe(r.type()), safe(r.media()), crossOrigin,
                    null, fetchPriority, srcset, srcset == null ? null : safe(r.imageSizes()), extra);
            case ICON -> new PreloadLink(target, "preload", "image", safe(r.type()), null, null, null, null, null, null, extra);
            case PRECONNECT -> throw new AssertionError();
        };
    }

    /** The resolved, encoded target when the origin policy allows it; null otherwise. */
    private String target(String reference, WebUrl base, String pageOrigin) {
        WebUrl url = WebUrl.resolve(base, reference);
        if (url == null) {
            return null;
        }
        if (url.relative() || url.origin().equals(pageOrigin)) {
            return url.pathAndQuery();
        }
        return anyOrigin || allowedOrigins.contains(url.origin()) ? url.toString() : null;
    }

    /** Each candidate resolved and encoded; null when any is refused (the plain URL is then used alone). */
    private String resolveSrcset(String srcset, WebUrl base, String pageOrigin) {
        List<Srcset.Candidate> parsed = Srcset.parse(srcset);
        if (parsed.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Srcset.Candidate c : parsed) {
            if (!Srcset.validDescriptors(c.descriptors())) {
                continue; // the browser drops such a candidate too
            }
            String target = target(c.url(), base, pageOrigin);
            if (target == null || !PreloadLink.isSafeParameterValue(c.descriptors())) {
                return null;
            }
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(target);
            if (!c.descriptors().isEmpty()) {
                b.append(' ').append(c.descriptors());
            }
        }
        return b.isEmpty() ? null : b.toString();
    }

    /** Attribute text is only copied into the header when it is printable ASCII (no header injection). */
    private static String safe(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        return v.isEmpty() || !PreloadLink.isSafeParameterValue(v) ? null : v;
    }

    /** Configures a generator; every setter validates at once. */
    public static final class Builder {
        private boolean images = true, scripts = true, styles = true, fonts = true, preloads = true,
                preconnects = true, icons = false;
        private ModuleScripts moduleScripts = ModuleScripts.MODULEPRELOAD;
        private final List<String> extra = new ArrayList<>();
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private boolean anyOrigin;
        private int maxLinks = DEFAULT_MAX_LINKS;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private ResourceScanner scanner = HtmlLinkScanner.create();
        private int cacheCapacity;

        private Builder() {
        }

        /** {@code <img>}, {@code <picture><source>} and preloads {@code as=image} (default on). */
        public Builder images(boolean on) {
            images = on;
            return this;
        }

        /** {@code <script src>}, module scripts, modulepreload and preloads {@code as=script} (default on). */
        public Builder scripts(boolean on) {
            scripts = on;
            return this;
        }

        /** Stylesheets and preloads {@code as=style} (default on). */
        public Builder styles(boolean on) {
            styles = on;
            return this;
        }

        /** Preloads {@code as=font} (default on). */
        public Builder fonts(boolean on) {
            fonts = on;
            return this;
        }

        /** The page's own {@code <link rel=preload|modulepreload>} (default on). */
        public Builder preloads(boolean on) {
            preloads = on;
            return this;
        }

        /**
         * {@code <link rel=preconnect>} to other origins (default on). Preconnects fetch nothing, so the
         * origin allow-list does not apply to them.
         */
        public Builder preconnects(boolean on) {
            preconnects = on;
            return this;
        }

        /** {@code <link rel=icon>} as an image preload (default off: icons are not urgent). */
        public Builder icons(boolean on) {
            icons = on;
            return this;
        }

        public Builder moduleScripts(ModuleScripts mode) {
            moduleScripts = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** A parameter without a value added to every link, e.g. {@code nopush}. */
        public Builder extraAttribute(String name) {
            extra.add(token(name));
            return this;
        }

        /** A parameter with a value added to every link, quoted when it is not a token. */
        public Builder extraAttribute(String name, String value) {
            java.util.Objects.requireNonNull(value, "value");
            if (!PreloadLink.isSafeParameterValue(value)) {
                throw new IllegalArgumentException("extra attribute value must be printable ASCII: " + value);
            }
            String v = !value.isEmpty() && value.chars().allMatch(PreloadLink::isTokenChar) ? value
                    : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            extra.add(token(name) + "=" + v);
            return this;
        }

        /** Allows sub-resources from another origin, e.g. {@code https://cdn.example.com}. */
        public Builder allowOrigin(String origin) {
            WebUrl url = WebUrl.parseAbsolute(origin);
            if (url == null || !url.pathAndQuery().equals("/")) {
                throw new IllegalArgumentException("not an http(s) origin (scheme://host[:port]): " + origin);
            }
            allowedOrigins.add(url.origin());
            return this;
        }

        /** Allows sub-resources from any http(s) origin. */
        public Builder allowAnyOrigin() {
            anyOrigin = true;
            return this;
        }

        /** At most this many links ({@code >= 1}; default 64). */
        public Builder maxLinks(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxLinks must be at least 1, was " + max);
            }
            maxLinks = max;
            return this;
        }

        /** At most this many bytes in the header value ({@code >= 64}; default 4096). */
        public Builder maxHeaderBytes(int max) {
            if (max < 64) {
                throw new IllegalArgumentException("maxHeaderBytes must be at least 64, was " + max);
            }
            maxHeaderBytes = max;
            return this;
        }

        /** The scanner to use (default {@link HtmlLinkScanner}). */
        public Builder scanner(ResourceScanner scanner) {
            this.scanner = java.util.Objects.requireNonNull(scanner, "scanner");
            return this;
        }

        /** Keeps up to {@code entries} headers in an LRU {@link LinkCache} ({@code 0} = no cache, the default). */
        public Builder cache(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("cache entries must not be negative, was " + entries);
            }
            cacheCapacity = entries;
            return this;
        }

        public LinkHeaderGenerator build() {
            return new LinkHeaderGenerator(this);
        }

        private static String token(String name) {
            if (name == null || name.isEmpty() || !name.chars().allMatch(PreloadLink::isTokenChar)) {
                throw new IllegalArgumentException("extra attribute name must be an RFC 9110 token: " + name);
            }
            return name.toLowerCase(Locale.ROOT);
        }
    }
}
