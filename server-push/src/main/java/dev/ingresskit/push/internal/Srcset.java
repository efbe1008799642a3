package dev.ingresskit.push.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code srcset} value into candidates the way the WHATWG "parse a srcset attribute"
 * algorithm does: a URL is a run of non-whitespace (trailing commas end it), descriptors run to the next
 * comma outside parentheses.
 */
public final class Srcset {
    /** One image candidate: its URL as written and its descriptors (e.g. {@code "2x"}, may be empty). */
    public record Candidate(String url, String descriptors) {
    }

    private Srcset() {
    }

    public static List<Candidate> parse(String srcset) {
        List<Candidate> out = new ArrayList<>();
        int i = 0, n = srcset.length();
        while (true) {
            while (i < n && (isSpace(srcset.charAt(i)) || srcset.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int start = i;
            while (i < n && !isSpace(srcset.charAt(i))) {
                i++;
            }
            String url = srcset.substring(start, i);
            if (url.endsWith(",")) {
                int end = url.length();
                while (end > 0 && url.charAt(end - 1) == ',') {
                    end--;
                }
                if (end > 0) {
                    out.add(new Candidate(url.substring(0, end), ""));
                }
                continue;
            }
            int d = i;
            int depth = 0;
            while (i < n) {
                char c = srcset.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && depth > 0) {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    break;
                }
                i++;
            }
            out.add(new Candidate(url, srcset.substring(d, i).strip().replaceAll("\\s+", " ")));
            if (i < n) {
                i++; // the comma
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static final java.util.regex.Pattern DESCRIPTOR =
            java.util.regex.Pattern.compile("[0-9]+w|[0-9]+h|[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?x");

    /**
     * True when the descriptors are empty or each is a width ({@code 640w}), a density ({@code 1.5x}) or
     * a height ({@code 480h}); the WHATWG algorithm drops a candidate with anything else.
     */
    public static boolean validDescriptors(String descriptors) {
        if (descriptors.isEmpty()) {
            return true;
        }
        for (String d : descriptors.split(" ")) {
            if (!DESCRIPTOR.matcher(d).matches()) {
                return false;
            }
        }
        return true;
    }
}
