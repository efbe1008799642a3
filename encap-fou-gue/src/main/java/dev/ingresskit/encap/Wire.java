package dev.ingresskit.encap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Network-order reads and writes over either a {@code byte[]} or a {@link ByteBuffer}, chosen per
 * call by which of the two is non-null. Every packet field is big-endian: the byte order is fixed
 * here, never taken from the wrapped buffer. Callers prove their indexes are in range first (one
 * bounds check per layer), so nothing here checks.
 */
final class Wire {
    private static final VarHandle ARRAY_U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BUFFER_U64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static {
        // A direct ByteBuffer's view VarHandles call a JDK helper whose return type,
        // jdk.internal.foreign.MemorySessionImpl, nothing loads until the FFM API or a segment-backed
        // buffer is used. C2 does not inline a call whose signature names an unloaded class
        // ("failed to inline: unloaded signature classes"), so, depending on whether something had
        // loaded it before the parser was compiled, every direct-buffer read stayed a call: parse of
        // gue4 took 31-40 ns instead of 8 in about half of the JVMs. Loading the class (without
        // initialising it) up front makes the inlined form the only one. On a JDK without that
        // class there is nothing to load and nothing to fix, so failure is not an error.
        try {
            Class.forName("jdk.internal.foreign.MemorySessionImpl", false, null);
        } catch (ClassNotFoundException | LinkageError notThere) {
            // nothing to do: the accessors work either way, only their speed differs
        }
    }

    private Wire() {
    }

    static int u8(byte[] a, ByteBuffer b, int i) {
        return (a != null ? a[i] : b.get(i)) & 0xff;
    }

    static int u16(byte[] a, ByteBuffer b, int i) {
        return (a != null ? (short) ARRAY_U16.get(a, i) : (short) BUFFER_U16.get(b, i)) & 0xffff;
    }

    static int s32(byte[] a, ByteBuffer b, int i) {
        return a != null ? (int) ARRAY_U32.get(a, i) : (int) BUFFER_U32.get(b, i);
    }

    static long u32(byte[] a, ByteBuffer b, int i) {
        return s32(a, b, i) & 0xffffffffL;
    }

    static long s64(byte[] a, ByteBuffer b, int i) {
        return a != null ? (long) ARRAY_U64.get(a, i) : (long) BUFFER_U64.get(b, i);
    }

    static void put8(byte[] a, ByteBuffer b, int i, int v) {
        if (a != null) {
            a[i] = (byte) v;
        } else {
            b.put(i, (byte) v);
        }
    }

    static void put16(byte[] a, ByteBuffer b, int i, int v) {
        if (a != null) {
            ARRAY_U16.set(a, i, (short) v);
        } else {
            BUFFER_U16.set(b, i, (short) v);
        }
    }

    static void put32(byte[] a, ByteBuffer b, int i, int v) {
        if (a != null) {
            ARRAY_U32.set(a, i, v);
        } else {
            BUFFER_U32.set(b, i, v);
        }
    }

    static void put64(byte[] a, ByteBuffer b, int i, long v) {
        if (a != null) {
            ARRAY_U64.set(a, i, v);
        } else {
            BUFFER_U64.set(b, i, v);
        }
    }

    /** Copies {@code length} bytes inside one buffer (overlap allowed). */
    static void move(byte[] a, ByteBuffer b, int from, int to, int length) {
        if (a != null) {
            System.arraycopy(a, from, a, to, length);
        } else {
            b.put(to, b, from, length);
        }
    }

    /**
     * Checks that {@code [offset, offset+length)} lies inside a buffer of {@code capacity} bytes
     * (capacity is never negative). It compares {@code length} with {@code capacity - offset}
     * rather than adding: with both non-negative the difference cannot overflow, and the check stays
     * in 32-bit arithmetic on the per-packet path. A caller's range error, not a packet error.
     */
    static void checkRange(int offset, int length, int capacity) {
        if ((offset | length) < 0 || length > capacity - offset) {
            throw new IllegalArgumentException("range offset=" + offset + " length=" + length
                    + " is outside the buffer (capacity " + capacity + ")");
        }
    }

    /**
     * Ones'-complement sum (RFC 1071) of {@code length} bytes at {@code i}, added to {@code sum} and
     * left unfolded in a long. Eight bytes a step: the sum of big-endian 16-bit words equals the
     * folded sum of big-endian 32- and 64-bit words, so wider reads give the same result.
     */
    static long sum(byte[] a, ByteBuffer b, int i, int length, long sum) {
        int end = i + length;
        while (i + 8 <= end) {
            long w = s64(a, b, i);
            sum += (w >>> 32) + (w & 0xffffffffL);
            i += 8;
        }
        if (i + 4 <= end) {
            sum += u32(a, b, i);
            i += 4;
        }
        if (i + 2 <= end) {
            sum += u16(a, b, i);
            i += 2;
        }
        if (i < end) {
            sum += u8(a, b, i) << 8;
        }
        return sum;
    }

    /** Folds a long ones'-complement sum to 16 bits (not complemented). */
    static int fold(long sum) {
        sum = (sum & 0xffffffffL) + (sum >>> 32);
        sum = (sum & 0xffffffffL) + (sum >>> 32);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return (int) sum;
    }
}
