package dev.ingresskit.push.internal;

/**
 * Allocation-free lookup of the tag and attribute names the scanner cares about. A name is hashed
 * while it is read; the hash picks a slot in a small open-addressed table, and the characters are
 * compared once to rule out collisions.
 */
public final class Names {
    // Tag ids. Order matters only for isBreakout().
    public static final int UNKNOWN = 0;
    public static final int BASE = 1, LINK = 2, SCRIPT = 3, IMG = 4, SOURCE = 5, PICTURE = 6, TEMPLATE = 7;
    public static final int STYLE = 8, TEXTAREA = 9, TITLE = 10, XMP = 11, IFRAME = 12, NOEMBED = 13,
            NOFRAMES = 14, NOSCRIPT = 15, PLAINTEXT = 16, SVG = 17, MATH = 18, FONT = 19;
    /** Tags that end foreign (SVG/MathML) content when they start inside it (WHATWG "in foreign content"). */
    private static final int FIRST_BREAKOUT = 20;

    private static final String[] TAGS = {
        null, "base", "link", "script", "img", "source", "picture", "template",
        "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
        "svg", "math", "font",
        // breakout tags (img is one too, handled by id above)
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "li", "listing", "menu", "meta", "nobr",
        "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt",
        "u", "ul", "var",
    };

    // Attribute ids.
    public static final int A_HREF = 1, A_REL = 2, A_AS = 3, A_TYPE = 4, A_MEDIA = 5, A_CROSSORIGIN = 6,
            A_INTEGRITY = 7, A_FETCHPRIORITY = 8, A_IMAGESRCSET = 9, A_IMAGESIZES = 10, A_SRC = 11,
            A_SRCSET = 12, A_SIZES = 13, A_NOMODULE = 14, A_ASYNC = 15, A_DEFER = 16,
            A_REFERRERPOLICY = 17, A_DISABLED = 18, A_LOADING = 19;
    private static final String[] ATTRS = {
        null, "href", "rel", "as", "type", "media", "crossorigin", "integrity", "fetchpriority",
        "imagesrcset", "imagesizes", "src", "srcset", "sizes", "nomodule", "async", "defer",
        "referrerpolicy", "disabled", "loading",
    };

    /** The longest name either table holds; longer names are unknown without a lookup. */
    public static final int MAX_LENGTH = 16;

    private static final int SLOTS = 256;
    private static final char[][] TAG_NAMES = new char[SLOTS][];
    private static final int[] TAG_IDS = new int[SLOTS];
    private static final char[][] ATTR_NAMES = new char[SLOTS][];
    private static final int[] ATTR_IDS = new int[SLOTS];

    /**
     * Tag and attribute names of up to 8 characters packed one byte each (see {@link #tagByKey}), in
     * tables where a multiplicative hash puts every name in its own slot: a lookup is one compare.
     */
    private static final int KEY_BITS = 9;
    private static final long[] TAG_KEYS = new long[1 << KEY_BITS];
    private static final int[] TAG_KEY_IDS = new int[1 << KEY_BITS];
    private static final long[] ATTR_KEYS = new long[1 << KEY_BITS];
    private static final int[] ATTR_KEY_IDS = new int[1 << KEY_BITS];
    private static final long KEY_MULTIPLIER;

    static {
        fill(TAGS, TAG_NAMES, TAG_IDS);
        fill(ATTRS, ATTR_NAMES, ATTR_IDS);
        // the first odd multiplier of a fixed sequence under which no two names share a slot
        long m = 0x9E3779B97F4A7C15L;
        while (!fillKeys(TAGS, TAG_KEYS, TAG_KEY_IDS, m) || !fillKeys(ATTRS, ATTR_KEYS, ATTR_KEY_IDS, m)) {
            m = (m * 0x5851F42D4C957F2DL + 0x14057B7EF767814FL) | 1;
        }
        KEY_MULTIPLIER = m;
    }

    private static boolean fillKeys(String[] names, long[] keys, int[] ids, long multiplier) {
        java.util.Arrays.fill(keys, 0);
        for (int id = 1; id < names.length; id++) {
            if (names[id].length() <= 8) {
                long key = 0;
                for (char c : names[id].toCharArray()) {
                    key = key << 8 | c;
                }
                int slot = (int) ((key * multiplier) >>> (64 - KEY_BITS));
                if (keys[slot] != 0) {
                    return false;
                }
                keys[slot] = key;
                ids[slot] = id;
            }
        }
        return true;
    }

    /**
     * The id of a lower-case ASCII tag name of 1 to 8 characters given as {@code key}: its characters
     * shifted in one byte at a time ({@code key = key << 8 | c}), so distinct names have distinct keys.
     */
    public static int tagByKey(long key) {
        int slot = (int) ((key * KEY_MULTIPLIER) >>> (64 - KEY_BITS));
        return TAG_KEYS[slot] == key ? TAG_KEY_IDS[slot] : UNKNOWN;
    }

    /** {@link #tagByKey} for attribute names. */
    public static int attributeByKey(long key) {
        int slot = (int) ((key * KEY_MULTIPLIER) >>> (64 - KEY_BITS));
        return ATTR_KEYS[slot] == key ? ATTR_KEY_IDS[slot] : UNKNOWN;
    }

    private Names() {
    }

    private static void fill(String[] names, char[][] slots, int[] ids) {
        for (int id = 1; id < names.length; id++) {
            char[] name = names[id].toCharArray();
            int h = 0;
            for (char c : name) {
                h = step(h, c);
            }
            int slot = h & (SLOTS - 1);
            while (slots[slot] != null) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            slots[slot] = name;
            ids[slot] = id;
        }
    }

    /** One step of the name hash; callers feed lower-case characters. */
    public static int step(int hash, char c) {
        return hash * 31 + c;
    }

    public static int tag(char[] buf, int start, int len, int hash) {
        return find(TAG_NAMES, TAG_IDS, buf, start, len, hash);
    }

    public static int attribute(char[] buf, int start, int len, int hash) {
        return find(ATTR_NAMES, ATTR_IDS, buf, start, len, hash);
    }

    /** The id of a lower-case tag name, for scanners that already have names as strings. */
    public static int tag(String lowerCaseName) {
        char[] name = lowerCaseName.toCharArray();
        int h = 0;
        for (char c : name) {
            h = step(h, c);
        }
        return tag(name, 0, name.length, h);
    }

    public static String attributeName(int id) {
        return ATTRS[id];
    }

    public static String tagName(int id) {
        return TAGS[id];
    }

    /** True for tags that, started inside SVG or MathML, return the tokenizer to HTML rules. */
    public static boolean isBreakout(int id) {
        return id >= FIRST_BREAKOUT || id == IMG;
    }

    /** True for the tags known only because they end SVG or MathML content ({@link #isBreakout}). */
    public static boolean isOnlyBreakout(int id) {
        return id >= FIRST_BREAKOUT;
    }

    private static int find(char[][] slots, int[] ids, char[] buf, int start, int len, int hash) {
        if (len > MAX_LENGTH) {
            return UNKNOWN;
        }
        int slot = hash & (SLOTS - 1);
        for (char[] name; (name = slots[slot]) != null; slot = (slot + 1) & (SLOTS - 1)) {
            if (name.length == len && same(name, buf, start)) {
                return ids[slot];
            }
        }
        return UNKNOWN;
    }

    private static boolean same(char[] name, char[] buf, int start) {
        for (int i = 0; i < name.length; i++) {
            if (name[i] != buf[start + i]) {
                return false;
            }
        }
        return true;
    }
}
