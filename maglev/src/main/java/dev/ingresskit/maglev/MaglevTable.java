package dev.ingresskit.maglev;

import dev.ingresskit.maglev.internal.Apportionment;
import dev.ingresskit.maglev.internal.KeySet;
import dev.ingresskit.maglev.internal.Population;
import dev.ingresskit.maglev.internal.Primes;
import dev.ingresskit.maglev.internal.Slots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
 * Balancer", NSDI 2016, §3.4): M slots, each owned by one backend, so that a flow's hash picks a
 * backend in O(1) and a change of backends moves few flows.
 *
 * <p>What the table guarantees:
 * <ul>
 * <li><b>Order independence.</b> Backends are sorted by key bytes (unsigned lexicographic) before
 *     population, so the same set of backends gives the same table whatever order they were added in
 *     — every director of a fleet builds the same table. {@link #backend(int) Backend indices} refer
 *     to that sorted order.</li>
 * <li><b>Exact weights.</b> Slot counts are apportioned before population (largest remainder): with
 *     equal weights every backend owns ⌊M/N⌋ or ⌈M/N⌉ slots; with weights w_i every backend owns
 *     within one slot of {@code M·w_i/W}, except that a positive weight whose share is below one
 *     slot still gets exactly one (the others then share {@code M − F} slots with the same ±1
 *     bound). Weight 0 drains: the backend owns nothing.</li>
 * <li><b>Compact storage</b>: one byte a slot up to 256 backends, two up to 65,536, else four.
 *     No N×M permutation matrix is built.</li>
 * <li><b>Allocation-free lookup</b> by a 64-bit flow hash: {@code slot = ((hash >>> 32) · M) >>> 32}
 *     (Lemire's multiply-shift range reduction of the hash's high 32 bits; frozen). See
 *     {@link FlowHash} for flow hashes.</li>
 * </ul>
 * Instances are immutable and thread-safe.
 */
public final class MaglevTable {
    /** The paper's table size, the builder's default. */
    public static final int DEFAULT_TABLE_SIZE = 65_537;
    /** The largest prime below 2^30; larger tables are refused. */
    public static final int MAX_TABLE_SIZE = 1_073_741_789;

    private final int size;
    private final Backend[] backends;
    private final int[] entries;
    private final BackendHash hash;
    private final Slots slots;
    // Exactly one of these is non-null; copied out of Slots so lookups read a final field directly.
    private final byte[] bytes;
    private final short[] shorts;
    private final int[] ints;
    private final EntryStats stats;

    private MaglevTable(int size, Backend[] backends, BackendHash hash) {
        this.size = size;
        this.backends = backends;
        this.hash = hash;
        int n = backends.length;
        int[] offset = new int[n];
        int[] skip = new int[n];
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] key = backends[i].keyUnsafe();
            offset[i] = (int) Long.remainderUnsigned(hash.offsetHash(key), size);
            skip[i] = size == 2 ? 1 : (int) Long.remainderUnsigned(hash.skipHash(key), size - 1) + 1;
            weights[i] = backends[i].weight();
        }
        this.entries = Apportionment.quotas(size, weights);
        this.slots = Slots.forBackends(n, size);
        Population.fill(size, offset, skip, entries, slots);
        this.bytes = slots.bytes;
        this.shorts = slots.shorts;
        this.ints = slots.ints;
        this.stats = EntryStats.of(size, entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this table's size, hash and backends, to derive a changed table. */
    public Builder toBuilder() {
        Builder b = new Builder().tableSize(size).hash(hash);
        for (Backend backend : backends) {
            b.add(backend);
        }
        return b;
    }

    /** M. */
    public int size() {
        return size;
    }

    /** N, including draining backends. */
    public int backendCount() {
        return backends.length;
    }

    /** The backends in index (sorted-key) order. */
    public List<Backend> backends() {
        return List.of(backends);
    }

    /** The backend with index {@code index} (sorted-key order). */
    public Backend backend(int index) {
        return backends[index];
    }

    /** The index of the backend with this key, or -1. */
    public int indexOf(String key) {
        return indexOf(Backend.of(key, 0));
    }

    private int indexOf(Backend probe) {
        int lo = 0;
        int hi = backends.length - 1;
        byte[] key = probe.keyUnsafe();
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(backends[mid].keyUnsafe(), key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The hash strategy the table was built with. */
    public BackendHash hash() {
        return hash;
    }

    /** The slot a flow hash selects: {@code ((flowHash >>> 32) · M) >>> 32}. Allocation-free. */
    public int slot(long flowHash) {
        return (int) (((flowHash >>> 32) * size) >>> 32);
    }

    /** The index of the backend that owns {@code slot}. */
    public int ownerOfSlot(int slot) {
        Objects.checkIndex(slot, size);
        return owner(slot);
    }

    private int owner(int slot) {
        if (bytes != null) {
            return bytes[slot] & 0xFF;
        }
        if (shorts != null) {
            return shorts[slot] & 0xFFFF;
        }
        return ints[slot];
    }

    /** The index of the backend a flow goes to. Allocation-free. */
    public int backendIndex(long flowHash) {
        return owner((int) (((flowHash >>> 32) * size) >>> 32));
    }

    /** The backend a flow goes to. Allocation-free. */
    public Backend lookup(long flowHash) {
        return backends[backendIndex(flowHash)];
    }

    /** Slots owned by backend {@code index}. */
    public int entries(int index) {
        return entries[index];
    }

    /** Min/max/mean slots over the backends that own any. */
    public EntryStats entryStats() {
        return stats;
    }

    /** Bytes a slot takes in this table: 1, 2 or 4. */
    public int bytesPerSlot() {
        return slots.width();
    }

    /**
     * Which slots changed owner going from {@code previous} to this table, and why (see
     * {@link Disruption}). Owners are matched by key, not index.
     *
     * @throws IllegalArgumentException when the tables differ in size (their slots do not correspond)
     */
    public Disruption disruption(MaglevTable previous) {
        if (previous.size != size) {
            throw new IllegalArgumentException("cannot compare a table of " + previous.size
                    + " slots with one of " + size + ": slots only correspond between tables of one size");
        }
        int[] map = new int[previous.backends.length];
        for (int i = 0; i < map.length; i++) {
            map[i] = indexOf(previous.backends[i]);
        }
        int moved = 0;
        int left = 0;
        for (int s = 0; s < size; s++) {
            int before = previous.owner(s);
            int now = map[before];
            if (now != owner(s)) {
                moved++;
                if (now < 0 || entries[now] == 0) {
                    left++;
                }
            }
        }
        return new Disruption(size, moved, left, moved - left);
    }

    /** The table as a fresh array of backend indices, one per slot (for dumps and tests). */
    public int[] ownersSnapshot() {
        int[] out = new int[size];
        for (int s = 0; s < size; s++) {
            out[s] = owner(s);
        }
        return out;
    }

    @Override
    public String toString() {
        return "MaglevTable[M=" + size + ", N=" + backends.length + ", " + stats + "]";
    }

    /**
     * Collects the table size, the hash and the backends; each setter checks its argument at once.
     * Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private int size = DEFAULT_TABLE_SIZE;
        private BackendHash hash = BackendHash.DEFAULT;
        private final List<Backend> backends = new ArrayList<>();
        private final KeySet keys = new KeySet();

        private Builder() {
        }

        /**
         * M, a prime (default {@value #DEFAULT_TABLE_SIZE}). Pick it well above the backend count: the
         * paper uses M ≥ 100·N for an even spread.
         *
         * @throws IllegalArgumentException when M is not a prime in [2, {@value #MAX_TABLE_SIZE}]; the
         *     message names the nearest primes
         */
        public Builder tableSize(int m) {
            if (m < 2 || m > MAX_TABLE_SIZE) {
                throw new IllegalArgumentException("table size " + m + " is out of range: it must be a prime in [2, "
                        + MAX_TABLE_SIZE + "]");
            }
            if (!Primes.isPrime(m)) {
                long below = Primes.previous(m);
                long above = Primes.next(m);
                throw new IllegalArgumentException("table size " + m + " is not prime; nearest primes: "
                        + (below > 0 ? below + " and " : "") + above);
            }
            this.size = m;
            return this;
        }

        /** The key hash (default {@link BackendHash#DEFAULT}). */
        public Builder hash(BackendHash h) {
            this.hash = Objects.requireNonNull(h, "hash");
            return this;
        }

        /** Adds a backend keyed by the UTF-8 bytes of {@code key}. */
        public Builder add(String key, int weight) {
            return add(Backend.of(key, weight));
        }

        /** Adds a backend keyed by {@code key} (copied). */
        public Builder add(byte[] key, int weight) {
            return add(Backend.of(key, weight));
        }

        /** @throws IllegalArgumentException when a backend with the same key was added already */
        public Builder add(Backend backend) {
            Objects.requireNonNull(backend, "backend");
            if (!keys.add(backend.keyUnsafe())) {
                throw new IllegalArgumentException("duplicate backend key " + backend.name()
                        + ": every backend needs its own key");
            }
            backends.add(backend);
            return this;
        }

        public Builder addAll(Collection<Backend> all) {
            keys.ensureRoomFor(all.size());
            all.forEach(this::add);
            return this;
        }

        /** Removes the backend with this key, if present (to derive a table without it). */
        public Builder remove(String key) {
            return remove(Backend.of(key, 0));
        }

        public Builder remove(Backend backend) {
            if (keys.remove(backend.keyUnsafe())) {
                backends.removeIf(b -> b.sameKey(backend));
            }
            return this;
        }

        /** Sets the weight of the backend with this key (0 drains it). */
        public Builder weight(String key, int weight) {
            Backend probe = Backend.of(key, weight);
            for (int i = 0; i < backends.size(); i++) {
                if (backends.get(i).sameKey(probe)) {
                    backends.set(i, backends.get(i).withWeight(weight));
                    return this;
                }
            }
            throw new IllegalArgumentException("no backend with key " + key);
        }

        /**
         * Builds the table.
         *
         * @throws IllegalStateException when there are more backends than slots, or no backend has a
         *     positive weight
         */
        public MaglevTable build() {
            if (backends.size() > size) {
                throw new IllegalStateException(backends.size() + " backends do not fit a table of " + size
                        + " slots (N must be ≤ M; the paper uses M ≥ 100·N)");
            }
            boolean anyPositive = false;
            for (Backend b : backends) {
                anyPositive |= b.weight() > 0;
            }
            if (!anyPositive) {
                throw new IllegalStateException(backends.isEmpty()
                        ? "no backends: add at least one with a positive weight"
                        : "every backend is draining (weight 0): at least one needs a positive weight");
            }
            Backend[] sorted = backends.toArray(new Backend[0]);
            Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.keyUnsafe(), b.keyUnsafe()));
            return new MaglevTable(size, sorted, hash);
        }
    }
}
