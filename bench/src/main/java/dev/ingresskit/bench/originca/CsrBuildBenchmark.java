package dev.ingresskit.bench.originca;

import dev.ingresskit.originca.CertificateSigningRequest;
import dev.ingresskit.originca.KeyAlgorithm;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building and signing a PKCS#10 request for an existing key (hostname checks, DER, signature,
 * PEM). The signature dominates; the DER writer is the part that is ours.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CsrBuildBenchmark {
    @Param({"EC_P256", "RSA_2048"})
    public String key;

    /** Hostnames in the subjectAltName. */
    @Param({"2", "50"})
    public int hostnames;

    private KeyPair keys;
    private List<String> names;

    @Setup(Level.Trial)
    public void setUp() {
        keys = KeyAlgorithm.valueOf(key).generate();
        names = java.util.stream.IntStream.range(0, hostnames)
                .mapToObj(i -> i == 0 ? "*.example.com" : "host" + i + ".example.com").toList();
    }

    @Benchmark
    public String build() {
        return CertificateSigningRequest.create(keys, names).pem();
    }
}
