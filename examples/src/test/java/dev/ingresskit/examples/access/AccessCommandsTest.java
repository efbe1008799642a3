package dev.ingresskit.examples.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ingresskit.examples.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessCommandsTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainAccess.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("access-tcp", "--url", "127.0.0.1:0").code());
        Result both = run("access-tcp", "--hostname", "h.example.com", "--url", "127.0.0.1:0", "--service-token-id", "a",
                "--service-token-secret", "b", "--token-file", "/tmp/x");
        assertEquals(2, both.code());
        assertEquals("ingresskit access-tcp: give a service token or --token-file, not both\n", both.err());
        Result half = run("access-tcp", "--hostname", "h.example.com", "--url", "127.0.0.1:0", "--service-token-id", "a");
        assertTrue(half.err().contains("needs both"), half.err());
        assertEquals(2, run("access-tcp", "--hostname", "h.example.com", "--url", "nonsense").code());
        assertEquals(2, run("access-tcp", "--hostname", "h.example.com", "--url", "127.0.0.1:0", "--keepalive", "300").code());
    }

    @Test
    void aLoginRedirectEndsTheCommandWithTheReason() throws Exception {
        HttpServer edge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        edge.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Location", "https://team.cloudflareaccess.com/cdn-cgi/access/login/h.example.com");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        edge.start();
        try {
            Result r = run("access-tcp", "--hostname", "h.example.com", "--url", "127.0.0.1:0",
                    "--edge", "ws://127.0.0.1:" + edge.getAddress().getPort() + "/");
            assertEquals(1, r.code());
            assertEquals("access-tcp: not authenticated for h.example.com: the edge answered the WebSocket upgrade with 302 redirecting to "
                    + "https://team.cloudflareaccess.com/cdn-cgi/access/login/h.example.com; log in with `cloudflared access login h.example.com` "
                    + "(then --token-file) or pass a service token\n", r.err());
        } finally {
            edge.stop(0);
        }
    }

    @Test
    void kubeAccessProxyRefusesABadRuleFile(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules");
        Files.writeString(rules, "email:*@example.com => user={email}\nteam:x => deny\n");
        List<String> args = new ArrayList<>(List.of("kube-access-proxy", "--team", "t.cloudflareaccess.com", "--aud", "a",
                "--rules", rules.toString(), "--api-server", "https://127.0.0.1:6443"));
        Result r = run(args.toArray(String[]::new));
        assertEquals(2, r.code());
        assertEquals("ingresskit kube-access-proxy: --rules " + rules + ": line 2: unknown selector \"team:x\" (email:, group:, service-token: or any)\n", r.err());
    }
}
