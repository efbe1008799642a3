package dev.ingresskit.director.internal;

import dev.ingresskit.director.HealthProbe;
import dev.ingresskit.director.HealthCheckConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The real probes against listeners on 127.0.0.1 that the test controls. */
class NetworkProbeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final NetworkProbe probe = new NetworkProbe();

    private static HealthCheckConfig tcp() {
        return new HealthCheckConfig(HealthCheckConfig.Kind.TCP, 0, null, null, 0, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 1, 1, null);
    }

    private static HealthCheckConfig http(int expect) {
        return new HealthCheckConfig(HealthCheckConfig.Kind.HTTP, 0, "/healthz", null, expect, Duration.ofSeconds(2),
                Duration.ofMillis(500), 1, 1, LOOPBACK);
    }

    @Test
    void tcpConnectPassesOnlyWhileSomethingListens() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            port = server.getLocalPort();
            HealthProbe.Result r = probe.check(LOOPBACK, port, tcp());
            assertEquals(new HealthProbe.Result(true, "connected"), r);
        }
        HealthProbe.Result closed = probe.check(LOOPBACK, port, tcp());
        assertFalse(closed.ok());
        assertTrue(closed.detail().toLowerCase().contains("refused"), closed.detail());
    }

    /** Answers one request with {@code response} and hands back the request head. */
    private static Thread serveOnce(ServerSocket server, String response, AtomicReference<String> request) {
        return Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    head.append((char) c);
                }
                request.set(head.toString());
                OutputStream out = s.getOutputStream();
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (Exception e) {
                request.set("server failed: " + e);
            }
        });
    }

    @Test
    void httpChecksTheStatusAndSendsAProperRequest() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            AtomicReference<String> request = new AtomicReference<>();
            Thread t = serveOnce(server, "HTTP/1.1 204 No Content\r\n\r\n", request);
            HealthProbe.Result ok = probe.check(LOOPBACK, server.getLocalPort(), http(204));
            t.join();
            assertEquals(new HealthProbe.Result(true, "HTTP 204"), ok);
            assertTrue(request.get().startsWith("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort()
                    + "\r\n"), request.get());
            assertTrue(request.get().contains("Connection: close\r\n"));

            t = serveOnce(server, "HTTP/1.0 503 Service Unavailable\r\n\r\n", request);
            assertEquals(new HealthProbe.Result(false, "HTTP 503"), probe.check(LOOPBACK, server.getLocalPort(), http(200)));
            t.join();

            t = serveOnce(server, "SSH-2.0-OpenSSH\r\n", request);
            HealthProbe.Result garbage = probe.check(LOOPBACK, server.getLocalPort(), http(200));
            t.join();
            assertFalse(garbage.ok());
            assertTrue(garbage.detail().startsWith("not an HTTP status line"), garbage.detail());
        }
    }

    @Test
    void httpTimesOutOnASilentServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            // accepted by the kernel's backlog, never answered
            long start = System.nanoTime();
            HealthProbe.Result r = probe.check(LOOPBACK, server.getLocalPort(), http(200));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(r.ok());
            assertEquals("timeout after 500ms", r.detail());
            assertTrue(millis < 5_000, "took " + millis + " ms");
        }
    }

    @Test
    void noneAlwaysPasses() {
        HealthCheckConfig none = new HealthCheckConfig(HealthCheckConfig.Kind.NONE, 0, null, null, 0,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, null);
        assertTrue(probe.check(LOOPBACK, 1, none).ok());
    }
}
