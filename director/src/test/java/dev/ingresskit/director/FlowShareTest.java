package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.maglev.IpvsMhTable;
import dev.ingresskit.testsupport.Seeds;
import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report's "flows%" column. When every slot's destination takes flows it is the share of slots,
 * exactly, because each client is then sent to its first slot's destination. This test checks that
 * premise against the kernel model's own lookup. Otherwise the column is sampled: the shares add up
 * to one, and a drained destination gets none.
 */
class FlowShareTest {
    static LongStream seeds() {
        return Seeds.of("flowShare", 60);
    }

    private static IpvsMhTable table(SplittableRandom random, boolean drainOne) throws Exception {
        IpvsMhTable.Builder b = IpvsMhTable.builder().tableSize(IpvsMhTable.TABLE_SIZES.get(random.nextInt(3)))
                .mhPort(random.nextBoolean()).mhFallback(random.nextBoolean());
        int n = 1 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.add(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) (i + 1)}), 80, 1 + random.nextInt(5));
        }
        if (drainOne) {
            b.edit(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 80, 0);
        }
        return b.build();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everySlotTakingFlowsGivesTheShareOfSlots(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        IpvsMhTable table = table(random, false);
        for (int i = 0; i < 5_000; i++) {
            int address = random.nextInt();
            int port = 1024 + random.nextInt(65536 - 1024);
            InetAddress client = InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                    (byte) (address >>> 8), (byte) address});
            assertEquals(table.destinationIndexAt(table.slot(client, table.mhPort() ? port : 0)),
                    table.lookupIndexIpv4(address, port), "seed " + seed + ": the first slot decides");
        }
        double[] shares = DirectorReport.sample(table);
        for (int i = 0; i < table.destinations().size(); i++) {
            assertEquals((double) table.entries(i) / table.size(), shares[i], 0.0, "seed " + seed + ": destination " + i);
        }
        assertEquals(0.0, shares[table.destinations().size()], 0.0, "no flow without a destination");
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void aDrainedDestinationIsSampledAndGetsNoFlows(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        IpvsMhTable table = table(random, true);
        double[] shares = DirectorReport.sample(table);
        assertEquals(0.0, shares[0], 0.0, "seed " + seed + ": the drained destination");
        double sum = 0;
        for (double s : shares) {
            sum += s;
        }
        assertEquals(1.0, sum, 1e-9, "seed " + seed + ": every sampled flow is counted once");
        if (!table.mhFallback() && table.entries(0) > 0) {
            assertTrue(shares[table.destinations().size()] > 0, "seed " + seed + ": its slots refuse flows");
        }
    }
}
