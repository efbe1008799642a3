package dev.ingresskit.bench.push;

import java.util.List;

/**
 * The floor a scanner of real pages is measured against in the same run: the least any tag-aware HTML
 * scanner does, with none of the work of ours. It copies each page into the same 4 K character chunks
 * as {@code ScanSession.feed(CharSequence)}, finds every {@code '<'}, and skips to the tag's
 * {@code '>'} over quoted runs ('"' or '\''). It reads no names, looks nothing up, records nothing and
 * ignores the rules a tokenizer follows (a quote opens a value only after '=', comments, raw text, tags
 * cut by a chunk's end), so it is faster than any correct scanner: a ratio to it says how much the
 * scanner's work costs beyond touching every character once, and it moves with the machine the way the
 * scanner does.
 */
final class TagSkipFloor {
    private static final int CHUNK = 4096;

    private final char[] chunk = new char[CHUNK];

    /** Skips every tag of every page; returns how many {@code '<'} it found (so the work cannot be dropped). */
    long scan(List<String> pages) {
        long tags = 0;
        char[] buf = chunk;
        for (String page : pages) {
            for (int at = 0; at < page.length(); at += CHUNK) {
                int len = Math.min(CHUNK, page.length() - at);
                page.getChars(at, at + len, buf, 0);
                tags += skipTags(buf, len);
            }
        }
        return tags;
    }

    private static int skipTags(char[] buf, int len) {
        int tags = 0;
        int i = 0;
        while (true) {
            while (i < len && buf[i] != '<') {
                i++;
            }
            if (i >= len) { // past it when a quoted run was cut by the chunk's end
                return tags;
            }
            tags++;
            for (i++; i < len; ) {
                char c = buf[i++];
                if (c == '>') {
                    break;
                }
                if (c == '"' || c == '\'') {
                    while (i < len && buf[i] != c) {
                        i++;
                    }
                    i++;
                }
            }
        }
    }
}
