package dev.ingresskit.bench.maglev;

import dev.ingresskit.maglev.FlowHash;
import dev.ingresskit.maglev.MaglevTable;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Looking flows up: {@code lookup} is one flow hash → backend index per call (JMH's per-call
 * overhead included); {@code lookupBatch} walks 1024 precomputed flow hashes per call (the per-flow
 * cost inside a packet loop); {@code hashAndLookup} adds the IPv4 5-tuple FlowHash.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaglevLookupBenchmark {
    static final int FLOWS = 1024;

    @Param({"10", "100", "1000"})
    int backends;

    @Param({"65537", "655373"})
    int tableSize;

    MaglevTable table;
    long[] hashes;
    int[] sources;
    int next;

    @Setup
    public void setUp() {
        MaglevTable.Builder b = MaglevTable.builder().tableSize(tableSize);
        for (int i = 0; i < backends; i++) {
            b.add("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ":443", 1);
        }
        table = b.build();
        SplittableRandom r = new SplittableRandom(42);
        hashes = new long[FLOWS];
        sources = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            sources[i] = r.nextInt();
            hashes[i] = FlowHash.ipv4(sources[i], 1024 + r.nextInt(60000), 0xC0000201, 443, 6);
        }
    }

    @Benchmark
    public int lookup() {
        int i = next++ & (FLOWS - 1);
        return table.backendIndex(hashes[i]);
    }

    @Benchmark
    @OperationsPerInvocation(FLOWS)
    public int lookupBatch() {
        int sum = 0;
        for (long h : hashes) {
            sum += table.backendIndex(h);
        }
        return sum;
    }

    @Benchmark
    public int hashAndLookup() {
        int i = next++ & (FLOWS - 1);
        return table.backendIndex(FlowHash.ipv4(sources[i], 40000, 0xC0000201, 443, 6));
    }
}
