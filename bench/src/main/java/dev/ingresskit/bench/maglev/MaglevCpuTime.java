package dev.ingresskit.bench.maglev;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A load-independent companion to {@link MaglevBuildBenchmark} on a shared machine: alternates batches
 * of the Java build and of the paper's C loop in one JVM and divides the thread's CPU time (which
 * other processes do not inflate, unlike wall time) by the builds. The C side runs in the same thread
 * through FFM, so both are charged the same way; the collector's threads are not charged to either.
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
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        MaglevBuildBenchmark.PaperC c = new MaglevBuildBenchmark.PaperC();
        c.setUp(b); // also checks that both build the same table
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // batches of about 0.2 s of CPU
        int batch = Math.max(3, (int) (200_000_000L / (b.tableSize * 25L)));
        for (int warm = 0; warm < 8; warm++) {
            javaBatch(b, batch);
            cBatch(c, b.tableSize, batch);
        }
        double[] java = new double[rounds];
        double[] paper = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            javaBatch(b, batch);
            long t1 = threads.getCurrentThreadCpuTime();
            cBatch(c, b.tableSize, batch);
            long t2 = threads.getCurrentThreadCpuTime();
            java[r] = (t1 - t0) / 1e6 / batch;
            paper[r] = (t2 - t1) / 1e6 / batch;
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = java[r] / paper[r];
        }
        System.out.printf("N=%d M=%d, %d rounds of %d builds each, thread CPU time per build:%n",
                b.backends, b.tableSize, rounds, batch);
        System.out.printf("  MaglevTable  median %.3f ms  min %.3f ms%n", median(java), min(java));
        System.out.printf("  paper C loop median %.3f ms  min %.3f ms%n", median(paper), min(paper));
        System.out.printf("  ratio Java/C: median of the rounds' ratios %.3f (min %.3f, max %.3f); of the minima %.3f%n",
                median(ratio), min(ratio), max(ratio), min(java) / min(paper));
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
