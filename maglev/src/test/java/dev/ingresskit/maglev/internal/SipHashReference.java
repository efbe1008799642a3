package dev.ingresskit.maglev.internal;

/**
 * SipHash-c-d written plainly from the paper (Aumasson and Bernstein, 2012), any round counts and any
 * slice of bytes: the reference the fixed-shape variants in {@link SipHash} are tested against.
 */
public final class SipHashReference {
    private SipHashReference() {
    }

    /** SipHash-c-d of {@code data[offset, offset+length)}. */
    public static long hash(long k0, long k1, byte[] data, int offset, int length, int cRounds, int dRounds) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1, 0x6c7967656e657261L ^ k0,
            0x7465646279746573L ^ k1};
        int end = offset + length - (length & 7);
        for (int i = offset; i < end; i += 8) {
            long m = SipHash.littleEndian64(data, i);
            v[3] ^= m;
            rounds(v, cRounds);
            v[0] ^= m;
        }
        long b = ((long) length) << 56;
        for (int i = 0; i < (length & 7); i++) {
            b |= (data[end + i] & 0xFFL) << (8 * i);
        }
        v[3] ^= b;
        rounds(v, cRounds);
        v[0] ^= b;
        v[2] ^= 0xff;
        rounds(v, dRounds);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void rounds(long[] v, int n) {
        for (int r = 0; r < n; r++) {
            v[0] += v[1];
            v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
            v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3];
            v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
            v[0] += v[3];
            v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
            v[2] += v[1];
            v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
            v[2] = Long.rotateLeft(v[2], 32);
        }
    }
}
