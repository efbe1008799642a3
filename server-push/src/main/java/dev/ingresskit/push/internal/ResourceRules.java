package dev.ingresskit.push.internal;

import static dev.ingresskit.push.internal.Names.*;

import dev.ingresskit.push.ScanResult;
import dev.ingresskit.push.Subresource;
import dev.ingresskit.push.Subresource.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Which elements name a sub-resource worth fetching early, shared by every scanner so they agree. One
 * instance per document; not thread-safe.
 *
 * <p>Content of {@code <template>} is inert and skipped, as browsers' preload scanners do; {@code
 * <source>} counts only inside {@code <picture>}; {@code loading=lazy} images are left alone.
 */
public final class ResourceRules {
    private final List<Subresource> found = new ArrayList<>();
    private String baseHref;
    private boolean baseSeen;
    private int pictureDepth;
    private int templateDepth;

    public void reset() {
        found.clear();
        baseHref = null;
        baseSeen = false;
        pictureDepth = 0;
        templateDepth = 0;
    }

    public ScanResult result() {
        return new ScanResult(baseHref, found);
    }

    public void endTag(int tag) {
        if (tag == TEMPLATE && templateDepth > 0) {
            templateDepth--;
        } else if (tag == PICTURE && pictureDepth > 0 && templateDepth == 0) {
            pictureDepth--;
        }
    }

    /** A start tag; {@code selfClosing} matters only for elements that could contain others. */
    public void startTag(int tag, ElementAttributes a) {
        if (tag == TEMPLATE) {
            templateDepth++;
            return;
        }
        if (templateDepth > 0) {
            return;
        }
        switch (tag) {
            case BASE -> {
                // Only the first <base> with an href counts (WHATWG "frozen base URL").
                if (!baseSeen && a.has(A_HREF)) {
                    baseSeen = true;
                    baseHref = a.value(A_HREF);
                }
            }
            case LINK -> link(a);
            case SCRIPT -> script(a);
            case IMG -> image(a);
            case SOURCE -> {
                String srcset = a.value(A_SRCSET);
                if (pictureDepth > 0 && !blank(srcset)) {
                    add(new Subresource(Kind.IMAGE, null, "image", a.value(A_TYPE), a.value(A_MEDIA),
                            null, null, null, srcset, a.value(A_SIZES), false));
                }
            }
            case PICTURE -> pictureDepth++;
            default -> {
            }
        }
    }

    private void link(ElementAttributes a) {
        String href = a.value(A_HREF);
        if (blank(href)) {
            return;
        }
        if (a.hasToken(A_REL, "stylesheet")) {
            if (!a.hasToken(A_REL, "alternate") && !a.has(A_DISABLED)) {
                add(new Subresource(Kind.STYLESHEET, href, "style", null, a.value(A_MEDIA), a.value(A_CROSSORIGIN),
                        a.value(A_INTEGRITY), a.value(A_FETCHPRIORITY), null, null, true));
            }
        } else if (a.hasToken(A_REL, "preload")) {
            String as = a.value(A_AS);
            if (!blank(as)) {
                add(new Subresource(Kind.PRELOAD, href, lower(as.strip()), a.value(A_TYPE), a.value(A_MEDIA),
                        a.value(A_CROSSORIGIN), a.value(A_INTEGRITY), a.value(A_FETCHPRIORITY),
                        a.value(A_IMAGESRCSET), a.value(A_IMAGESIZES), false));
            }
        } else if (a.hasToken(A_REL, "modulepreload")) {
            String as = a.value(A_AS);
            add(new Subresource(Kind.MODULE_PRELOAD, href, blank(as) ? null : lower(as.strip()), null, null,
                    a.value(A_CROSSORIGIN), a.value(A_INTEGRITY), a.value(A_FETCHPRIORITY), null, null, false));
        } else if (a.hasToken(A_REL, "preconnect")) {
            add(new Subresource(Kind.PRECONNECT, href, null, null, null, a.value(A_CROSSORIGIN), null, null,
                    null, null, false));
        } else if (a.hasToken(A_REL, "icon")) {
            add(new Subresource(Kind.ICON, href, "image", a.value(A_TYPE), a.value(A_MEDIA), null, null, null,
                    null, null, false));
        }
    }

    private void script(ElementAttributes a) {
        String src = a.value(A_SRC);
        if (blank(src) || a.has(A_NOMODULE)) {
            return;
        }
        String type = a.value(A_TYPE);
        Kind kind;
        if (type == null || type.isBlank() || isJavaScriptMime(type)) {
            kind = Kind.SCRIPT;
        } else if (a.valueIs(A_TYPE, "module") || lower(type.strip()).equals("module")) {
            kind = Kind.MODULE_SCRIPT;
        } else {
            return; // a data block (JSON, templates …): the browser never fetches it
        }
        boolean blocking = kind == Kind.SCRIPT && !a.has(A_ASYNC) && !a.has(A_DEFER);
        add(new Subresource(kind, src, "script", null, null, a.value(A_CROSSORIGIN), a.value(A_INTEGRITY),
                a.value(A_FETCHPRIORITY), null, null, blocking));
    }

    private void image(ElementAttributes a) {
        if (a.valueIs(A_LOADING, "lazy")) {
            return;
        }
        String src = a.value(A_SRC);
        String srcset = a.value(A_SRCSET);
        if (blank(src) && blank(srcset)) {
            return;
        }
        add(new Subresource(Kind.IMAGE, blank(src) ? null : src, "image", null, null, a.value(A_CROSSORIGIN),
                null, a.value(A_FETCHPRIORITY), blank(srcset) ? null : srcset, a.value(A_SIZES), false));
    }

    private void add(Subresource resource) {
        found.add(resource);
    }

    /** The JavaScript MIME type essences of the WHATWG MIME Sniffing standard. */
    private static boolean isJavaScriptMime(String type) {
        return switch (lower(type.strip())) {
            case "application/ecmascript", "application/javascript", "application/x-ecmascript",
                    "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
                    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
                    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript",
                    "text/x-javascript" -> true;
            default -> false;
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
