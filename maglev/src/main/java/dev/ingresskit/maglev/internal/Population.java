package dev.ingresskit.maglev.internal;

/**
 * Fills a Maglev table (Eisenbud et al., NSDI 2016, §3.4, "Population") from per-backend offsets,
 * skips and exact slot quotas, without an N×M permutation matrix: each backend keeps only the
 * position of its next preference, {@code (offset + j·skip) mod M}.
 *
 * <p>Claim order, which the table's content depends on and which is therefore frozen: the fill runs
 * in rounds {@code r = 0 .. Q−1}, {@code Q} the largest quota; in each round the backends claim in
 * index order, backend {@code i} claiming its {@code k}-th slot in round {@code ⌊k·Q/q_i⌋}. With
 * equal quotas every backend claims once per round — exactly the paper's loop; with unequal quotas a
 * backend's claims are spread evenly over the rounds, so heavy backends do not take all their
 * preferred slots before light ones get any.
 */
public final class Population {
    private Population() {
    }

    /**
     * @param size   M, prime
     * @param offset per backend, in [0, M)
     * @param skip   per backend, in [1, M)
     * @param quota  per backend, summing to M
     */
    public static void fill(int size, int[] offset, int[] skip, int[] quota, Slots out) {
        int n = quota.length;
        int rounds = 0;
        long total = 0;
        for (int q : quota) {
            rounds = Math.max(rounds, q);
            total += q;
        }
        if (total != size) {
            throw new IllegalArgumentException("quotas sum to " + total + ", not the table size " + size);
        }
        long[] used = new long[(size + 63) >>> 6];
        int[] next = offset.clone();
        boolean uniform = true;
        for (int q : quota) {
            uniform &= q == 0 || q >= rounds - 1;
        }
        if (uniform) {
            fillUniform(size, skip, quota, rounds, used, next, out);
        } else if ((long) n * rounds <= 4L * size) {
            fillByScanning(size, skip, quota, rounds, used, next, out);
        } else {
            fillBySchedule(size, skip, quota, rounds, used, next, out);
        }
    }

    /**
     * Quotas of Q or Q−1 (equal weights): a backend with Q−1 claims ⌊k·Q/(Q−1)⌋ = k for every k it has,
     * i.e. in every round but the last — the paper's loop, without a division per claim.
     */
    static void fillUniform(int size, int[] skip, int[] quota, int rounds, long[] used, int[] next, Slots out) {
        int n = quota.length;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                if (quota[i] > r) {
                    next[i] = claim(size, skip[i], next[i], used, out, i);
                }
            }
        }
    }

    /** Rounds × backends, checking each backend's next claim round: cheap when quotas are similar. */
    static void fillByScanning(int size, int[] skip, int[] quota, int rounds, long[] used, int[] next, Slots out) {
        int n = quota.length;
        int[] claimed = new int[n];
        int[] nextRound = new int[n];
        for (int i = 0; i < n; i++) {
            nextRound[i] = quota[i] > 0 ? 0 : Integer.MAX_VALUE;
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                if (nextRound[i] != r) {
                    continue;
                }
                next[i] = claim(size, skip[i], next[i], used, out, i);
                int k = ++claimed[i];
                nextRound[i] = k < quota[i] ? (int) ((long) k * rounds / quota[i]) : Integer.MAX_VALUE;
            }
        }
    }

    /** The same claim order from a bucket (counting) sort of all M claims by round: O(M + Q). */
    static void fillBySchedule(int size, int[] skip, int[] quota, int rounds, long[] used, int[] next, Slots out) {
        int n = quota.length;
        int[] start = new int[rounds + 1];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < quota[i]; k++) {
                start[(int) ((long) k * rounds / quota[i]) + 1]++;
            }
        }
        for (int r = 0; r < rounds; r++) {
            start[r + 1] += start[r];
        }
        int[] claimant = new int[size];
        for (int i = 0; i < n; i++) { // ascending i keeps index order inside each round
            for (int k = 0; k < quota[i]; k++) {
                claimant[start[(int) ((long) k * rounds / quota[i])]++] = i;
            }
        }
        for (int c = 0; c < size; c++) {
            int i = claimant[c];
            next[i] = claim(size, skip[i], next[i], used, out, i);
        }
    }

    /** Claims the first free slot at or after {@code position} in the backend's permutation. */
    private static int claim(int size, int skip, int position, long[] used, Slots out, int owner) {
        int c = position;
        long word;
        while (((word = used[c >>> 6]) & (1L << c)) != 0) {
            c = wrap(c + skip, size);
        }
        used[c >>> 6] = word | (1L << c);
        out.set(c, owner);
        return wrap(c + skip, size);
    }

    /** {@code x mod size} for x in [0, 2·size), without a branch the CPU would mispredict half the time. */
    private static int wrap(int x, int size) {
        int y = x - size;
        return y + ((y >> 31) & size);
    }
}
