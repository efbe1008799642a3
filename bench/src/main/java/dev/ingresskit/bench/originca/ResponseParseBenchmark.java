package dev.ingresskit.bench.originca;

import dev.ingresskit.originca.OriginCaClient;
import dev.ingresskit.originca.ListedCertificate;
import dev.ingresskit.originca.Transport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
 * The client's work per answer without the network: a transport hands back a canned envelope, and
 * {@code get} (one certificate) or {@code list} (one page of {@code certificates}) builds the
 * request, parses the JSON, decodes the PEM and the X.509 certificate(s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseParseBenchmark {
    /** An EC P-256 certificate made with openssl for this benchmark (self-signed; only parsed). */
    private static final String PEM = ""
            + "-----BEGIN CERTIFICATE-----\n"
            + "MIICQDCCAeagAwIBAgIUNloJh6TrslnvlvkDKpIZE1CR1/0wCgYIKoZIzj0EAwIw\n"
            + "YjEZMBcGA1UECgwQQ2xvdWRGbGFyZSwgSW5jLjEdMBsGA1UECwwUQ2xvdWRGbGFy\n"
            + "ZSBPcmlnaW4gQ0ExJjAkBgNVBAMMHUNsb3VkRmxhcmUgT3JpZ2luIENlcnRpZmlj\n"
            + "YXRlMB4XDTI2MTEyNjE0MzU1NFoXDTQxMTEyMjE0MzU1NFowYjEZMBcGA1UECgwQ\n"
            + "Q2xvdWRGbGFyZSwgSW5jLjEdMBsGA1UECwwUQ2xvdWRGbGFyZSBPcmlnaW4gQ0Ex\n"
            + "JjAkBgNVBAMMHUNsb3VkRmxhcmUgT3JpZ2luIENlcnRpZmljYXRlMFkwEwYHKoZI\n"
            + "zj0CAQYIKoZIzj0DAQcDQgAEY/gtrSmMv3zxH53fLlzZBFN5ad6YswS18NrnAzdt\n"
            + "+U9Jq2pZrsKT3qW3ZMVayYB5gy13PQ4z+Deslc6q3WtigqN6MHgwHQYDVR0OBBYE\n"
            + "FE9TE1bWAvEIjooD9oIEDAovOSckMB8GA1UdIwQYMBaAFE9TE1bWAvEIjooD9oIE\n"
            + "DAovOSckMA8GA1UdEwEB/wQFMAMBAf8wJQYDVR0RBB4wHIILZXhhbXBsZS5jb22C\n"
            + "DSouZXhhbXBsZS5jb20wCgYIKoZIzj0EAwIDSAAwRQIhAJF9aMU1/ocJwyLxKe98\n"
            + "ci4wIpqu4oCTCTGybMywkC34AiBDfYdIy18rD8sbkpppRDf1zsAERwn2Kb2G13aJ\n"
            + "/ydSMQ==\n"
            + "-----END CERTIFICATE-----\n";

    @Param({"1", "50"})
    public int certificates;

    private OriginCaClient client;

    @Setup(Level.Trial)
    public void setUp() {
        String one = "{\"id\":\"328578533902268680212849205732770752308931942346\",\"certificate\":"
                + quote(PEM) + ",\"hostnames\":[\"example.com\",\"*.example.com\"],"
                + "\"expires_on\":\"2041-11-22 13:49:00 +0000 UTC\",\"request_type\":\"origin-ecc\","
                + "\"requested_validity\":5475,\"csr\":\"\"}";
        String result = certificates == 1 ? one : "[" + String.join(",", java.util.Collections.nCopies(certificates, one)) + "]";
        byte[] body = ("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":" + result
                + ",\"result_info\":{\"page\":1,\"per_page\":50,\"count\":" + certificates + ",\"total_count\":"
                + certificates + ",\"total_pages\":1}}").getBytes(StandardCharsets.UTF_8);
        Transport canned = request -> new Transport.Response(200, Map.of("CF-Ray", List.of("8a1b2c3d4e5f-SJC")), body);
        client = OriginCaClient.builder().apiToken("benchmark-token").transport(canned).pageSize(50).build();
    }

    @Benchmark
    public Object parse() {
        return certificates == 1 ? client.get("328578533902268680212849205732770752308931942346")
                : client.list("023e105f4ecef8ad9ca31a8372d0c353").map(ListedCertificate::id).toList();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
