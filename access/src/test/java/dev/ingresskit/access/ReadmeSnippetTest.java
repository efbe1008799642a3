package dev.ingresskit.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.ingresskit.access.httpserver.AccessHttpFilter;
import dev.ingresskit.access.kube.ImpersonationRules;
import dev.ingresskit.access.kube.KubeAccessProxy;
import dev.ingresskit.testsupport.ReadmeSnippet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeSnippetTest {
    @Test
    void verifierSnippetIsInSyncAndRejectsAnUnauthenticatedRequest() throws Exception {
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/access/ReadmeSnippetTest.java", "verify");
        HttpServer server = verifySnippet(0);
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode());
        } finally {
            server.stop(0);
        }
    }

    static HttpServer verifySnippet(int port) throws IOException {
        // snippet: verify
        AccessJwtVerifier verifier = AccessJwtVerifier.builder("myteam.cloudflareaccess.com")
                .audience("4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2")
                .build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            AccessIdentity who = AccessHttpFilter.identity(exchange).orElseThrow();
            byte[] body = ("hello " + who.principal() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }).getFilters().add(new AccessHttpFilter(verifier));
        server.start();
        // end snippet
        return server;
    }

    @Test
    void tunnelAndProxySnippetsAreInSync() {
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/access/ReadmeSnippetTest.java", "tunnel");
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/access/ReadmeSnippetTest.java", "proxy");
    }

    /** Compiled, not run: it needs a real Access application. */
    static void tunnelSnippet() throws IOException {
        // snippet: tunnel
        AccessTunnel tunnel = AccessTunnel.builder("kube.example.com")
                .listen(new InetSocketAddress("127.0.0.1", 8443))
                .credentials(AccessCredentials.serviceToken(
                        System.getenv("TUNNEL_SERVICE_TOKEN_ID"), System.getenv("TUNNEL_SERVICE_TOKEN_SECRET")))
                .onError(e -> System.err.println(e.getMessage()))
                .start();
        tunnel.check(); // fails fast: "not authenticated for kube.example.com: ..."
        // now: HTTPS_PROXY=socks5://127.0.0.1:8443 kubectl get pods
        // end snippet
    }

    /** Compiled, not run: it needs a cluster. */
    static KubeAccessProxy proxySnippet(AccessJwtVerifier verifier) throws Exception {
        // snippet: proxy
        ImpersonationRules rules = ImpersonationRules.parse(Files.readString(Path.of("/etc/kube-access-proxy/rules")));
        KubeAccessProxy proxy = KubeAccessProxy.builder(verifier, rules, URI.create("https://kubernetes.default.svc:443"))
                .bearerTokenFile(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"))
                .listen(new InetSocketAddress("127.0.0.1", 8080))
                .start();
        // end snippet
        return proxy;
    }
}
