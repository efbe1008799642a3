package dev.ingresskit.bench.push;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A load-independent companion to {@link RealPageScanBenchmark}: scans the corpus repeatedly and reports
 * throughput by the thread's CPU time, which other processes do not inflate, and, alternated with it
 * round by round in the same JVM, the {@link TagSkipFloor} over the same pages. The ratio of the two is
 * the figure that holds from one machine to the next; the absolute figures do not. On the 2-vCPU
 * machine of 2026-12-02, with nothing else running, the same build measured 0.96–0.98 GB/s at one time
 * and 0.54–0.60 a few minutes later, the floor moving with it and the ratio staying within 0.78–0.81.
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
        TagSkipFloor floor = new TagSkipFloor();
        long bytes = b.utf8.stream().mapToLong(p -> p.length).sum();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // warm-up on at least 500 MB: a small corpus (the synthetic page) would otherwise be measured in C1 code
        for (int warm = 0; warm < Math.max(8, 500_000_000 / bytes); warm++) {
            sink += chars ? b.scanChars() : b.scanUtf8();
            sink += floor.scan(b.pages);
        }
        double[] scanner = new double[rounds];
        double[] floors = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            sink += chars ? b.scanChars() : b.scanUtf8();
            long t1 = threads.getCurrentThreadCpuTime();
            sink += floor.scan(b.pages);
            long t2 = threads.getCurrentThreadCpuTime();
            scanner[r] = bytes * 1e3 / (t1 - t0);
            floors[r] = bytes * 1e3 / (t2 - t1);
            ratios[r] = scanner[r] / floors[r];
        }
        Arrays.sort(scanner);
        Arrays.sort(floors);
        Arrays.sort(ratios);
        System.out.printf("%s: %d bytes per round, thread CPU time: median %.0f MB/s, best %.0f, worst %.0f (%d rounds)%n",
                chars ? "scanChars" : "scanUtf8", bytes, scanner[rounds / 2], scanner[rounds - 1], scanner[0], rounds);
        System.out.printf("tag-skip floor, alternated with it: median %.0f MB/s; scanner/floor per round: median %.3f, range %.3f-%.3f%n",
                floors[rounds / 2], ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
    }
}
