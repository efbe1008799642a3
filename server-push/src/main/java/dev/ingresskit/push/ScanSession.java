package dev.ingresskit.push;

import dev.ingresskit.push.internal.LinkExtractor;
import dev.ingresskit.push.internal.Tokenizer;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
    private CharsetDecoder decoder;
    private CharBuffer decoded;
    private final ByteBuffer carry = ByteBuffer.allocate(8);

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
        for (int at = 0; at < n; at += CHUNK) {
            int len = Math.min(CHUNK, n - at);
            if (string != null) {
                string.getChars(at, at + len, buf, 0);
                // long runs of text are skipped with String.indexOf (vectorised) on the string itself
                tokenizer.feed(buf, 0, len, string, at);
            } else {
                for (int k = 0; k < len; k++) {
                    buf[k] = text.charAt(at + k);
                }
                tokenizer.feed(buf, 0, len);
            }
        }
        return this;
    }

    /** Reads the reader to its end (it is not closed). */
    public ScanSession feed(Reader reader) throws IOException {
        char[] buf = chunk();
        for (int n; (n = reader.read(buf, 0, CHUNK)) >= 0; ) {
            tokenizer.feed(buf, 0, n);
        }
        return this;
    }

    /** Feeds UTF-8 bytes. */
    public ScanSession feedUtf8(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        return feedUtf8(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Feeds the remaining UTF-8 bytes of {@code bytes} (its position moves to its limit). */
    public ScanSession feedUtf8(ByteBuffer bytes) {
        CharsetDecoder dec = decoder();
        // A multi-byte character split between chunks: complete it byte by byte first.
        while (carry.position() > 0 && bytes.hasRemaining()) {
            carry.put(bytes.get());
            carry.flip();
            decode(dec, carry, false);
            carry.compact();
            if (carry.position() == 0) {
                break;
            }
        }
        decode(dec, bytes, false);
        while (bytes.hasRemaining()) {
            carry.put(bytes.get()); // at most 3 bytes of an unfinished character
        }
        return this;
    }

    /** Ends the document and returns what it refers to. */
    public ScanResult finish() {
        if (decoder != null) {
            carry.flip();
            decode(decoder, carry, true);
            decoded.clear();
            decoder.flush(decoded);
            decoded.flip();
            tokenizer.feed(decoded.array(), 0, decoded.limit());
            carry.clear();
            decoder.reset();
        }
        return extractor.finish();
    }

    /** Ready for the next document. */
    public ScanSession reset() {
        extractor.reset();
        carry.clear();
        if (decoder != null) {
            decoder.reset();
        }
        return this;
    }

    private void decode(CharsetDecoder dec, ByteBuffer in, boolean endOfInput) {
        while (true) {
            decoded.clear();
            CoderResult result = dec.decode(in, decoded, endOfInput);
            decoded.flip();
            tokenizer.feed(decoded.array(), 0, decoded.limit());
            if (!result.isOverflow()) {
                return;
            }
        }
    }

    private char[] chunk() {
        if (chunk == null) {
            chunk = new char[CHUNK];
        }
        return chunk;
    }

    private CharsetDecoder decoder() {
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            decoded = CharBuffer.allocate(CHUNK);
        }
        return decoder;
    }
}
