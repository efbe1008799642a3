package dev.ingresskit.maglev;

import dev.ingresskit.maglev.internal.SipHash;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Linux kernel's IPVS {@code mh} (Maglev hashing) scheduler, reproduced exactly, so that a Java
 * control plane can predict which real server the kernel picks for a client.
 *
 * <p>Source: {@code net/netfilter/ipvs/ip_vs_mh.c} (Linux 6.1) on a 64-bit kernel:
 * <ul>
 * <li>hash: {@code hsiphash} of the u32 {@code offset + port + addr} (port and address in host
 *     order; an IPv6 address XOR-folded to 32 bits), which on 64-bit is SipHash-1-3 truncated to
 *     32 bits, with the fixed keys {2654435761, 2654435761} (h1) and {2654446892, 2654446892} (h2);</li>
 * <li>per destination: {@code offset = h1(port, addr) % M}, {@code skip = h2(port, addr) % (M−1) + 1};</li>
 * <li>weights: {@code turns = ((last_weight / gcd) >> rshift)}, at least 1 for a positive
 *     {@code last_weight}, where gcd is over the positive last weights and
 *     {@code rshift = max(0, fls(max_last_weight / gcd) − CONFIG_IP_VS_MH_TAB_INDEX / 2)};</li>
 * <li>population: destinations in the kernel's list order take turns, each claiming {@code turns}
 *     slots in a row, until all M are full; a destination with 0 turns never appears;</li>
 * <li>lookup: slot {@code h1(port, client) % M}, {@code port} being the client's source port with
 *     mh-port and 0 without; the slot's destination unless its current weight is 0, then none — or,
 *     with mh-fallback, the first available destination of the slots {@code h1(port, client, roffset)
 *     % M} for {@code roffset = (ihash + i) % M}, stopping at an empty slot.</li>
 * </ul>
 *
 * <p><b>Order matters here, and only here.</b> The kernel inserts each new destination at the head
 * of the service's list ({@code list_add_rcu} in {@code __ip_vs_update_dest}) and populates the
 * table walking that list, i.e. newest first. So the builder takes destinations <b>in the order they
 * were added to the kernel</b> ({@link Builder#add}), exactly as you issued {@code ipvsadm -a}; editing
 * a destination ({@link Builder#edit}) keeps its place, deleting and re-adding moves it to the front.
 * {@code ipvsadm -Ln} sorts destinations and hides that order; {@code /proc/net/ip_vs} shows the
 * kernel's list (newest first).
 *
 * <p>What the kernel does around the scheduler that this class also models: the IPVS core never
 * schedules a client whose source port is 20 (FTP data) — {@link #lookup} returns empty for it. Not
 * modelled: the {@code IP_VS_DEST_F_OVERLOAD} flag (set at run time by connection thresholds), and
 * non-TCP/UDP/SCTP traffic, for which the kernel hashes port 0 even with mh-port (pass port 0).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class IpvsMhTable {
    /** The kernel's table sizes, {@code primes[]} in ip_vs_mh.c, for CONFIG_IP_VS_MH_TAB_INDEX 8..17. */
    public static final List<Integer> TABLE_SIZES =
            List.of(251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071);
    /** The stock kernel's size (CONFIG_IP_VS_MH_TAB_INDEX=12). */
    public static final int DEFAULT_TABLE_SIZE = 4093;
    /** The client source port the IPVS core never schedules (FTP data). */
    public static final int FTP_DATA_PORT = 20;

    private static final long HASH1_KEY = 2654435761L;
    private static final long HASH2_KEY = 2654446892L;

    private final int size;
    private final boolean mhPort;
    private final boolean mhFallback;
    private final boolean ipv6Service;
    private final List<IpvsMhDestination> destinations;
    private final int[] table;
    private final int[] turns;
    private final int[] entries;
    private final int gcd;
    private final int rshift;
    private final EntryStats stats;
    /** Computed on first use; a benign race (every thread computes the same string). */
    private String fingerprint;

    private IpvsMhTable(Builder b) {
        this.size = b.size;
        this.mhPort = b.mhPort;
        this.mhFallback = b.mhFallback;
        this.ipv6Service = b.ipv6Service != null ? b.ipv6Service
                : !b.destinations.isEmpty() && b.destinations.firstEntry().getKey().address() instanceof Inet6Address;
        this.destinations = List.copyOf(b.destinations.values());
        int n = destinations.size();
        this.table = new int[size];
        java.util.Arrays.fill(table, -1);
        this.turns = new int[n];
        this.entries = new int[n];

        int g = 0;
        int maxWeight = 0;
        for (IpvsMhDestination d : destinations) { // ip_vs_mh_gcd_weight / ip_vs_mh_shift_weight
            int w = d.lastWeight();
            if (w > 0) {
                g = g > 0 ? gcd(w, g) : w;
            }
            maxWeight = Math.max(maxWeight, w);
        }
        this.gcd = g;
        int tabBits = (8 + TABLE_SIZES.indexOf(size)) / 2; // IP_VS_MH_TAB_BITS
        int shift = g < 1 ? 0 : (32 - Integer.numberOfLeadingZeros(maxWeight / g)) - tabBits;
        this.rshift = Math.max(shift, 0);
        if (g >= 1) {
            populate();
        }
        this.stats = EntryStats.of(size, entries);
    }

    /** ip_vs_mh_permutate + ip_vs_mh_populate, walking the kernel's list: newest destination first. */
    private void populate() {
        int n = destinations.size();
        int[] order = new int[n]; // list position -> index in add order
        for (int p = 0; p < n; p++) {
            order[p] = n - 1 - p;
        }
        int[] perm = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            IpvsMhDestination d = destinations.get(i);
            int fold = fold(d.address());
            perm[i] = Integer.remainderUnsigned(hash(HASH1_KEY, fold, d.port(), 0), size);
            skip[i] = Integer.remainderUnsigned(hash(HASH2_KEY, fold, d.port(), 0), size - 1) + 1;
            int lw = d.lastWeight();
            int t = (lw / gcd) >> rshift;
            turns[i] = t != 0 ? t : (lw != 0 ? 1 : 0);
        }
        long[] used = new long[(size + 63) >>> 6];
        int filled = 0;
        while (true) {
            for (int p = 0; p < n; p++) {
                int i = order[p];
                for (int t = 0; t < turns[i]; t++) {
                    int c = perm[i];
                    while ((used[c >>> 6] & (1L << c)) != 0) {
                        c += skip[i];
                        if (c >= size) {
                            c -= size;
                        }
                    }
                    perm[i] = c; // the kernel keeps perm at the claimed slot and probes from there next time
                    used[c >>> 6] |= 1L << c;
                    table[c] = i;
                    entries[i]++;
                    if (++filled == size) {
                        return;
                    }
                }
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** M, one of {@link #TABLE_SIZES}. */
    public int size() {
        return size;
    }

    public boolean mhPort() {
        return mhPort;
    }

    public boolean mhFallback() {
        return mhFallback;
    }

    /** Whether the service is IPv6 (the kernel hashes with the service's family). */
    public boolean ipv6Service() {
        return ipv6Service;
    }

    /** The destinations in the order they were added to the kernel (oldest first). */
    public List<IpvsMhDestination> destinations() {
        return destinations;
    }

    /** The gcd of the positive last weights (0 when there is none: the table is empty). */
    public int gcd() {
        return gcd;
    }

    /** The right shift applied to {@code last_weight / gcd}. */
    public int rshift() {
        return rshift;
    }

    /** The turns (slots claimed per round) of destination {@code index} (add order). */
    public int turns(int index) {
        return turns[index];
    }

    /** Slots held by destination {@code index} (add order). */
    public int entries(int index) {
        return entries[index];
    }

    /** Min/max/mean slots over destinations that hold any. */
    public EntryStats entryStats() {
        return stats;
    }

    /** The index (add order) of the destination in {@code slot}, or -1 for an empty slot. */
    public int destinationIndexAt(int slot) {
        return table[java.util.Objects.checkIndex(slot, size)];
    }

    /** The destination in {@code slot}, if any. */
    public Optional<IpvsMhDestination> destinationAt(int slot) {
        int i = destinationIndexAt(slot);
        return i < 0 ? Optional.empty() : Optional.of(destinations.get(i));
    }

    /**
     * A short digest of what this table does, for comparing tables across machines (e.g. a fleet of
     * directors, each exporting its tables' fingerprints): the first 8 bytes of a SHA-256, as 16 hex
     * digits, over the table size, the mh-port and mh-fallback flags, the address family, every
     * destination's address and port and whether its current weight is non-zero, and, for every slot,
     * which of them it holds. Destinations enter it sorted by address and port, so two tables that
     * send every client to the same destination have the same fingerprint whatever order or weights
     * built them; tables that differ in one slot differ in it (with the odds of a 64-bit collision).
     * Frozen: changing it would make directors of different versions look as if they disagreed.
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = computeFingerprint();
            fingerprint = f;
        }
        return f;
    }

    private String computeFingerprint() {
        // Byte arrays filled by hand and one address copy per destination: a director fingerprints
        // a thousand tables in its first run, mostly before the JIT has compiled any of this.
        int n = destinations.size();
        byte[][] addresses = new byte[n][];
        Integer[] sorted = new Integer[n];
        int headLength = 8;
        for (int i = 0; i < n; i++) {
            addresses[i] = destinations.get(i).address().getAddress();
            sorted[i] = i;
            headLength += 1 + addresses[i].length + 3;
        }
        java.util.Arrays.sort(sorted, (a, b) -> {
            int c = java.util.Arrays.compareUnsigned(addresses[a], addresses[b]);
            return c != 0 ? c : Integer.compare(destinations.get(a).port(), destinations.get(b).port());
        });
        int[] canonicalId = new int[n];
        byte[] head = new byte[headLength];
        int at = putInt(head, 0, size);
        head[at++] = (byte) ((mhPort ? 1 : 0) | (mhFallback ? 2 : 0));
        head[at++] = (byte) (ipv6Service ? 6 : 4);
        at += 2;
        for (int c = 0; c < n; c++) {
            int i = sorted[c];
            IpvsMhDestination d = destinations.get(i);
            canonicalId[i] = c;
            byte[] address = addresses[i];
            head[at++] = (byte) address.length;
            System.arraycopy(address, 0, head, at, address.length);
            at += address.length;
            head[at++] = (byte) (d.port() >>> 8);
            head[at++] = (byte) d.port();
            head[at++] = (byte) (d.weight() > 0 ? 1 : 0);
        }
        byte[] slots = new byte[size * 4];
        for (int slot = 0; slot < size; slot++) {
            int i = table[slot];
            putInt(slots, slot * 4, i < 0 ? -1 : canonicalId[i]);
        }
        java.security.MessageDigest sha = sha256();
        sha.update(head);
        sha.update(slots);
        return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static int putInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
        return at + 4;
    }

    /** A fresh SHA-256: a copy of one never used, which is cheaper than a provider lookup each time. */
    private static java.security.MessageDigest sha256() {
        try {
            return (java.security.MessageDigest) Sha256.PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return Sha256.lookUp();
        }
    }

    private static final class Sha256 {
        static final java.security.MessageDigest PROTOTYPE = lookUp();

        static java.security.MessageDigest lookUp() {
            try {
                return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }

    /** The slot the kernel reads first for this client: {@code h1(port, client) % M}. */
    public int slot(InetAddress client, int clientPort) {
        return Integer.remainderUnsigned(hash(HASH1_KEY, clientFold(client), hashedPort(clientPort), 0), size);
    }

    /**
     * The destination the kernel schedules a new connection from {@code client:clientPort} to, or empty
     * when it schedules none (no destination in the slot; the destination's current weight is 0 and
     * mh-fallback is off or finds nothing; or the client's source port is {@value #FTP_DATA_PORT}).
     *
     * @throws IllegalArgumentException when the client's address family is not the service's, or the
     *     port is outside [0, 65535]
     */
    public Optional<IpvsMhDestination> lookup(InetAddress client, int clientPort) {
        int i = lookupIndex(client, clientPort);
        return i < 0 ? Optional.empty() : Optional.of(destinations.get(i));
    }

    /** As {@link #lookup}, returning the destination's index (add order) or -1. */
    public int lookupIndex(InetAddress client, int clientPort) {
        return lookupFold(clientFold(client), clientPort);
    }

    /**
     * As {@link #lookupIndex} for an IPv4 service, allocation-free: {@code clientAddress} is the
     * address as a big-endian int (10.0.0.1 is {@code 0x0A000001}).
     */
    public int lookupIndexIpv4(int clientAddress, int clientPort) {
        if (ipv6Service) {
            throw new IllegalArgumentException("this is an IPv6 service: look up IPv6 clients");
        }
        return lookupFold(clientAddress, clientPort);
    }

    private int lookupFold(int fold, int clientPort) {
        checkPort(clientPort);
        if (clientPort == FTP_DATA_PORT) {
            return -1;
        }
        int port = mhPort ? clientPort : 0;
        int ihash = Integer.remainderUnsigned(hash(HASH1_KEY, fold, port, 0), size);
        int d = table[ihash];
        if (d < 0) {
            return -1;
        }
        if (available(d)) {
            return d;
        }
        if (!mhFallback) {
            return -1;
        }
        for (int offset = 0; offset < size; offset++) { // ip_vs_mh_get_fallback
            int roffset = (offset + ihash) % size;
            int h = Integer.remainderUnsigned(hash(HASH1_KEY, fold, port, roffset), size);
            d = table[h];
            if (d < 0) {
                return -1;
            }
            if (available(d)) {
                return d;
            }
        }
        return -1;
    }

    private boolean available(int index) {
        return destinations.get(index).weight() > 0;
    }

    private int hashedPort(int clientPort) {
        checkPort(clientPort);
        return mhPort ? clientPort : 0;
    }

    private int clientFold(InetAddress client) {
        Objects.requireNonNull(client, "client");
        boolean v6 = client instanceof Inet6Address;
        if (v6 != ipv6Service) {
            throw new IllegalArgumentException("client " + client.getHostAddress() + " is "
                    + (v6 ? "IPv6" : "IPv4") + " but the service is " + (ipv6Service ? "IPv6" : "IPv4"));
        }
        return fold(client);
    }

    /** ntohl(addr_fold): the service family decides, as in ip_vs_mh_hashkey (which uses svc->af). */
    private int fold(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4 || !ipv6Service) {
            return be32(a, 0); // an IPv4 address, or addr->ip (the first word) of an IPv6 one
        }
        return be32(a, 0) ^ be32(a, 4) ^ be32(a, 8) ^ be32(a, 12);
    }

    /** ip_vs_mh_hashkey: hsiphash of the u32 {@code offset + port + addr}. */
    static int hash(long key, int fold, int port, int offset) {
        return SipHash.hsiphash32(key, key, offset + port + fold);
    }

    private static int be32(byte[] a, int at) {
        return (a[at] & 0xFF) << 24 | (a[at + 1] & 0xFF) << 16 | (a[at + 2] & 0xFF) << 8 | (a[at + 3] & 0xFF);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("client port must be in [0, 65535], got " + port);
        }
    }

    @Override
    public String toString() {
        return "IpvsMhTable[M=" + size + ", dests=" + destinations.size() + (mhPort ? ", mh-port" : "")
                + (mhFallback ? ", mh-fallback" : "") + ", " + stats + "]";
    }

    /**
     * Replays what was done to the kernel's service: {@link #add} / {@link #edit} / {@link #delete} in
     * the order they were issued ({@code ipvsadm -a / -e / -d}). Not thread-safe.
     */
    public static final class Builder {
        private int size = DEFAULT_TABLE_SIZE;
        private boolean mhPort;
        private boolean mhFallback;
        private Boolean ipv6Service;
        /** By endpoint, in the order the kernel was given them: an edit keeps its place, a delete frees it. */
        private final java.util.LinkedHashMap<Key, IpvsMhDestination> destinations = new java.util.LinkedHashMap<>();

        private record Key(InetAddress address, int port) {
        }

        private Builder() {
        }

        /**
         * The kernel's table size (default {@value #DEFAULT_TABLE_SIZE}): one of {@link #TABLE_SIZES},
         * fixed when the kernel was built ({@code CONFIG_IP_VS_MH_TAB_INDEX}).
         */
        public Builder tableSize(int m) {
            if (!TABLE_SIZES.contains(m)) {
                throw new IllegalArgumentException("ip_vs_mh table size " + m + " is not one the kernel can have; "
                        + "choose one of " + TABLE_SIZES + " (" + DEFAULT_TABLE_SIZE + " is the stock kernel's)");
            }
            if (destinations.size() > m) {
                throw new IllegalArgumentException(destinations.size() + " destinations do not fit " + m + " slots");
            }
            this.size = m;
            return this;
        }

        /** The service flag {@code mh-port} (IP_VS_SVC_F_SCHED2): hash the client's source port too. */
        public Builder mhPort(boolean on) {
            this.mhPort = on;
            return this;
        }

        /** The service flag {@code mh-fallback} (IP_VS_SVC_F_SCHED1): rehash past unavailable dests. */
        public Builder mhFallback(boolean on) {
            this.mhFallback = on;
            return this;
        }

        /**
         * The service's address family. Default: that of the first destination added. It matters for
         * mixed-family (tunnelled) destinations, which the kernel hashes with the service's family.
         */
        public Builder ipv6Service(boolean ipv6) {
            this.ipv6Service = ipv6;
            return this;
        }

        /**
         * {@code ipvsadm -a}: a destination added to the kernel now, after the ones before it.
         *
         * @param port the port the kernel stores: the service port for {@code -i}/{@code -g}
         * @throws IllegalArgumentException when it exists already (the kernel says EEXIST), or the
         *     table cannot hold another destination (EINVAL)
         */
        public Builder add(InetAddress address, int port, int weight) {
            Key key = key(address, port);
            if (destinations.containsKey(key)) {
                throw new IllegalArgumentException("destination " + new IpvsMhDestination(address, port, 0, 0).key()
                        + " exists already (the kernel answers EEXIST)");
            }
            if (destinations.size() == size) {
                throw new IllegalArgumentException("a table of " + size + " slots holds at most " + size
                        + " destinations (the kernel answers EINVAL)");
            }
            destinations.put(key, new IpvsMhDestination(address, port, weight, weight));
            return this;
        }

        /** {@link #add(InetAddress, int, int)} for {@code IP:PORT} or {@code [IPv6]:PORT}. */
        public Builder add(String endpoint, int weight) {
            Endpoint e = Endpoint.parse(endpoint);
            return add(e.address(), e.port(), weight);
        }

        /**
         * {@code ipvsadm -e}: a new weight; the destination keeps its place. Editing to 0 keeps the
         * previous weight for the table ({@code last_weight}); lookups landing on it then find none.
         */
        public Builder edit(InetAddress address, int port, int weight) {
            Key key = key(address, port);
            IpvsMhDestination d = require(key);
            destinations.put(key, new IpvsMhDestination(d.address(), d.port(), weight,
                    weight != 0 ? weight : d.lastWeight()));
            return this;
        }

        /** {@code ipvsadm -d}: removes the destination; adding it again puts it first in the kernel's list. */
        public Builder delete(InetAddress address, int port) {
            Key key = key(address, port);
            require(key);
            destinations.remove(key);
            return this;
        }

        public IpvsMhTable build() {
            return new IpvsMhTable(this);
        }

        private static Key key(InetAddress address, int port) {
            return new Key(Objects.requireNonNull(address, "address"), port);
        }

        private IpvsMhDestination require(Key key) {
            IpvsMhDestination d = destinations.get(key);
            if (d == null) {
                throw new IllegalArgumentException("no destination " + new IpvsMhDestination(key.address(), key.port(), 0, 0)
                        .key() + " (the kernel answers ENOENT)");
            }
            return d;
        }
    }
}
