package dev.ingresskit.push.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 into the tokenizer, in chunks of characters, with the outcome of the JDK's decoder
 * ({@link CodingErrorAction#REPLACE}: each malformed sequence becomes U+FFFD) but not its cost: the JDK's
 * decoder copies ASCII fast only up to the first other byte of each call and goes a byte at a time from
 * there, and real pages have a few non-ASCII characters in most chunks (Python's documentation: every
 * one of its 530 pages, '—', '’' or '¶' in 495 of them).
 *
 * <p>Here runs of ASCII go through the JDK's US-ASCII decoder, which the JVM vectorises and which stops
 * at the first other byte; well-formed 2-, 3- and 4-byte sequences are decoded here; anything else (a
 * malformed sequence, or one cut by the end of the input) goes to the JDK's decoder with the bytes that
 * decide it (at most four), so the outcome is the JDK's whatever the input. Characters are passed on
 * when a chunk fills, so small writes reach the tokenizer in full chunks, and a chunk passed on before
 * the end of the input ends where a tag starts, when one starts near its end
 * ({@link Tokenizer#beforeLastTag}): the rest waits for the next chunk. Allocates nothing per call.
 */
public final class Utf8Decoder {
    /** Characters passed to the tokenizer at a time. */
    public static final int CHUNK = 4096;
    /** Bytes given to the JDK's decoder at a time: more than the four that decide any sequence. */
    private static final int WINDOW = 16;

    /** Where the characters go: the tokenizer's {@code feed}. */
    public interface Output {
        void feed(char[] chars, int offset, int length);
    }

    private final Output out;
    /** The bytes of a character split between two calls: at most 3, plus the one being added. */
    private final byte[] carry = new byte[4];
    private int carried;
    private final char[] chars = new char[CHUNK];
    private int length;

    /** The input, a block at a time. */
    private final byte[] block = new byte[CHUNK];
    private final ByteBuffer blockIn = ByteBuffer.wrap(block);
    /** Reports a non-ASCII byte as malformed, so it stops there. */
    private final CharsetDecoder ascii = StandardCharsets.US_ASCII.newDecoder();
    private final CharBuffer charsOut = CharBuffer.wrap(chars);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);

    public Utf8Decoder(Output out) {
        this.out = out;
    }

    /**
     * Decodes {@code bytes[offset, offset + length)}, passing the characters on a chunk at a time as
     * chunks fill: what does not fill one waits for the next call or {@link #finish()}, so that input in
     * small writes reaches the tokenizer in full chunks, not a call per write. A character split between
     * this call and the next is kept and completed then.
     */
    public void feed(byte[] bytes, int offset, int length) {
        int p = offset;
        int end = offset + length;
        // a character split between calls: completed a byte at a time
        while (carried > 0 && p < end) {
            carry[carried++] = bytes[p++];
            int used = decode(carry, 0, carried);
            System.arraycopy(carry, used, carry, 0, carried - used);
            carried -= used;
        }
        for (int stop = decode(bytes, p, end); stop < end; stop++) {
            carry[carried++] = bytes[stop];
        }
    }

    /**
     * Ends the input: an unfinished character at its end is malformed (U+FFFD, as the JDK decides), then
     * ready for new input.
     */
    public void finish() {
        flush();
        window.clear();
        window.put(carry, 0, carried).flip();
        charsOut.clear();
        utf8.decode(window, charsOut, true);
        utf8.flush(charsOut);
        length = charsOut.position();
        flush();
        reset();
    }

    /** Forgets the input so far. */
    public void reset() {
        length = 0;
        carried = 0;
        utf8.reset();
    }

    /**
     * Decodes {@code bytes[from, to)} up to the last complete character, passing each full chunk on;
     * returns the index where it stopped: {@code to}, or the start of an incomplete sequence at the end
     * (at most 3 bytes).
     */
    private int decode(byte[] bytes, int from, int to) {
        int p = from;
        while (p < to) {
            // a block at a time through a copy: the ASCII decoder reads a buffer, and wrapping the caller's
            // array would allocate one per call
            int n = Math.min(to - p, CHUNK);
            System.arraycopy(bytes, p, block, 0, n);
            int q = 0;
            while (q < n) {
                if (length > CHUNK - 2) {
                    flushBeforeLastTag(); // room for a surrogate pair
                }
                // ASCII, vectorised, up to the first other byte (malformed for this decoder: it stops there)
                blockIn.limit(n).position(q);
                charsOut.limit(CHUNK).position(length);
                ascii.decode(blockIn, charsOut, false);
                q = blockIn.position();
                length = charsOut.position();
                if (q == n || length == CHUNK) {
                    continue;
                }
                int r = sequence(block, q, n);
                if (r == q) {
                    if (n - q < 4 && p + n < to) {
                        break; // cut by the block, not by the input: the next block starts with it
                    }
                    r = jdk(block, q, n);
                    if (r == q) {
                        return p + q; // an incomplete sequence at the end of the input
                    }
                }
                q = r;
            }
            p += q;
        }
        return p;
    }

    private void flush() {
        if (length > 0) {
            out.feed(chars, 0, length);
            length = 0;
        }
    }

    /**
     * Passes the characters on up to the last tag's {@code '<'} ({@link Tokenizer#beforeLastTag}) and keeps the
     * rest for the next chunk, so that the tag reaches the tokenizer whole.
     */
    private void flushBeforeLastTag() {
        int n = Tokenizer.beforeLastTag(chars, length);
        if (n > 0) {
            out.feed(chars, 0, n);
            System.arraycopy(chars, n, chars, 0, length - n);
            length -= n;
        }
    }

    /**
     * Decodes the well-formed sequence of 2 to 4 bytes at {@code p} (a non-ASCII byte) and returns the
     * index after it; returns {@code p} for anything else, which the JDK's decoder then decides.
     */
    private int sequence(byte[] bytes, int p, int to) {
        int b1 = bytes[p] & 0xFF;
        if (b1 >= 0xC2 && b1 <= 0xDF) {
            if (to - p < 2 || !continuation(bytes[p + 1])) {
                return p;
            }
            put((char) ((b1 & 0x1F) << 6 | bytes[p + 1] & 0x3F));
            return p + 2;
        }
        if (b1 >= 0xE0 && b1 <= 0xEF) {
            if (to - p < 3) {
                return p;
            }
            int b2 = bytes[p + 1] & 0xFF;
            // not overlong (E0 needs A0 and above), not a surrogate (ED needs 9F and below)
            if (!continuation(b2) || !continuation(bytes[p + 2]) || b1 == 0xE0 && b2 < 0xA0 || b1 == 0xED && b2 > 0x9F) {
                return p;
            }
            put((char) ((b1 & 0x0F) << 12 | (b2 & 0x3F) << 6 | bytes[p + 2] & 0x3F));
            return p + 3;
        }
        if (b1 >= 0xF0 && b1 <= 0xF4) {
            if (to - p < 4) {
                return p;
            }
            int b2 = bytes[p + 1] & 0xFF;
            // not overlong (F0 needs 90 and above), not above U+10FFFF (F4 needs 8F and below)
            if (!continuation(b2) || !continuation(bytes[p + 2]) || !continuation(bytes[p + 3])
                    || b1 == 0xF0 && b2 < 0x90 || b1 == 0xF4 && b2 > 0x8F) {
                return p;
            }
            int cp = (b1 & 0x07) << 18 | (b2 & 0x3F) << 12 | (bytes[p + 2] & 0x3F) << 6 | bytes[p + 3] & 0x3F;
            put(Character.highSurrogate(cp));
            put(Character.lowSurrogate(cp));
            return p + 4;
        }
        return p;
    }

    private static boolean continuation(int b) {
        return (b & 0xC0) == 0x80;
    }

    private void put(char c) {
        chars[length++] = c;
    }

    /**
     * The JDK's decoder on up to {@link #WINDOW} bytes from {@code p}: it replaces what is malformed and
     * stops before a sequence the window (or the input) cuts. Returns the index after what it used.
     */
    private int jdk(byte[] bytes, int p, int to) {
        int n = Math.min(WINDOW, to - p);
        window.clear();
        window.put(bytes, p, n).flip();
        charsOut.limit(CHUNK).position(length);
        utf8.decode(window, charsOut, false);
        length = charsOut.position();
        return p + window.position();
    }
}
