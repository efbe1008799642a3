package dev.ingresskit.maglev.internal;

import java.util.Arrays;

/**
 * A set of byte-array keys for the builder's duplicate check: open addressing over the keys' content
 * hashes, so an add costs one vectorised {@link Arrays#hashCode(byte[])} and usually no
 * {@code equals}, and allocates nothing but the occasional doubling. (A {@code HashSet<ByteBuffer>}
 * did the same job with a wrapper and a node per key, and was a tenth of a whole build at N = 1000.)
 * Keys are held by reference and must not change while in the set.
 */
public final class KeySet {
    private byte[][] keys = new byte[16][];
    private int[] hashes = new int[16];
    private int count;

    /** Adds {@code key}; false if an equal key is present already. */
    public boolean add(byte[] key) {
        if (2 * (count + 1) > keys.length) {
            grow();
        }
        int h = spread(Arrays.hashCode(key));
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                keys[i] = key;
                hashes[i] = h;
                count++;
                return true;
            }
            if (hashes[i] == h && Arrays.equals(k, key)) {
                return false;
            }
        }
    }

    /** Makes room for {@code more} keys beyond the present ones, so adding them does not grow the table. */
    public void ensureRoomFor(int more) {
        while (2L * (count + more) > keys.length && keys.length < 1 << 30) {
            grow();
        }
    }

    /** Removes the key equal to {@code key}; false if there was none. */
    public boolean remove(byte[] key) {
        int h = spread(Arrays.hashCode(key));
        int mask = keys.length - 1;
        int i = h & mask;
        while (keys[i] != null && !(hashes[i] == h && Arrays.equals(keys[i], key))) {
            i = (i + 1) & mask;
        }
        if (keys[i] == null) {
            return false;
        }
        keys[i] = null;
        count--;
        // re-place the rest of the cluster, by the hashes they have, so no probe sequence is cut short by the hole
        for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            byte[] k = keys[j];
            keys[j] = null;
            place(k, hashes[j]);
        }
        return true;
    }

    public int size() {
        return count;
    }

    /** Doubles the table, placing every key by the hash it already has (no key is hashed again). */
    private void grow() {
        byte[][] oldKeys = keys;
        int[] oldHashes = hashes;
        keys = new byte[oldKeys.length * 2][];
        hashes = new int[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                place(oldKeys[j], oldHashes[j]);
            }
        }
    }

    /** Puts {@code key}, known to be absent, in the first empty slot of its probe sequence. */
    private void place(byte[] key, int h) {
        int mask = keys.length - 1;
        int i = h & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        hashes[i] = h;
    }

    /** Arrays.hashCode's low bits are weak for short keys that differ in their last bytes. */
    private static int spread(int h) {
        return h * 0x9E3779B9 ^ (h >>> 16);
    }
}
