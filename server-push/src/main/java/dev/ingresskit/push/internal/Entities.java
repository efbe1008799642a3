package dev.ingresskit.push.internal;

import java.util.Arrays;

/**
 * The named character references the scanner decodes in attribute values: every "legacy" name that
 * browsers accept without a semicolon (the Latin-1 set plus {@code amp lt gt quot} and their upper-case
 * forms), and every name whose value is printable ASCII, because those change what a URL means
 * ({@code &sol;}, {@code &quest;}, {@code &num;} …). Other names are left as written; the README lists
 * this as a deliberate limit. Values are from the WHATWG "named character references" table and are
 * checked against html5lib's namedEntities.test in the tests.
 */
public final class Entities {
    /** Latin-1 names in code-point order from U+00A0; each is also valid without a semicolon. */
    private static final String LATIN1 = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not"
            + " shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12"
            + " frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave"
            + " Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc"
            + " Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc"
            + " euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave"
            + " uacute ucirc uuml yacute thorn yuml";
    /** Legacy names outside Latin-1's U+00A0..U+00FF block, also valid without a semicolon. */
    private static final String[][] LEGACY_ASCII = {
        {"amp", "&"}, {"AMP", "&"}, {"lt", "<"}, {"LT", "<"}, {"gt", ">"}, {"GT", ">"},
        {"quot", "\""}, {"QUOT", "\""}, {"COPY", "\u00a9"}, {"REG", "\u00ae"},
    };
    /** Names that need their semicolon and stand for printable ASCII (or tab / newline). */
    private static final String[][] ASCII = {
        {"Tab", "\t"}, {"NewLine", "\n"}, {"excl", "!"}, {"num", "#"}, {"dollar", "$"}, {"percnt", "%"},
        {"apos", "'"}, {"lpar", "("}, {"rpar", ")"}, {"ast", "*"}, {"midast", "*"}, {"plus", "+"},
        {"comma", ","}, {"period", "."}, {"sol", "/"}, {"colon", ":"}, {"semi", ";"}, {"equals", "="},
        {"quest", "?"}, {"commat", "@"}, {"lsqb", "["}, {"lbrack", "["}, {"bsol", "\\"}, {"rsqb", "]"},
        {"rbrack", "]"}, {"Hat", "^"}, {"lowbar", "_"}, {"UnderBar", "_"}, {"grave", "`"},
        {"DiacriticalGrave", "`"}, {"lcub", "{"}, {"lbrace", "{"}, {"verbar", "|"}, {"vert", "|"},
        {"VerticalLine", "|"}, {"rcub", "}"}, {"rbrace", "}"},
    };

    private static final char[][] NAMES;
    private static final String[] VALUES;
    /** Longest name including its semicolon: bounds the look-ahead buffer. */
    public static final int MAX_NAME = 17;

    static {
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>();
        String[] latin = LATIN1.split(" ");
        for (int i = 0; i < latin.length; i++) {
            String value = String.valueOf((char) (0xA0 + i));
            all.put(latin[i], value);
            all.put(latin[i] + ";", value);
        }
        for (String[] e : LEGACY_ASCII) {
            all.put(e[0], e[1]);
            all.put(e[0] + ";", e[1]);
        }
        for (String[] e : ASCII) {
            all.put(e[0] + ";", e[1]);
        }
        NAMES = new char[all.size()][];
        VALUES = new String[all.size()];
        int i = 0;
        for (var e : all.entrySet()) {
            NAMES[i] = e.getKey().toCharArray();
            VALUES[i++] = e.getValue();
        }
    }

    private Entities() {
    }

    /** Index of the entry named exactly {@code buf[0..len)}, or -1. */
    public static int exact(char[] buf, int len) {
        int i = lowerBound(buf, len);
        return i < NAMES.length && NAMES[i].length == len && startsWith(NAMES[i], buf, len) ? i : -1;
    }

    /** True when some name starts with {@code buf[0..len)}. */
    public static boolean isPrefix(char[] buf, int len) {
        int i = lowerBound(buf, len);
        return i < NAMES.length && startsWith(NAMES[i], buf, len);
    }

    public static String value(int index) {
        return VALUES[index];
    }

    /** Every name this table decodes (with ';' where one is required), for the tests. */
    public static String[] names() {
        return Arrays.stream(NAMES).map(String::new).toArray(String[]::new);
    }

    private static int lowerBound(char[] buf, int len) {
        int lo = 0, hi = NAMES.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(NAMES[mid], buf, len) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int compare(char[] name, char[] buf, int len) {
        int n = Math.min(name.length, len);
        for (int i = 0; i < n; i++) {
            if (name[i] != buf[i]) {
                return name[i] - buf[i];
            }
        }
        return name.length - len;
    }

    private static boolean startsWith(char[] name, char[] buf, int len) {
        if (name.length < len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (name[i] != buf[i]) {
                return false;
            }
        }
        return true;
    }

    /** Windows-1252 meanings of the C1 range, as the WHATWG numeric character reference end state maps them. */
    private static final char[] C1 = {
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    };

    /** The code point a numeric reference stands for: NUL, surrogates and out-of-range become U+FFFD. */
    public static int resolveNumeric(int cp) {
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0xFFFD;
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            return C1[cp - 0x80];
        }
        return cp;
    }
}
