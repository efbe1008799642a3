package dev.ingresskit.examples.director;

import static dev.ingresskit.director.kubernetes.internal.Slices.port;
import static dev.ingresskit.director.kubernetes.internal.Slices.ready;
import static dev.ingresskit.director.kubernetes.internal.Slices.slice;
import static dev.ingresskit.director.kubernetes.internal.Slices.terminating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.kubernetes.internal.ApiServer;
import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code director --kubeconfig FILE} with a config that says {@code backends from kubernetes}. */
class DirectorKubernetesCommandTest {
    private static final String CONFIG = """
            service web tcp 192.0.2.10:443
              scheduler mh mh-fallback
              tunnel gue port 6080
              check none
              backends from kubernetes default/ingress port https weight 5
            """;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        DirectorCommand c = new DirectorCommand();
        return c.run(Arguments.parse(c.options(), List.of(args)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void backendsFromKubernetesThroughAKubeconfig(@TempDir Path dir) throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                    List.of(ready("10.0.0.1"), ready("10.0.0.2"), terminating("10.0.0.3"))));
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: director, user: {token: t}}]
                    contexts: [{name: mock, context: {cluster: mock, user: director}}]
                    current-context: mock
                    """.formatted(server.apiPort()));
            Path config = dir.resolve("director.conf");
            Files.writeString(config, CONFIG);
            assertEquals(0, run("--config", config.toString(), "--dry-run", "--once", "--no-messages",
                    "--kubeconfig", kubeconfig.toString()));
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("1 service(s), 3 backend(s)"), text);
            assertTrue(text.contains("\nbackends from kubernetes: in sync\n"), text);
            assertTrue(text.contains("+ dest tcp 192.0.2.10:443 -> 10.0.0.1:443 tunnel w=5 tun=gue:6080"), text);
            assertTrue(text.contains("+ dest tcp 192.0.2.10:443 -> 10.0.0.2:443 tunnel w=5 tun=gue:6080"), text);
            assertTrue(text.contains("+ dest tcp 192.0.2.10:443 -> 10.0.0.3:443 tunnel w=0 tun=gue:6080"), text);
        }
    }

    @Test
    void argumentMistakesAndAMissingKubeconfigAreUsageErrors(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("director.conf");
        Files.writeString(config, CONFIG.replace("weight 5", "weight five"));
        UsageException bad = assertThrows(UsageException.class, () -> run("--config", config.toString(), "--dry-run",
                "--once"));
        assertTrue(bad.getMessage().endsWith(":5: backends from: weight 'five' is not a number"), bad.getMessage());
        Files.writeString(config, CONFIG);
        UsageException missing = assertThrows(UsageException.class, () -> run("--config", config.toString(),
                "--dry-run", "--once", "--kubeconfig", dir.resolve("nope").toString()));
        assertTrue(missing.getMessage().contains("nope is not a readable file"), missing.getMessage());
        // An API server nobody answers at: the one-shot run waits for the first list, then says so.
        Path dead = dir.resolve("dead");
        Files.writeString(dead, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: c, user: u}}]
                current-context: c
                """);
        assertEquals(0, run("--config", config.toString(), "--dry-run", "--once", "--no-messages",
                "--kubeconfig", dead.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("1 service(s), 0 backend(s)"), text);
        assertTrue(text.contains("backends from kubernetes: NOT in sync, EndpointSlices of default/ingress not listed yet"),
                text);
    }
}
