package dev.ingresskit.push.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time ("SIMD within a register"): a word of bytes tested with one mask, so a run of
 * ASCII is found with one branch per eight bytes. Little-endian, so the byte at the lowest index is the
 * lowest byte of the word, and the first hit is the lowest set bit.
 *
 * <p>Not used where the runs are short: for tag names, attribute names, the text between tags and
 * attribute values (mostly 1 to 60 characters) the tokenizer's loops, whose exits the processor
 * predicts, measured as fast or faster than word-at-a-time searches there (whose result each next step
 * must wait for).
 */
final class Swar {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;

    private Swar() {
    }

    /** The index of the first non-ASCII byte of {@code a} from {@code i}, or {@code end}; reads nothing past {@code end}. */
    static int asciiRun(byte[] a, int i, int end) {
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long high = (long) LONGS.get(a, i) & HIGHS;
            if (high != 0) {
                return i + (Long.numberOfTrailingZeros(high) >>> 3);
            }
        }
        while (i < end && a[i] >= 0) {
            i++;
        }
        return i;
    }
}
