package dev.ingresskit.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ingresskit.access.internal.HttpRelay;
import dev.ingresskit.access.internal.RequestToken;
import dev.ingresskit.access.kube.ImpersonationRules;
import dev.ingresskit.access.kube.KubeAccessProxy;
import dev.ingresskit.access.twin.EdgeTwin;
import dev.ingresskit.access.twin.Socks5Origin;
import dev.ingresskit.access.twin.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with the real kubectl:
 *
 * <pre>
 * kubectl --HTTPS_PROXY=socks5://127.0.0.1:P--&gt; AccessTunnel ==wss, credentials==&gt; edge twin
 *   (service token / app token enforced, login redirect, mints the Access JWT)
 *   --SOCKS5 CONNECT kube.test:6443--&gt; edge front for kube.test (TLS, adds Cf-Access-Jwt-Assertion)
 *   --http--&gt; KubeAccessProxy (verifies, maps, impersonates) --https--&gt; stand-in API server
 * </pre>
 *
 * kubectl never proxies loopback, so its kubeconfig names {@code https://kube.test:6443}, which only the
 * SOCKS side resolves.
 */
class KubectlEndToEndTest {
    static final String KUBECTL = "/usr/bin/kubectl";
    static final String HOST = "kube.example.com";
    static final String ID = "ci.access";
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final TestTokens.TestKey ACCESS_KEY = TestTokens.rsa("team-key");
    static final TestTokens.TestKey STRANGER = TestTokens.rsa("team-key");
    static final String APP_TOKEN = "app-token-of-ann";

    static TestPki pki;
    static HttpsServer api;
    static final List<Map<String, List<String>>> apiSaw = new CopyOnWriteArrayList<>();
    static KubeAccessProxy proxy;
    static ServerSocket front;
    static final Map<Integer, String> jwtByBridgePort = new ConcurrentHashMap<>();
    static volatile Function<String, String> mint;
    static EdgeTwin edge;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(KUBECTL)),
                "SKIPPED LOUDLY: " + KUBECTL + " is not installed, so the real-kubectl end-to-end test cannot run (CI machines have it)");
        pki = new TestPki();

        api = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.setHttpsConfigurator(new HttpsConfigurator(pki.server("api.internal")));
        api.createContext("/", exchange -> {
            apiSaw.add(Map.copyOf(exchange.getRequestHeaders()));
            String path = exchange.getRequestURI().getPath();
            String body;
            int status = 200;
            if (!"Bearer proxy-sa-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}";
            } else if (path.equals("/version")) {
                body = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.4-standin\",\"gitCommit\":\"0\",\"gitTreeState\":\"clean\","
                        + "\"buildDate\":\"2026-12-02T00:00:00Z\",\"goVersion\":\"go1.23\",\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}";
            } else if (path.equals("/api")) {
                body = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"10.0.0.1:6443\"}]}";
            } else {
                status = 404;
                body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        api.start();

        AccessJwtVerifier verifier = AccessJwtVerifier.builder(TestTokens.TEAM).audience(TestTokens.AUD)
                .keySource(() -> TestTokens.jwks(ACCESS_KEY).getBytes(StandardCharsets.UTF_8)).build();
        ImpersonationRules rules = ImpersonationRules.parse("""
                email:*@example.com      => user={email} group=developers
                service-token:ci.access  => user=system:serviceaccount:ci:deployer
                """);
        proxy = KubeAccessProxy.builder(verifier, rules, URI.create("https://127.0.0.1:" + api.getAddress().getPort()))
                .apiServerTls(pki.client()).bearerToken("proxy-sa-token").start();

        // the edge's HTTP front for kube.test: terminates kubectl's TLS and adds the minted JWT
        SSLContext frontTls = pki.server("kube.test");
        front = frontTls.getServerSocketFactory().createServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!front.isClosed()) {
                try {
                    Socket s = front.accept();
                    Thread.ofVirtual().start(() -> HttpRelay.serve(s, head -> {
                        // looked up per request: the SOCKS side registers the bridge right after connecting
                        String jwt = jwtByBridgePort.get(s.getPort());
                        head.remove(RequestToken.HEADER);
                        if (jwt != null) {
                            head.add(RequestToken.HEADER, jwt);
                        }
                        return new HttpRelay.Forward(head);
                    }, () -> new Socket(proxy.address().getAddress(), proxy.address().getPort())));
                } catch (IOException e) {
                    return;
                }
            }
        });

        Socks5Origin socks = new Socks5Origin(Map.of("kube.test:6443", (host, port, jwt) -> {
            Socket bridge = new Socket(front.getInetAddress(), front.getLocalPort());
            if (jwt != null) {
                jwtByBridgePort.put(bridge.getLocalPort(), jwt);
            }
            return bridge;
        }));
        mint = KubectlEndToEndTest::genuine;
        edge = new EdgeTwin(pki.server("localhost"), HOST, ID, SECRET, Map.of(APP_TOKEN, "ann@example.com"),
                principal -> mint.apply(principal), socks);
    }

    static String genuine(String principal) {
        Instant now = Instant.now();
        return ACCESS_KEY.sign(principal.contains("@") ? TestTokens.userClaims(now, principal) : TestTokens.serviceClaims(now, principal));
    }

    @AfterAll
    static void stop() throws IOException {
        if (edge != null) {
            edge.close();
            front.close();
            proxy.close();
            api.stop(0);
        }
    }

    record Run(int exit, String out) {
    }

    Run kubectl(Path dir, AccessCredentials credentials, String... args) throws Exception {
        try (AccessTunnel tunnel = AccessTunnel.builder(HOST).credentials(credentials).sslContext(pki.client())
                .edge(URI.create("wss://localhost:" + edge.address().getPort() + "/")).start()) {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: test
                      cluster:
                        server: https://kube.test:6443
                        certificate-authority-data: %s
                    users:
                    - name: u
                      user:
                        token: kubeconfig-user-token
                    contexts:
                    - name: c
                      context: {cluster: test, user: u}
                    current-context: c
                    """.formatted(Base64.getEncoder().encodeToString(pki.caPem().getBytes(StandardCharsets.US_ASCII))));
            ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(KUBECTL, "--request-timeout=30s"))).redirectErrorStream(true);
            pb.command().addAll(List.of(args));
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            pb.environment().put("HOME", dir.toString());
            pb.environment().put("HTTPS_PROXY", "socks5://127.0.0.1:" + tunnel.localAddress().getPort());
            pb.environment().remove("NO_PROXY");
            pb.environment().remove("no_proxy");
            pb.environment().remove("https_proxy");
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl hung: " + out);
            return new Run(p.exitValue(), out);
        }
    }

    @Test
    void theUsersEmailArrivesAsImpersonateUser(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        // the edge twin accepts this app token; a real one is a JWT, so the file check wants that shape
        Files.writeString(tokenFile, APP_TOKEN);
        apiSaw.clear();
        Run version = kubectl(dir, AccessCredentials.appToken(APP_TOKEN), "version", "-o", "json");
        assertEquals(0, version.exit(), version.out());
        assertTrue(version.out().contains("\"gitVersion\": \"v1.32.4-standin\""), version.out());
        Run raw = kubectl(dir, AccessCredentials.appToken(APP_TOKEN), "get", "--raw", "/api");
        assertEquals(0, raw.exit(), raw.out());
        assertTrue(raw.out().contains("\"kind\":\"APIVersions\""), raw.out());
        // this kubectl build (a version dispatcher) asks /version once more before running the real kubectl
        assertTrue(apiSaw.size() >= 2, apiSaw.toString());
        assertTrue(apiSaw.stream().anyMatch(h -> List.of("kubectl version").equals(h.get("Kubectl-command"))), apiSaw.toString());
        assertTrue(apiSaw.stream().anyMatch(h -> List.of("kubectl get").equals(h.get("Kubectl-command"))), apiSaw.toString());
        for (Map<String, List<String>> headers : apiSaw) {
            assertEquals(List.of("ann@example.com"), headers.get("Impersonate-user"));
            assertEquals(List.of("developers"), headers.get("Impersonate-group"));
            assertEquals(List.of("Bearer proxy-sa-token"), headers.get("Authorization"), "kubectl's own token never reaches the API server");
        }
    }

    @Test
    void aServiceTokenIsMappedByItsClientId(@TempDir Path dir) throws Exception {
        apiSaw.clear();
        Run raw = kubectl(dir, AccessCredentials.serviceToken(ID, SECRET), "get", "--raw", "/api");
        assertEquals(0, raw.exit(), raw.out());
        assertEquals(List.of("system:serviceaccount:ci:deployer"), apiSaw.getFirst().get("Impersonate-user"));
    }

    @Test
    void forgedAndMissingTokensStopAtTheProxy(@TempDir Path dir) throws Exception {
        apiSaw.clear();
        try {
            mint = principal -> STRANGER.sign(TestTokens.userClaims(Instant.now(), "admin@example.com"));
            Run forged = kubectl(dir, AccessCredentials.serviceToken(ID, SECRET), "get", "--raw", "/api");
            assertNotEquals(0, forged.exit());
            assertTrue(forged.out().contains("Access token rejected (SIGNATURE)"), forged.out());
            mint = principal -> null;
            Run missing = kubectl(dir, AccessCredentials.serviceToken(ID, SECRET), "get", "--raw", "/version");
            assertNotEquals(0, missing.exit());
            assertTrue(missing.out().contains("Access token rejected (FORMAT)"), missing.out());
        } finally {
            mint = KubectlEndToEndTest::genuine;
        }
        assertEquals(List.of(), apiSaw, "nothing reached the API server");
    }

    @Test
    void withoutCredentialsKubectlFailsFastAndTheTunnelSaysWhy(@TempDir Path dir) throws Exception {
        List<AccessTunnelException> errors = new CopyOnWriteArrayList<>();
        try (AccessTunnel tunnel = AccessTunnel.builder(HOST).sslContext(pki.client()).onError(errors::add)
                .edge(URI.create("wss://localhost:" + edge.address().getPort() + "/")).start()) {
            ProcessBuilder pb = new ProcessBuilder(KUBECTL, "--request-timeout=30s", "--server=https://kube.test:6443",
                    "--insecure-skip-tls-verify", "--token=x", "get", "--raw", "/api").redirectErrorStream(true);
            pb.environment().put("HOME", dir.toString());
            pb.environment().put("KUBECONFIG", dir.resolve("none").toString());
            pb.environment().put("HTTPS_PROXY", "socks5://127.0.0.1:" + tunnel.localAddress().getPort());
            long started = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertNotEquals(0, p.exitValue(), out);
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20), "failed fast, not at the request timeout: " + out);
        }
        assertTrue(errors.getFirst().getMessage().startsWith("not authenticated for " + HOST + ": the edge answered the WebSocket upgrade with 302"),
                errors.toString());
    }

}
