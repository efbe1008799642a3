package dev.ingresskit.bench.access;

import dev.ingresskit.access.AccessCredentials;
import dev.ingresskit.access.AccessTunnel;
import dev.ingresskit.access.twin.EchoServer;
import dev.ingresskit.access.twin.EdgeTwin;
import dev.ingresskit.access.twin.Pipes;
import dev.ingresskit.access.twin.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bytes through {@code AccessTunnel}: local socket → JDK WebSocket over TLS → the module's edge twin →
 * a TCP echo server, and back. {@code path=direct} runs the same operation straight against the echo
 * server in the same run, so the tunnel's cost is a ratio measured side by side.
 *
 * <p>{@code bulk}: 1 MiB written and the same 1 MiB read back per operation (each byte crosses the
 * tunnel twice). {@code smallRoundTrip}: 64 bytes out, 64 back, sampled for p50/p99.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AccessTunnelBenchmark {
    @Param({"tunnel", "direct"})
    public String path;

    private static final int BULK = 1 << 20;
    private final byte[] bulk = new byte[BULK];
    private final byte[] bulkBack = new byte[BULK];
    private final byte[] small = new byte[64];
    private final byte[] smallBack = new byte[64];
    private EchoServer echo;
    private EdgeTwin edge;
    private AccessTunnel tunnel;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Thread writer;

    @Setup(Level.Trial)
    public void start() throws Exception {
        TestPki pki = new TestPki();
        echo = new EchoServer();
        edge = new EdgeTwin(pki.server("localhost"), "bench.example.com", "id", "secret", Map.of(), p -> "", Pipes.tcp(echo.address()));
        tunnel = AccessTunnel.builder("bench.example.com").credentials(AccessCredentials.serviceToken("id", "secret"))
                .sslContext(pki.client()).edge(URI.create("wss://localhost:" + edge.address().getPort() + "/")).start();
        InetSocketAddress target = path.equals("tunnel") ? tunnel.localAddress() : echo.address();
        socket = new Socket(target.getAddress(), target.getPort());
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        for (int i = 0; i < bulk.length; i++) {
            bulk[i] = (byte) (i * 31);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        socket.close();
        tunnel.close();
        edge.close();
        echo.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int bulk() throws Exception {
        writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(bulk);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        in.readNBytes(bulkBack, 0, BULK);
        writer.join();
        return bulkBack[BULK - 1];
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int smallRoundTrip() throws IOException {
        out.write(small);
        in.readNBytes(smallBack, 0, small.length);
        return smallBack[0];
    }
}
