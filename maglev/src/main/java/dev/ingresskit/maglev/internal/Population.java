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
        for (int r = claimer.probeUniform(quota, rounds, next); r < rounds; r++) {
            for (int i = 0; i < n; i++) {
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
        /**
         * Bit x and bit x + M both say that slot x is taken (see {@code firstFree}); 2M bits, 16 KiB
         * for M = 65537.
         */
        private final long[] used;
        /** Per backend i, from index 9i: 0, skip, 2·skip, …, 8·skip, each mod M (the probes' strides). */
        private final int[] steps;
        private final Slots out;
        private final int tailThreshold;
        /**
         * The probing phases, by free slots. While more than {@code firstProbeAbove} are free (under 30%
         * of the table taken) the first probe nearly always wins and testing it alone is cheapest; after
         * that a branch per probe mispredicts so often that four at a time with one branch is cheaper;
         * once no more than {@code fourAbove} are free (84% taken) four probes are all taken more often
         * than not, and eight a step are cheaper.
         */
        private final int firstProbeAbove;
        private final int fourAbove;
        private final double reciprocal;
        private int free;
        private int[] freeList;
        private int freeCount;
        private long[] inverse;

        Claimer(int size, int[] skip, Slots out, int tailThreshold) {
            this.size = size;
            this.skip = skip;
            this.used = new long[(2 * size + 63) >>> 6]; // two halves: see firstFree
            this.out = out;
            this.tailThreshold = tailThreshold;
            this.firstProbeAbove = size - (int) (0.3 * size);
            this.fourAbove = (int) (0.16 * size);
            this.reciprocal = 1.0 / size;
            this.free = size;
            this.steps = new int[STRIDES * skip.length];
            for (int i = 0; i < skip.length; i++) {
                strides(skip[i], size, steps, STRIDES * i);
            }
        }

        static int defaultTailThreshold(int size) {
            return (int) Math.sqrt(size);
        }

        /**
         * The probing part of {@link #fillUniform}: the same claims as {@link #claim} in the same order,
         * with the claimer's state in locals and the owner written to the one table array that exists.
         * It is most of a build, and the JIT did not keep the fields in registers across the inlined
         * {@code claim} calls. It runs whole rounds, as long as a round cannot take the free count down
         * to the tail threshold, so no claim checks the free count; {@link #claim} makes the rest.
         *
         * @return the first round it did not run, to go on from with {@link #claim}
         */
        int probeUniform(int[] quota, int rounds, int[] next) {
            int n = quota.length;
            int claimers = 0; // claims in every round but the last (uniform quotas: all positive ones)
            int last = 0; // claims in the last round
            for (int q : quota) {
                claimers += q > 0 ? 1 : 0;
                last += q == rounds ? 1 : 0;
            }
            long[] used = this.used;
            int[] skip = this.skip;
            int[] steps = this.steps;
            int size = this.size;
            int free = this.free;
            int firstProbeAbove = this.firstProbeAbove;
            int fourAbove = this.fourAbove;
            byte[] bytes = out.bytes;
            short[] shorts = out.shorts;
            int[] ints = out.ints;
            int r = 0;
            for (; r < rounds; r++) {
                int claims = r < rounds - 1 ? claimers : last;
                if (free - claims <= tailThreshold) {
                    break;
                }
                boolean firstProbe = free - claims > firstProbeAbove;
                boolean four = free - claims > fourAbove;
                for (int i = 0; i < n; i++) {
                    if (quota[i] <= r) {
                        continue;
                    }
                    int c = next[i];
                    if (!firstProbe || (used[c >>> 6] & (1L << c)) != 0) {
                        int at = STRIDES * i;
                        c = four
                                ? firstFree(used, c, steps[at + 1], steps[at + 2], steps[at + 3], steps[at + 4], size)
                                : firstFree8(used, c, steps, at, size);
                    }
                    used[c >>> 6] |= 1L << c;
                    int mirror = c + size;
                    used[mirror >>> 6] |= 1L << mirror;
                    if (bytes != null) {
                        bytes[c] = (byte) i;
                    } else if (shorts != null) {
                        shorts[c] = (short) i;
                    } else {
                        ints[c] = i;
                    }
                    next[i] = wrap(c + skip[i], size);
                }
                free -= claims;
            }
            this.free = free;
            return r;
        }

        /** Claims for {@code owner} from {@code position}; returns the position after the claimed slot. */
        int claim(int owner, int position) {
            if (free <= tailThreshold) {
                return claimFromFreeList(owner, position);
            }
            int c = position;
            // the phases of probeUniform, decided per claim: weighted tables fill claim by claim
            if (free <= firstProbeAbove || (used[c >>> 6] & (1L << c)) != 0) {
                int at = STRIDES * owner;
                c = free > fourAbove
                        ? firstFree(used, c, steps[at + 1], steps[at + 2], steps[at + 3], steps[at + 4], size)
                        : firstFree8(used, c, steps, at, size);
            }
            take(c);
            out.set(c, owner);
            free--;
            return wrap(c + skip[owner], size);
        }

        private int claimFromFreeList(int owner, int position) {
            if (freeList == null) {
                freeList = new int[free];
                for (int w = 0; w < (size + 63) >>> 6; w++) { // a word at a time: most words are full by now
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
            take(c);
            out.set(c, owner);
            free--;
            return wrap(c + skip[owner], size);
        }

        /** Marks slot c taken, in both halves of {@link #used}. */
        private void take(int c) {
            used[c >>> 6] |= 1L << c;
            int mirror = c + size;
            used[mirror >>> 6] |= 1L << mirror;
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

    /** Entries per backend in the strides table: 0, s, 2s, …, 8s (mod size). */
    static final int STRIDES = 9;

    /** Writes 0, s, 2s, …, 8s (each mod size) to {@code out[at .. at + 9)}. */
    static void strides(int s, int size, int[] out, int at) {
        out[at] = 0;
        for (int k = 1; k < STRIDES; k++) {
            out[at + k] = wrap(out[at + k - 1] + s, size);
        }
    }

    /**
     * {@link #firstFree(long[], int, int, int, int, int, int)} eight positions a step, the strides taken from
     * {@code strides[at .. at + 9)} (see {@link #strides}): for a nearly full table, where runs of taken
     * slots are long. Too large for the JIT to inline (a call per claim, against tens of probes); written
     * as two loops of eight to fit, it was inlined and the fill was slower.
     */
    static int firstFree8(long[] used, int c, int[] strides, int at, int size) {
        int s1 = strides[at + 1];
        int s2 = strides[at + 2];
        int s3 = strides[at + 3];
        int s4 = strides[at + 4];
        int s5 = strides[at + 5];
        int s6 = strides[at + 6];
        int s7 = strides[at + 7];
        int s8 = strides[at + 8];
        while (true) {
            int c1 = c + s1;
            int c2 = c + s2;
            int c3 = c + s3;
            int c4 = c + s4;
            int c5 = c + s5;
            int c6 = c + s6;
            int c7 = c + s7;
            long taken = used[c >>> 6] >>> c & used[c1 >>> 6] >>> c1 & used[c2 >>> 6] >>> c2 & used[c3 >>> 6] >>> c3
                    & used[c4 >>> 6] >>> c4 & used[c5 >>> 6] >>> c5 & used[c6 >>> 6] >>> c6 & used[c7 >>> 6] >>> c7;
            if ((taken & 1) == 0) {
                int open = (int) (~used[c >>> 6] >>> c) & 1
                        | ((int) (~used[c1 >>> 6] >>> c1) & 1) << 1
                        | ((int) (~used[c2 >>> 6] >>> c2) & 1) << 2
                        | ((int) (~used[c3 >>> 6] >>> c3) & 1) << 3
                        | ((int) (~used[c4 >>> 6] >>> c4) & 1) << 4
                        | ((int) (~used[c5 >>> 6] >>> c5) & 1) << 5
                        | ((int) (~used[c6 >>> 6] >>> c6) & 1) << 6
                        | ((int) (~used[c7 >>> 6] >>> c7) & 1) << 7;
                return wrap(c + strides[at + Integer.numberOfTrailingZeros(open)], size);
            }
            c = wrap(c + s8, size);
        }
    }

    /**
     * The first position {@code c + j·s mod size} (j = 0, 1, …) whose bit in {@code used} is clear; one
     * must be. {@code used} holds 2·size bits, bit x + size a copy of bit x, so that the positions
     * {@code c + s}, {@code c + s2}, {@code c + s3} (the strides {@code s2 = 2s}, {@code s3 = 3s},
     * {@code s4 = 4s} precomputed mod size, so each sum is below 2·size) are tested without reducing
     * them. The same result as probing one position at a time (a test compares them). Four positions a
     * step, combined so that one branch decides whether any is free: with a branch per position the
     * predictor guesses wrong at least once a claim once the table is a third full, while four positions
     * are all taken less than a quarter of the time until it is 70% full. The chain from step to step is
     * one modular add.
     */
    static int firstFree(long[] used, int c, int s, int s2, int s3, int s4, int size) {
        while (true) {
            int c1 = c + s;
            int c2 = c + s2;
            int c3 = c + s3;
            long taken = used[c >>> 6] >>> c & used[c1 >>> 6] >>> c1 & used[c2 >>> 6] >>> c2 & used[c3 >>> 6] >>> c3;
            if ((taken & 1) == 0) {
                int open = (int) (~used[c >>> 6] >>> c) & 1
                        | ((int) (~used[c1 >>> 6] >>> c1) & 1) << 1
                        | ((int) (~used[c2 >>> 6] >>> c2) & 1) << 2
                        | ((int) (~used[c3 >>> 6] >>> c3) & 1) << 3;
                int k = Integer.numberOfTrailingZeros(open); // the first free of the four, chosen without a branch
                int low = (k & 1) == 0 ? 0 : s; // k = 0 or 1
                int high = (k & 1) == 0 ? s2 : s3; // k = 2 or 3
                return wrap(c + ((k & 2) == 0 ? low : high), size);
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
