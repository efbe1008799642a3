package dev.ingresskit.director.kubernetes;

import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.Director;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.EventLog;
import dev.ingresskit.director.Kernel;
import dev.ingresskit.director.kubernetes.internal.ApiServer;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.testsupport.ReadmeSnippet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.ingresskit.director.kubernetes.internal.Slices.port;
import static dev.ingresskit.director.kubernetes.internal.Slices.ready;
import static dev.ingresskit.director.kubernetes.internal.Slices.slice;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The README's library snippet, compiled and run as written against the mock API server. */
class ReadmeTest {
    @Test
    void theLibrarySnippetFollowsAService(@TempDir Path dir) throws Exception {
        ReadmeSnippet.assertInSync("README.md",
                "src/test/java/dev/ingresskit/director/kubernetes/ReadmeTest.java", "kubernetes");
        try (ApiServer server = new ApiServer()) {
            server.apply(slice("edge-a", "edge", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.1"))));
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: u, user: {token: t}}]
                    contexts: [{name: c, context: {cluster: c, user: u}}]
                    current-context: c
                    """.formatted(server.apiPort()));
            DirectorConfig config = ConfigParser.parse("""
                    service web tcp 198.51.100.10:443
                      scheduler mh mh-fallback
                      tunnel gue port 6080
                      check none
                      backends from kubernetes default/edge port https weight 10
                    """, "readme.conf");

            // snippet: kubernetes
            Director director = Director.builder(config)
                    .kernel(Kernel.model(IpvsState.EMPTY))             // Kernel.live(IpvsClient.open()) for real
                    .backendSource(KubernetesBackendSource.builder()
                            .kubeconfig(kubeconfig)                   // default: in-cluster, $KUBECONFIG, ~/.kube/config
                            .build())
                    .eventLog(EventLog.discard())
                    .build();
            // end snippet

            try (director) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                String plan = "";
                // The first list can arrive a moment before the watch is open (synced).
                while (!plan.contains("10.0.0.1:443 tunnel w=10") || !director.stateJson().contains("\"synced\":true")) {
                    if (System.nanoTime() > deadline) {
                        fail("never planned the pod: " + plan);
                    }
                    Thread.sleep(50);
                    director.checkAll();
                    plan += director.reconcile().plan().toString();
                }
                assertTrue(director.stateJson().contains("\"sources\":[{\"kind\":\"kubernetes\",\"synced\":true"),
                        director.stateJson());
            }
        }
    }
}
