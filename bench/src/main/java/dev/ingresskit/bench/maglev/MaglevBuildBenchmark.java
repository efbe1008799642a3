package dev.ingresskit.bench.maglev;

import dev.ingresskit.maglev.Backend;
import dev.ingresskit.maglev.MaglevTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Building a whole table from N backends with equal weights: key hashing, sorting, apportionment and
 * population. Sample mode, so the result has percentiles (the README quotes p50).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MaglevBuildBenchmark {
    @Param({"10", "100", "1000"})
    int backends;

    @Param({"65537", "655373"})
    int tableSize;

    List<Backend> list;

    @Setup
    public void setUp() {
        list = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            list.add(Backend.of("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ":443", 1));
        }
    }

    @Benchmark
    public MaglevTable build() {
        return MaglevTable.builder().tableSize(tableSize).addAll(list).build();
    }
}
