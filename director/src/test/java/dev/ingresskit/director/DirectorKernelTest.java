package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.maglev.IpvsMhTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The director against Debian's 6.1 kernel in the VM (kernel-tests/), cross-checked with ipvsadm.
 * Backends live in a network namespace behind a veth pair (addresses local to the director's
 * namespace would be turned into LOCALNODE destinations by the kernel); their health endpoints are
 * busybox httpd processes the test starts and kills. One test, short intervals: the guest is slow.
 */
@Tag("kernel")
class DirectorKernelTest {
    private static final String NS = "dirk";
    private static final Pattern DEST = Pattern.compile("->\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)");
    private static final String CONFIG = """
            drain 3s
            service web tcp 10.77.1.1:80
              scheduler mh mh-port mh-fallback
              tunnel gue port 6080
              check http port 8080 path /ok expect 200 interval 1s timeout 500ms rise 1 fall 2
              backend 10.77.0.11 weight 1
              backend 10.77.0.12 weight 2
            """;

    private final Map<String, Process> listeners = new HashMap<>();

    private static String sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + rc + ": " + out);
        }
        return out;
    }

    private void listen(String address) throws IOException {
        listeners.put(address, new ProcessBuilder("ip", "netns", "exec", NS, "busybox", "httpd", "-f", "-p",
                address + ":8080", "-h", "/tmp/dirk/www").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private void stop(String address) throws InterruptedException {
        Process p = listeners.remove(address);
        p.destroy();
        p.waitFor();
    }

    /** Destination address:port → "Forward weight" from {@code ipvsadm -Ln}. */
    private static Map<String, String> ipvsadm() throws Exception {
        Map<String, String> out = new HashMap<>();
        Process p = new ProcessBuilder("ipvsadm", "-Ln", "-t", "10.77.1.1:80").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return out; // no such service (yet, or any more)
        }
        Matcher m = DEST.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2) + " " + m.group(3));
        }
        return out;
    }

    private final long started = System.nanoTime();

    /** {@code 0A4D000B} → {@code 10.77.0.11}. */
    private static String hexAddress(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v >> 24 & 0xFF) + "." + (v >> 16 & 0xFF) + "." + (v >> 8 & 0xFF) + "." + (v & 0xFF);
    }

    private void phase(String what) {
        System.out.println("director kernel test: " + what + " at " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls until {@code check} holds; returns the milliseconds it took. */
    private static long waitFor(Check check, String what, long timeoutMillis) throws Exception {
        long start = System.nanoTime();
        while (!check.ok()) {
            if (System.nanoTime() - start > timeoutMillis * 1_000_000) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what
                        + "; ipvsadm: " + ipvsadm());
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void drivesTheKernelsIpvsFromConfigAndHealth() throws Exception {
        sh("ip", "netns", "add", NS);
        Path dir = Files.createDirectories(Path.of("/tmp/dirk/www"));
        Files.writeString(dir.resolve("ok"), "ok\n");
        Path config = Path.of("/tmp/dirk/director.conf");
        Files.writeString(config, CONFIG);
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        AtomicBoolean stop = new AtomicBoolean();
        Thread loop = null;
        try {
            sh("ip", "link", "add", "dirk0", "type", "veth", "peer", "name", "dirk1", "netns", NS);
            sh("ip", "addr", "add", "10.77.0.1/24", "dev", "dirk0");
            sh("ip", "link", "set", "dirk0", "up");
            sh("ip", "netns", "exec", NS, "ip", "addr", "add", "10.77.0.11/24", "dev", "dirk1");
            sh("ip", "netns", "exec", NS, "ip", "addr", "add", "10.77.0.12/24", "dev", "dirk1");
            sh("ip", "netns", "exec", NS, "ip", "link", "set", "dirk1", "up");
            listen("10.77.0.11");
            listen("10.77.0.12");

            Clock clock = Clock.systemUTC();
            Director director = Director.builder(ConfigParser.parse(config)).configFile(config)
                    .kernel(Kernel.live(IpvsClient.open())).clock(clock)
                    .eventLog(new EventLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8), clock)).build();
            loop = Thread.ofPlatform().name("director").start(() -> {
                try (director) {
                    director.run(stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            waitFor(() -> ipvsadm().equals(Map.of("10.77.0.11:80", "Tunnel 1", "10.77.0.12:80", "Tunnel 2")),
                    "both backends at their weights", 60_000);
            String saved = sh("ipvsadm", "-Sn");
            assertTrue(saved.contains("-A -t 10.77.1.1:80 -s mh -b mh-fallback,mh-port"), saved);
            assertTrue(saved.contains("-a -t 10.77.1.1:80 -r 10.77.0.12:80 -i -w 2 --tun-type gue --tun-port 6080"),
                    saved);
            phase("applied from empty");

            // the kernel schedules new connections where --explain's model says: SYNs from this
            // namespace to the VIP (IPVS sees local clients too), then the kernel's connection table
            sh("ip", "route", "add", "10.77.1.0/24", "dev", "dirk0");
            InetAddress client = InetAddress.getByName("10.77.0.1");
            IpvsMhTable table = director.mhTable(director.config().services().getFirst()).orElseThrow();
            Map<Integer, String> predicted = new HashMap<>();
            // a few client ports, until both backends are among the predicted choices
            for (int port = 40_000; port < 40_100
                    && (predicted.size() < 3 || predicted.values().stream().distinct().count() < 2); port++) {
                predicted.put(port, table.lookup(client, port).orElseThrow().key());
            }
            for (int port : predicted.keySet()) {
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress(client, port));
                    s.connect(new InetSocketAddress("10.77.1.1", 80), 300);
                } catch (IOException expected) {
                    // nobody answers: the GUE packets reach a namespace that does not decapsulate them
                }
            }
            Map<Integer, String> chosen = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/net/ip_vs_conn"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 6 && f[0].equals("TCP") && f[1].equalsIgnoreCase("0A4D0001")) {
                    chosen.put(Integer.parseInt(f[2], 16), hexAddress(f[5]) + ":" + Integer.parseInt(f[6], 16));
                }
            }
            assertEquals(predicted, chosen, "kernel's choices (/proc/net/ip_vs_conn) vs the ip_vs_mh model");
            assertEquals(2, predicted.values().stream().distinct().count(), predicted.toString());
            phase("kernel picks the predicted backends");

            // fall 2 x interval 1 s: the listener goes, the weight follows within about 2.5 s (+ the guest's slowness)
            stop("10.77.0.12");
            long downMillis = waitFor(() -> ipvsadm().get("10.77.0.12:80").equals("Tunnel 0"), "weight 0", 30_000);
            System.out.println("director kernel test: weight 0 after " + downMillis + " ms (fall 2 x interval 1 s)");
            assertTrue(downMillis < 2 * 1000 + 500 + 8_000, "took " + downMillis + " ms");
            assertEquals("Tunnel 1", ipvsadm().get("10.77.0.11:80"));
            listen("10.77.0.12");
            long upMillis = waitFor(() -> ipvsadm().get("10.77.0.12:80").equals("Tunnel 2"), "weight back", 30_000);
            System.out.println("director kernel test: weight restored after " + upMillis + " ms (rise 1)");

            phase("down and up again");
            // an edit: one weight changes, one backend arrives (unchecked yet, so at 0; nothing listens there)
            int logMark = logBytes.size();
            Path tmp = Path.of("/tmp/dirk/director.conf.tmp");
            Files.writeString(tmp, CONFIG.replace("backend 10.77.0.11 weight 1", "backend 10.77.0.11 weight 5")
                    + "  backend 10.77.0.13 weight 3\n");
            Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            waitFor(() -> ipvsadm().equals(Map.of("10.77.0.11:80", "Tunnel 5", "10.77.0.12:80", "Tunnel 2",
                    "10.77.0.13:80", "Tunnel 0")), "the edit applied", 30_000);
            Thread.sleep(1_500); // the new backend's checks fail: DOWN, weight stays 0, nothing to change
            assertTrue(director.reconcile().changes().isEmpty(), "a reconcile against the kernel finds nothing to do");
            List<String> changes = new ArrayList<>();
            for (String line : logBytes.toString(StandardCharsets.UTF_8).substring(logMark).split("\n")) {
                if (line.contains(" event=change ")) {
                    changes.add(line.substring(line.indexOf(" kind=") + 1));
                }
            }
            assertEquals(List.of(
                    "kind=update_destination service=web vip=\"tcp 10.77.1.1:80\" backend=10.77.0.11:80 weight=5 was=1 "
                            + "dry_run=false",
                    "kind=create_destination service=web vip=\"tcp 10.77.1.1:80\" backend=10.77.0.13:80 weight=0 "
                            + "dry_run=false"), changes);

            phase("edit applied, no-op reconcile");
            // removed from the config: drained (weight 0) for 3 s, then deleted
            Files.writeString(tmp, CONFIG.replace("  backend 10.77.0.12 weight 2\n", ""));
            Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            waitFor(() -> "Tunnel 0".equals(ipvsadm().get("10.77.0.12:80")), "drained", 30_000);
            waitFor(() -> !ipvsadm().containsKey("10.77.0.12:80") && !ipvsadm().containsKey("10.77.0.13:80"),
                    "deleted after the drain period", 30_000);

            phase("drained and deleted");
            // the director stops; the kernel keeps what it had
            String before = sh("ipvsadm", "-Sn");
            stop.set(true);
            loop.join(30_000);
            assertFalse(loop.isAlive());
            assertEquals(before, sh("ipvsadm", "-Sn"));
            assertTrue(before.contains("-a -t 10.77.1.1:80 -r 10.77.0.11:80 -i -w 1"), before);
        } finally {
            stop.set(true);
            if (loop != null) {
                loop.join(30_000);
            }
            for (Process p : listeners.values()) {
                p.destroy();
            }
            new ProcessBuilder("ipvsadm", "-D", "-t", "10.77.1.1:80").start().waitFor();
            new ProcessBuilder("ip", "netns", "del", NS).start().waitFor();
            new ProcessBuilder("ip", "link", "del", "dirk0").start().waitFor();
        }
    }
}
