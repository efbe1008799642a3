package dev.ingresskit.examples.director;

import dev.ingresskit.testsupport.HttpGet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The subcommand as users run it, on the sample config (its backends are loopback: checks fail fast). */
class DirectorCommandTest {
    private static final Path SAMPLE = Path.of("director.conf");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        DirectorCommand c = new DirectorCommand();
        return c.run(Arguments.parse(c.options(), List.of(args)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theMainExamplePrintsPlanDistributionAndMessages() throws Exception {
        assertTrue(Files.exists(SAMPLE), "tests run in examples/");
        assertEquals(0, run("--config", SAMPLE.toString(), "--dry-run", "--once"));
        String text = out();
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("director: dry run: nothing will be changed"),
                err::toString);
        assertTrue(text.contains("config director.conf: 2 service(s), 6 backend(s); dry run from "), text);
        assertTrue(text.contains("  web      127.0.0.11       http 127.0.0.11:8080   down    "), text);
        assertTrue(text.contains("plan: 8 change(s) (dry run: none made)"), text);
        assertTrue(text.contains("  + service tcp 192.0.2.10:443 mh flags=sched1|sched2\n"), text);
        assertTrue(text.contains("  + dest tcp 192.0.2.10:443 -> 127.0.0.13:443 tunnel w=0 tun=gue:6080"), text);
        assertTrue(text.contains("predicted Maglev distribution (ip_vs_mh, table size 4093;"), text);
        // weights 100:100:200 (and one at 0) in a 4093-slot table: 1023/1023/2047 slots, per ip_vs_mh's turns
        assertTrue(text.matches("(?s).*127\\.0\\.0\\.13:443 +0 +0 +0\\.0% +0\\.0% +\\| +2047 +\\d+\\.\\d%.*"), text);
        assertTrue(text.matches("(?s).*127\\.0\\.0\\.14:443 +0 +0 +0\\.0% +0\\.0% +\\| +0 +0\\.0%.*"), text);
        assertTrue(text.contains("genlmsghdr cmd=NEW_SERVICE(1) version=1"), text);
        assertTrue(text.contains("genlmsghdr cmd=NEW_DEST(5) version=1"), text);
        assertTrue(text.contains("TUN_PORT = 6080 (be16)"), text);
    }

    @Test
    void asADaemonItServesItsEndpointsUntilStopped() throws Exception {
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread daemon = Thread.ofPlatform().start(() -> {
            try {
                code.set(run("--config", SAMPLE.toString(), "--dry-run", "--http", "127.0.0.1:0"));
            } catch (Exception e) {
                code.set(99);
            }
        });
        try {
            java.util.regex.Matcher port = null;
            for (int i = 0; i < 300 && port == null; i++) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("event=started http=/127\\.0\\.0\\.1:(\\d+) ")
                        .matcher(err.toString(StandardCharsets.UTF_8));
                port = m.find() ? m : null;
                Thread.sleep(50);
            }
            org.junit.jupiter.api.Assertions.assertNotNull(port, err::toString);
            int p = Integer.parseInt(port.group(1));
            HttpGet health = null;
            for (int i = 0; i < 200; i++) {
                health = HttpGet.send(p, "GET", "/healthz");
                if (health.status() == 200) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(200, health.status(), health.body());
            assertTrue(HttpGet.send(p, "GET", "/metrics").body().contains("director_dry_run 1\n"));
            assertTrue(HttpGet.send(p, "GET", "/state").body().contains("\"name\":\"web\""));
            String log = err.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("event=change kind=create_service service=web"), log);
            assertTrue(log.contains("sighup=reload"), log);
        } finally {
            daemon.interrupt();
            daemon.join(10_000);
        }
        assertEquals(0, code.get());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("event=stopped kernel=\"left as it is\""));
    }

    @Test
    void sighupCallsTheReloadAction() throws Exception {
        java.util.concurrent.CountDownLatch hup = new java.util.concurrent.CountDownLatch(1);
        org.junit.jupiter.api.Assumptions.assumeTrue(DirectorCommand.onSighup(hup::countDown),
                "this JDK offers no sun.misc.Signal");
        // only sent once a handler is installed: SIGHUP would otherwise end the test JVM
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        assertTrue(hup.await(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void explainNamesTheSlotAndTheBackendPerMhService() throws Exception {
        assertEquals(0, run("--config", SAMPLE.toString(), "--explain", "198.51.100.7:40000"));
        String text = out();
        assertTrue(text.startsWith("client 198.51.100.7:40000 (dry run from "), text);
        assertTrue(text.matches("(?s).*  web tcp 192\\.0\\.2\\.10:443: slot \\d+ -> no destination.*"), text);
        assertTrue(text.matches("(?s).*if all healthy: slot \\d+ -> 127\\.0\\.0\\.1[123]:443 \\(weight \\d+, gue to UDP "
                + "port 6080\\).*"), text);
        assertTrue(text.contains("(no mh-port: the client port does not matter)"), text);
    }

    @Test
    void badConfigIsAUsageErrorNamingLineAndField(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "service w tcp 192.0.2.1:80\n  tunnel gue\n");
        UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> run("--config", bad.toString(), "--once"));
        assertEquals(bad + ":2: tunnel port: a gue tunnel needs 'port N' (the backends' FOU/GUE receive port)",
                e.getMessage());
        UsageException missing = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> run("--config", dir.resolve("none.conf").toString(), "--once"));
        assertEquals(dir.resolve("none.conf") + ":0: file: no such file", missing.getMessage());
        UsageException directory = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> run("--config", dir.toString(), "--once"));
        assertEquals(dir + ":0: file: is a directory, not a config file", directory.getMessage());
        UsageException explain = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> run("--config", SAMPLE.toString(), "--explain", "somewhere"));
        assertEquals("'somewhere' is not IP:PORT or [IPv6]:PORT", explain.getMessage());
    }

    @Test
    void withoutIpvsItFallsBackToADryRunAndSaysSoInOneLine() throws Exception {
        // This machine's kernel has no IPVS (or the tests lack CAP_NET_ADMIN): no --dry-run, still no change.
        org.junit.jupiter.api.Assumptions.assumeTrue(!Files.exists(Path.of("/proc/net/ip_vs"))
                || !"root".equals(System.getProperty("user.name")));
        assertEquals(0, run("--config", SAMPLE.toString(), "--once", "--no-messages"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.endsWith(": dry run, nothing will be changed\n"), e);
        assertTrue(out().contains("plan: 8 change(s) (dry run: none made)"), out());
    }

    private static final String BGP_CONFIG = """
            http 127.0.0.1:0
            bgp speaker exabgp
            bgp hold-down 0s
            bgp grace 0s
            service web tcp 198.51.100.10:80
              check none
              announce min-healthy 1 community 65000:100 med 10
              backend 127.0.0.11
            service down tcp 198.51.100.20:80
              check tcp port 9 interval 1s timeout 200ms
              announce min-healthy 1
              backend 127.0.0.12
            """;

    @Test
    void onceShowsWhatWouldBeAnnouncedAndTellsNoSpeaker(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bgp.conf");
        Files.writeString(config, BGP_CONFIG);
        assertEquals(0, run("--config", config.toString(), "--dry-run", "--once", "--no-messages"));
        String text = out();
        assertTrue(text.contains("bgp (speaker exabgp; this run tells no speaker):\n"
                + "  198.51.100.10/32     would announce  1/1 healthy >= 1 community 65000:100 med 10\n"
                + "  198.51.100.20/32     would withdraw  0/1 healthy < 1\n"), text);
        assertTrue(!text.contains("announce route") && !text.contains("withdraw route"),
                "no ExaBGP lines on standard output: " + text);
    }

    @Test
    void drainDirectorWithdrawsEveryVipAndResumeBringsThemBack(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bgp.conf");
        Files.writeString(config, BGP_CONFIG);
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread daemon = Thread.ofPlatform().start(() -> {
            try {
                code.set(run("--config", config.toString(), "--dry-run"));
            } catch (Exception e) {
                code.set(99);
            }
        });
        try {
            int p = -1;
            for (int i = 0; i < 300 && p < 0; i++) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("event=started http=/127\\.0\\.0\\.1:(\\d+) ")
                        .matcher(err.toString(StandardCharsets.UTF_8));
                p = m.find() ? Integer.parseInt(m.group(1)) : -1;
                Thread.sleep(50);
            }
            assertTrue(p > 0, err::toString);
            String announced = "\"vip\":\"198.51.100.10\",\"announced\":true";
            awaitState(p, announced);
            assertEquals(405, HttpGet.send(p, "GET", "/drain-director").status());
            HttpGet drained = HttpGet.send(p, "POST", "/drain-director");
            assertEquals(200, drained.status(), drained.body());
            assertTrue(drained.body().startsWith("every VIP withdrawn"), drained.body());
            String state = HttpGet.send(p, "GET", "/state").body();
            assertTrue(state.contains("\"draining\":true") && state.contains("\"why\":\"draining\""), state);
            assertTrue(HttpGet.send(p, "GET", "/metrics").body().contains("director_bgp_draining 1\n"));
            assertEquals(200, HttpGet.send(p, "POST", "/resume-director").status());
            awaitState(p, announced);
        } finally {
            daemon.interrupt();
            daemon.join(10_000);
        }
        assertEquals(0, code.get());
    }

    private static void awaitState(int port, String fragment) throws Exception {
        String state = "";
        for (int i = 0; i < 200 && !state.contains(fragment); i++) {
            state = HttpGet.send(port, "GET", "/state").body();
            Thread.sleep(50);
        }
        assertTrue(state.contains(fragment), state);
    }
}
