package dev.ingresskit.push;

import java.util.List;
import java.util.Objects;

/**
 * One link of a {@code Link} header (RFC 8288), ready to send. The target is already resolved and
 * percent-encoded; parameters that are absent are null. {@link #toString()} is the serialised form,
 * e.g. {@code </app.css>; rel=preload; as=style}.
 *
 * @param target the URI reference inside {@code <…>}: origin-relative ({@code /app.css}) for the
 *     page's own origin, absolute for other origins
 * @param rel {@code preload}, {@code modulepreload} or {@code preconnect}
 * @param crossOrigin null (no CORS), {@code "anonymous"} or {@code "use-credentials"}
 * @param extra extra parameters from the generator's configuration, serialised as given
 *     ({@code nopush}, {@code x=y})
 */
public record PreloadLink(String target, String rel, String as, String type, String media, String crossOrigin,
        String integrity, String fetchPriority, String imageSrcset, String imageSizes, List<String> extra) {

    public PreloadLink {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rel, "rel");
        extra = List.copyOf(extra);
    }

    /** The serialised link, as it appears in a {@code Link} header. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(target.length() + 48);
        b.append('<').append(target).append(">; rel=").append(rel);
        param(b, "as", as);
        param(b, "type", type);
        param(b, "media", media);
        if (crossOrigin != null) {
            b.append(crossOrigin.equals("use-credentials") ? "; crossorigin=use-credentials" : "; crossorigin");
        }
        param(b, "integrity", integrity);
        param(b, "fetchpriority", fetchPriority);
        param(b, "imagesrcset", imageSrcset);
        param(b, "imagesizes", imageSizes);
        for (String e : extra) {
            b.append("; ").append(e);
        }
        return b.toString();
    }

    private static void param(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        b.append("; ").append(name).append('=');
        if (!value.isEmpty() && value.chars().allMatch(PreloadLink::isTokenChar)) {
            b.append(value);
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    /** RFC 9110 tchar. */
    static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** True when {@code value} can be sent in a quoted-string as is: printable ASCII and space only. */
    static boolean isSafeParameterValue(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
    }
}
