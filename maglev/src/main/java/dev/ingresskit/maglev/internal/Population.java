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
        Claimer claimer = new Claimer(size, skip, out, Claimer.defaultTailThreshold(size));
        int[] next = offset.clone();
        boolean uniform = true;
        for (int q : quota) {
            uniform &= q == 0 || q >= rounds - 1;
        }
        if (uniform) {
            fillUniform(quota, rounds, next, claimer);
        } else if ((long) n * rounds <= 4L * size) {
            fillByScanning(quota, rounds, next, claimer);
        } else {
            fillBySchedule(quota, rounds, next, claimer);
        }
    }

    /**
     * Quotas of Q or Q−1 (equal weights): a backend with Q−1 claims ⌊k·Q/(Q−1)⌋ = k for every k it has,
     * i.e. in every round but the last — the paper's loop, without a division per claim.
     */
    static void fillUniform(int[] quota, int rounds, int[] next, Claimer claimer) {
        int n = quota.length;
        long resume = claimer.probeUniform(quota, rounds, next);
        int r = (int) (resume >>> 32);
        int i = (int) resume;
        for (; r < rounds; r++, i = 0) {
            for (; i < n; i++) {
                if (quota[i] > r) {
                    next[i] = claimer.claim(i, next[i]);
                }
            }
        }
    }

    /** Rounds × backends, checking each backend's next claim round: cheap when quotas are similar. */
    static void fillByScanning(int[] quota, int rounds, int[] next, Claimer claimer) {
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
                next[i] = claimer.claim(i, next[i]);
                int k = ++claimed[i];
                nextRound[i] = k < quota[i] ? (int) ((long) k * rounds / quota[i]) : Integer.MAX_VALUE;
            }
        }
    }

    /** The same claim order from a bucket (counting) sort of all M claims by round: O(M + Q). */
    static void fillBySchedule(int[] quota, int rounds, int[] next, Claimer claimer) {
        int size = claimer.size;
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
            next[i] = claimer.claim(i, next[i]);
        }
    }

    /**
     * Claims slots for backends: each claim takes the first free slot at or after a backend's current
     * position in its permutation {@code (offset + j·skip) mod M}.
     *
     * <p>Probing costs about {@code M/F} steps when F slots are free, which makes the last few hundred
     * claims the expensive part (the whole fill is about M·H_M probes). So once at most
     * {@code tailThreshold} (≈ √M) slots are free, a claim instead looks at every free slot x and
     * computes how many steps away it is, {@code j = (x − position)·skip⁻¹ mod M} (M is prime, so the
     * inverse exists), taking the smallest j — the same slot probing would reach, in F steps instead
     * of M/F.
     */
    static final class Claimer {
        final int size;
        private final int[] skip;
        private final long[] used;
        private final Slots out;
        private final int tailThreshold;
        private final double reciprocal;
        private int free;
        private int[] freeList;
        private int freeCount;
        private long[] inverse;

        Claimer(int size, int[] skip, Slots out, int tailThreshold) {
            this.size = size;
            this.skip = skip;
            this.used = new long[(size + 63) >>> 6];
            this.out = out;
            this.tailThreshold = tailThreshold;
            this.reciprocal = 1.0 / size;
            this.free = size;
        }

        static int defaultTailThreshold(int size) {
            return (int) Math.sqrt(size);
        }

        /**
         * The probing part of {@link #fillUniform}: the same claims as {@link #claim} in the same order,
         * with the claimer's state in locals and the owner written to the one table array that exists.
         * It is most of a build, and the JIT did not keep the fields in registers across the inlined
         * {@code claim} calls. Stops at the first claim the free list should make.
         *
         * @return the round (high 32 bits) and backend index (low 32 bits) to resume at with {@link #claim}
         */
        long probeUniform(int[] quota, int rounds, int[] next) {
            int n = quota.length;
            long[] used = this.used;
            int[] skip = this.skip;
            int size = this.size;
            int free = this.free;
            int stop = tailThreshold;
            byte[] bytes = out.bytes;
            short[] shorts = out.shorts;
            int[] ints = out.ints;
            int r = 0;
            int i = 0;
            probing:
            for (; r < rounds; r++) {
                for (i = 0; i < n; i++) {
                    if (quota[i] <= r) {
                        continue;
                    }
                    if (free <= stop) {
                        break probing;
                    }
                    int s = skip[i];
                    int c = firstFree(used, next[i], s, size);
                    used[c >>> 6] |= 1L << c;
                    if (bytes != null) {
                        bytes[c] = (byte) i;
                    } else if (shorts != null) {
                        shorts[c] = (short) i;
                    } else {
                        ints[c] = i;
                    }
                    free--;
                    next[i] = wrap(c + s, size);
                }
            }
            this.free = free;
            return (long) r << 32 | i;
        }

        /** Claims for {@code owner} from {@code position}; returns the position after the claimed slot. */
        int claim(int owner, int position) {
            if (free <= tailThreshold) {
                return claimFromFreeList(owner, position);
            }
            int s = skip[owner];
            int c = firstFree(used, position, s, size);
            used[c >>> 6] |= 1L << c;
            out.set(c, owner);
            free--;
            return wrap(c + s, size);
        }

        private int claimFromFreeList(int owner, int position) {
            if (freeList == null) {
                freeList = new int[free];
                for (int w = 0; w < used.length; w++) { // a word at a time: most words are full by now
                    for (long open = ~used[w]; open != 0; open &= open - 1) {
                        int x = (w << 6) + Long.numberOfTrailingZeros(open);
                        if (x < size) {
                            freeList[freeCount++] = x;
                        }
                    }
                }
                inverse = new long[skip.length];
            }
            long inv = inverse[owner];
            if (inv == 0) {
                inv = inverse[owner] = modInverse(skip[owner], size);
            }
            int best = 0;
            long bestSteps = Long.MAX_VALUE;
            for (int k = 0; k < freeCount; k++) {
                int d = freeList[k] - position;
                long steps = mod((long) (d < 0 ? d + size : d) * inv);
                if (steps < bestSteps) {
                    bestSteps = steps;
                    best = k;
                }
            }
            int c = freeList[best];
            freeList[best] = freeList[--freeCount];
            used[c >>> 6] |= 1L << c;
            out.set(c, owner);
            free--;
            return wrap(c + skip[owner], size);
        }

        /** p mod M for 0 ≤ p < 2^62, through the double reciprocal (off by at most one, corrected). */
        private long mod(long p) {
            long r = p - (long) (p * reciprocal) * size;
            if (r < 0) {
                r += size;
            } else if (r >= size) {
                r -= size;
            }
            return r;
        }

        static long modInverse(long a, long m) {
            long t = 0;
            long newT = 1;
            long r = m;
            long newR = a;
            while (newR != 0) {
                long q = r / newR;
                long tmp = t - q * newT;
                t = newT;
                newT = tmp;
                tmp = r - q * newR;
                r = newR;
                newR = tmp;
            }
            if (r != 1) {
                throw new IllegalArgumentException(a + " has no inverse modulo " + m);
            }
            return t < 0 ? t + m : t;
        }
    }

    /**
     * The first position {@code c + j·s mod size} (j = 0, 1, …) whose bit in {@code used} is clear; one
     * must be. Four positions per step, each computed from the step's first, so the dependency chain
     * from step to step is one modular add per four probes instead of one per probe (the probe loop is
     * most of a build; this took a fifth off it). The result is the same as probing one at a time.
     */
    static int firstFree(long[] used, int c, int s, int size) {
        int s2 = wrap(s + s, size);
        int s3 = wrap(s2 + s, size);
        int s4 = wrap(s3 + s, size);
        while (true) {
            if ((used[c >>> 6] & (1L << c)) == 0) {
                return c;
            }
            int c1 = wrap(c + s, size);
            if ((used[c1 >>> 6] & (1L << c1)) == 0) {
                return c1;
            }
            int c2 = wrap(c + s2, size);
            if ((used[c2 >>> 6] & (1L << c2)) == 0) {
                return c2;
            }
            int c3 = wrap(c + s3, size);
            if ((used[c3 >>> 6] & (1L << c3)) == 0) {
                return c3;
            }
            c = wrap(c + s4, size);
        }
    }

    /** {@code x mod size} for x in [0, 2·size), without a branch the CPU would mispredict half the time. */
    static int wrap(int x, int size) {
        int y = x - size;
        return y + ((y >> 31) & size);
    }
}
