package dev.ingresskit.push;

/**
 * Finds the sub-resources of an HTML document. Implementations: {@link HtmlLinkScanner} (built in,
 * streaming, no dependencies) and {@code dev.ingresskit.push.jsoup.JsoupScanner} (optional). Both apply
 * the same rules, listed in the module README. Implementations are thread-safe.
 */
public interface ResourceScanner {
    /** Scans a whole document. Never throws on malformed HTML. */
    ScanResult scan(CharSequence html);
}
