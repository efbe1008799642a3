package dev.ingresskit.director.kubernetes;

import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.Director;
import dev.ingresskit.director.EventLog;
import dev.ingresskit.director.Kernel;
import dev.ingresskit.director.kubernetes.internal.ApiServer;
import dev.ingresskit.ipvs.IpvsClient;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ingresskit.director.kubernetes.internal.Slices.port;
import static dev.ingresskit.director.kubernetes.internal.Slices.ready;
import static dev.ingresskit.director.kubernetes.internal.Slices.slice;
import static dev.ingresskit.director.kubernetes.internal.Slices.terminating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In the VM (kernel-tests/): a director whose backends come from fabric8's mock API server (CRUD
 * mode) programs the real kernel's IPVS — ready endpoints at their weight, a terminating one at
 * weight 0 and kept, a gone one deleted after the drain period, nothing dropped while the API
 * server is away — checked with ipvsadm. One test, short intervals: the guest is slow.
 */
@Tag("kernel")
class KubernetesDirectorKernelTest {
    private static final Pattern DEST = Pattern.compile("->\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)");
    private static final String CONFIG = """
            drain 2s
            service kube tcp 10.79.1.1:80
              scheduler mh mh-fallback
              tunnel gue port 6080
              check none
              backends from kubernetes default/ingress port http weight 3
            """;

    private final long started = System.nanoTime();

    /** Destination address:port → "Forward weight", in ipvsadm's order. */
    private static Map<String, String> ipvsadm() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Process p = new ProcessBuilder("ipvsadm", "-Ln", "-t", "10.79.1.1:80").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return out;
        }
        Matcher m = DEST.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2) + " " + m.group(3));
        }
        return out;
    }

    private void waitFor(Map<String, String> expected, String what) throws Exception {
        long start = System.nanoTime();
        while (!ipvsadm().equals(expected)) {
            if (System.nanoTime() - start > Duration.ofSeconds(120).toNanos()) {
                throw new AssertionError("timed out waiting for " + what + ": ipvsadm " + ipvsadm()
                        + ", expected " + expected);
            }
            Thread.sleep(100);
        }
        System.out.println("kubernetes kernel test: " + what + " at " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private static void pods(ApiServer server, Endpoint... endpoints) {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("http", 8080)), Arrays.asList(endpoints)));
    }

    @Test
    void endpointSlicesDriveTheKernelsIpvs() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread loop = null;
        try (ApiServer server = new ApiServer(); KubernetesClient client = server.newClient()) {
            pods(server, ready("10.79.0.11"), ready("10.79.0.12"));
            KubernetesBackendSource source = KubernetesBackendSource.builder().client(client)
                    .statusInterval(Duration.ofMillis(200)).build();
            Director director = Director.builder(ConfigParser.parse(CONFIG, "kube.conf"))
                    .kernel(Kernel.live(IpvsClient.open())).eventLog(EventLog.discard()).backendSource(source).build();
            loop = Thread.ofPlatform().name("director").start(() -> {
                try (director) {
                    director.run(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waitFor(Map.of("10.79.0.11:80", "Tunnel 3", "10.79.0.12:80", "Tunnel 3"), "two ready pods");
            String saved = new String(new ProcessBuilder("ipvsadm", "-Sn").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(saved.contains("-a -t 10.79.1.1:80 -r 10.79.0.12:80 -i -w 3 --tun-type gue --tun-port 6080"),
                    saved);

            // Rollout: a new pod ready, an old one terminating (weight 0, still a destination).
            pods(server, terminating("10.79.0.11"), ready("10.79.0.12"), ready("10.79.0.13"));
            waitFor(Map.of("10.79.0.11:80", "Tunnel 0", "10.79.0.12:80", "Tunnel 3", "10.79.0.13:80", "Tunnel 3"),
                    "the old pod drained, the new one in");

            // The API server goes away: the kernel keeps every destination.
            server.stopApi();
            Thread.sleep(3_000);   // longer than the drain period
            assertEquals(Map.of("10.79.0.11:80", "Tunnel 0", "10.79.0.12:80", "Tunnel 3", "10.79.0.13:80", "Tunnel 3"),
                    ipvsadm(), "nothing dropped while the API server is away");
            assertTrue(director.stateJson().contains("\"sources\":[{\"kind\":\"kubernetes\",\"synced\":false"),
                    director.stateJson());
            server.startApi();

            // The old pod gone: deleted after the drain period.
            pods(server, ready("10.79.0.12"), ready("10.79.0.13"));
            waitFor(Map.of("10.79.0.12:80", "Tunnel 3", "10.79.0.13:80", "Tunnel 3"), "the old pod deleted");
            assertTrue(director.stateJson().contains("\"canonical_order\":\"true\""), director.stateJson());
        } finally {
            stop.set(true);
            if (loop != null) {
                loop.join(30_000);
            }
            new ProcessBuilder("ipvsadm", "-D", "-t", "10.79.1.1:80").start().waitFor();
        }
    }
}
