package dev.ingresskit.bench.encap;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A load-independent companion to the JMH numbers on a shared machine: runs the same benchmark
 * methods in a loop and divides the thread's CPU time (not wall time, which other processes
 * inflate) by the operations. Cache and SMT effects of the load remain, so treat the result as a
 * floor-relative estimate, not a replacement for JMH on a quiet machine.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.ingresskit.bench.encap.EncapCpuTime [millions]}
 */
public final class EncapCpuTime {
    private static int sink;

    private EncapCpuTime() {
    }

    /**
     * One operation per JVM, so the loop's call site sees a single implementation (as in a JMH fork):
     * {@code EncapCpuTime floor|parse|parseWithoutChecksums|encode SHAPE array|direct [millions]}.
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: EncapCpuTime floor|parse|parseWithoutChecksums|encode|pair SHAPE array|heap|direct|netty [millions]");
            System.exit(2);
        }
        long operations = (args.length > 3 ? Long.parseLong(args[3]) : 20) * 1_000_000L;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String name = args[0] + " " + args[1] + " " + args[2];
        if (args[0].equals("pair")) {
            GueDecodeBenchmark decode = new GueDecodeBenchmark();
            decode.shape = args[1];
            decode.memory = args[2];
            decode.setUp();
            pair(threads, args[1] + " " + args[2], operations, decode);
            return;
        }
        if (args[0].equals("encode")) {
            GueEncodeBenchmark encode = new GueEncodeBenchmark();
            encode.shape = args[1];
            encode.memory = args[2];
            encode.setUp();
            report(threads, name, operations, encode::encapsulate);
            return;
        }
        GueDecodeBenchmark decode = new GueDecodeBenchmark();
        decode.shape = args[1];
        decode.memory = args[2];
        decode.setUp();
        switch (args[0]) {
            case "floor" -> report(threads, name, operations, decode::floor);
            case "parse" -> report(threads, name, operations, decode::parse);
            case "parseWithoutChecksums" -> report(threads, name, operations, decode::parseWithoutChecksums);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /**
     * {@code pair SHAPE MEMORY [millions]}: floor and parse alternated in one thread, eleven rounds, so
     * both see the same machine; prints their medians and the median of the rounds' parse/floor ratios.
     */
    private static void pair(ThreadMXBean threads, String name, long operations, GueDecodeBenchmark decode) {
        for (int warm = 0; warm < 3; warm++) {
            floorLoop(decode, operations / 4);
            parseLoop(decode, operations / 4);
        }
        int rounds = 11;
        double[] floor = new double[rounds];
        double[] parse = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            floorLoop(decode, operations / 4);
            long t1 = threads.getCurrentThreadCpuTime();
            parseLoop(decode, operations / 4);
            long t2 = threads.getCurrentThreadCpuTime();
            floor[r] = (t1 - t0) / (operations / 4.0);
            parse[r] = (t2 - t1) / (operations / 4.0);
            ratio[r] = parse[r] / floor[r];
        }
        java.util.Arrays.sort(floor);
        java.util.Arrays.sort(parse);
        java.util.Arrays.sort(ratio);
        System.out.printf("%-16s floor %6.2f ns  parse %6.2f ns  parse/floor %.2f (rounds %.2f..%.2f; thread CPU time, medians)%n",
                name, floor[rounds / 2], parse[rounds / 2], ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
    }

    private static void floorLoop(GueDecodeBenchmark decode, long operations) {
        int acc = 0;
        for (long i = 0; i < operations; i++) {
            acc += decode.floor();
        }
        sink += acc;
    }

    private static void parseLoop(GueDecodeBenchmark decode, long operations) {
        int acc = 0;
        for (long i = 0; i < operations; i++) {
            acc += decode.parse();
        }
        sink += acc;
    }

    private static void report(ThreadMXBean threads, String name, long operations, java.util.function.IntSupplier op) {
        for (int warm = 0; warm < 3; warm++) {
            run(op, operations / 4);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long start = threads.getCurrentThreadCpuTime();
            run(op, operations);
            best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
        }
        System.out.printf("%-48s %8.2f ns/op (thread CPU time)%n", name, (double) best / operations);
    }

    private static void run(java.util.function.IntSupplier op, long operations) {
        int acc = 0;
        for (long i = 0; i < operations; i++) {
            acc += op.getAsInt();
        }
        sink += acc;
    }
}
