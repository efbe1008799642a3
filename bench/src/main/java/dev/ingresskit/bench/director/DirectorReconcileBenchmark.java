package dev.ingresskit.bench.director;

import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.ConfigException;
import dev.ingresskit.director.Director;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.EventLog;
import dev.ingresskit.director.Kernel;
import dev.ingresskit.ipvs.IpvsState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A running director at scale, on the model kernel: {@code noOpReconcile} is a reconcile with nothing
 * new (the loop's periodic resync), {@code parse} reads the config (a reload). The config is the one
 * director/README.md's scale figures use: {@code services} × 100 backends, {@code mh}, GUE, {@code
 * check none}. The one-shot dry run's cold figures come from {@code director --timing} instead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DirectorReconcileBenchmark {
    @Param({"100", "1000"})
    int services;

    String text;
    Director director;

    /** The scale config: the same lines as the README's generator. */
    static String config(int services, int backends) {
        StringBuilder b = new StringBuilder("drain 30s\n");
        for (int s = 0; s < services; s++) {
            b.append("service s").append(s).append(" tcp 198.18.").append(s / 250).append('.').append(s % 250 + 1)
                    .append(":443\n  scheduler mh mh-port mh-fallback\n  tunnel gue port 6080\n  check none\n");
            for (int i = 0; i < backends; i++) {
                b.append("  backend 10.").append(s / 200).append('.').append(s % 200).append('.').append(i + 1)
                        .append(" weight ").append(1 + i % 3).append('\n');
            }
        }
        return b.toString();
    }

    @Setup
    public void setUp() throws ConfigException, InterruptedException {
        text = config(services, 100);
        DirectorConfig config = ConfigParser.parse(text, "scale.conf");
        director = Director.builder(config).kernel(Kernel.model(IpvsState.EMPTY)).eventLog(EventLog.discard()).build();
        director.checkAll();
        Director.Run first = director.reconcile();
        if (first.changes().size() != services * 101) {
            throw new IllegalStateException("first reconcile made " + first.changes().size() + " changes");
        }
        if (!director.reconcile().changes().isEmpty()) {
            throw new IllegalStateException("the second reconcile is not a no-op");
        }
    }

    @TearDown
    public void tearDown() {
        director.close();
    }

    @Benchmark
    public Director.Run noOpReconcile() {
        return director.reconcile();
    }

    @Benchmark
    public DirectorConfig parse() throws ConfigException {
        return ConfigParser.parse(text, "scale.conf");
    }
}
