package dev.ingresskit.director;

import dev.ingresskit.testsupport.HttpGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The director end to end with a model kernel, a scripted probe and a hand-moved clock. */
class DirectorTest {
    private static final String CONFIG = """
            http 127.0.0.1:0
            drain 20s
            service web tcp 192.0.2.10:443
              scheduler mh mh-fallback
              tunnel gue port 6080
              check tcp port 8080 interval 2s timeout 1s rise 2 fall 2
              backend 127.0.0.11 weight 100
              backend 127.0.0.12 weight 100
            """;

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<InetAddress, Boolean> passing = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final Metrics metrics = new Metrics();
    private final Kernel kernel = Kernel.model(IpvsState.EMPTY);

    private Director director(Path file) throws Exception {
        return Director.builder(ConfigParser.parse(file)).configFile(file).kernel(kernel)
                .probe((address, port, check) -> new HealthProbe.Result(passing.getOrDefault(address, false), "scripted"))
                .clock(clock).eventLog(new EventLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8), clock))
                .metrics(metrics).build();
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("director.conf");
        Path tmp = dir.resolve("director.conf.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private int weight(String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        return kernel.state().services().getFirst().destinations().stream().filter(d -> d.address().equals(a))
                .mapToInt(Destination::weight).findFirst().orElse(-1);
    }

    private void tick(Director d, Duration by) throws Exception {
        clock.advance(by);
        d.checkAll();
        d.reconcile();
    }

    @Test
    void healthDrivesWeightsWithStructuredLogsAndMetrics() throws Exception {
        passing.put(InetAddress.getByName("127.0.0.11"), true);
        passing.put(InetAddress.getByName("127.0.0.12"), true);
        try (Director d = director(write(CONFIG))) {
            assertEquals("starting: no reconcile yet", d.problem().orElseThrow());
            tick(d, Duration.ZERO);
            assertEquals(100, weight("127.0.0.11"));
            assertEquals(100, weight("127.0.0.12"));
            assertTrue(d.problem().isEmpty());
            assertTrue(log().contains("event=change kind=create_destination service=web vip=\"tcp 192.0.2.10:443\" "
                    + "backend=127.0.0.11:443 weight=100 dry_run=true"), log());

            passing.put(InetAddress.getByName("127.0.0.12"), false);
            tick(d, Duration.ofSeconds(2));
            assertEquals(100, weight("127.0.0.12"), "one failure < fall 2");
            tick(d, Duration.ofSeconds(2));
            assertEquals(0, weight("127.0.0.12"), "down after fall x interval");
            assertEquals(100, weight("127.0.0.11"));
            assertTrue(log().contains("event=health service=web backend=127.0.0.12:443 from=up to=down detail=scripted"),
                    log());
            assertTrue(log().contains("event=change kind=update_destination service=web vip=\"tcp 192.0.2.10:443\" "
                    + "backend=127.0.0.12:443 weight=0 was=100 dry_run=true"), log());
            assertEquals(1.0, metrics.value(Metrics.HEALTH_TRANSITIONS, "service", "web", "backend", "127.0.0.12:443",
                    "to", "down"));
            assertEquals(0.0, metrics.value(Metrics.BACKEND_WEIGHT, "service", "web", "backend", "127.0.0.12:443"));
            assertEquals(100.0, metrics.value(Metrics.BACKEND_CONFIGURED_WEIGHT, "service", "web", "backend",
                    "127.0.0.12:443"));
            assertEquals(4.0, metrics.value(Metrics.CHECKS, "service", "web", "result", "pass"));

            passing.put(InetAddress.getByName("127.0.0.12"), true);
            tick(d, Duration.ofSeconds(2));
            assertEquals(0, weight("127.0.0.12"), "one success < rise 2");
            tick(d, Duration.ofSeconds(2));
            assertEquals(100, weight("127.0.0.12"));
            Director.Run run = d.lastRun();
            assertEquals(1, run.changes().size());
            assertNull(run.error());
            String state = d.stateJson();
            assertTrue(state.startsWith("{\"dry_run\":true,"), state);
            assertTrue(state.contains("\"address\":\"127.0.0.12\",\"port\":443,\"ipvs_port\":443,\"check_port\":8080,"
                    + "\"configured_weight\":100,\"weight\":100,\"health\":\"up\""), state);
            assertTrue(state.contains("\"plan\":[\"~ dest tcp 192.0.2.10:443 -> 127.0.0.12:443"), state);
        }
    }

    @Test
    void reloadAppliesOnlyTheDifferenceAndRejectsBadConfigs() throws Exception {
        passing.put(InetAddress.getByName("127.0.0.11"), true);
        passing.put(InetAddress.getByName("127.0.0.12"), true);
        passing.put(InetAddress.getByName("127.0.0.13"), true);
        Path file = write(CONFIG);
        try (Director d = director(file)) {
            tick(d, Duration.ZERO);
            write(CONFIG.replace("backend 127.0.0.12 weight 100", "backend 127.0.0.12 weight 50"));
            assertTrue(d.reload());
            tick(d, Duration.ZERO);
            assertEquals("[~ dest tcp 192.0.2.10:443 -> 127.0.0.12:443 tunnel w=50 tun=gue:6080 nocsum  (was "
                    + "127.0.0.12:443 tunnel w=100 tun=gue:6080 nocsum)]",
                    d.lastRun().changes().toString());

            write(CONFIG + "  backend 127.0.0.13 weight nine\n");
            assertFalse(d.reload());
            assertTrue(log().contains("event=config-rejected file=" + file + " line=9 field=\"backend weight\" "
                    + "problem=\"'nine' is not a number\" kept=\"previous config\""), log());
            assertEquals(1.0, metrics.value(Metrics.CONFIG_RELOADS, "result", "error"));
            assertEquals(50, d.config().services().getFirst().backends().get(1).weight());
            assertFalse(d.reload(), "unchanged file: nothing to do");
        }
    }

    @Test
    void theLoopPicksUpFileChangesDrainsAndStopsLeavingTheKernelAsItIs() throws Exception {
        passing.put(InetAddress.getByName("127.0.0.11"), true);
        passing.put(InetAddress.getByName("127.0.0.12"), true);
        Path file = write(CONFIG);
        AtomicBoolean stop = new AtomicBoolean();
        try (Director d = director(file)) {
            Thread loop = Thread.ofVirtual().start(() -> {
                try {
                    d.run(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waitFor(() -> kernel.state().services().size() == 1 && weight("127.0.0.12") == 100, "first apply");
            write(CONFIG.replace("  backend 127.0.0.12 weight 100\n", ""));
            waitFor(() -> weight("127.0.0.12") == 0, "file watch: removed backend drained");
            // the gauges follow the kernel update within the same reconcile run
            waitFor(() -> metrics.value(Metrics.DRAINING) == 1.0, "draining gauge");
            clock.advance(Duration.ofSeconds(21));
            waitFor(() -> weight("127.0.0.12") == -1, "deleted after the drain period");
            stop.set(true);
            loop.join(5_000);
            assertFalse(loop.isAlive());
            IpvsState left = kernel.state();
            assertEquals(1, left.services().getFirst().destinations().size(), "nothing removed on exit");
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void stateAndMetricsOverRealHttp() throws Exception {
        passing.put(InetAddress.getByName("127.0.0.11"), true);
        try (Director d = director(write(CONFIG));
                StatusServer server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        d::problem, d::stateJson, metrics)) {
            int port = server.address().getPort();
            assertEquals(503, HttpGet.send(port, "GET", "/healthz").status());
            tick(d, Duration.ZERO);
            assertEquals(200, HttpGet.send(port, "GET", "/healthz").status());
            HttpGet state = HttpGet.send(port, "GET", "/state");
            assertTrue(state.body().contains("\"health\":\"down\""), state.body());
            assertTrue(state.body().contains("\"last_result\":\"scripted\""), state.body());
            String m = HttpGet.send(port, "GET", "/metrics").body();
            assertTrue(m.contains("director_backend_weight{service=\"web\",backend=\"127.0.0.11:443\"} 100\n"), m);
            assertTrue(m.contains("director_backend_up{service=\"web\",backend=\"127.0.0.12:443\"} 0\n"), m);
            assertTrue(m.contains("director_reconcile_runs_total 1\n"), m);
            assertTrue(m.contains("director_changes_applied_total{kind=\"create_destination\"} 2\n"), m);
            assertTrue(m.contains("director_dry_run 1\n"), m);
        }
    }
}
