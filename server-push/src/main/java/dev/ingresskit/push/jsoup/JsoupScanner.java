package dev.ingresskit.push.jsoup;

import dev.ingresskit.push.ResourceScanner;
import dev.ingresskit.push.ScanResult;
import dev.ingresskit.push.internal.ElementAttributes;
import dev.ingresskit.push.internal.Names;
import dev.ingresskit.push.internal.ResourceRules;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeFilter;

/**
 * A {@link ResourceScanner} that builds a jsoup DOM and walks it with the same rules as the built-in
 * scanner. Slower and allocation-heavy, but a full tree builder: useful as a cross-check, or where
 * jsoup is already on the class path. {@code <noscript>} content is skipped, as a browser with scripting
 * enabled ignores it. Thread-safe.
 *
 * <p>Needs {@code org.jsoup:jsoup} (an optional dependency of this module).
 */
public final class JsoupScanner implements ResourceScanner {
    /** A scanner; it keeps no state, so one instance can serve every thread. */
    public JsoupScanner() {
    }

    @Override
    public ScanResult scan(CharSequence html) {
        ResourceRules rules = new ResourceRules();
        Element root = Jsoup.parse(html.toString());
        root.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (!(node instanceof Element element)) {
                    return FilterResult.CONTINUE;
                }
                String name = element.normalName();
                if (name.equals("noscript")) {
                    return FilterResult.SKIP_ENTIRELY;
                }
                int id = Names.tag(name);
                if (id != Names.UNKNOWN) {
                    rules.startTag(id, new Attributes(element));
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (node instanceof Element element) {
                    int id = Names.tag(element.normalName());
                    if (id == Names.PICTURE || id == Names.TEMPLATE) {
                        rules.endTag(id);
                    }
                }
                return FilterResult.CONTINUE;
            }
        });
        return rules.result();
    }

    private record Attributes(Element element) implements ElementAttributes {
        @Override
        public String value(int id) {
            String name = Names.attributeName(id);
            return element.hasAttr(name) ? element.attr(name) : null;
        }

        @Override
        public boolean has(int id) {
            return element.hasAttr(Names.attributeName(id));
        }

        @Override
        public boolean valueIs(int id, String lowerCase) {
            String v = value(id);
            return v != null && v.equalsIgnoreCase(lowerCase);
        }

        @Override
        public boolean hasToken(int id, String lowerCase) {
            String v = value(id);
            if (v == null) {
                return false;
            }
            for (String token : v.split("[ \\t\\n\\f\\r]+")) {
                if (token.equalsIgnoreCase(lowerCase)) {
                    return true;
                }
            }
            return false;
        }
    }
}
