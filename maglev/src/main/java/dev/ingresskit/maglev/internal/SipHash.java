package dev.ingresskit.maglev.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SipHash (Aumasson and Bernstein, 2012) in the fixed shapes the hot paths need, each with its round
 * counts written in so the JIT unrolls them, and none allocating (the tests check them against a
 * plain SipHash-c-d).
 *
 * <p>The key is two 64-bit words {@code k0, k1}, i.e. the 16 key bytes read as two little-endian
 * words — the same layout as Linux's {@code siphash_key_t}/{@code hsiphash_key_t} on 64-bit.
 *
 * <p>{@link #hsiphash32(long, long, int)} is Linux's {@code hsiphash_1u32} on a 64-bit kernel: there
 * {@code hsiphash} is SipHash-1-3 (not HalfSipHash) truncated to 32 bits (lib/siphash.c,
 * {@code BITS_PER_LONG == 64}). ip_vs_mh depends on exactly that.
 */
public final class SipHash {
    private static final long V0 = 0x736f6d6570736575L;
    private static final long V1 = 0x646f72616e646f6dL;
    private static final long V2 = 0x6c7967656e657261L;
    private static final long V3 = 0x7465646279746573L;

    private SipHash() {
    }

    /**
     * SipHash-2-4, the reference PRF: the same value as the general SipHash-c-d with c = 2, d = 4 (the tests' {@code SipHashReference}),
     * with the round counts fixed so the JIT unrolls them (the tables hash two keys per backend per
     * build with it).
     */
    public static long sipHash24(long k0, long k1, byte[] data) {
        long v0 = V0 ^ k0;
        long v1 = V1 ^ k1;
        long v2 = V2 ^ k0;
        long v3 = V3 ^ k1;
        int length = data.length;
        int end = length - (length & 7);
        for (int i = 0; i < end; i += 8) {
            long m = littleEndian64(data, i);
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long b = ((long) length) << 56;
        for (int i = 0; i < (length & 7); i++) {
            b |= (data[end + i] & 0xFFL) << (8 * i);
        }
        v3 ^= b;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /**
     * Linux {@code hsiphash(&v, 4, key)} / {@code hsiphash_1u32(v, key)} on a 64-bit kernel: SipHash-1-3
     * of the four little-endian bytes of {@code value}, truncated to its low 32 bits (returned as an
     * int; treat it as unsigned).
     */
    public static int hsiphash32(long k0, long k1, int value) {
        long v0 = V0 ^ k0;
        long v1 = V1 ^ k1;
        long v2 = V2 ^ k0;
        long v3 = V3 ^ k1;
        long b = (4L << 56) | (value & 0xFFFFFFFFL);
        v3 ^= b;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 3; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return (int) (v0 ^ v1 ^ v2 ^ v3);
    }

    /**
     * SipHash-1-3 of the little-endian encoding of {@code words[0..count)} (a message of
     * {@code 8*count} bytes), without allocating: the flow hashes use this.
     */
    public static long sipHash13Words(long k0, long k1, long w0, long w1, long w2, long w3, long w4, int count) {
        long v0 = V0 ^ k0;
        long v1 = V1 ^ k1;
        long v2 = V2 ^ k0;
        long v3 = V3 ^ k1;
        for (int i = 0; i < count; i++) {
            long m = switch (i) {
                case 0 -> w0;
                case 1 -> w1;
                case 2 -> w2;
                case 3 -> w3;
                default -> w4;
            };
            v3 ^= m;
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            v0 ^= m;
        }
        long b = ((long) (8 * count)) << 56;
        v3 ^= b;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 3; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** The 16 bytes of an ASCII key string as Linux lays out a siphash key: two little-endian words. */
    public static long[] keyFromAscii(String sixteen) {
        if (sixteen.length() != 16) {
            throw new IllegalArgumentException("a SipHash key is 16 bytes, got " + sixteen.length());
        }
        byte[] bytes = sixteen.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new long[] {littleEndian64(bytes, 0), littleEndian64(bytes, 8)};
    }

    static long littleEndian64(byte[] data, int at) {
        return (long) LITTLE_ENDIAN_LONG.get(data, at); // one load, where a byte loop was eight
    }

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
