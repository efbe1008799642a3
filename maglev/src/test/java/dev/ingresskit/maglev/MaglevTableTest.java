package dev.ingresskit.maglev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.maglev.internal.Primes;
import dev.ingresskit.testsupport.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaglevTableTest {
    static final int[] PRIMES = {251, 1021, 4093, 65_537};

    static LongStream seeds() {
        return Seeds.of("maglevTable", 40);
    }

    static List<Backend> randomBackends(SplittableRandom r, int n, boolean weighted) {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "10." + r.nextInt(256) + "." + (i / 256) + "." + (i % 256) + ":" + (1 + r.nextInt(65535));
            int weight = weighted ? (r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 10 : 1000)) : 1;
            list.add(Backend.of(key, weight));
        }
        if (list.stream().noneMatch(b -> b.weight() > 0)) {
            list.set(0, list.get(0).withWeight(1));
        }
        return list;
    }

    static MaglevTable build(int m, List<Backend> backends) {
        return MaglevTable.builder().tableSize(m).addAll(backends).build();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void tableIsFullAndCountsMatchEntries(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = PRIMES[r.nextInt(PRIMES.length)];
        int n = 1 + r.nextInt(Math.min(m, 300));
        MaglevTable t = build(m, randomBackends(r, n, r.nextBoolean()));
        int[] owners = t.ownersSnapshot();
        int[] counts = new int[n];
        for (int s = 0; s < m; s++) {
            assertTrue(owners[s] >= 0 && owners[s] < n, "slot " + s);
            counts[owners[s]]++;
        }
        for (int i = 0; i < n; i++) {
            assertEquals(t.entries(i), counts[i], "backend " + i);
            assertEquals(t.backend(i).weight() > 0, counts[i] > 0, "positive weight <=> owns a slot: " + t.backend(i));
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void equalWeightsGiveFloorOrCeiling(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = PRIMES[r.nextInt(PRIMES.length)];
        int n = 1 + r.nextInt(Math.min(m, 1000));
        MaglevTable t = build(m, randomBackends(r, n, false));
        EntryStats s = t.entryStats();
        assertEquals(m / n, s.min());
        assertEquals((m + n - 1) / n, s.max());
        assertEquals(n, s.serving());
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void inputOrderNeverChangesTheTable(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = PRIMES[r.nextInt(PRIMES.length)];
        List<Backend> backends = randomBackends(r, 1 + r.nextInt(Math.min(m, 200)), r.nextBoolean());
        MaglevTable a = build(m, backends);
        List<Backend> shuffled = new ArrayList<>(backends);
        Collections.shuffle(shuffled, new Random(r.nextLong()));
        MaglevTable b = build(m, shuffled);
        assertArrayEquals(a.ownersSnapshot(), b.ownersSnapshot());
        assertEquals(a.backends(), b.backends());
    }

    /**
     * The proportionality bound this library states: with no backend below one slot's share, every
     * backend owns within one slot of M·w/W (strictly less than 1 away); backends below one slot's
     * share own exactly one, and the rest are within one slot of (M − F)·w/W'.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void weightsAreProportionalWithinOneSlot(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = PRIMES[r.nextInt(PRIMES.length)];
        MaglevTable t = build(m, randomBackends(r, 1 + r.nextInt(Math.min(m, 200)), true));
        int n = t.backendCount();
        long total = 0;
        for (Backend b : t.backends()) {
            total += b.weight();
        }
        boolean[] floored = new boolean[n];
        int flooredCount = 0;
        long flooredWeight = 0;
        for (int i = 0; i < n; i++) {
            int w = t.backend(i).weight();
            if (w > 0 && t.entries(i) == 1 && (double) m * w / total < 1) {
                floored[i] = true;
                flooredCount++;
                flooredWeight += w;
            }
        }
        for (int i = 0; i < n; i++) {
            int w = t.backend(i).weight();
            if (w == 0) {
                assertEquals(0, t.entries(i));
            } else if (!floored[i]) {
                double share = (double) (m - flooredCount) * w / (total - flooredWeight);
                assertTrue(Math.abs(t.entries(i) - share) < 1.0,
                        t.backend(i) + " owns " + t.entries(i) + " slots, exact share " + share);
            }
        }
    }

    @Test
    void oneToTwoIsOneToTwo() {
        MaglevTable t = MaglevTable.builder().tableSize(65_537).add("a", 1).add("b", 2).build();
        // exact shares 21845.67 and 43691.33: the floors sum to 65536; the spare slot goes to the larger remainder (a)
        assertEquals(65_537, t.entries(0) + t.entries(1));
        assertEquals(21_846, t.entries(0)); // 21845.67 rounded by largest remainder
        assertEquals(43_691, t.entries(1)); // 43691.33
    }

    @Test
    void aTinyWeightStillGetsASlot() {
        MaglevTable t = MaglevTable.builder().tableSize(251).add("heavy", 1_000_000).add("tiny", 1).build();
        assertEquals(1, t.entries(t.indexOf("tiny")));
        assertEquals(250, t.entries(t.indexOf("heavy")));
    }

    @Test
    void compactStorageFollowsTheBackendCount() {
        assertEquals(1, withBackends(256).bytesPerSlot());
        assertEquals(2, withBackends(257).bytesPerSlot());
        assertEquals(2, withBackends(65_536).bytesPerSlot());
        assertEquals(4, withBackends(65_537).bytesPerSlot());
    }

    private static MaglevTable withBackends(int n) {
        MaglevTable.Builder b = MaglevTable.builder().tableSize(n <= 65_536 ? 131_071 : 131_071);
        for (int i = 0; i < n; i++) {
            b.add("b" + i, 1);
        }
        MaglevTable t = b.build();
        // every backend index must survive the narrow storage
        int[] owners = t.ownersSnapshot();
        int max = 0;
        for (int o : owners) {
            max = Math.max(max, o);
        }
        assertEquals(n - 1, max);
        return t;
    }

    @Test
    void lookupUsesMultiplyShiftOnTheHighBits() {
        MaglevTable t = MaglevTable.builder().tableSize(65_537).add("a", 1).add("b", 1).add("c", 1).build();
        assertEquals(0, t.slot(0L));
        assertEquals(0, t.slot(0x0000_0000_FFFF_FFFFL), "the low 32 bits do not matter");
        assertEquals(65_536, t.slot(-1L));
        assertEquals(32_768, t.slot(0x8000_0000_0000_0000L)); // (2^31 · 65537) >> 32 = 32768.5 -> 32768
        for (long h : new long[] {0, -1, 0x1234_5678_9abc_def0L, Long.MIN_VALUE}) {
            assertEquals(t.ownerOfSlot(t.slot(h)), t.backendIndex(h));
            assertSame(t.backend(t.backendIndex(h)), t.lookup(h));
        }
    }

    @Test
    void builderRefusesNonPrimesWithSuggestions() {
        var e = assertThrows(IllegalArgumentException.class, () -> MaglevTable.builder().tableSize(65_536));
        assertTrue(e.getMessage().contains("65521") && e.getMessage().contains("65537"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MaglevTable.builder().tableSize(1));
        assertTrue(e.getMessage().contains("prime"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.builder().tableSize(MaglevTable.MAX_TABLE_SIZE + 2));
        assertTrue(Primes.isPrime(MaglevTable.MAX_TABLE_SIZE));
        assertEquals(MaglevTable.MAX_TABLE_SIZE, Primes.previous(1L << 30));
    }

    @Test
    void builderRefusesDuplicatesOverfullAndEmpty() {
        var dup = assertThrows(IllegalArgumentException.class, () -> MaglevTable.builder().add("a", 1).add("a", 2));
        assertTrue(dup.getMessage().contains("duplicate backend key a"), dup.getMessage());
        MaglevTable.Builder three = MaglevTable.builder().tableSize(2).add("a", 1).add("b", 1).add("c", 1);
        var over = assertThrows(IllegalStateException.class, three::build);
        assertTrue(over.getMessage().contains("3 backends"), over.getMessage());
        assertThrows(IllegalStateException.class, () -> MaglevTable.builder().build());
        assertThrows(IllegalStateException.class, () -> MaglevTable.builder().add("a", 0).build());
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.builder().add("a", -1));
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.builder().add("", 1));
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.builder().weight("nope", 1));
    }

    @Test
    void tinyTables() {
        MaglevTable two = MaglevTable.builder().tableSize(2).add("a", 1).add("b", 1).build();
        assertEquals(1, two.entries(0));
        assertEquals(1, two.entries(1));
        MaglevTable one = MaglevTable.builder().tableSize(3).add("only", 5).build();
        assertEquals(3, one.entries(0));
    }

    @Test
    void byteKeysAreSortedUnsigned() {
        MaglevTable t = MaglevTable.builder().tableSize(251)
                .add(new byte[] {(byte) 0xff}, 1).add(new byte[] {0x01}, 1).build();
        assertEquals("0x01", t.backend(0).name());
        assertEquals("0xff", t.backend(1).name());
    }

    @Test
    void disruptionRefusesDifferentSizes() {
        MaglevTable a = MaglevTable.builder().tableSize(251).add("a", 1).build();
        MaglevTable b = MaglevTable.builder().tableSize(257).add("a", 1).build();
        assertThrows(IllegalArgumentException.class, () -> a.disruption(b));
        assertEquals(0, a.disruption(a).moved());
    }
}
