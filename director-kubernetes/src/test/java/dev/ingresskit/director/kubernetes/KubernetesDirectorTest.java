package dev.ingresskit.director.kubernetes;

import dev.ingresskit.director.ConfigException;
import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.Director;
import dev.ingresskit.director.DiscoveredBackends;
import dev.ingresskit.director.EventLog;
import dev.ingresskit.director.Kernel;
import dev.ingresskit.director.Metrics;
import dev.ingresskit.director.ServiceConfig;
import dev.ingresskit.director.kubernetes.internal.ApiServer;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Predicate;

import static dev.ingresskit.director.kubernetes.internal.Slices.port;
import static dev.ingresskit.director.kubernetes.internal.Slices.ready;
import static dev.ingresskit.director.kubernetes.internal.Slices.slice;
import static dev.ingresskit.director.kubernetes.internal.Slices.terminating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The director's reconcile loop on a model kernel, fed by {@link KubernetesBackendSource} from
 * fabric8's mock API server in CRUD mode: ready, terminating and gone endpoints become weights,
 * drains and deletes, in canonical order with the same table as file backends, and an API server
 * that goes away changes nothing but the source's status in {@code /state} and {@code /metrics}.
 */
class KubernetesDirectorTest {
    private static final String CONFIG = """
            drain 20s
            service web tcp 192.0.2.10:443
              scheduler mh mh-fallback
              tunnel gue port 6080
              check none
              backends from kubernetes default/ingress port https weight 5
            """;

    private static final class Clock implements InstantSource {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Clock clock = new Clock();
    private final Kernel kernel = Kernel.model(IpvsState.EMPTY);
    private final Metrics metrics = new Metrics();
    private ApiServer server;
    private KubernetesClient client;
    private KubernetesBackendSource source;

    @BeforeEach
    void start() {
        server = new ApiServer();
        client = server.newClient();
        source = KubernetesBackendSource.builder().client(client).statusInterval(Duration.ofMillis(25)).clock(clock)
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
        source.close();
        client.close();
    }

    private Director director(String config) throws ConfigException {
        return Director.builder(ConfigParser.parse(config, "k.conf")).kernel(kernel).clock(clock)
                .eventLog(EventLog.discard()).metrics(metrics).backendSource(source).build();
    }

    private void applyPods(String... endpoints) {
        var list = java.util.Arrays.stream(endpoints)
                .map(e -> e.startsWith("~") ? terminating(e.substring(1)) : ready(e)).toList();
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), list));
    }

    /** Waits until the source answers as expected, then runs one round of the director. */
    private void settle(Director d, Predicate<DiscoveredBackends> until, String what) throws Exception {
        ServiceConfig web = d.config().services().getFirst();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!until.test(source.backends(web))) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + ": " + source.backends(web));
            }
            Thread.sleep(20);
        }
        d.checkAll();
        d.reconcile();
    }

    private static Predicate<DiscoveredBackends> backends(int count) {
        return b -> b.status().synced() && b.backends().size() == count;
    }

    private List<String> destinations() throws Exception {
        return kernel.state().services().getFirst().destinations().stream().map(Destination::toString).toList();
    }

    private static String dest(String address, int weight) {
        return address + ":443 tunnel w=" + weight + " tun=gue:6080 nocsum";
    }

    @Test
    void readyTerminatingAndGoneBecomeWeightsDrainsAndDeletes() throws Exception {
        applyPods("10.0.0.3", "10.0.0.1", "10.0.0.2");
        try (Director d = director(CONFIG)) {
            settle(d, backends(3), "three ready pods");
            // Canonical order: the kernel lists newest first, the director adds highest first.
            assertEquals(List.of(dest("10.0.0.1", 5), dest("10.0.0.2", 5), dest("10.0.0.3", 5)).reversed(),
                    destinations());
            assertTrue(d.stateJson().contains("\"canonical_order\":\"true\""), d.stateJson());

            // Rollout: a new pod ready, an old one terminating (drained: weight 0, kept).
            applyPods("~10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
            settle(d, b -> b.backends().size() == 4 && b.backends().stream().anyMatch(DiscoveredBackends.Backend::draining),
                    "the rollout");
            assertEquals(List.of(dest("10.0.0.4", 5), dest("10.0.0.3", 5), dest("10.0.0.2", 5), dest("10.0.0.1", 0)),
                    destinations());
            // The old pod gone: it drains for the config's period like a removed backend line...
            applyPods("10.0.0.2", "10.0.0.3", "10.0.0.4");
            settle(d, backends(3), "the old pod gone");
            assertEquals(List.of(dest("10.0.0.4", 5), dest("10.0.0.3", 5), dest("10.0.0.2", 5), dest("10.0.0.1", 0)),
                    destinations());
            assertTrue(d.stateJson().contains("\"draining\":[{\"service\":\"web\""), d.stateJson());
            // ...then is deleted.
            clock.now = clock.now.plusSeconds(21);
            d.checkAll();
            d.reconcile();
            assertEquals(List.of(dest("10.0.0.4", 5), dest("10.0.0.3", 5), dest("10.0.0.2", 5)), destinations());
            assertTrue(d.stateJson().contains("\"canonical_order\":\"true\""), d.stateJson());

            // The same backends as file lines, in another order, on a fresh kernel: the same table.
            Kernel other = Kernel.model(IpvsState.EMPTY);
            String file = CONFIG.replace("  backends from kubernetes default/ingress port https weight 5\n",
                    "  backend 10.0.0.3 port 8443 weight 5\n  backend 10.0.0.2 port 8443 weight 5\n  backend 10.0.0.4 port 8443 weight 5\n");
            try (Director fromFile = Director.builder(ConfigParser.parse(file, "f.conf")).kernel(other).clock(clock)
                    .eventLog(EventLog.discard()).build()) {
                fromFile.checkAll();
                fromFile.reconcile();
                assertEquals(fromFile.tableFingerprints(), d.tableFingerprints());
                assertEquals(other.state().services(), kernel.state().services());
            }
        }
    }

    @Test
    void apiServerAwayKeepsTheLastKnownBackendsAndSaysSo() throws Exception {
        applyPods("10.0.0.1", "10.0.0.2");
        try (Director d = director(CONFIG)) {
            settle(d, backends(2), "two ready pods");
            assertTrue(metrics.render().contains("director_source_synced{kind=\"kubernetes\"} 1"), metrics.render());
            String fingerprint = d.tableFingerprints().get("web");

            server.stopApi();
            settle(d, b -> !b.status().synced(), "the source to notice");
            clock.now = clock.now.plusSeconds(60);   // longer than the drain period
            d.checkAll();
            d.reconcile();
            assertEquals(List.of(dest("10.0.0.2", 5), dest("10.0.0.1", 5)), destinations(), "nothing dropped");
            assertEquals(fingerprint, d.tableFingerprints().get("web"));
            String state = d.stateJson();
            assertTrue(state.contains("\"sources\":[{\"kind\":\"kubernetes\",\"synced\":false,"), state);
            assertTrue(state.contains("keeping the 2 last known endpoint(s)"), state);
            assertTrue(metrics.render().contains("director_source_synced{kind=\"kubernetes\"} 0"), metrics.render());

            // Back: in sync again, and changes flow.
            server.startApi();
            settle(d, b -> b.status().synced(), "the watch to resume");
            assertTrue(metrics.render().contains("director_source_synced{kind=\"kubernetes\"} 1"), metrics.render());
            assertTrue(d.stateJson().contains("\"sources\":[{\"kind\":\"kubernetes\",\"synced\":true,"), d.stateJson());
            applyPods("10.0.0.1", "~10.0.0.2");
            settle(d, b -> b.backends().stream().anyMatch(DiscoveredBackends.Backend::draining), "the drain");
            assertEquals(List.of(dest("10.0.0.2", 0), dest("10.0.0.1", 5)), destinations());
        }
    }

    @Test
    void scaleToZeroIsBelievedWhileInSync() throws Exception {
        applyPods("10.0.0.1");
        try (Director d = director(CONFIG)) {
            settle(d, backends(1), "one pod");
            applyPods();
            settle(d, backends(0), "scaled to zero");
            clock.now = clock.now.plusSeconds(21);
            d.checkAll();
            d.reconcile();
            assertEquals(List.of(), destinations(), "an in-sync empty Service empties the service after the drain");
            applyPods("10.0.0.9");
            settle(d, backends(1), "scaled back");
            assertEquals(List.of(dest("10.0.0.9", 5)), destinations());
        }
    }

    @Test
    void badArgumentsAreConfigErrorsAtTheirLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> director(CONFIG.replace("port https", "port HTTPS")));
        assertEquals("config:6: backends from: port name 'HTTPS' is not an IANA service name (at most 15 characters)",
                e.getMessage());
        assertNotEquals(null, source);
    }
}
