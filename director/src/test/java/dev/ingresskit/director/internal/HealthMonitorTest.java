package dev.ingresskit.director.internal;

import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.BackendConfig;
import dev.ingresskit.director.Health;
import dev.ingresskit.director.HealthProbe;
import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String CONFIG = """
            service web tcp 192.0.2.1:80
              check tcp interval 2s timeout 1s rise 2 fall 3
              backend 127.0.0.11
              backend 127.0.0.12
            """;

    private final MutableClock clock = new MutableClock(T0);
    /** Which addresses pass their check right now. */
    private final Map<InetAddress, Boolean> passing = new ConcurrentHashMap<>();
    private final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

    private HealthMonitor monitor(int threads) {
        return new HealthMonitor((address, port, check) -> new HealthProbe.Result(passing.getOrDefault(address, false),
                address.getHostAddress() + ":" + port), clock, threads, (ref, result, latency, t) -> {
                    if (t != null) {
                        events.add(ref + " " + t.from() + "->" + t.to());
                    }
                });
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private void tick(HealthMonitor m) throws Exception {
        m.runDue();
        assertTrue(m.awaitIdle(Duration.ofSeconds(10)));
    }

    @Test
    void checksFollowTheClockAndRiseFall() throws Exception {
        try (HealthMonitor m = monitor(4)) {
            update(m, ConfigParser.parse(CONFIG, "c"));
            BackendRef a = new BackendRef("web", ip("127.0.0.11"), 80);
            BackendRef b = new BackendRef("web", ip("127.0.0.12"), 80);
            assertEquals(Health.UNKNOWN, m.health(a));
            assertEquals(T0, m.nextDue());
            passing.put(ip("127.0.0.11"), true);
            tick(m);
            assertEquals(Health.UP, m.health(a));
            assertEquals(Health.DOWN, m.health(b));
            assertEquals(List.of("web/127.0.0.11:80 UNKNOWN->UP", "web/127.0.0.12:80 UNKNOWN->DOWN"),
                    events.stream().sorted().toList());
            assertEquals(T0.plusSeconds(2), m.nextDue());
            assertEquals("127.0.0.11:80", m.snapshot().get(a).lastDetail());

            // nothing is due before the interval has passed
            clock.advance(Duration.ofMillis(1999));
            assertEquals(0, m.runDue());
            passing.put(ip("127.0.0.11"), false);
            passing.put(ip("127.0.0.12"), true);
            for (int i = 1; i <= 2; i++) {
                clock.advance(Duration.ofSeconds(2));
                tick(m);
            }
            // two failures < fall 3; two successes = rise 2
            assertEquals(Health.UP, m.health(a));
            assertEquals(Health.UP, m.health(b));
            clock.advance(Duration.ofSeconds(2));
            tick(m);
            assertEquals(Health.DOWN, m.health(a));
            assertEquals(2, m.snapshot().get(a).transitions());
        }
    }

    @Test
    void reloadKeepsStateOfBackendsThatStayAndForgetsRemovedOnes() throws Exception {
        try (HealthMonitor m = monitor(2)) {
            update(m, ConfigParser.parse(CONFIG, "c"));
            passing.put(ip("127.0.0.11"), true);
            tick(m);
            update(m, ConfigParser.parse("""
                    service web tcp 192.0.2.1:80
                      check tcp interval 2s timeout 1s rise 2 fall 3
                      backend 127.0.0.11
                      backend 127.0.0.13
                    """, "c2"));
            Map<BackendRef, HealthMonitor.View> s = m.snapshot();
            assertEquals(2, s.size());
            assertEquals(Health.UP, s.get(new BackendRef("web", ip("127.0.0.11"), 80)).health());
            assertEquals(Health.UNKNOWN, s.get(new BackendRef("web", ip("127.0.0.13"), 80)).health());
            assertNull(s.get(new BackendRef("web", ip("127.0.0.12"), 80)));
            assertEquals(1, m.runDue(), "only the new backend is due at once");
            assertTrue(m.awaitIdle(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aChangedCheckIsDueWithinItsNewInterval() throws Exception {
        try (HealthMonitor m = monitor(2)) {
            update(m, ConfigParser.parse("service w tcp 192.0.2.1:80\ncheck tcp interval 1h timeout 1s\n"
                    + "backend 127.0.0.11\n", "c"));
            tick(m);
            assertEquals(T0.plusSeconds(3600), m.nextDue());
            update(m, ConfigParser.parse("service w tcp 192.0.2.1:80\ncheck tcp interval 5s timeout 1s\n"
                    + "backend 127.0.0.11\n", "c"));
            assertEquals(T0.plusSeconds(5), m.nextDue());
        }
    }

    @Test
    void neverRunsMoreChecksAtOnceThanAllowed() throws Exception {
        StringBuilder config = new StringBuilder("service w tcp 192.0.2.1:80\n");
        for (int i = 1; i <= 20; i++) {
            config.append("backend 127.0.1.").append(i).append('\n');
        }
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (HealthMonitor m = new HealthMonitor((address, port, check) -> {
            int n = now.incrementAndGet();
            max.accumulateAndGet(n, Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return new HealthProbe.Result(true, "ok");
        }, clock, 3, (ref, result, latency, t) -> { })) {
            update(m, ConfigParser.parse(config.toString(), "c"));
            assertEquals(20, m.runDue());
            Thread.sleep(200);
            assertEquals(3, now.get(), "three checks hold the three slots");
            assertEquals(0, m.runDue(), "running checks are not started twice");
            release.countDown();
            assertTrue(m.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(3, max.get());
            assertEquals(20, m.snapshot().values().stream().filter(v -> v.health() == Health.UP).count());
        }
    }

    @Test
    void aProbeThatThrowsCountsAsAFailure() throws Exception {
        try (HealthMonitor m = new HealthMonitor((address, port, check) -> {
            throw new IllegalStateException("boom");
        }, clock, 1, (ref, result, latency, t) -> { })) {
            update(m, ConfigParser.parse("service w tcp 192.0.2.1:80\nbackend 127.0.0.11\n", "c"));
            tick(m);
            HealthMonitor.View v = m.snapshot().values().iterator().next();
            assertEquals(Health.DOWN, v.health());
            assertTrue(v.lastDetail().contains("boom"), v.lastDetail());
        }
    }

    /** The monitor follows a config's own backend lines. */
    private static void update(HealthMonitor m, DirectorConfig config) {
        java.util.Map<String, java.util.List<BackendConfig>> backends = new java.util.HashMap<>();
        config.services().forEach(s -> backends.put(s.name(), s.backends()));
        m.update(config.services(), backends);
    }
}
