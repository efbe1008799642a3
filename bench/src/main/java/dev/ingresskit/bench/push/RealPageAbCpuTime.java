package dev.ingresskit.bench.push;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the scanner side by side in one JVM, over the real-page corpus ({@link RealPages}):
 * each build's classes (a directory or jar of {@code dev.ingresskit.push}, e.g. an older commit compiled
 * with {@code javac}) in its own class loader, rounds alternated A B B A …, throughput by the thread's
 * CPU time. On a shared machine a ratio measured this way is what can be trusted; two JVMs apart are not.
 * Run it twice, the builds swapped: runs of one build against itself gave 0.88-1.08 (2026-12-02), so
 * the ratio to quote is the geometric mean of both orders. Pin the JVM to one CPU ({@code taskset -c 1}):
 * on the shared 2-vCPU machine an unpinned thread moving between CPUs varied 2x from one JVM to the next.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.ingresskit.bench.push.RealPageAbCpuTime A-CLASSES B-CLASSES [chars|utf8|utf8/N] [rounds]}
 * ({@code utf8/N}: each page fed in writes of N bytes, as a Servlet or {@code HttpServer} filter sees a
 * page an application writes in pieces).
 */
public final class RealPageAbCpuTime {
    private static long sink;

    private RealPageAbCpuTime() {
    }

    public static void main(String[] args) throws Throwable {
        boolean chars = args.length < 3 || args[2].equals("chars");
        int write = args.length > 2 && args[2].startsWith("utf8/") ? Integer.parseInt(args[2].substring(5)) : 0;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        RealPages corpus = RealPages.load();
        System.out.println("corpus " + corpus.describe());
        Build[] builds = {new Build(Path.of(args[0]), chars, write), new Build(Path.of(args[1]), chars, write)};
        // warm-up on at least 500 MB each: a small corpus (the synthetic page) would otherwise be measured in C1 code
        for (int warm = 0; warm < Math.max(8, 500_000_000 / corpus.bytes()); warm++) {
            for (Build b : builds) {
                sink += b.scan(corpus);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] mbs = new double[2][rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int which = (r % 2 == 0) == (k == 0) ? 0 : 1; // A B, then B A
                long t0 = threads.getCurrentThreadCpuTime();
                sink += builds[which].scan(corpus);
                mbs[which][r] = corpus.bytes() / 1e6 / ((threads.getCurrentThreadCpuTime() - t0) / 1e9);
            }
            ratios[r] = mbs[1][r] / mbs[0][r];
        }
        for (int k = 0; k < 2; k++) {
            double[] sorted = mbs[k].clone();
            Arrays.sort(sorted);
            System.out.printf("%s %s: thread CPU time: median %.0f MB/s, best %.0f, worst %.0f (%d rounds)%n",
                    k == 0 ? "A" : "B", args[k], sorted[rounds / 2], sorted[rounds - 1], sorted[0], rounds);
        }
        Arrays.sort(ratios);
        System.out.printf("B/A throughput (%s), per round pair: median %.3f, range %.3f-%.3f%n",
                chars ? "scanChars" : write > 0 ? "scanUtf8 in writes of " + write + " bytes" : "scanUtf8", ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
    }

    /** One build's scanner, reached by method handles: a reused session, reset per page. */
    private static final class Build {
        private final Object session;
        private final MethodHandle reset;
        private final MethodHandle feed;
        private final MethodHandle finish;
        private final MethodHandle resources;
        private final boolean chars;
        private final int write;

        Build(Path classes, boolean chars, int write) throws Throwable {
            this.chars = chars;
            this.write = write;
            ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> scanner = loader.loadClass("dev.ingresskit.push.HtmlLinkScanner");
            Class<?> sessionType = loader.loadClass("dev.ingresskit.push.ScanSession");
            Class<?> result = loader.loadClass("dev.ingresskit.push.ScanResult");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object instance = lookup.findStatic(scanner, "create", MethodType.methodType(scanner)).invoke();
            session = lookup.findVirtual(scanner, "newSession", MethodType.methodType(sessionType)).invoke(instance);
            reset = lookup.findVirtual(sessionType, "reset", MethodType.methodType(sessionType));
            // bytes through feedUtf8(byte[], int, int): a ByteBuffer wrapped per write would be measured too
            feed = chars ? lookup.findVirtual(sessionType, "feed", MethodType.methodType(sessionType, CharSequence.class))
                    : lookup.findVirtual(sessionType, "feedUtf8",
                            MethodType.methodType(sessionType, byte[].class, int.class, int.class));
            finish = lookup.findVirtual(sessionType, "finish", MethodType.methodType(result));
            resources = lookup.findVirtual(result, "resources", MethodType.methodType(List.class));
        }

        long scan(RealPages corpus) throws Throwable {
            long found = 0;
            int pages = corpus.pages().size();
            for (int i = 0; i < pages; i++) {
                reset.invoke(session);
                if (chars) {
                    feed.invoke(session, corpus.pages().get(i));
                } else {
                    byte[] page = corpus.utf8().get(i);
                    int piece = write > 0 ? write : page.length;
                    for (int at = 0; at < page.length; at += piece) {
                        feed.invoke(session, page, at, Math.min(piece, page.length - at));
                    }
                }
                found += ((List<?>) resources.invoke(finish.invoke(session))).size();
            }
            return found;
        }
    }
}
