package dev.ingresskit.bench.push;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A load-independent companion to {@link RealPageScanBenchmark} on a shared machine: scans the corpus
 * repeatedly and reports throughput by the thread's CPU time, which other processes do not inflate.
 *
 * <p>{@code taskset -c 1 java -cp bench/target/benchmarks.jar dev.ingresskit.bench.push.RealPageCpuTime [chars|utf8] [rounds]}
 * (pinned: unpinned, the thread moving between the CPUs of a shared machine varied 2x between JVMs).
 */
public final class RealPageCpuTime {
    private static long sink;

    private RealPageCpuTime() {
    }

    public static void main(String[] args) {
        boolean chars = args.length == 0 || args[0].equals("chars");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        RealPageScanBenchmark b = new RealPageScanBenchmark();
        b.setup();
        long bytes = b.utf8.stream().mapToLong(p -> p.length).sum();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // warm-up on at least 500 MB: a small corpus (the synthetic page) would otherwise be measured in C1 code
        for (int warm = 0; warm < Math.max(8, 500_000_000 / bytes); warm++) {
            sink += chars ? b.scanChars() : b.scanUtf8();
        }
        double[] mbs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            sink += chars ? b.scanChars() : b.scanUtf8();
            mbs[r] = bytes / 1e6 / ((threads.getCurrentThreadCpuTime() - t0) / 1e9);
        }
        Arrays.sort(mbs);
        System.out.printf("%s: %d bytes per round, thread CPU time: median %.0f MB/s, best %.0f, worst %.0f (%d rounds)%n",
                chars ? "scanChars" : "scanUtf8", bytes, mbs[rounds / 2], mbs[rounds - 1], mbs[0], rounds);
    }
}
