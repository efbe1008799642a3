package dev.ingresskit.push;

import dev.ingresskit.push.internal.LinkExtractor;
import dev.ingresskit.push.internal.Tokenizer;
import dev.ingresskit.push.internal.Utf8Decoder;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;

/**
 * One document scanned incrementally: feed it chunks as they arrive (characters or UTF-8 bytes, split
 * anywhere, even inside a tag or a multi-byte character), then {@link #finish()}. Reuse it for the next
 * document after {@link #reset()}; a reused session allocates nothing but the {@link Subresource}s it
 * finds. Not thread-safe: one session per thread or per response.
 *
 * <p>Do not mix characters and bytes in one document. Malformed UTF-8 becomes U+FFFD, as a browser
 * decodes it.
 */
public final class ScanSession {
    private static final int CHUNK = 4096;

    private final LinkExtractor extractor = new LinkExtractor();
    private final Tokenizer tokenizer = extractor.tokenizer();
    private char[] chunk;
    private Utf8Decoder utf8;
    private byte[] directBytes;

    ScanSession() {
    }

    /** Feeds characters. */
    public ScanSession feed(char[] chars, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, chars.length);
        tokenizer.feed(chars, offset, length);
        return this;
    }

    /** Feeds characters. */
    public ScanSession feed(CharSequence text) {
        char[] buf = chunk();
        int n = text.length();
        String string = text instanceof String s ? s : null;
        for (int at = 0; at < n; ) {
            int len = Math.min(CHUNK, n - at);
            if (string != null) {
                string.getChars(at, at + len, buf, 0);
            } else {
                for (int k = 0; k < len; k++) {
                    buf[k] = text.charAt(at + k);
                }
            }
            if (at + len < n) {
                len = Tokenizer.beforeLastTag(buf, len);
            }
            if (string != null) {
                // long runs of text are skipped with String.indexOf (vectorised) on the string itself
                tokenizer.feed(buf, 0, len, string, at);
            } else {
                tokenizer.feed(buf, 0, len);
            }
            at += len;
        }
        return this;
    }

    /** Reads the reader to its end (it is not closed). */
    public ScanSession feed(Reader reader) throws IOException {
        char[] buf = chunk();
        int kept = 0; // the start of a tag held back from the last chunk
        for (int n; (n = reader.read(buf, kept, CHUNK - kept)) >= 0; ) {
            int len = kept + n;
            int cut = Tokenizer.beforeLastTag(buf, len);
            tokenizer.feed(buf, 0, cut);
            kept = len - cut;
            System.arraycopy(buf, cut, buf, 0, kept);
        }
        tokenizer.feed(buf, 0, kept);
        return this;
    }

    /** Feeds UTF-8 bytes. */
    public ScanSession feedUtf8(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        utf8().feed(bytes, offset, length);
        return this;
    }

    /** Feeds the remaining UTF-8 bytes of {@code bytes} (its position moves to its limit). */
    public ScanSession feedUtf8(ByteBuffer bytes) {
        if (bytes.hasArray()) {
            feedUtf8(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            bytes.position(bytes.limit());
            return this;
        }
        if (directBytes == null) {
            directBytes = new byte[CHUNK];
        }
        while (bytes.hasRemaining()) {
            int n = Math.min(bytes.remaining(), directBytes.length);
            bytes.get(directBytes, 0, n);
            feedUtf8(directBytes, 0, n);
        }
        return this;
    }

    /** Ends the document and returns what it refers to. */
    public ScanResult finish() {
        if (utf8 != null) {
            utf8.finish(); // an unfinished character at the end is malformed: U+FFFD
        }
        return extractor.finish();
    }

    /** Ready for the next document. */
    public ScanSession reset() {
        extractor.reset();
        if (utf8 != null) {
            utf8.reset();
        }
        return this;
    }

    private char[] chunk() {
        if (chunk == null) {
            chunk = new char[CHUNK];
        }
        return chunk;
    }

    private Utf8Decoder utf8() {
        if (utf8 == null) {
            utf8 = new Utf8Decoder(tokenizer::feed);
        }
        return utf8;
    }
}
