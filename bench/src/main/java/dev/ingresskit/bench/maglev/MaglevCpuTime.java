package dev.ingresskit.bench.maglev;

import java.lang.foreign.MemorySegment;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A load-independent companion to {@link MaglevBuildBenchmark} on a shared machine: alternates batches
 * of the Java build and of the paper's C loop in one JVM and divides the thread's CPU time (which
 * other processes do not inflate, unlike wall time) by the builds. The C side runs in the same thread
 * through FFM, so both are charged the same way; the collector's threads are not charged to either.
 * Batches are short (about 50 ms of CPU) and each round swaps which side goes first, so both sides of
 * a round see the same neighbours; the figure is the median of the rounds' ratios.
 *
 * <p>Page faults are charged to the thread too, and a young JVM takes one for every fresh page of its
 * young generation the first time it allocates there, which a long-running one did long ago (and the C
 * loop reuses the memory it frees). G1 starts with a small young generation and grows it over the
 * first collections, so after the JIT's warm-up the warm-up goes on until two more collections have
 * emptied the young generation (every page of it touched once); {@code -XX:+AlwaysPreTouch} should spare that (not measured).
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.ingresskit.bench.maglev.MaglevCpuTime [backends] [tableSize] [rounds]}
 */
public final class MaglevCpuTime {
    private static long sink;

    private MaglevCpuTime() {
    }

    public static void main(String[] args) {
        MaglevBuildBenchmark b = new MaglevBuildBenchmark();
        b.backends = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        b.tableSize = args.length > 1 ? Integer.parseInt(args[1]) : 65_537;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 41;
        MaglevBuildBenchmark.PaperC c = new MaglevBuildBenchmark.PaperC();
        c.setUp(b); // also checks that both build the same table
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // batches of about 50 ms of CPU; warm-up of about 3 s for the JIT (it compiles build() after
        // hundreds), then on until two more collections (every page of the grown young generation touched)
        int batch = Math.max(2, (int) (50_000_000L / (b.tableSize * 25L)));
        int size = b.tableSize;
        Runnable javaSide = () -> javaBatch(b, batch);
        Runnable paperSide = () -> cBatch(c, size, batch);
        int warm = 0;
        long target = Long.MAX_VALUE; // set after the JIT's 32 batches: two collections later
        for (; warm < 2000 && (warm < 32 || collections() < target); warm++) {
            javaSide.run();
            paperSide.run();
            if (warm == 31) {
                target = collections() + 2;
            }
        }
        double[] java = new double[rounds];
        double[] paper = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // each round swaps which side runs first
            if (r % 2 == 0) {
                java[r] = cpuMillis(threads, javaSide) / batch;
                paper[r] = cpuMillis(threads, paperSide) / batch;
            } else {
                paper[r] = cpuMillis(threads, paperSide) / batch;
                java[r] = cpuMillis(threads, javaSide) / batch;
            }
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = java[r] / paper[r];
        }
        System.out.printf("N=%d M=%d, %d rounds of %d builds each after %d warm-up batches, thread CPU time per build"
                + " (JVM arguments: %s):%n", b.backends, b.tableSize, rounds, batch, warm,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf("  MaglevTable  median %.3f ms  min %.3f ms%n", median(java), min(java));
        System.out.printf("  paper C loop median %.3f ms  min %.3f ms%n", median(paper), min(paper));
        System.out.printf("  ratio Java/C: median of the rounds' ratios %.3f (min %.3f, max %.3f); of the minima %.3f%n",
                median(ratio), min(ratio), max(ratio), min(java) / min(paper));
    }

    private static double cpuMillis(ThreadMXBean threads, Runnable batch) {
        long t0 = threads.getCurrentThreadCpuTime();
        batch.run();
        return (threads.getCurrentThreadCpuTime() - t0) / 1e6;
    }

    private static void javaBatch(MaglevBuildBenchmark b, int count) {
        long acc = 0;
        for (int i = 0; i < count; i++) {
            acc += b.build().backendIndex(i * 0x9E3779B97F4A7C15L);
        }
        sink += acc;
    }

    private static void cBatch(MaglevBuildBenchmark.PaperC c, int size, int count) {
        long acc = 0;
        for (int i = 0; i < count; i++) {
            acc += PaperLoopC.build(c.keys, size, MemorySegment.NULL);
        }
        sink += acc;
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }
}
