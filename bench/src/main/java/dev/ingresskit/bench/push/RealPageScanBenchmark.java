package dev.ingresskit.bench.push;

import dev.ingresskit.push.HtmlLinkScanner;
import dev.ingresskit.push.ScanSession;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scanner over a corpus of real pages ({@link RealPages}: by default Python's documentation from
 * Debian's {@code python3-doc}): one operation scans every page once with a reused session, so the
 * throughput is the corpus size over the time (the set-up prints the size). Fails in set-up, saying
 * how to install the corpus, when it is absent.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RealPageScanBenchmark {
    List<String> pages;
    List<byte[]> utf8;
    ScanSession session;

    @Setup
    public void setup() {
        RealPages corpus = RealPages.load();
        System.out.println("corpus " + corpus.describe());
        pages = corpus.pages();
        utf8 = corpus.utf8();
        session = HtmlLinkScanner.create().newSession();
    }

    @Benchmark
    public int scanChars() {
        int found = 0;
        for (String page : pages) {
            found += session.reset().feed(page).finish().resources().size();
        }
        return found;
    }

    @Benchmark
    public int scanUtf8() {
        int found = 0;
        for (byte[] page : utf8) {
            found += session.reset().feedUtf8(page, 0, page.length).finish().resources().size();
        }
        return found;
    }
}
