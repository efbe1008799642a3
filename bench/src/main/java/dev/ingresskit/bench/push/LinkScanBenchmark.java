package dev.ingresskit.bench.push;

import dev.ingresskit.push.HtmlLinkScanner;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.LinkHeaderGenerator;
import dev.ingresskit.push.ScanResult;
import dev.ingresskit.push.ScanSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.select.Elements;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scanning a page for its sub-resources: the built-in scanner (characters and UTF-8 bytes, a reused
 * session) against jsoup parse + select of the same elements, on 10 KB, 100 KB and 1 MB pages; and the
 * whole per-response cost (scan, resolve, serialise) of {@link LinkHeaderGenerator}. Throughput in MB/s
 * is {@code size / time}; bench/README.md has the table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinkScanBenchmark {
    @Param({"10240", "102400", "1048576"})
    int size;

    String html;
    byte[] utf8;
    ScanSession session;
    LinkHeaderGenerator generator;

    @Setup
    public void setup() {
        html = BenchPages.page(size);
        utf8 = html.getBytes(StandardCharsets.UTF_8);
        session = HtmlLinkScanner.create().newSession();
        generator = LinkHeaderGenerator.defaults();
    }

    @Benchmark
    public ScanResult scanChars() {
        return session.reset().feed(html).finish();
    }

    @Benchmark
    public ScanResult scanUtf8() {
        return session.reset().feedUtf8(utf8, 0, utf8.length).finish();
    }

    @Benchmark
    public Elements jsoupParseSelect() {
        Document document = Jsoup.parse(html);
        return document.select("base[href], link[href], script[src], img[src], img[srcset], picture source[srcset]");
    }

    /** Everything a response pays: scan, resolve against the page URL, order, cap, serialise. */
    @Benchmark
    public LinkHeader generateHeader() {
        return generator.fromScan(session.reset().feed(html).finish(), "https://example.com/index.html");
    }
}
