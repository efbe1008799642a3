package dev.ingresskit.maglev;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A backend of a {@link MaglevTable}: its hash key and its weight. Immutable.
 *
 * <p>The key is what the table hashes to place the backend, so it must be the same on every
 * director of a fleet (an address and port, a stable host name): it is bytes, or a string taken as
 * its UTF-8 bytes. Weight 0 means draining — the backend stays known to the table (and to
 * {@link MaglevTable#disruption}) but owns no slot.
 */
public final class Backend {
    private final byte[] key;
    private final String name;
    private final int weight;

    private Backend(byte[] key, String name, int weight) {
        if (key.length == 0) {
            throw new IllegalArgumentException("a backend key must not be empty");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("backend " + name + ": weight must be ≥ 0 (0 drains), got " + weight);
        }
        this.key = key;
        this.name = name;
        this.weight = weight;
    }

    /** A backend whose key is the UTF-8 encoding of {@code key}. */
    public static Backend of(String key, int weight) {
        Objects.requireNonNull(key, "key");
        return new Backend(key.getBytes(StandardCharsets.UTF_8), key, weight);
    }

    /** A backend whose key is {@code key} (copied); its {@link #name()} is the key in hex. */
    public static Backend of(byte[] key, int weight) {
        Objects.requireNonNull(key, "key");
        return new Backend(key.clone(), "0x" + HexFormat.of().formatHex(key), weight);
    }

    /** A copy of the key bytes. */
    public byte[] key() {
        return key.clone();
    }

    /** The key as given (string keys) or as {@code 0x}-prefixed hex (byte keys), for display. */
    public String name() {
        return name;
    }

    public int weight() {
        return weight;
    }

    /** Weight 0: present, but owns no slot. */
    public boolean draining() {
        return weight == 0;
    }

    /** The same key with another weight. */
    public Backend withWeight(int newWeight) {
        return new Backend(key, name, newWeight);
    }

    byte[] keyUnsafe() {
        return key;
    }

    boolean sameKey(Backend other) {
        return Arrays.equals(key, other.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backend b && weight == b.weight && Arrays.equals(key, b.key);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + weight;
    }

    @Override
    public String toString() {
        return name + "=" + weight;
    }
}
