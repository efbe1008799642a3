package dev.ingresskit.maglev.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PopulationTest {
    static LongStream seeds() {
        return Seeds.of("population", 40);
    }

    /** The two fill strategies are one definition: scanning rounds and the bucket-sorted schedule agree. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void scanningAndScheduleFillTheSameTable(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = new int[] {251, 1021, 4093}[r.nextInt(3)];
        int n = 1 + r.nextInt(60);
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            weights[i] = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 3 : 500);
        }
        weights[0] = Math.max(weights[0], 1);
        int[] quota = Apportionment.quotas(m, weights);
        int[] offset = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            offset[i] = r.nextInt(m);
            skip[i] = 1 + r.nextInt(m - 1);
        }
        Slots a = Slots.forBackends(n, m);
        Slots b = Slots.forBackends(n, m);
        int rounds = Arrays.stream(quota).max().orElseThrow();
        // one with the free-list tail (threshold √M), one probing to the end (threshold 0)
        Population.fillByScanning(quota, rounds, offset.clone(), new Population.Claimer(m, skip, a, (int) Math.sqrt(m)));
        Population.fillBySchedule(quota, rounds, offset.clone(), new Population.Claimer(m, skip, b, 0));
        int[] counts = new int[n];
        for (int s = 0; s < m; s++) {
            assertEquals(a.get(s), b.get(s), "slot " + s);
            counts[a.get(s)]++;
        }
        assertArrayEquals(quota, counts);
    }

    /** Equal weights take the division-free path; it must fill exactly what the general definition fills. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void uniformPathEqualsTheSchedule(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = new int[] {2, 3, 251, 1021, 4093}[r.nextInt(5)];
        int n = 1 + r.nextInt(Math.min(m, 200));
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            weights[i] = r.nextInt(6) == 0 ? 0 : 1;
        }
        weights[r.nextInt(n)] = 1;
        int[] quota = Apportionment.quotas(m, weights);
        int[] offset = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            offset[i] = r.nextInt(m);
            skip[i] = m == 2 ? 1 : 1 + r.nextInt(m - 1);
        }
        Slots a = Slots.forBackends(n, m);
        Slots b = Slots.forBackends(n, m);
        int rounds = Arrays.stream(quota).max().orElseThrow();
        Population.fillUniform(quota, rounds, offset.clone(), new Population.Claimer(m, skip, a, 0));
        Population.fillBySchedule(quota, rounds, offset.clone(), new Population.Claimer(m, skip, b, m));
        for (int s = 0; s < m; s++) {
            assertEquals(b.get(s), a.get(s), "slot " + s);
        }
    }

    /** The free-list tail picks exactly the slot probing would, whenever it takes over (even from the start). */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void freeListTailEqualsProbing(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = new int[] {2, 3, 251, 4093, 65_537}[r.nextInt(5)];
        int n = 1 + r.nextInt(Math.min(m, 50));
        int[] weights = new int[n];
        Arrays.fill(weights, 1);
        int[] quota = Apportionment.quotas(m, weights);
        int[] offset = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            offset[i] = r.nextInt(m);
            skip[i] = m == 2 ? 1 : 1 + r.nextInt(m - 1);
        }
        int rounds = Arrays.stream(quota).max().orElseThrow();
        Slots probing = Slots.forBackends(n, m);
        Population.fillUniform(quota, rounds, offset.clone(), new Population.Claimer(m, skip, probing, 0));
        int threshold = m <= 4093 ? r.nextInt(m + 1) : r.nextInt(2000);
        Slots tail = Slots.forBackends(n, m);
        Population.fillUniform(quota, rounds, offset.clone(), new Population.Claimer(m, skip, tail, threshold));
        for (int s = 0; s < m; s++) {
            assertEquals(probing.get(s), tail.get(s), "slot " + s + " (tail threshold " + threshold + ")");
        }
    }

    @Test
    void modularInverse() {
        for (long m : new long[] {2, 3, 251, 65_537, 655_373, 1_073_741_789}) {
            for (long a : new long[] {1, m - 1, Math.max(1, m / 2), Math.max(1, 12_345 % m)}) {
                assertEquals(1, a * Population.Claimer.modInverse(a, m) % m, a + " mod " + m);
            }
        }
    }

    /** Equal quotas are the paper's loop: round 1 puts every backend on its offset (when free). */
    @Test
    void equalQuotasAreThePapersRounds() {
        int m = 7;
        int[] offset = {3, 5, 3};
        int[] skip = {2, 1, 4};
        int[] quota = {3, 2, 2};
        Slots s = Slots.forBackends(3, m);
        Population.fill(m, offset, skip, quota, s);
        // round 1: 0 -> 3; 1 -> 5; 2 -> 3 taken, 3+4 = 0.  round 2: 0 -> 5 taken, 0 taken, 2; 1 -> 6; 2 -> 4.
        // round 3: 0 -> 4 taken, 6 taken, 1.
        int[] expected = {2, 0, 0, 0, 2, 1, 1};
        for (int slot = 0; slot < m; slot++) {
            assertEquals(expected[slot], s.get(slot), "slot " + slot);
        }
    }

    @Test
    void refusesQuotasThatDoNotFillTheTable() {
        assertThrows(IllegalArgumentException.class,
                () -> Population.fill(7, new int[] {0}, new int[] {1}, new int[] {6}, Slots.forBackends(1, 7)));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void apportionmentSumsAndRespectsTheFloor(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = 1 + r.nextInt(5000);
        int n = 1 + r.nextInt(Math.min(m, 300));
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = r.nextInt(4) == 0 ? 0 : r.nextInt(1 + r.nextInt(Integer.MAX_VALUE));
        }
        w[r.nextInt(n)] = Integer.MAX_VALUE;
        int[] q = Apportionment.quotas(m, w);
        assertEquals(m, Arrays.stream(q).sum());
        for (int i = 0; i < n; i++) {
            assertTrue(w[i] == 0 ? q[i] == 0 : q[i] >= 1, "weight " + w[i] + " quota " + q[i]);
        }
    }

    /**
     * Four and eight probes a step, over the mirrored bit set, find exactly the slot that probing one
     * position at a time finds.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void firstFreeIsTheFirstFreePositionInPermutationOrder(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = new int[] {2, 3, 5, 7, 251, 4093, 65537}[r.nextInt(7)];
        long[] used = new long[(m + 63) >>> 6];
        double fullness = r.nextDouble();
        int free = 0;
        for (int x = 0; x < m; x++) {
            if (r.nextDouble() < fullness) {
                used[x >>> 6] |= 1L << x;
            } else {
                free++;
            }
        }
        if (free == 0) {
            int x = r.nextInt(m);
            used[x >>> 6] &= ~(1L << x);
        }
        long[] mirrored = new long[(2 * m + 63) >>> 6]; // the claimer's layout: bit x + m repeats bit x
        for (int x = 0; x < m; x++) {
            if ((used[x >>> 6] & (1L << x)) != 0) {
                mirrored[x >>> 6] |= 1L << x;
                mirrored[(x + m) >>> 6] |= 1L << (x + m);
            }
        }
        for (int k = 0; k < 50; k++) {
            int c = r.nextInt(m);
            int s = m == 2 ? 1 : 1 + r.nextInt(m - 1);
            int expected = c;
            while ((used[expected >>> 6] & (1L << expected)) != 0) {
                expected = (int) ((expected + (long) s) % m);
            }
            int[] strides = new int[Population.STRIDES + 3];
            Population.strides(s, m, strides, 3);
            assertEquals(expected, Population.firstFree(mirrored, c, strides[4], strides[5], strides[6], strides[7], m),
                    "four a step: M=" + m + " c=" + c + " skip=" + s);
            assertEquals(expected, Population.firstFree8(mirrored, c, strides, 3, m), "eight a step: M=" + m + " c=" + c + " skip=" + s);
        }
    }
}
