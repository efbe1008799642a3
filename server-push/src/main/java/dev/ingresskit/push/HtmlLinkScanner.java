package dev.ingresskit.push;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;

/**
 * The built-in scanner: a streaming tokenizer that follows the WHATWG HTML tokenizer for tags,
 * attributes, comments, DOCTYPE, CDATA and the raw-text elements, and skips everything else at memory
 * speed. Stateless and thread-safe; each scan uses its own {@link ScanSession}. For the lowest
 * allocation, keep a session per thread and {@link ScanSession#reset() reset} it between documents.
 */
public final class HtmlLinkScanner implements ResourceScanner {
    private static final HtmlLinkScanner INSTANCE = new HtmlLinkScanner();

    private HtmlLinkScanner() {
    }

    public static HtmlLinkScanner create() {
        return INSTANCE;
    }

    /** A session for scanning one document incrementally. */
    public ScanSession newSession() {
        return new ScanSession();
    }

    @Override
    public ScanResult scan(CharSequence html) {
        return newSession().feed(html).finish();
    }

    public ScanResult scan(char[] html, int offset, int length) {
        return newSession().feed(html, offset, length).finish();
    }

    /** Reads the document to its end; the reader is not closed. */
    public ScanResult scan(Reader html) throws IOException {
        return newSession().feed(html).finish();
    }

    public ScanResult scanUtf8(byte[] html, int offset, int length) {
        return newSession().feedUtf8(html, offset, length).finish();
    }

    public ScanResult scanUtf8(ByteBuffer html) {
        return newSession().feedUtf8(html).finish();
    }
}
