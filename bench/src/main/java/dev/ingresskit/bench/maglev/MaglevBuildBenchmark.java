package dev.ingresskit.bench.maglev;

import dev.ingresskit.maglev.Backend;
import dev.ingresskit.maglev.MaglevTable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Building a whole table from N backends with equal weights: key hashing, sorting, apportionment and
 * population. Sample mode, so the result has percentiles (the README quotes p50). {@link #buildWeighted}
 * builds from the same backends with weights 1 to 4, which the population fills claim by claim instead
 * of in uniform rounds.
 *
 * <p>{@link #paperLoopC} is the yardstick: the paper's population loop in plain C (with the same key
 * hash, over the same sorted keys), called through FFM in the same run; set-up checks that it builds
 * exactly the table {@link #build} does.
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MaglevBuildBenchmark {
    @Param({"10", "100", "1000"})
    int backends;

    @Param({"65537", "655373"})
    int tableSize;

    List<Backend> list;
    List<Backend> weighted;

    @Setup
    public void setUp() {
        list = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            list.add(Backend.of("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ":443", 1));
        }
        weighted = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            weighted.add(Backend.of(list.get(i).name(), 1 + i % 4));
        }
    }

    @Benchmark
    public MaglevTable build() {
        return MaglevTable.builder().tableSize(tableSize).addAll(list).build();
    }

    @Benchmark
    public MaglevTable buildWeighted() {
        return MaglevTable.builder().tableSize(tableSize).addAll(weighted).build();
    }

    @Benchmark
    public long paperLoopC(PaperC c) {
        return PaperLoopC.build(c.keys, tableSize, MemorySegment.NULL);
    }

    /** The C side's keys, in the Java table's (sorted) order; compiled and checked once per trial. */
    @State(Scope.Benchmark)
    public static class PaperC {
        final Arena arena = Arena.ofShared();
        PaperLoopC.Keys keys;

        @Setup
        public void setUp(MaglevBuildBenchmark b) {
            b.setUp();
            MaglevTable java = b.build();
            byte[][] sorted = java.backends().stream().map(Backend::key).toArray(byte[][]::new);
            keys = PaperLoopC.Keys.of(arena, sorted);
            MemorySegment entry = arena.allocate(ValueLayout.JAVA_INT, b.tableSize);
            PaperLoopC.build(keys, b.tableSize, entry);
            int[] c = entry.toArray(ValueLayout.JAVA_INT);
            if (!Arrays.equals(c, java.ownersSnapshot())) {
                throw new IllegalStateException("the C loop and MaglevTable built different tables: the comparison"
                        + " would not measure the same work");
            }
        }
    }
}
