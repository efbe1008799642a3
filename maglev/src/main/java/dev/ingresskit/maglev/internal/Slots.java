package dev.ingresskit.maglev.internal;

/**
 * The owner of every slot, stored in the smallest primitive that holds the largest backend index:
 * {@code byte} up to 256 backends, {@code short} up to 65,536, {@code int} beyond. Exactly one of
 * the three arrays is non-null; lookups read it directly.
 */
public final class Slots {
    public final byte[] bytes;
    public final short[] shorts;
    public final int[] ints;

    private Slots(byte[] bytes, short[] shorts, int[] ints) {
        this.bytes = bytes;
        this.shorts = shorts;
        this.ints = ints;
    }

    public static Slots forBackends(int backends, int size) {
        if (backends <= 1 << 8) {
            return new Slots(new byte[size], null, null);
        }
        if (backends <= 1 << 16) {
            return new Slots(null, new short[size], null);
        }
        return new Slots(null, null, new int[size]);
    }

    /** Bytes per slot: 1, 2 or 4. */
    public int width() {
        return bytes != null ? 1 : shorts != null ? 2 : 4;
    }

    public int size() {
        return bytes != null ? bytes.length : shorts != null ? shorts.length : ints.length;
    }

    public int get(int slot) {
        if (bytes != null) {
            return bytes[slot] & 0xFF;
        }
        if (shorts != null) {
            return shorts[slot] & 0xFFFF;
        }
        return ints[slot];
    }

    void set(int slot, int owner) {
        if (bytes != null) {
            bytes[slot] = (byte) owner;
        } else if (shorts != null) {
            shorts[slot] = (short) owner;
        } else {
            ints[slot] = owner;
        }
    }
}
