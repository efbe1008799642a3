package dev.ingresskit.push.internal;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An http(s) URL resolved the way a browser resolves it (the WHATWG URL Standard's basic URL parser,
 * restricted to the special schemes http and https), so that a {@code Link} target names exactly the
 * URL the page will request and the browser can match the early fetch with the real one.
 *
 * <p>Kept: backslashes as slashes, tab/newline removal, leading/trailing control and space trimming,
 * dot segments including {@code %2e}, default ports dropped, host lower-cased and IDNA-encoded, the
 * path and query percent-encode sets (so spaces, {@code < > " `} and non-ASCII come out as UTF-8
 * percent-escapes). Refused (null): other schemes ({@code data:}, {@code blob:}, {@code javascript:} …),
 * credentials in the authority, percent-escapes or forbidden characters in the host, bad ports, and
 * fragment-only or empty references (the page itself). The fragment is dropped: it is never fetched.
 *
 * @param origin {@code scheme://host[:port]}, or null for a reference that stays relative (no base)
 * @param pathAndQuery the encoded path and query; for a relative result, the encoded reference
 */
public record WebUrl(String scheme, String host, int port, String origin, String pathAndQuery) {

    /** True when this is a reference kept relative because there was no absolute base. */
    public boolean relative() {
        return origin == null;
    }

    @Override
    public String toString() {
        return origin == null ? pathAndQuery : origin + pathAndQuery;
    }

    /** Parses an absolute http(s) URL; null when it is not one. */
    public static WebUrl parseAbsolute(String input) {
        WebUrl url = resolve(null, input);
        return url == null || url.relative() ? null : url;
    }

    /**
     * Resolves {@code reference} against {@code base} (may be null: the result then stays relative when
     * the reference is). Null when the reference cannot be fetched early (see the class comment).
     */
    public static WebUrl resolve(WebUrl base, String reference) {
        String s = clean(reference);
        if (s.isEmpty() || s.charAt(0) == '#') {
            return null;
        }
        int colon = schemeEnd(s);
        if (colon > 0) {
            String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return null;
            }
            String rest = s.substring(colon + 1);
            if (base != null && !base.relative() && base.scheme.equals(scheme) && !startsWithSlash(rest)) {
                return relative(base, rest);
            }
            return authority(scheme, stripSlashes(rest));
        }
        if (s.length() >= 2 && isSlash(s.charAt(0)) && isSlash(s.charAt(1))) {
            if (base == null || base.relative()) {
                return null; // a scheme-relative URL with nothing to take the scheme from
            }
            return authority(base.scheme, stripSlashes(s));
        }
        return relative(base, s);
    }

    private static WebUrl relative(WebUrl base, String ref) {
        if (ref.isEmpty() || ref.charAt(0) == '#') {
            return null;
        }
        int hash = ref.indexOf('#');
        if (hash >= 0) {
            ref = ref.substring(0, hash);
        }
        int q = ref.indexOf('?');
        String path = q >= 0 ? ref.substring(0, q) : ref;
        String query = q >= 0 ? ref.substring(q + 1) : null;
        if (base == null || base.relative()) {
            // No absolute base: keep the reference relative, only encoded.
            String encoded = startsWithSlash(path) ? normalizePath(path) : encodePath(path.replace('\\', '/'));
            return new WebUrl(null, null, -1, null, encoded + encodeQuery(query));
        }
        String basePath = base.pathAndQuery;
        int bq = basePath.indexOf('?');
        String baseOnlyPath = bq >= 0 ? basePath.substring(0, bq) : basePath;
        String newPath;
        if (path.isEmpty()) {
            newPath = baseOnlyPath;
            if (query == null) {
                return null; // same document
            }
        } else if (startsWithSlash(path)) {
            newPath = normalizePath(path);
        } else {
            newPath = normalizePath(baseOnlyPath.substring(0, baseOnlyPath.lastIndexOf('/') + 1) + path);
        }
        return new WebUrl(base.scheme, base.host, base.port, base.origin, newPath + encodeQuery(query));
    }

    private static WebUrl authority(String scheme, String rest) {
        int end = 0;
        while (end < rest.length() && "/\\?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            return null;
        }
        String hostPart = authority;
        int port = -1;
        int colon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
        if (colon >= 0) {
            hostPart = authority.substring(0, colon);
            String digits = authority.substring(colon + 1);
            if (!digits.isEmpty()) {
                if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return null;
                }
                port = Integer.parseInt(digits);
                if (port > 65535) {
                    return null;
                }
            }
        }
        String host = host(hostPart);
        if (host == null) {
            return null;
        }
        if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
            port = -1;
        }
        String origin = scheme + "://" + host + (port >= 0 ? ":" + port : "");
        String tail = rest.substring(end);
        WebUrl root = new WebUrl(scheme, host, port, origin, "/");
        if (tail.isEmpty() || tail.charAt(0) == '#') {
            return root;
        }
        if (tail.charAt(0) == '?') {
            return relative(root, "/" + tail);
        }
        return relative(root, tail);
    }

    private static String host(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        if (raw.startsWith("[")) {
            if (!raw.endsWith("]") || !raw.substring(1, raw.length() - 1).chars()
                    .allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null;
            }
            return raw.toLowerCase(Locale.ROOT);
        }
        String host = raw;
        if (!host.chars().allMatch(c -> c < 0x80)) {
            try {
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c >= 0x7F || "#%/:<>?@[\\]^|".indexOf(c) >= 0) {
                return null;
            }
        }
        return host.isEmpty() ? null : host;
    }

    /** Removes dot segments (".", "..", "%2e" forms) and encodes each segment. Input starts with '/'. */
    static String normalizePath(String path) {
        if (path.indexOf('\\') < 0 && !path.contains("/.") && (path.indexOf('%') < 0 || !path.toLowerCase(Locale.ROOT).contains("%2e"))) {
            return encodePath(path); // no dot segments: the common case, without splitting
        }
        String[] segments = path.replace('\\', '/').split("/", -1);
        List<String> out = new ArrayList<>();
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if (isDoubleDot(seg)) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                if (last) {
                    out.add("");
                }
            } else if (isSingleDot(seg)) {
                if (last) {
                    out.add("");
                }
            } else {
                out.add(encodePath(seg));
            }
        }
        return "/" + String.join("/", out);
    }

    private static boolean isSingleDot(String s) {
        return s.equals(".") || s.equalsIgnoreCase("%2e");
    }

    private static boolean isDoubleDot(String s) {
        return s.equals("..") || s.equalsIgnoreCase(".%2e") || s.equalsIgnoreCase("%2e.")
                || s.equalsIgnoreCase("%2e%2e");
    }

    /** The WHATWG path percent-encode set (as browsers apply it; '^' stays). */
    static String encodePath(String s) {
        return encode(s, " \"#<>?`{}");
    }

    /** The special-query percent-encode set; includes the leading '?'. */
    static String encodeQuery(String query) {
        return query == null ? "" : "?" + encode(query, " \"#<>'");
    }

    private static String encode(String s, String extra) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c > 0x20 && c < 0x7F && extra.indexOf(c) < 0;
            if (plain) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            int cp = Character.codePointAt(s, i);
            if (Character.charCount(cp) == 2) {
                i++;
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD; // a lone surrogate encodes as U+FFFD, as the URL Standard's UTF-8 encode does
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out == null ? s : out.toString();
    }

    private static String clean(String s) {
        int start = 0, end = s.length();
        while (start < end && s.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) <= ' ') {
            end--;
        }
        StringBuilder b = null;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                if (b == null) {
                    b = new StringBuilder(end - start).append(s, start, i);
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        return b != null ? b.toString() : s.substring(start, end);
    }

    private static int schemeEnd(String s) {
        if (s.isEmpty() || !isAsciiAlpha(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!(isAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isAsciiAlpha(char c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    private static boolean isSlash(char c) {
        return c == '/' || c == '\\';
    }

    private static boolean startsWithSlash(String s) {
        return !s.isEmpty() && isSlash(s.charAt(0));
    }

    private static String stripSlashes(String s) {
        int i = 0;
        while (i < s.length() && isSlash(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }
}
