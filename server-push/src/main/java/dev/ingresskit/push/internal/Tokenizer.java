package dev.ingresskit.push.internal;

/**
 * A streaming HTML tokenizer that follows the WHATWG tokenizer (html.spec.whatwg.org, "13.2.5
 * Tokenization") for the tokens a link scanner needs: start and end tags with their attributes,
 * comments, DOCTYPE names, and the text states whose content is not markup (RCDATA, RAWTEXT, script
 * data with its escaped and double-escaped states, PLAINTEXT, CDATA sections). Character tokens are
 * never produced: text is skipped, which is where the speed comes from.
 *
 * <p>Input arrives in chunks of any size through {@link #feed}; every state survives a chunk boundary,
 * so a tag or a character reference may be split anywhere. {@link #finish()} applies the end-of-file
 * rules (an unfinished tag is dropped, an unfinished comment is emitted).
 *
 * <p>In scanning mode ({@code recordAll == false}) only the attributes whose names {@link Names} knows,
 * of the tags that can carry a link, are recorded, and names and values are capped, so memory stays
 * bounded whatever the input. With {@code emulateTreeBuilder}, the tokenizer switches to the text
 * states after {@code <script>}, {@code <style>}, {@code <textarea>} … as a browser's tree builder would
 * (scripting enabled, so {@code <noscript>} is raw text), and recognises CDATA only inside SVG/MathML.
 *
 * <p>Not thread-safe; reusable after {@link #reset()}. Nothing is allocated per token except what the
 * sink asks for.
 */
public final class Tokenizer implements ElementAttributes {
    /**
     * Receives tokens. Attribute data is only valid during the call. In scanning mode, only tags with a
     * {@link Names} id are passed, and the tags known only for ending SVG/MathML only inside those.
     */
    public interface Sink {
        void startTag(Tokenizer tag);

        void endTag(Tokenizer tag);

        /** Only called when recording everything. */
        default void comment(String data) {
        }

        /** Only called when recording everything; {@code name} is null when the DOCTYPE has none. */
        default void doctype(String name) {
        }
    }

    /** States a test may start in (html5lib's "initialStates"). */
    public enum InitialState { DATA, PLAINTEXT, RCDATA, RAWTEXT, SCRIPT_DATA, CDATA_SECTION }

    // States. Text states first: the fast paths live there.
    private static final int DATA = 0, RAW = 1, SCRIPT_DATA = 2, PLAINTEXT = 3, CDATA_SECTION = 4,
            SD_ESCAPED = 5, SD_DOUBLE_ESCAPED = 6;
    private static final int TAG_OPEN = 10, END_TAG_OPEN = 11, TAG_NAME = 12, TEXT_LT = 13,
            TEXT_END_TAG_OPEN = 14, TEXT_END_TAG_NAME = 15;
    private static final int SD_ESCAPE_START = 20, SD_ESCAPE_START_DASH = 21, SD_ESCAPED_DASH = 22,
            SD_ESCAPED_DASH_DASH = 23, SD_ESCAPED_LT = 24, SD_DOUBLE_ESCAPE_START = 25,
            SD_DOUBLE_ESCAPED_DASH = 26, SD_DOUBLE_ESCAPED_DASH_DASH = 27, SD_DOUBLE_ESCAPED_LT = 28,
            SD_DOUBLE_ESCAPE_END = 29;
    private static final int BEFORE_ATTR_NAME = 30, ATTR_NAME = 31, AFTER_ATTR_NAME = 32,
            BEFORE_ATTR_VALUE = 33, ATTR_VALUE_DQ = 34, ATTR_VALUE_SQ = 35, ATTR_VALUE_UNQ = 36,
            AFTER_ATTR_VALUE_QUOTED = 37, SELF_CLOSING = 38;
    private static final int MARKUP_DECLARATION = 40, BOGUS_COMMENT = 41, COMMENT_START = 42,
            COMMENT_START_DASH = 43, COMMENT = 44, COMMENT_END_DASH = 45, COMMENT_END = 46,
            COMMENT_END_BANG = 47;
    private static final int DOCTYPE = 50, BEFORE_DOCTYPE_NAME = 51, DOCTYPE_NAME = 52, AFTER_DOCTYPE_NAME = 53;
    private static final int CDATA_BRACKET = 60, CDATA_END = 61;
    private static final int CHARREF = 70, NAMED_REF = 71, NUMERIC_REF = 72, HEX_REF_START = 73,
            DEC_REF_START = 74, HEX_REF = 75, DEC_REF = 76;

    /** Caps in scanning mode: a longer tag name cannot be one we know, a longer URL is not worth a Link. */
    private static final int MAX_TAG_NAME = 32;
    static final int MAX_VALUE = 16 * 1024;
    private static final char REPLACEMENT = '\uFFFD';
    private static final char[] SCRIPT = {'s', 'c', 'r', 'i', 'p', 't'};
    /** Text shorter than this is skipped character by character: a vectorised search costs more to start. */
    private static final int SHORT_TEXT = 24;

    private final Sink sink;
    private final boolean recordAll;
    private final boolean emulateTreeBuilder;
    /** Whole tags in one pass when nothing about them needs recording (scanning mode only). */
    private final boolean fastTags;
    private boolean fastSelfClosing;
    /** The string the current buffer was copied from, if any, and buffer index + sourceShift = its index. */
    private String source;
    private int sourceShift;

    private int state = DATA;
    private boolean prevCR;

    // The tag being built.
    private char[] tagName = new char[MAX_TAG_NAME];
    private int tagNameLen;
    private int tagHash;
    private boolean tagNameOverflow;
    private int tagId;
    private boolean endTag;
    private boolean selfClosing;
    private boolean recordAttrs;
    private char[] lastStartTag = new char[MAX_TAG_NAME];
    private int lastStartTagLen = -1;

    // Attributes: names and values packed in one buffer.
    private char[] attrBuf = new char[512];
    private int attrPos;
    private int[] nameStart = new int[16], nameLen = new int[16], valStart = new int[16], valLen = new int[16],
            attrIds = new int[16];
    private int attrCount;
    private int curNameStart, curNameLen, curNameHash;
    private boolean curKeep, curOverflow, curValueTruncated;

    // Comments, DOCTYPE names and markup declarations.
    private final StringBuilder text = new StringBuilder();
    private final char[] decl = new char[7];
    private int declLen;
    private boolean doctypeHasName;

    // End tags inside text, and the "script" check of the double-escape states.
    private int endTagReturn;
    private int textState = DATA;
    private int tempLen;
    private boolean tempIsScript;

    // Character references in attribute values.
    private int returnState;
    private final char[] ref = new char[Entities.MAX_NAME + 1];
    private int refLen, bestRef, bestRefLen;
    private char refX;
    private int codePoint;

    private int foreignDepth;

    public Tokenizer(Sink sink, boolean recordAll, boolean emulateTreeBuilder) {
        this(sink, recordAll, emulateTreeBuilder, true);
    }

    /**
     * {@code fastTags == false} turns off the whole-tag fast path of scanning mode, leaving only the
     * state-by-state machine: tests compare the two.
     */
    public Tokenizer(Sink sink, boolean recordAll, boolean emulateTreeBuilder, boolean fastTags) {
        this.sink = sink;
        this.recordAll = recordAll;
        this.emulateTreeBuilder = emulateTreeBuilder;
        this.fastTags = fastTags && !recordAll;
    }

    /** Forgets everything, ready for a new document. Keeps the buffers. */
    public void reset() {
        state = DATA;
        textState = DATA;
        prevCR = false;
        lastStartTagLen = -1;
        foreignDepth = 0;
        attrCount = 0;
        attrPos = 0;
        text.setLength(0);
    }

    /** Starts in another state, as html5lib's tests ask; {@code lastStartTag} may be null. */
    public void start(InitialState initial, String lastStart) {
        reset();
        state = switch (initial) {
            case DATA -> DATA;
            case PLAINTEXT -> PLAINTEXT;
            case RCDATA, RAWTEXT -> RAW;
            case SCRIPT_DATA -> SCRIPT_DATA;
            case CDATA_SECTION -> CDATA_SECTION;
        };
        textState = state;
        if (lastStart != null) {
            lastStartTag = lastStart.toCharArray();
            lastStartTagLen = lastStartTag.length;
        }
    }

    // ---------------------------------------------------------------- the token the sink sees

    /** The {@link Names} id of the current tag, {@link Names#UNKNOWN} for others. */
    public int tagId() {
        return tagId;
    }

    public String tagName() {
        return new String(tagName, 0, tagNameLen);
    }

    public boolean selfClosing() {
        return selfClosing;
    }

    public int attributeCount() {
        return attrCount;
    }

    public String attributeName(int index) {
        return new String(attrBuf, nameStart[index], nameLen[index]);
    }

    public String attributeValue(int index) {
        return new String(attrBuf, valStart[index], valLen[index]);
    }

    /** The value of the attribute with {@link Names} id {@code id}, or null when absent or over-long. */
    @Override
    public String value(int id) {
        int i = indexOf(id);
        return i < 0 || valLen[i] < 0 ? null : new String(attrBuf, valStart[i], valLen[i]);
    }

    @Override
    public boolean has(int id) {
        return indexOf(id) >= 0;
    }

    /** True when the attribute's value equals {@code lowerCase} ignoring ASCII case, without allocating. */
    @Override
    public boolean valueIs(int id, String lowerCase) {
        int i = indexOf(id);
        if (i < 0 || valLen[i] != lowerCase.length()) {
            return false;
        }
        for (int k = 0; k < valLen[i]; k++) {
            if (lower(attrBuf[valStart[i] + k]) != lowerCase.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** True when the attribute is a set of space-separated tokens containing {@code lowerCase}. */
    @Override
    public boolean hasToken(int id, String lowerCase) {
        int i = indexOf(id);
        if (i < 0 || valLen[i] < 0) {
            return false;
        }
        int p = valStart[i], end = p + valLen[i];
        while (p < end) {
            while (p < end && isSpace(attrBuf[p])) {
                p++;
            }
            int s = p;
            while (p < end && !isSpace(attrBuf[p])) {
                p++;
            }
            if (p - s == lowerCase.length()) {
                boolean same = true;
                for (int k = 0; k < p - s && same; k++) {
                    same = lower(attrBuf[s + k]) == lowerCase.charAt(k);
                }
                if (same) {
                    return true;
                }
            }
        }
        return false;
    }

    private int indexOf(int id) {
        for (int i = 0; i < attrCount; i++) {
            if (attrIds[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** Characters held in the tokenizer's buffers: bounded in scanning mode whatever the input. */
    public int retainedChars() {
        return tagName.length + lastStartTag.length + attrBuf.length + text.capacity() + nameStart.length * 5;
    }

    // ---------------------------------------------------------------- input

    /** How far back from a chunk's end {@link #beforeLastTag} looks for the start of a tag. */
    private static final int TAIL = 512;

    /**
     * Where a feeder that has more to come should end a chunk of {@code len} characters: before its last
     * {@code '<'} when that is among its last 512 characters (and not the first), so that the next chunk
     * starts with the whole tag; else {@code len}. A tag cut by the end of a chunk leaves the one-pass
     * path for the state machine, a character at a time; on real pages, a tag every 24 characters or so,
     * that was most chunks: about 4% of the time on Python's documentation in 4 K chunks.
     */
    public static int beforeLastTag(char[] buf, int len) {
        for (int k = len - 1; k > 0 && k >= len - TAIL; k--) {
            if (buf[k] == '<') {
                return k;
            }
        }
        return len;
    }

    /** Feeds characters; may be called any number of times before {@link #finish()}. */
    public void feed(char[] buf, int off, int len) {
        run(buf, off, off + len);
    }

    /**
     * Feeds characters that are also {@code source.substring(sourceOffset, sourceOffset + len)}: long
     * runs of text are then skipped with {@link String#indexOf(int, int, int)}, which the JVM vectorises.
     */
    public void feed(char[] buf, int off, int len, String source, int sourceOffset) {
        this.source = source;
        sourceShift = sourceOffset - off;
        try {
            run(buf, off, off + len);
        } finally {
            this.source = null;
        }
    }

    private void run(char[] buf, int off, int end) {
        int i = off;
        while (i < end) {
            char c = buf[i];
            // Fast paths for the common characters of each hot state; anything unusual (and the character
            // after a CR, which may be the LF of a CRLF) goes through step(). Loops here never consume a
            // CR in a state where it matters, so prevCR stays false.
            if (!prevCR) {
                switch (state) {
                    case DATA, RAW, SCRIPT_DATA -> {
                        if (fastTags) {
                            if (state == DATA) {
                                i = dataLoop(buf, i, end);
                                continue;
                            }
                            i = skipText(buf, i, end);
                            if (i == end) {
                                return;
                            }
                            int next = fastTextLt(buf, i, end);
                            if (next != i) {
                                i = next;
                                continue;
                            }
                        } else {
                            while (c != '<') {
                                if (++i == end) {
                                    return;
                                }
                                c = buf[i];
                            }
                        }
                        state = state == DATA ? TAG_OPEN : TEXT_LT;
                        i++;
                        continue;
                    }
                    case PLAINTEXT -> {
                        return;
                    }
                    case TAG_OPEN, END_TAG_OPEN -> {
                        if (isAlpha(c)) {
                            beginTag(state == END_TAG_OPEN);
                            state = TAG_NAME;
                            continue;
                        }
                    }
                    case TAG_NAME -> {
                        int n = tagNameLen, hash = tagHash;
                        char[] name = tagName;
                        while (c >= 'a' && c <= 'z' && n < name.length) {
                            name[n++] = c;
                            hash = Names.step(hash, c);
                            if (++i == end) {
                                tagNameLen = n;
                                tagHash = hash;
                                return;
                            }
                            c = buf[i];
                        }
                        tagNameLen = n;
                        tagHash = hash;
                        if (c == ' ' || c == '>') {
                            endTagName();
                            if (c == '>') {
                                emitTag();
                            } else {
                                state = BEFORE_ATTR_NAME;
                            }
                            i++;
                            continue;
                        }
                    }
                    case BEFORE_ATTR_NAME -> {
                        while (c == ' ') {
                            if (++i == end) {
                                return;
                            }
                            c = buf[i];
                        }
                        if (c >= 'a' && c <= 'z') {
                            beginAttr();
                            state = ATTR_NAME;
                            continue;
                        }
                        if (c == '>') {
                            emitTag();
                            i++;
                            continue;
                        }
                    }
                    case ATTR_NAME -> {
                        if (!recordAttrs) {
                            // an attribute nobody records: skip to the character that ends its name
                            while (c > ' ' && c != '>' && c != '/' && c != '=') {
                                if (++i == end) {
                                    return;
                                }
                                c = buf[i];
                            }
                        } else {
                            while (c >= 'a' && c <= 'z') {
                                appendAttrName(c);
                                if (++i == end) {
                                    return;
                                }
                                c = buf[i];
                            }
                        }
                        if (c == '=') {
                            endAttrName();
                            state = BEFORE_ATTR_VALUE;
                            i++;
                            continue;
                        }
                    }
                    case BEFORE_ATTR_VALUE -> {
                        if (c == '"' || c == '\'') {
                            state = c == '"' ? ATTR_VALUE_DQ : ATTR_VALUE_SQ;
                            i++;
                            continue;
                        }
                    }
                    case ATTR_VALUE_DQ, ATTR_VALUE_SQ -> {
                        char quote = state == ATTR_VALUE_DQ ? '"' : '\'';
                        if (!curKeep) {
                            while (c != quote) {
                                if (++i == end) {
                                    return;
                                }
                                c = buf[i];
                            }
                        } else {
                            while (c != quote && c != '&' && c != '\r' && c != 0) {
                                appendValue(c);
                                if (++i == end) {
                                    return;
                                }
                                c = buf[i];
                            }
                        }
                        if (c == quote) {
                            state = AFTER_ATTR_VALUE_QUOTED;
                            i++;
                            continue;
                        }
                    }
                    case AFTER_ATTR_VALUE_QUOTED -> {
                        if (c == ' ' || c == '>') {
                            if (c == '>') {
                                emitTag();
                            } else {
                                state = BEFORE_ATTR_NAME;
                            }
                            i++;
                            continue;
                        }
                    }
                    case ATTR_VALUE_UNQ -> {
                        if (!curKeep) {
                            while (c > ' ' && c != '>') {
                                if (++i == end) {
                                    return;
                                }
                                c = buf[i];
                            }
                        }
                    }
                    case COMMENT -> {
                        if (!recordAll) {
                            while (c != '-') {
                                if (++i == end) {
                                    return;
                                }
                                c = buf[i];
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (c == '\r') {
                prevCR = true;
                c = '\n';
            } else if (c == '\n' && prevCR) {
                prevCR = false;
                i++;
                continue;
            } else {
                prevCR = false;
            }
            if (step(c)) {
                i++;
            }
        }
    }

    /** Applies the end-of-file rules. Call {@link #reset()} before the next document. */
    public void finish() {
        switch (state) {
            case MARKUP_DECLARATION -> {
                text.setLength(0);
                text.append(decl, 0, declLen);
                emitComment();
            }
            case BOGUS_COMMENT, COMMENT_START, COMMENT_START_DASH, COMMENT, COMMENT_END_DASH, COMMENT_END,
                    COMMENT_END_BANG -> emitComment();
            case DOCTYPE, BEFORE_DOCTYPE_NAME, DOCTYPE_NAME, AFTER_DOCTYPE_NAME -> emitDoctype();
            default -> {
                // An unfinished tag (name, attributes, or a character reference inside a value) is
                // dropped; unfinished text states produce only characters.
            }
        }
        state = DATA;
    }

    /** Processes one character in the current state; returns false to reconsume it in the new state. */
    private boolean step(char c) {
        switch (state) {
            case DATA -> {
                if (c == '<') {
                    state = TAG_OPEN;
                }
            }
            case RAW, SCRIPT_DATA -> {
                if (c == '<') {
                    state = TEXT_LT;
                }
            }
            case PLAINTEXT -> {
                // nothing is markup any more
            }
            case TAG_OPEN -> {
                if (c == '!') {
                    state = MARKUP_DECLARATION;
                    declLen = 0;
                } else if (c == '/') {
                    state = END_TAG_OPEN;
                } else if (isAlpha(c)) {
                    beginTag(false);
                    state = TAG_NAME;
                    return false;
                } else if (c == '?') {
                    beginComment();
                    state = BOGUS_COMMENT;
                    return false;
                } else {
                    state = DATA;
                    return false;
                }
            }
            case END_TAG_OPEN -> {
                if (isAlpha(c)) {
                    beginTag(true);
                    state = TAG_NAME;
                    return false;
                } else if (c == '>') {
                    state = DATA;
                } else {
                    beginComment();
                    state = BOGUS_COMMENT;
                    return false;
                }
            }
            case TAG_NAME -> {
                if (isSpace(c)) {
                    endTagName();
                    state = BEFORE_ATTR_NAME;
                } else if (c == '/') {
                    endTagName();
                    state = SELF_CLOSING;
                } else if (c == '>') {
                    endTagName();
                    emitTag();
                } else {
                    appendTagName(c);
                }
            }
            case TEXT_LT -> {
                if (c == '/') {
                    state = TEXT_END_TAG_OPEN;
                    endTagReturn = textState;
                } else if (c == '!' && textState == SCRIPT_DATA) {
                    state = SD_ESCAPE_START;
                } else {
                    state = textState;
                    return false;
                }
            }
            case TEXT_END_TAG_OPEN -> {
                state = isAlpha(c) ? TEXT_END_TAG_NAME : endTagReturn;
                if (state == TEXT_END_TAG_NAME) {
                    beginTag(true);
                }
                return false;
            }
            case TEXT_END_TAG_NAME -> {
                if (isAlpha(c)) {
                    appendTagName(c);
                } else if ((isSpace(c) || c == '/' || c == '>') && appropriateEndTag()) {
                    endTagName();
                    if (c == '>') {
                        emitTag();
                    } else {
                        state = c == '/' ? SELF_CLOSING : BEFORE_ATTR_NAME;
                    }
                } else {
                    state = endTagReturn;
                    return false;
                }
            }
            // ------------------------------------------------ script data escapes
            case SD_ESCAPE_START -> {
                if (c != '-') {
                    state = SCRIPT_DATA;
                    return false;
                }
                state = SD_ESCAPE_START_DASH;
            }
            case SD_ESCAPE_START_DASH -> {
                if (c != '-') {
                    state = SCRIPT_DATA;
                    return false;
                }
                state = SD_ESCAPED_DASH_DASH;
            }
            case SD_ESCAPED -> {
                if (c == '-') {
                    state = SD_ESCAPED_DASH;
                } else if (c == '<') {
                    state = SD_ESCAPED_LT;
                }
            }
            case SD_ESCAPED_DASH -> state = c == '-' ? SD_ESCAPED_DASH_DASH : c == '<' ? SD_ESCAPED_LT : SD_ESCAPED;
            case SD_ESCAPED_DASH_DASH -> {
                if (c == '<') {
                    state = SD_ESCAPED_LT;
                } else if (c == '>') {
                    state = SCRIPT_DATA;
                } else if (c != '-') {
                    state = SD_ESCAPED;
                }
            }
            case SD_ESCAPED_LT -> {
                if (c == '/') {
                    state = TEXT_END_TAG_OPEN;
                    endTagReturn = SD_ESCAPED;
                } else if (isAlpha(c)) {
                    beginTemp();
                    state = SD_DOUBLE_ESCAPE_START;
                    return false;
                } else {
                    state = SD_ESCAPED;
                    return false;
                }
            }
            case SD_DOUBLE_ESCAPE_START -> {
                if (isSpace(c) || c == '/' || c == '>') {
                    state = tempIsScript() ? SD_DOUBLE_ESCAPED : SD_ESCAPED;
                } else if (isAlpha(c)) {
                    appendTemp(c);
                } else {
                    state = SD_ESCAPED;
                    return false;
                }
            }
            case SD_DOUBLE_ESCAPED -> {
                if (c == '-') {
                    state = SD_DOUBLE_ESCAPED_DASH;
                } else if (c == '<') {
                    state = SD_DOUBLE_ESCAPED_LT;
                }
            }
            case SD_DOUBLE_ESCAPED_DASH -> state = c == '-' ? SD_DOUBLE_ESCAPED_DASH_DASH
                    : c == '<' ? SD_DOUBLE_ESCAPED_LT : SD_DOUBLE_ESCAPED;
            case SD_DOUBLE_ESCAPED_DASH_DASH -> {
                if (c == '<') {
                    state = SD_DOUBLE_ESCAPED_LT;
                } else if (c == '>') {
                    state = SCRIPT_DATA;
                } else if (c != '-') {
                    state = SD_DOUBLE_ESCAPED;
                }
            }
            case SD_DOUBLE_ESCAPED_LT -> {
                if (c == '/') {
                    beginTemp();
                    state = SD_DOUBLE_ESCAPE_END;
                } else {
                    state = SD_DOUBLE_ESCAPED;
                    return false;
                }
            }
            case SD_DOUBLE_ESCAPE_END -> {
                if (isSpace(c) || c == '/' || c == '>') {
                    state = tempIsScript() ? SD_ESCAPED : SD_DOUBLE_ESCAPED;
                } else if (isAlpha(c)) {
                    appendTemp(c);
                } else {
                    state = SD_DOUBLE_ESCAPED;
                    return false;
                }
            }
            // ------------------------------------------------ attributes
            case BEFORE_ATTR_NAME -> {
                if (isSpace(c)) {
                    return true;
                }
                if (c == '/' || c == '>') {
                    state = AFTER_ATTR_NAME;
                    return false;
                }
                beginAttr();
                state = ATTR_NAME;
                if (c == '=') {
                    appendAttrName(c);
                } else {
                    return false;
                }
            }
            case ATTR_NAME -> {
                if (isSpace(c) || c == '/' || c == '>') {
                    endAttrName();
                    state = AFTER_ATTR_NAME;
                    return false;
                } else if (c == '=') {
                    endAttrName();
                    state = BEFORE_ATTR_VALUE;
                } else {
                    appendAttrName(c);
                }
            }
            case AFTER_ATTR_NAME -> {
                if (isSpace(c)) {
                    return true;
                }
                if (c == '/') {
                    state = SELF_CLOSING;
                } else if (c == '=') {
                    state = BEFORE_ATTR_VALUE;
                } else if (c == '>') {
                    emitTag();
                } else {
                    beginAttr();
                    state = ATTR_NAME;
                    return false;
                }
            }
            case BEFORE_ATTR_VALUE -> {
                if (isSpace(c)) {
                    return true;
                }
                if (c == '"') {
                    state = ATTR_VALUE_DQ;
                } else if (c == '\'') {
                    state = ATTR_VALUE_SQ;
                } else if (c == '>') {
                    emitTag();
                } else {
                    state = ATTR_VALUE_UNQ;
                    return false;
                }
            }
            case ATTR_VALUE_DQ, ATTR_VALUE_SQ -> {
                if (c == (state == ATTR_VALUE_DQ ? '"' : '\'')) {
                    state = AFTER_ATTR_VALUE_QUOTED;
                } else if (c == '&' && curKeep) {
                    returnState = state;
                    state = CHARREF;
                } else {
                    appendValue(c);
                }
            }
            case ATTR_VALUE_UNQ -> {
                if (isSpace(c)) {
                    state = BEFORE_ATTR_NAME;
                } else if (c == '&' && curKeep) {
                    returnState = state;
                    state = CHARREF;
                } else if (c == '>') {
                    emitTag();
                } else {
                    appendValue(c);
                }
            }
            case AFTER_ATTR_VALUE_QUOTED -> {
                if (isSpace(c)) {
                    state = BEFORE_ATTR_NAME;
                } else if (c == '/') {
                    state = SELF_CLOSING;
                } else if (c == '>') {
                    emitTag();
                } else {
                    state = BEFORE_ATTR_NAME;
                    return false;
                }
            }
            case SELF_CLOSING -> {
                if (c == '>') {
                    selfClosing = true;
                    emitTag();
                } else {
                    state = BEFORE_ATTR_NAME;
                    return false;
                }
            }
            // ------------------------------------------------ character references in attribute values
            case CHARREF -> {
                if (isAlnum(c)) {
                    refLen = 0;
                    bestRef = -1;
                    bestRefLen = 0;
                    state = NAMED_REF;
                    return false;
                } else if (c == '#') {
                    state = NUMERIC_REF;
                } else {
                    appendValue('&');
                    state = returnState;
                    return false;
                }
            }
            case NAMED_REF -> {
                if (refLen < ref.length && (isAlnum(c) || c == ';')) {
                    ref[refLen] = c;
                    if (Entities.isPrefix(ref, refLen + 1)) {
                        refLen++;
                        int exact = Entities.exact(ref, refLen);
                        if (exact >= 0) {
                            bestRef = exact;
                            bestRefLen = refLen;
                        }
                        if (c == ';') {
                            endNamedRef(c, true);
                        }
                        return true;
                    }
                }
                endNamedRef(c, false);
                return false;
            }
            case NUMERIC_REF -> {
                codePoint = 0;
                if (c == 'x' || c == 'X') {
                    refX = c;
                    state = HEX_REF_START;
                } else {
                    state = DEC_REF_START;
                    return false;
                }
            }
            case HEX_REF_START -> {
                if (hexValue(c) < 0) {
                    appendValue('&');
                    appendValue('#');
                    appendValue(refX);
                    state = returnState;
                } else {
                    state = HEX_REF;
                }
                return false;
            }
            case DEC_REF_START -> {
                if (c < '0' || c > '9') {
                    appendValue('&');
                    appendValue('#');
                    state = returnState;
                } else {
                    state = DEC_REF;
                }
                return false;
            }
            case HEX_REF, DEC_REF -> {
                int digit = state == HEX_REF ? hexValue(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
                if (digit >= 0) {
                    codePoint = Math.min(codePoint * (state == HEX_REF ? 16 : 10) + digit, 0x110000);
                    return true;
                }
                appendCodePoint(codePoint);
                state = returnState;
                return c == ';';
            }
            // ------------------------------------------------ comments and declarations
            case MARKUP_DECLARATION -> {
                decl[declLen++] = c;
                if (declLen == 2 && decl[0] == '-' && c == '-') {
                    beginComment();
                    state = COMMENT_START;
                } else if (matches("doctype", true)) {
                    if (declLen == 7) {
                        text.setLength(0);
                        doctypeHasName = false;
                        state = DOCTYPE;
                    }
                } else if (matches("[CDATA[", false)) {
                    if (declLen == 7) {
                        if (emulateTreeBuilder && foreignDepth > 0) {
                            state = CDATA_SECTION;
                        } else {
                            beginComment();
                            text.append("[CDATA[");
                            state = BOGUS_COMMENT;
                        }
                    }
                } else if (!(declLen == 1 && c == '-')) {
                    beginComment();
                    text.append(decl, 0, declLen - 1);
                    state = BOGUS_COMMENT;
                    return false;
                }
            }
            case BOGUS_COMMENT -> {
                if (c == '>') {
                    emitComment();
                } else {
                    appendComment(c);
                }
            }
            case COMMENT_START -> {
                if (c == '-') {
                    state = COMMENT_START_DASH;
                } else if (c == '>') {
                    emitComment();
                } else {
                    state = COMMENT;
                    return false;
                }
            }
            case COMMENT_START_DASH -> {
                if (c == '-') {
                    state = COMMENT_END;
                } else if (c == '>') {
                    emitComment();
                } else {
                    appendComment('-');
                    state = COMMENT;
                    return false;
                }
            }
            case COMMENT -> {
                if (c == '-') {
                    state = COMMENT_END_DASH;
                } else {
                    appendComment(c);
                }
            }
            case COMMENT_END_DASH -> {
                if (c == '-') {
                    state = COMMENT_END;
                } else {
                    appendComment('-');
                    state = COMMENT;
                    return false;
                }
            }
            case COMMENT_END -> {
                if (c == '>') {
                    emitComment();
                } else if (c == '!') {
                    state = COMMENT_END_BANG;
                } else if (c == '-') {
                    appendComment('-');
                } else {
                    appendComment('-');
                    appendComment('-');
                    state = COMMENT;
                    return false;
                }
            }
            case COMMENT_END_BANG -> {
                if (c == '>') {
                    emitComment();
                    return true;
                }
                appendComment('-');
                appendComment('-');
                appendComment('!');
                state = c == '-' ? COMMENT_END_DASH : COMMENT;
                return c == '-';
            }
            // DOCTYPE: only the name is kept. Every later DOCTYPE state ends at '>' (a '>' inside a quoted
            // identifier is an "abrupt" error that still ends the token), so the rest is skipped.
            case DOCTYPE -> {
                state = BEFORE_DOCTYPE_NAME;
                return isSpace(c);
            }
            case BEFORE_DOCTYPE_NAME -> {
                if (c == '>') {
                    emitDoctype();
                } else if (!isSpace(c)) {
                    doctypeHasName = true;
                    state = DOCTYPE_NAME;
                    return false;
                }
            }
            case DOCTYPE_NAME -> {
                if (c == '>') {
                    emitDoctype();
                } else if (isSpace(c)) {
                    state = AFTER_DOCTYPE_NAME;
                } else if (recordAll) {
                    text.append(c == 0 ? REPLACEMENT : lower(c));
                }
            }
            case AFTER_DOCTYPE_NAME -> {
                if (c == '>') {
                    emitDoctype();
                }
            }
            // ------------------------------------------------ CDATA (foreign content only)
            case CDATA_SECTION -> {
                if (c == ']') {
                    state = CDATA_BRACKET;
                }
            }
            case CDATA_BRACKET -> {
                state = c == ']' ? CDATA_END : CDATA_SECTION;
                return c == ']';
            }
            case CDATA_END -> {
                if (c == '>') {
                    state = DATA;
                } else if (c != ']') {
                    state = CDATA_SECTION;
                    return false;
                }
            }
            default -> throw new IllegalStateException("tokenizer state " + state);
        }
        return true;
    }

    // ---------------------------------------------------------------- whole-tag fast path

    /** Tab, LF, FF, CR and space: CR counts because it would become LF. */
    private static final long TAG_SPACE = 1L << '\t' | 1L << '\n' | 1L << '\f' | 1L << '\r' | 1L << ' ';

    /**
     * For ASCII characters in tag and attribute names: the lower-case character, 0 where a name ends
     * (space, '/', '>'), -1 for NUL (the state machine replaces it).
     */
    private static final byte[] NAME_CHAR = new byte[0x80];

    static {
        for (int c = 1; c < 0x80; c++) {
            NAME_CHAR[c] = (byte) (isTagSpace((char) c) || c == '/' || c == '>' ? 0 : lower((char) c));
        }
        NAME_CHAR[0] = -1;
    }

    /** {@link #NAME_CHAR} for the characters after an attribute name's first: '=' ends it as well. */
    private static final byte[] ATTR_NAME_CHAR = NAME_CHAR.clone();

    static {
        ATTR_NAME_CHAR['='] = 0;
    }

    private static final long ATTR_NAME_END = TAG_SPACE | 1L << '/' | 1L << '=' | 1L << '>';

    /** Space, '/', '=' or '>': all below 64, so letters are told apart with one compare. */
    private static boolean endsAttributeName(char c) {
        return c <= '>' && (ATTR_NAME_END >>> c & 1) != 0;
    }

    private static boolean isTagSpace(char c) {
        return c <= ' ' && (TAG_SPACE >>> c & 1) != 0;
    }

    /**
     * Called in the data state at the '<' at {@code lt}. When the whole tag lies in the buffer and no
     * attribute of it is recorded, reads it in one pass with the same outcome as the state machine
     * (name, id, self-closing flag, where it ends) and emits it: returns the index after its '>'. For a
     * tag whose attributes are recorded, reads only the name and leaves the rest to the state machine
     * (state TAG_NAME): returns the index of the character after the name. Returns {@code lt}, having
     * changed nothing, for anything else (comments, bogus tags, a tag cut by the end of the buffer, NUL
     * in a name): the state machine then handles it character by character.
     */
    private int fastTag(char[] buf, int lt, int end) {
        int i = lt + 1;
        if (end - i < 2) {
            return lt;
        }
        if (buf[i] == '!') {
            return fastComment(buf, lt, end);
        }
        // start and end tags alternate unpredictably: no branch on which this is
        int slash = buf[i] == '/' ? 1 : 0;
        boolean isEnd = slash != 0;
        i += slash;
        char c = buf[i];
        if (!isAlpha(c)) {
            return lt;
        }
        // the first character is a letter; a name ends at space, '/' or '>'; NUL is left to the state machine
        int start = i;
        long key = c | 0x20; // up to 8 characters, one byte each: the usual names are found with one compare
        int any = 0;
        // a counted loop: the JIT checks the array bounds once, not per character
        for (i++; i < end; i++) {
            c = buf[i];
            int v = c < 0x80 ? NAME_CHAR[c] : c;
            if (v <= 0) {
                break;
            }
            key = key << 8 | v;
            any |= v;
        }
        if (i == end || c == 0) {
            return lt; // cut by the buffer end, or NUL (the only character whose NAME_CHAR is negative)
        }
        int n = i - start;
        int id = n <= 8 ? (any < 0x80 ? Names.tagByKey(key) : Names.UNKNOWN) : longTagName(buf, i - n, n);
        if (id == Names.UNKNOWN || foreignDepth == 0 && Names.isOnlyBreakout(id)) {
            // nothing about a tag nobody cares about is kept (emitTag drops it the same way)
            int gt = skipAttributes(buf, i, end);
            return gt < 0 ? lt : gt + 1;
        }
        return knownTag(buf, lt, i, end, n, id, isEnd);
    }

    /** The id of a tag name of more than 8 characters at {@code from}. */
    private int longTagName(char[] buf, int from, int n) {
        if (n > Names.MAX_LENGTH) {
            return Names.UNKNOWN;
        }
        lowerCopy(buf, from, n, tagName, 0);
        int hash = 0;
        for (int k = 0; k < n; k++) {
            hash = Names.step(hash, tagName[k]);
        }
        return Names.tag(tagName, 0, n, hash);
    }

    /** {@link #fastTag} for a tag someone cares about, from the character after its name at {@code i}. */
    private int knownTag(char[] buf, int lt, int i, int end, int n, int id, boolean isEnd) {
        lowerCopy(buf, i - n, n, tagName, 0);
        if (!isEnd && (id == Names.BASE || id == Names.LINK || id == Names.SCRIPT || id == Names.IMG
                || id == Names.SOURCE)) {
            beginTag(false);
            tagNameLen = n;
            tagId = id;
            recordAttrs = true;
            int gt = readAttributes(buf, i, end);
            if (gt < 0) {
                curKeep = false;
                attrCount = 0;
                attrPos = 0;
                return lt;
            }
            selfClosing = fastSelfClosing;
            emitTag();
            return gt + 1;
        }
        int gt = skipAttributes(buf, i, end);
        if (gt < 0) {
            return lt;
        }
        beginTag(isEnd);
        tagNameLen = n;
        tagId = id;
        selfClosing = fastSelfClosing;
        emitTag();
        return gt + 1;
    }

    /**
     * A comment ({@code <!--}) that ends in the buffer: skipped (scanning mode emits no comments) and the
     * index after its '>' returned; else {@code lt}. A comment ends at {@code <!-->}, {@code <!--->}, or
     * at the first '>' after "--" or "--!" inside it: any two dashes in a row put the comment states in
     * "comment end", whatever came before.
     */
    private int fastComment(char[] buf, int lt, int end) {
        int j = lt + 4; // the comment's first character
        if (j + 1 >= end || buf[lt + 2] != '-' || buf[lt + 3] != '-') {
            return lt;
        }
        if (buf[j] == '>') {
            return j + 1;
        }
        if (buf[j] == '-' && buf[j + 1] == '>') {
            return j + 2;
        }
        for (int k = j + 2; k < end; k++) {
            if (buf[k] == '>' && buf[k - 1] == '-' && buf[k - 2] == '-'
                    || buf[k] == '>' && buf[k - 1] == '!' && buf[k - 2] == '-' && buf[k - 3] == '-' && k - 3 >= j) {
                return k + 1;
            }
        }
        return lt;
    }

    /**
     * At a '<' in RCDATA, RAWTEXT or script data: the end tag of the element, when it lies in the buffer,
     * is emitted and the index after it returned; a '<' that cannot start it returns the index after the
     * '<' (the text goes on); {@code lt} leaves it to the state machine (script escapes, buffer end).
     */
    private int fastTextLt(char[] buf, int lt, int end) {
        int i = lt + 1;
        int n = lastStartTagLen;
        if (i >= end) {
            return lt;
        }
        if (buf[i] != '/') {
            return buf[i] == '!' && state == SCRIPT_DATA ? lt : i;
        }
        if (n < 0 || i + 1 + n >= end) {
            return lt;
        }
        for (int k = 0; k < n; k++) {
            if (lower(buf[i + 1 + k]) != lastStartTag[k]) {
                return i; // not this element's end tag: "</" and what follows are text
            }
        }
        char d = buf[i + 1 + n];
        if (!(d == '>' || d == '/' || isTagSpace(d))) {
            return i;
        }
        int gt = i + 1 + n;
        if (d != '>') {
            gt = skipAttributes(buf, gt, end);
            if (gt < 0) {
                return lt;
            }
        }
        beginTag(true);
        System.arraycopy(lastStartTag, 0, tagName, 0, n);
        tagNameLen = n;
        int hash = 0;
        for (int k = 0; k < n; k++) {
            hash = Names.step(hash, tagName[k]);
        }
        tagHash = hash;
        endTagName();
        selfClosing = d != '>' && fastSelfClosing;
        emitTag();
        return gt + 1;
    }

    /** The index of the next '<' from {@code i}, or {@code end}. */
    private int skipText(char[] buf, int i, int end) {
        int stop = source == null ? end : Math.min(end, i + SHORT_TEXT);
        for (; i < stop; i++) {
            if (buf[i] == '<') {
                return i;
            }
        }
        if (i == end) {
            return end;
        }
        int lt = source.indexOf('<', i + sourceShift, end + sourceShift);
        return lt < 0 ? end : lt - sourceShift;
    }

    /** The index of the first {@code quote} from {@code i}, or -1 when the buffer ends first. */
    private static int closingQuote(char[] buf, int i, int end, char quote) {
        for (; i < end; i++) {
            if (buf[i] == quote) {
                return i;
            }
        }
        return -1;
    }

    private static void lowerCopy(char[] from, int at, int n, char[] to, int toAt) {
        for (int k = 0; k < n; k++) {
            to[toAt + k] = lower(from[at + k]);
        }
    }

    /**
     * The data state in scanning mode: skips text to the next '<' and reads whole tags with
     * {@link #fastTag}, until the buffer ends, a tag changes the state, or a construct needs the state
     * machine (then the state is TAG_OPEN and the index is after the '<').
     */
    private int dataLoop(char[] buf, int i, int end) {
        while (i < end) {
            if (buf[i] != '<') {
                i = skipText(buf, i + 1, end);
                if (i == end) {
                    return end;
                }
            }
            int next = fastTag(buf, i, end);
            if (next == i) {
                state = TAG_OPEN;
                return i + 1;
            }
            i = next;
            if (state != DATA) {
                return i;
            }
        }
        return i;
    }

    static {
        // readAttributes keeps the ids it has seen in the bits of an int
        if (Names.A_LOADING >= Integer.SIZE) {
            throw new AssertionError("attribute ids no longer fit in an int's bits");
        }
    }

    /**
     * {@link #skipAttributes} for a tag whose attributes are recorded, with the outcome of the attribute
     * states and their helpers (names lower-cased, the first of a name kept, values capped at
     * {@link #MAX_VALUE}), in local variables: each value's length is set when it ends. Returns -1 (the
     * caller then undoes the recording) also for what only the state machine handles: NUL in a name, and
     * '&', CR or NUL in a recorded value.
     */
    private int readAttributes(char[] buf, int i, int end) {
        boolean slash = false;
        int count = 0; // attrCount, attrPos and the set of ids seen, written back at the '>'
        int pos = 0;
        int seen = 0;
        while (i < end) {
            char c = buf[i];
            if (c == '>') {
                fastSelfClosing = slash;
                attrCount = count;
                attrPos = pos;
                return i;
            }
            if (c == '/') {
                slash = true;
                i++;
                continue;
            }
            slash = false;
            if (isTagSpace(c)) {
                i++;
                continue;
            }
            // the name: its first character may be anything left ('=' and quotes too)
            int nameFrom = i;
            if (c == 0) {
                return -1;
            }
            int any = lower(c);
            long key = any;
            // a counted loop (one bounds check for the JIT), letters lower-cased by a table
            for (i++; i < end; i++) {
                c = buf[i];
                int v = c < 0x80 ? ATTR_NAME_CHAR[c] : c;
                if (v <= 0) {
                    break;
                }
                key = key << 8 | v;
                any |= v;
            }
            if (i == end || c == 0) {
                return -1;
            }
            int len = i - nameFrom;
            int id = len <= 8 ? (any < 0x80 ? Names.attributeByKey(key) : Names.UNKNOWN)
                    : longAttributeName(buf, nameFrom, len, pos);
            // ids are below 32: the first attribute of a name wins (later ones are "duplicate-attribute" errors)
            boolean keep = id != Names.UNKNOWN && (seen & 1 << id) == 0;
            if (keep) {
                seen |= 1 << id;
                ensure(pos, len);
                lowerCopy(buf, nameFrom, len, attrBuf, pos);
                if (count == nameStart.length) {
                    growAttributes();
                }
                nameStart[count] = pos;
                nameLen[count] = len;
                attrIds[count] = id;
                pos += len;
                valStart[count] = pos;
                valLen[count] = 0;
                count++;
            }
            while (isTagSpace(c)) {
                if (++i == end) {
                    return -1;
                }
                c = buf[i];
            }
            if (c != '=') {
                continue;
            }
            do {
                if (++i == end) {
                    return -1;
                }
                c = buf[i];
            } while (isTagSpace(c));
            if (c == '"' || c == '\'') {
                char quote = c;
                int from = i + 1;
                if (keep) {
                    while (true) {
                        if (++i == end) {
                            return -1;
                        }
                        c = buf[i];
                        if (c == quote) {
                            break;
                        }
                        if (c == '&' || c == '\r' || c == 0) {
                            return -1;
                        }
                    }
                    pos = keepValue(buf, from, i - from, pos, count - 1);
                } else {
                    i = closingQuote(buf, from, end, quote);
                    if (i < 0) {
                        return -1;
                    }
                }
                i++;
                continue;
            }
            // unquoted ('>' right after '=' ends the tag as well)
            int from = i;
            while (c != '>' && !isTagSpace(c)) {
                if (keep && (c == '&' || c == 0)) {
                    return -1;
                }
                if (++i == end) {
                    return -1;
                }
                c = buf[i];
            }
            if (keep) {
                pos = keepValue(buf, from, i - from, pos, count - 1);
            }
            if (c == '>') {
                fastSelfClosing = false;
                attrCount = count;
                attrPos = pos;
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * The id of an attribute name of more than 8 characters at {@code from}, lower-cased into
     * {@code attrBuf} at {@code pos} on the way (where it stays if it is kept).
     */
    private int longAttributeName(char[] buf, int from, int len, int pos) {
        if (len > Names.MAX_LENGTH) {
            return Names.UNKNOWN;
        }
        ensure(pos, len);
        lowerCopy(buf, from, len, attrBuf, pos);
        int hash = 0;
        for (int k = 0; k < len; k++) {
            hash = Names.step(hash, attrBuf[pos + k]);
        }
        return Names.attribute(attrBuf, pos, len, hash);
    }

    /**
     * Copies the value of attribute {@code index} (no NUL in it), {@code len} characters at {@code from},
     * to {@code attrBuf} at {@code pos}; past {@link #MAX_VALUE} only the length -1 is kept, as
     * {@link #appendValue} does. Returns the new end of {@code attrBuf}'s content.
     */
    private int keepValue(char[] buf, int from, int len, int pos, int index) {
        if (len > MAX_VALUE) {
            len = MAX_VALUE;
            valLen[index] = -1;
        } else {
            valLen[index] = len;
        }
        ensure(pos, len);
        System.arraycopy(buf, from, attrBuf, pos, len);
        return pos + len;
    }

    /**
     * Skips the attributes of a tag nobody records, from the character after its name, following the
     * attribute states of the tokenizer exactly where they decide where the tag ends (a quote opens a
     * value only right after '=' of an attribute name) and whether it is self-closing. Returns the
     * index of the tag's '>' (and sets {@link #fastSelfClosing}), or -1 when the buffer ends first.
     */
    private int skipAttributes(char[] buf, int i, int end) {
        boolean slash = false;
        while (i < end) {
            // before attribute name (also after a quoted value, and after '/' not followed by '>')
            char c = buf[i];
            if (c == '>') {
                fastSelfClosing = slash;
                return i;
            }
            if (c == '/') {
                slash = true;
                i++;
                continue;
            }
            slash = false;
            i++;
            if (isTagSpace(c)) {
                continue;
            }
            // attribute name: its first character may be anything, '=' and quotes included
            while (true) {
                if (i == end) {
                    return -1;
                }
                c = buf[i];
                if (endsAttributeName(c)) {
                    break;
                }
                i++;
            }
            // after attribute name
            while (isTagSpace(c)) {
                if (++i == end) {
                    return -1;
                }
                c = buf[i];
            }
            if (c != '=') {
                continue; // '>', '/', or the next attribute's name
            }
            // before attribute value
            do {
                if (++i == end) {
                    return -1;
                }
                c = buf[i];
            } while (isTagSpace(c));
            if (c == '"' || c == '\'') {
                i = closingQuote(buf, i + 1, end, c);
                if (i < 0) {
                    return -1;
                }
                i++;
                continue;
            }
            // unquoted value ('>' right after '=' ends the tag as well)
            while (c != '>') {
                if (isTagSpace(c)) {
                    break;
                }
                if (++i == end) {
                    return -1;
                }
                c = buf[i];
            }
            if (c == '>') {
                fastSelfClosing = false;
                return i;
            }
            i++;
        }
        return -1;
    }

    // ---------------------------------------------------------------- tags

    private void beginTag(boolean end) {
        endTag = end;
        selfClosing = false;
        tagNameLen = 0;
        tagHash = 0;
        tagNameOverflow = false;
        tagId = Names.UNKNOWN;
        recordAttrs = false;
        attrCount = 0;
        attrPos = 0;
        curKeep = false;
    }

    private void appendTagName(char c) {
        c = c == 0 ? REPLACEMENT : lower(c);
        if (tagNameLen == tagName.length) {
            if (!recordAll) {
                tagNameOverflow = true;
                return;
            }
            tagName = java.util.Arrays.copyOf(tagName, tagName.length * 2);
        }
        tagName[tagNameLen++] = c;
        tagHash = Names.step(tagHash, c);
    }

    private void endTagName() {
        tagId = tagNameOverflow ? Names.UNKNOWN : Names.tag(tagName, 0, tagNameLen, tagHash);
        recordAttrs = !endTag && (recordAll || tagId == Names.BASE || tagId == Names.LINK
                || tagId == Names.SCRIPT || tagId == Names.IMG || tagId == Names.SOURCE);
    }

    private boolean appropriateEndTag() {
        if (tagNameOverflow || tagNameLen != lastStartTagLen) {
            return false;
        }
        for (int i = 0; i < tagNameLen; i++) {
            if (tagName[i] != lastStartTag[i]) {
                return false;
            }
        }
        return true;
    }

    private void emitTag() {
        state = DATA;
        if (!recordAll && (tagId == Names.UNKNOWN || foreignDepth == 0 && Names.isOnlyBreakout(tagId))) {
            // no sink and no tree-builder rule cares about a tag it does not know, nor about one that
            // matters only inside SVG or MathML when there is none
            return;
        }
        closeAttr();
        if (endTag) {
            if (emulateTreeBuilder && foreignDepth > 0 && (tagId == Names.SVG || tagId == Names.MATH)) {
                foreignDepth--;
            }
            sink.endTag(this);
            return;
        }
        if (recordAll) {
            rememberStartTag();
        }
        sink.startTag(this);
        if (emulateTreeBuilder) {
            afterStartTag();
        }
    }

    /** The "appropriate end tag" of the text states compares with this; only they need it. */
    private void rememberStartTag() {
        if (tagNameOverflow) {
            lastStartTagLen = -1;
            return;
        }
        if (lastStartTag.length < tagNameLen) {
            lastStartTag = new char[tagName.length];
        }
        System.arraycopy(tagName, 0, lastStartTag, 0, tagNameLen);
        lastStartTagLen = tagNameLen;
    }

    /** What the tree builder would do to the tokenizer after this start tag. */
    private void afterStartTag() {
        int id = tagId;
        if (foreignDepth > 0) {
            if (!Names.isBreakout(id)) {
                if ((id == Names.SVG || id == Names.MATH) && !selfClosing) {
                    foreignDepth++;
                }
                return;
            }
            foreignDepth = 0;
        }
        switch (id) {
            case Names.SVG, Names.MATH -> foreignDepth = selfClosing ? 0 : 1;
            case Names.SCRIPT -> text(SCRIPT_DATA);
            case Names.STYLE, Names.XMP, Names.IFRAME, Names.NOEMBED, Names.NOFRAMES, Names.NOSCRIPT,
                    Names.TEXTAREA, Names.TITLE -> text(RAW);
            case Names.PLAINTEXT -> state = PLAINTEXT;
            default -> {
            }
        }
    }

    private void text(int newState) {
        rememberStartTag();
        state = newState;
        textState = newState;
    }

    // ---------------------------------------------------------------- attributes

    private void beginAttr() {
        closeAttr();
        curNameStart = attrPos;
        curNameLen = 0;
        curNameHash = 0;
        curOverflow = false;
        curKeep = false;
        curValueTruncated = false;
    }

    private void appendAttrName(char c) {
        if (!recordAttrs) {
            return;
        }
        c = c == 0 ? REPLACEMENT : lower(c);
        if (!recordAll && curNameLen >= Names.MAX_LENGTH) {
            curOverflow = true;
            return;
        }
        ensure(1);
        attrBuf[attrPos++] = c;
        curNameLen++;
        curNameHash = Names.step(curNameHash, c);
    }

    private void endAttrName() {
        if (!recordAttrs) {
            return;
        }
        int id = curOverflow ? Names.UNKNOWN : Names.attribute(attrBuf, curNameStart, curNameLen, curNameHash);
        boolean keep = (recordAll || id != Names.UNKNOWN) && !duplicate();
        if (!keep) {
            attrPos = curNameStart;
            return;
        }
        keepAttr(id);
    }

    private void keepAttr(int id) {
        if (attrCount == nameStart.length) {
            growAttributes();
        }
        nameStart[attrCount] = curNameStart;
        nameLen[attrCount] = curNameLen;
        valStart[attrCount] = attrPos;
        valLen[attrCount] = 0;
        attrIds[attrCount] = id;
        attrCount++;
        curKeep = true;
    }

    private void growAttributes() {
        int n = nameStart.length * 2;
        nameStart = java.util.Arrays.copyOf(nameStart, n);
        nameLen = java.util.Arrays.copyOf(nameLen, n);
        valStart = java.util.Arrays.copyOf(valStart, n);
        valLen = java.util.Arrays.copyOf(valLen, n);
        attrIds = java.util.Arrays.copyOf(attrIds, n);
    }

    /** The first attribute of a name wins; later ones are dropped (a "duplicate-attribute" error). */
    private boolean duplicate() {
        for (int i = 0; i < attrCount; i++) {
            if (nameLen[i] == curNameLen) {
                boolean same = true;
                for (int k = 0; k < curNameLen && same; k++) {
                    same = attrBuf[nameStart[i] + k] == attrBuf[curNameStart + k];
                }
                if (same) {
                    return true;
                }
            }
        }
        return false;
    }

    private void appendValue(char c) {
        if (!curKeep || curValueTruncated) {
            return;
        }
        if (!recordAll && attrPos - valStart[attrCount - 1] >= MAX_VALUE) {
            curValueTruncated = true;
            return;
        }
        ensure(1);
        attrBuf[attrPos++] = c == 0 ? REPLACEMENT : c;
    }

    private void appendCodePoint(int cp) {
        cp = Entities.resolveNumeric(cp);
        if (cp > 0xFFFF) {
            appendValue(Character.highSurrogate(cp));
            appendValue(Character.lowSurrogate(cp));
        } else {
            appendValue((char) cp);
        }
    }

    private void endNamedRef(char next, boolean consumedSemicolon) {
        if (bestRef < 0) {
            appendValue('&');
            for (int i = 0; i < refLen; i++) {
                appendValue(ref[i]);
            }
        } else {
            boolean semicolon = ref[bestRefLen - 1] == ';';
            char after = bestRefLen < refLen ? ref[bestRefLen] : consumedSemicolon ? ';' : next;
            if (!semicolon && (after == '=' || isAlnum(after))) {
                // Attribute values keep "&copy=..." as written (historical URL compatibility).
                appendValue('&');
                for (int i = 0; i < refLen; i++) {
                    appendValue(ref[i]);
                }
            } else {
                String value = Entities.value(bestRef);
                for (int i = 0; i < value.length(); i++) {
                    appendValue(value.charAt(i));
                }
                for (int i = bestRefLen; i < refLen; i++) {
                    appendValue(ref[i]);
                }
            }
        }
        state = returnState;
    }

    private void closeAttr() {
        if (curKeep) {
            valLen[attrCount - 1] = curValueTruncated ? -1 : attrPos - valStart[attrCount - 1];
            curKeep = false;
        }
    }

    private void ensure(int more) {
        ensure(attrPos, more);
    }

    private void ensure(int pos, int more) {
        if (pos + more > attrBuf.length) {
            attrBuf = java.util.Arrays.copyOf(attrBuf, Math.max(attrBuf.length * 2, pos + more));
        }
    }

    // ---------------------------------------------------------------- comments, DOCTYPE, temp buffer

    private void beginComment() {
        text.setLength(0);
    }

    private void appendComment(char c) {
        if (recordAll) {
            text.append(c == 0 ? REPLACEMENT : c);
        }
    }

    private void emitComment() {
        state = DATA;
        if (recordAll) {
            sink.comment(text.toString());
        }
    }

    private void emitDoctype() {
        state = DATA;
        if (recordAll) {
            sink.doctype(doctypeHasName ? text.toString() : null);
        }
    }

    private boolean matches(String word, boolean ignoreCase) {
        if (declLen > word.length()) {
            return false;
        }
        for (int i = 0; i < declLen; i++) {
            char c = ignoreCase ? lower(decl[i]) : decl[i];
            if (c != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void beginTemp() {
        tempLen = 0;
        tempIsScript = true;
    }

    private void appendTemp(char c) {
        c = lower(c);
        tempIsScript &= tempLen < SCRIPT.length && SCRIPT[tempLen] == c;
        tempLen++;
    }

    private boolean tempIsScript() {
        return tempIsScript && tempLen == SCRIPT.length;
    }

    // ---------------------------------------------------------------- character classes

    /** The tokenizer's whitespace: tab, LF, FF, space (CR was turned into LF on input). */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\f';
    }

    private static boolean isAlpha(char c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    private static boolean isAlnum(char c) {
        return isAlpha(c) || (c >= '0' && c <= '9');
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int l = c | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }
}
