package dev.ingresskit.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.access.twin.EchoServer;
import dev.ingresskit.access.twin.EdgeTwin;
import dev.ingresskit.access.twin.Pipes;
import dev.ingresskit.access.twin.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTunnelTest {
    static final String HOST = "kube.example.com";
    static final String ID = "88bf3b6d86161464f6509f7219099e57.access";
    static final String SECRET = "bdd31cbc4dec990953e39163fbbb194c93313ca9f0a6e420346af9d326b1d2a5";
    static final TestPki PKI = new TestPki();
    static final String APP_TOKEN = TestTokens.rsa("app").sign(TestTokens.userClaims(Instant.now(), "ann@example.com"));

    EchoServer echo;
    EdgeTwin edge;
    AccessTunnel tunnel;
    final List<AccessTunnelException> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startEdge() throws Exception {
        echo = new EchoServer();
        edge = new EdgeTwin(PKI.server("localhost"), HOST, ID, SECRET, Map.of(APP_TOKEN, "ann@example.com"), p -> "jwt-for-" + p,
                Pipes.tcp(echo.address()));
    }

    AccessTunnel.Builder tunnel(AccessCredentials credentials) throws Exception {
        return AccessTunnel.builder(HOST).credentials(credentials).sslContext(PKI.client())
                .edge(URI.create("wss://localhost:" + edge.address().getPort() + "/")).onError(errors::add);
    }

    @AfterEach
    void stop() throws IOException {
        if (tunnel != null) {
            tunnel.close();
        }
        edge.close();
        echo.close();
    }

    Socket local() throws IOException {
        Socket s = new Socket(tunnel.localAddress().getAddress(), tunnel.localAddress().getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void carriesBytesBothWaysWithHalfClose() throws Exception {
        tunnel = tunnel(AccessCredentials.serviceToken(" " + ID + "\n", SECRET + "\n")).destination("kube.test:6443").start();
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new SplittableRandom(1).nextBytes(data);
        try (Socket s = local()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = s.getInputStream().readAllBytes();
            writer.join();
            assertArrayEquals(data, back, "every byte echoed after our end-of-stream reached the origin");
        }
        Map<String, String> upgrade = edge.upgrades.getFirst();
        assertEquals(ID, upgrade.get("cf-access-client-id"), "trimmed");
        assertEquals(SECRET, upgrade.get("cf-access-client-secret"));
        assertEquals("kube.test:6443", upgrade.get("cf-access-jump-destination"));
        assertEquals("GET / HTTP/1.1", upgrade.get(":request"));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void manyConnectionsAtOnceStayApart() throws Exception {
        tunnel = tunnel(AccessCredentials.serviceToken(ID, SECRET)).start();
        List<Thread> clients = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            int seed = i;
            clients.add(Thread.ofVirtual().start(() -> {
                byte[] data = new byte[50_000 + seed];
                new SplittableRandom(seed).nextBytes(data);
                try (Socket s = local()) {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    assertArrayEquals(data, s.getInputStream().readAllBytes());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    @Test
    void missingCredentialsAreOneClearErrorNotAHang() throws Exception {
        tunnel = tunnel(AccessCredentials.none()).start();
        AccessTunnelException e = assertThrows(AccessTunnelException.class, tunnel::check);
        assertEquals(AccessTunnelException.Kind.NOT_AUTHENTICATED, e.kind());
        assertTrue(e.getMessage().startsWith("not authenticated for " + HOST + ": the edge answered the WebSocket upgrade with 302 redirecting to "
                + "https://team.cloudflareaccess.com/cdn-cgi/access/login/" + HOST), e.getMessage());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (Socket s = local()) {
                assertEquals(-1, s.getInputStream().read(), "the local connection is closed, not left hanging");
            }
        });
        assertEquals(AccessTunnelException.Kind.NOT_AUTHENTICATED, errors.getFirst().kind());
    }

    @Test
    void wrongSecretIsRefusedWithoutShowingIt() throws Exception {
        tunnel = tunnel(AccessCredentials.serviceToken(ID, "wrong-secret-value")).start();
        AccessTunnelException e = assertThrows(AccessTunnelException.class, tunnel::check);
        assertEquals(AccessTunnelException.Kind.NOT_AUTHENTICATED, e.kind());
        assertTrue(e.getMessage().contains("403"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret-value"), e.getMessage());
        assertFalse(tunnel.toString().contains("wrong-secret-value"));
    }

    @Test
    void appTokenFromAFileIsSentAsCfAccessToken(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kube.example.com-token");
        Files.writeString(file, APP_TOKEN + "\n");
        tunnel = tunnel(AccessCredentials.tokenFile(file)).start();
        tunnel.check();
        assertEquals(APP_TOKEN, edge.upgrades.getLast().get("cf-access-token"));
        assertEquals(null, edge.upgrades.getLast().get("cf-access-client-id"));
    }

    @Test
    void anExpiredOrMissingTokenFileFailsLocally(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        Files.writeString(file, TestTokens.rsa("k").sign("{\"exp\":" + past + "}"));
        tunnel = tunnel(AccessCredentials.tokenFile(file)).start();
        AccessTunnelException e = assertThrows(AccessTunnelException.class, tunnel::check);
        assertTrue(e.getMessage().startsWith("not authenticated for " + HOST + ": the token in " + file + " expired at "), e.getMessage());
        Files.delete(file);
        assertTrue(assertThrows(AccessTunnelException.class, tunnel::check).getMessage().contains("does not exist"));
        assertTrue(edge.upgrades.isEmpty(), "nothing was sent to the edge");
    }

    @Test
    void unreachableEdgeIsAConnectError() throws Exception {
        int port = edge.address().getPort();
        edge.close();
        tunnel = AccessTunnel.builder(HOST).credentials(AccessCredentials.serviceToken(ID, SECRET)).sslContext(PKI.client())
                .edge(URI.create("wss://localhost:" + port + "/")).connectTimeout(Duration.ofSeconds(2)).start();
        assertEquals(AccessTunnelException.Kind.CONNECT, assertThrows(AccessTunnelException.class, tunnel::check).kind());
    }

    @Test
    void idleConnectionsArePinged() throws Exception {
        tunnel = tunnel(AccessCredentials.serviceToken(ID, SECRET)).keepAlive(Duration.ofMillis(100)).start();
        try (Socket s = local()) {
            s.getOutputStream().write(1);
            assertEquals(1, s.getInputStream().read());
            Thread.sleep(1000);
            assertTrue(edge.pings.get() >= 3, "pings seen by the edge: " + edge.pings.get());
            s.getOutputStream().write(2);
            assertEquals(2, s.getInputStream().read(), "still carried after the pings");
        }
        assertThrows(IllegalArgumentException.class, () -> AccessTunnel.builder(HOST).keepAlive(Duration.ofSeconds(270)));
    }

    @Test
    void connectionCountIsBounded() throws Exception {
        tunnel = tunnel(AccessCredentials.serviceToken(ID, SECRET)).maxConnections(2).start();
        Socket a = local();
        Socket b = local();
        Socket c = local();
        for (Socket s : List.of(a, b)) {
            s.getOutputStream().write(7);
            assertEquals(7, s.getInputStream().read());
        }
        c.getOutputStream().write(9);
        c.setSoTimeout(500);
        assertThrows(java.net.SocketTimeoutException.class, () -> c.getInputStream().read(), "third client waits in the backlog");
        assertEquals(2, tunnel.activeConnections());
        a.close();
        c.setSoTimeout(10_000);
        assertEquals(9, c.getInputStream().read(), "served once a slot is free");
        b.close();
        c.close();
    }

    @Test
    void aSlowLocalReaderHoldsTheOriginBack() throws Exception {
        AtomicLong written = new AtomicLong();
        int total = 64 * 1024 * 1024;
        edge.close();
        edge = new EdgeTwin(PKI.server("localhost"), HOST, ID, SECRET, Map.of(), p -> "", (in, out, h, jwt) -> {
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < total; sent += chunk.length) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) (sent + i);
                }
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            out.close();
        });
        tunnel = tunnel(AccessCredentials.serviceToken(ID, SECRET)).start();
        try (Socket s = local()) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write(0);
            Thread.sleep(1500);
            long stalled = written.get();
            assertTrue(stalled < 24L * 1024 * 1024, "origin wrote " + stalled + " bytes to a client that read nothing");
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long got = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != (byte) (got + i)) {
                        throw new AssertionError("byte " + (got + i) + " corrupted");
                    }
                }
                got += n;
            }
            assertEquals(total, got);
        }
    }

    @Test
    void builderRefusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> AccessTunnel.builder("https://x/"));
        assertThrows(IllegalArgumentException.class, () -> AccessTunnel.builder(HOST).destination("no-port"));
        assertThrows(IllegalArgumentException.class, () -> AccessTunnel.builder(HOST).maxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> AccessCredentials.serviceToken(ID, " "));
        assertFalse(AccessCredentials.serviceToken(ID, SECRET).toString().contains(SECRET));
        assertFalse(AccessCredentials.appToken(APP_TOKEN).toString().contains(APP_TOKEN.substring(0, 20)));
    }

    static void writeAll(OutputStream out, byte[] data) throws IOException {
        out.write(data);
    }
}
