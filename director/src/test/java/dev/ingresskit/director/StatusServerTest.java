package dev.ingresskit.director;

import dev.ingresskit.testsupport.HttpGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP on 127.0.0.1. */
class StatusServerTest {
    private static HttpGet get(StatusServer server, String method, String path) throws Exception {
        return HttpGet.send(server.address().getPort(), method, path);
    }

    @Test
    void servesHealthStateAndMetrics() throws Exception {
        Metrics metrics = new Metrics();
        metrics.inc(Metrics.RECONCILE_RUNS, 1);
        metrics.inc(Metrics.HEALTH_TRANSITIONS, 1, "service", "web", "backend", "127.0.0.11:80", "to", "down");
        metrics.set(Metrics.BACKEND_WEIGHT, 7, "service", "web", "backend", "127.0.0.11:80");
        metrics.observe(Metrics.CHECK_DURATION, 0.003, "service", "web");
        AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
        try (StatusServer server = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                problem::get, () -> "{\"services\":[]}", metrics)) {
            assertTrue(server.address().getAddress().isLoopbackAddress());
            HttpGet health = get(server, "GET", "/healthz");
            assertEquals(200, health.status());
            assertEquals("ok\n", health.body());
            problem.set(Optional.of("last reconcile failed: EPERM"));
            HttpGet sick = get(server, "GET", "/healthz");
            assertEquals(503, sick.status());
            assertEquals("last reconcile failed: EPERM\n", sick.body());

            HttpGet state = get(server, "GET", "/state");
            assertEquals("application/json", state.headers().get("content-type"));
            assertEquals("{\"services\":[]}", state.body());

            HttpGet m = get(server, "GET", "/metrics");
            assertEquals(200, m.status());
            assertTrue(m.headers().get("content-type").startsWith("text/plain; version=0.0.4"));
            String text = m.body();
            assertTrue(text.contains("# TYPE director_reconcile_runs_total counter\ndirector_reconcile_runs_total 1\n"),
                    text);
            assertTrue(text.contains(
                    "director_health_transitions_total{service=\"web\",backend=\"127.0.0.11:80\",to=\"down\"} 1\n"), text);
            assertTrue(text.contains("director_backend_weight{service=\"web\",backend=\"127.0.0.11:80\"} 7\n"), text);
            assertTrue(text.contains("director_check_duration_seconds_bucket{service=\"web\",le=\"0.0025\"} 0\n"), text);
            assertTrue(text.contains("director_check_duration_seconds_bucket{service=\"web\",le=\"0.005\"} 1\n"), text);
            assertTrue(text.contains("director_check_duration_seconds_count{service=\"web\"} 1\n"), text);
            for (String line : text.split("\n")) {
                assertTrue(line.startsWith("# HELP director_") || line.startsWith("# TYPE director_")
                        || line.matches("director_[a-z_]+(\\{[^}]*\\})? -?[0-9.eE+-]+"), "not exposition format: " + line);
            }

            assertEquals(405, get(server, "POST", "/metrics").status());
            HttpGet head = get(server, "HEAD", "/metrics");
            assertEquals(200, head.status());
            assertEquals("", head.body());
            assertEquals(404, get(server, "GET", "/nothing").status());
            assertEquals(404, get(server, "GET", "/metricsxyz").status());
        }
    }

    @Test
    void metricsEscapeLabelsAndReplaceGauges() {
        Metrics metrics = new Metrics();
        metrics.set(Metrics.BACKEND_WEIGHT, 1, "service", "a\"b\\c", "backend", "x");
        assertTrue(metrics.render().contains("director_backend_weight{service=\"a\\\"b\\\\c\",backend=\"x\"} 1\n"));
        metrics.replace(Metrics.BACKEND_WEIGHT, java.util.Map.of(new String[] {"service", "s", "backend", "y"}, 2.0));
        String text = metrics.render();
        assertTrue(text.contains("director_backend_weight{service=\"s\",backend=\"y\"} 2\n"), text);
        assertTrue(!text.contains("backend=\"x\""), text);
        assertEquals(2.0, metrics.value(Metrics.BACKEND_WEIGHT, "service", "s", "backend", "y"));
    }
}
