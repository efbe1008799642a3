package dev.ingresskit.maglev;

import dev.ingresskit.maglev.internal.SipHash;

/**
 * How a backend's key becomes its place in the table: {@code offset = offsetHash(key) mod M} and
 * {@code skip = skipHash(key) mod (M−1) + 1}, both hashes taken as unsigned 64-bit values (the
 * paper's h1 and h2). Implementations must be pure functions of the key bytes: every director that
 * builds a table must get the same hashes.
 */
public interface BackendHash {
    /** h1: chooses the backend's first preferred slot. */
    long offsetHash(byte[] key);

    /** h2: chooses the stride of the backend's preference list. */
    long skipHash(byte[] key);

    /**
     * The default, frozen: SipHash-2-4 of the key bytes, h1 with the 16-byte ASCII key
     * {@code "ingresskit.h1.v1"} and h2 with {@code "ingresskit.h2.v1"} (each read as two little-endian
     * 64-bit words, the reference implementation's key layout). Changing it would remap every flow,
     * so golden vectors in the tests pin it; a different hash gets a different name, never this one.
     */
    BackendHash DEFAULT = new BackendHash() {
        private final long[] k1 = SipHash.keyFromAscii("ingresskit.h1.v1");
        private final long[] k2 = SipHash.keyFromAscii("ingresskit.h2.v1");

        @Override
        public long offsetHash(byte[] key) {
            return SipHash.sipHash24(k1[0], k1[1], key);
        }

        @Override
        public long skipHash(byte[] key) {
            return SipHash.sipHash24(k2[0], k2[1], key);
        }

        @Override
        public String toString() {
            return "BackendHash.DEFAULT(SipHash-2-4, ingresskit.h1.v1/ingresskit.h2.v1)";
        }
    };
}
