package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.DiscoveredBackends.Backend;
import dev.ingresskit.director.DiscoveredBackends.SourceStatus;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.VirtualService;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The backend-source seam: the reconcile loop follows a source exactly as it follows backend lines. */
class BackendSourceTest {
    private static final String CONFIG = """
            drain 20s
            service web tcp 192.0.2.10:443
              scheduler mh mh-fallback
              tunnel gue port 6080
              check none
              backends from scripted web-pods
            """;

    /** A source whose answer the test sets: the seam's contract, no director code behind it. */
    private static final class ScriptedSource implements BackendSource {
        volatile List<Backend> backends = List.of();
        volatile SourceStatus status = new SourceStatus(true, Instant.EPOCH, null);
        volatile Runnable onChange;
        final AtomicInteger watched = new AtomicInteger();
        volatile boolean closed;

        @Override
        public String kind() {
            return "scripted";
        }

        @Override
        public void validate(List<String> arguments) {
            if (arguments.size() != 1) {
                throw new IllegalArgumentException("expected one pod set name, got " + arguments);
            }
        }

        @Override
        public void watch(List<ServiceConfig> services, Runnable onChange) {
            watched.incrementAndGet();
            this.onChange = onChange;
            assertEquals(List.of("web"), services.stream().map(ServiceConfig::name).toList());
        }

        @Override
        public DiscoveredBackends backends(ServiceConfig service) {
            return new DiscoveredBackends(backends, status);
        }

        @Override
        public void close() {
            closed = true;
        }

        void set(Backend... b) {
            backends = List.of(b);
            onChange.run();
        }
    }

    private static Backend b(String address, int weight, boolean draining) throws Exception {
        return new Backend(InetAddress.getByName(address), 0, weight, draining);
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Kernel kernel = Kernel.model(IpvsState.EMPTY);
    private final Metrics metrics = new Metrics();

    private List<String> destinations() throws Exception {
        VirtualService v = kernel.state().services().getFirst();
        return v.destinations().stream().map(Destination::toString).toList();
    }

    private void tick(Director d, Duration by) throws Exception {
        clock.advance(by);
        d.checkAll();
        d.reconcile();
    }

    @Test
    void readyDrainingAndGoneBackendsBecomeWeightsDrainsAndDeletes() throws Exception {
        ScriptedSource source = new ScriptedSource();
        try (Director d = Director.builder(ConfigParser.parse(CONFIG, "s.conf")).kernel(kernel).clock(clock)
                .eventLog(EventLog.discard()).metrics(metrics).backendSource(source).build()) {
            assertEquals(1, source.watched.get());
            source.set(b("10.0.0.3", 5, false), b("10.0.0.1", 5, false), b("10.0.0.2", 5, true));
            tick(d, Duration.ZERO);
            assertEquals(List.of("10.0.0.3:443 tunnel w=5 tun=gue:6080 nocsum", "10.0.0.2:443 tunnel w=0 tun=gue:6080 nocsum",
                    "10.0.0.1:443 tunnel w=5 tun=gue:6080 nocsum"), destinations(), "canonical order; draining at 0");

            source.set(b("10.0.0.3", 5, false), b("10.0.0.2", 5, false)); // .1 gone, .2 ready
            tick(d, Duration.ZERO);
            assertEquals(List.of("10.0.0.3:443 tunnel w=5 tun=gue:6080 nocsum", "10.0.0.2:443 tunnel w=5 tun=gue:6080 nocsum",
                    "10.0.0.1:443 tunnel w=0 tun=gue:6080 nocsum"), destinations(), ".1 drains");
            tick(d, Duration.ofSeconds(21));
            assertEquals(2, destinations().size(), "deleted after the drain period");

            // The source loses its origin: last known backends stay, and /state and /metrics say so.
            source.status = new SourceStatus(false, clock.instant(), "API server unreachable: connection refused");
            tick(d, Duration.ofSeconds(1));
            assertEquals(2, destinations().size(), "never dropped because discovery is down");
            String state = d.stateJson();
            assertTrue(state.contains("\"sources\":[{\"kind\":\"scripted\",\"synced\":false,"), state);
            assertTrue(state.contains("\"problem\":\"API server unreachable: connection refused\""), state);
            assertTrue(state.contains("\"backends_from\":\"backends from scripted web-pods\""), state);
            assertTrue(state.contains("\"canonical_order\":\"true\""), state);
            assertEquals(0.0, metrics.value(Metrics.SOURCE_SYNCED, "kind", "scripted"));
            assertTrue(metrics.render().contains("director_mh_table_info{service=\"web\",fingerprint=\""
                    + d.tableFingerprints().get("web") + "\"} 1"), metrics.render());
        }
        assertTrue(source.closed, "the director closes its sources");
    }

    @Test
    void aLowerNewBackendIsPlacedByReAddingTheOnesAboveIt() throws Exception {
        ScriptedSource source = new ScriptedSource();
        try (Director d = Director.builder(ConfigParser.parse(CONFIG, "s.conf")).kernel(kernel).clock(clock)
                .eventLog(EventLog.discard()).metrics(metrics).backendSource(source).build()) {
            source.set(b("10.0.0.5", 1, false), b("10.0.0.7", 1, false));
            tick(d, Duration.ZERO);
            String before = d.tableFingerprints().get("web");
            source.set(b("10.0.0.5", 1, false), b("10.0.0.7", 1, false), b("10.0.0.6", 1, false));
            tick(d, Duration.ZERO);
            Director.Run run = d.lastRun();
            assertEquals(1, run.reAdded(), run.changes().toString());
            assertEquals(3, run.changes().size(), "add .6, delete + add .7: " + run.changes());
            assertEquals(1.0, metrics.value(Metrics.REORDERS));
            assertTrue(!before.equals(d.tableFingerprints().get("web")));
            // The same set reached fresh: same table.
            Kernel other = Kernel.model(IpvsState.EMPTY);
            ScriptedSource same = new ScriptedSource();
            try (Director fresh = Director.builder(ConfigParser.parse(CONFIG, "s.conf")).kernel(other).clock(clock)
                    .eventLog(EventLog.discard()).backendSource(same).build()) {
                same.set(b("10.0.0.7", 1, false), b("10.0.0.6", 1, false), b("10.0.0.5", 1, false));
                fresh.checkAll();
                fresh.reconcile();
                assertEquals(d.tableFingerprints(), fresh.tableFingerprints());
                assertEquals(kernel.state().services(), other.state().services());
            }
        }
    }

    @Test
    void unknownKindsAndRefusedArgumentsAreConfigErrorsAtTheirLine() throws Exception {
        DirectorConfig config = ConfigParser.parse(CONFIG, "s.conf");
        ConfigException none = assertThrows(ConfigException.class,
                () -> Director.builder(config).kernel(kernel).build());
        assertEquals("config:6: backends from: no backend source of kind 'scripted' (none is registered)",
                none.getMessage());
        DirectorConfig bad = ConfigParser.parse(CONFIG.replace("web-pods", "a b"), "s.conf");
        ConfigException refused = assertThrows(ConfigException.class,
                () -> Director.builder(bad).kernel(kernel).backendSource(new ScriptedSource()).build());
        assertEquals("config:6: backends from: expected one pod set name, got [a, b]", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Director.builder(config).backendSource(new ScriptedSource())
                .backendSource(new ScriptedSource()));
        assertThrows(IllegalStateException.class, () -> Director.builder(config).build(), "a kernel is required");
    }
}
