package dev.ingresskit.director.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ingresskit.director.kubernetes.internal.Slices.port;
import static dev.ingresskit.director.kubernetes.internal.Slices.ready;
import static dev.ingresskit.director.kubernetes.internal.Slices.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Both ways a director finds its API server: a kubeconfig file, and the in-cluster service account. */
class KubernetesClientsTest {
    private static final Subscription HTTPS =
            new Subscription(KubernetesQuery.parse(List.of("default/ingress", "port", "https")), "TCP");

    @Test
    void kubeconfigFileWithANamedContext(@TempDir Path dir) throws Exception {
        try (ApiServer server = new ApiServer()) {
            server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.1"))));
            Path kubeconfig = dir.resolve("config");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: http://127.0.0.1:%d
                    - name: nowhere
                      cluster:
                        server: http://127.0.0.1:1
                    users:
                    - name: director
                      user:
                        token: kubeconfig-token
                    contexts:
                    - name: nowhere
                      context: {cluster: nowhere, user: director}
                    - name: director
                      context: {cluster: mock, user: director, namespace: default}
                    current-context: nowhere
                    """.formatted(server.apiPort()));
            try (KubernetesClient client = KubernetesClients.create(kubeconfig, "director")) {
                assertEquals(List.of("10.0.0.1:8443 w1"), syncedBackends(client));
            }
            assertEquals("Bearer kubeconfig-token", server.lastAuthorization());
        }
    }

    @Test
    void missingKubeconfigIsNamed(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KubernetesClients.create(dir.resolve("nope"), null));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not a readable file"), e.getMessage());
    }

    /**
     * In a pod fabric8 finds the API server in KUBERNETES_SERVICE_HOST/_PORT and the service
     * account's token file. Its settings read system properties before environment variables,
     * which lets the test point them at the mock server (TLS, as in-cluster is always https) and a
     * token file of its own, and switch off the kubeconfig fallback.
     */
    @Test
    void inClusterServiceAccount(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "service-account-token");
        Map<String, String> saved = new HashMap<>();
        try (ApiServer server = new ApiServer(true)) {
            server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.2"))));
            Map<String, String> props = Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", Integer.toString(server.apiPort()),
                    "kubernetes.auth.serviceAccount.token", token.toString(),
                    "kubernetes.certs.ca.file", dir.resolve("no-ca.crt").toString(),
                    "kubernetes.trust.certificates", "true",
                    "kubernetes.auth.tryKubeConfig", "false",
                    "kubernetes.namespace", "default");
            props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
            try (KubernetesClient client = KubernetesClients.create(null, null)) {
                assertTrue(client.getMasterUrl().toString().startsWith("https://127.0.0.1:" + server.apiPort()),
                        client.getMasterUrl().toString());
                assertEquals(List.of("10.0.0.2:8443 w1"), syncedBackends(client));
            }
            assertEquals("Bearer service-account-token", server.lastAuthorization());
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    private static List<String> syncedBackends(KubernetesClient client) throws InterruptedException {
        try (SliceWatchers w = new SliceWatchers(client, Duration.ZERO, Duration.ofMillis(25), InstantSource.system())) {
            w.watch(List.of(HTTPS), () -> { });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(w.view(HTTPS).synced() && !w.view(HTTPS).endpoints().isEmpty())) {
                if (System.nanoTime() > deadline) {
                    fail("never synced: " + w.view(HTTPS));
                }
                Thread.sleep(20);
            }
            return SliceWatchersTest.backends(w.view(HTTPS));
        }
    }
}
