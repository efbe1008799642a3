package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.VirtualService;
import dev.ingresskit.ipvs.NetworkNamespace;
import dev.ingresskit.maglev.IpvsMhDestination;
import dev.ingresskit.maglev.IpvsMhTable;
import dev.ingresskit.testsupport.Shell;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fleet in Debian's 6.1 kernel (the VM of kernel-tests/): directors in their own network
 * namespaces (each its own IPVS) end with identical {@code /proc/net/ip_vs} whatever their history;
 * an established TCP connection survives a re-ordering; the kernel's choices equal the director's
 * predictions; GUE traffic leaves for the backend {@code --explain} names; and a director killed
 * with {@code kill -9} in the middle of a 1,000-service plan converges on restart without touching
 * what was already right. {@code ipvsadm -Ln} sorts destinations, so {@code /proc/net/ip_vs} (the
 * kernel's own order, newest first) is what these tests compare.
 */
@Tag("kernel")
class FleetKernelTest {
    private static final List<String> NAMESPACES = List.of("fla", "flb", "flc", "fld", "fls", "flk", "flf");
    private static final long STARTED = System.nanoTime();

    @AfterAll
    static void cleanUp() {
        for (String ns : NAMESPACES) {
            Shell.run("ip netns del " + ns + " 2>/dev/null || true");
        }
        Shell.run("ip link del flr0 2>/dev/null || true");
    }

    private static void phase(String what) {
        System.out.println("fleet kernel test: " + what + " at " + (System.nanoTime() - STARTED) / 1_000_000 + " ms");
    }

    /**
     * A new namespace with its loopback up: until then it has no local routing table, and the kernel
     * refuses every IPv4 destination with EINVAL (ip_vs_new_dest asks inet_addr_type, which answers
     * RTN_BROADCAST without that table).
     */
    private static void namespace(String ns) {
        Shell.run("ip netns add " + ns + " && ip netns exec " + ns + " ip link set lo up");
    }

    private static String config(String services) {
        return "drain 0s\ncheck-threads 4\n" + services;
    }

    private static String procIpvs(String ns) {
        return Shell.run("ip netns exec " + ns + " cat /proc/net/ip_vs");
    }

    private static IpvsState kernelState(String ns) throws Exception {
        try (IpvsClient c = IpvsClient.open(NetworkNamespace.named(ns))) {
            return c.state();
        }
    }

    private static int entries(IpvsState state) {
        return state.services().size() + state.services().stream().mapToInt(v -> v.destinations().size()).sum();
    }

    private static Director director(String ns, String configText) throws Exception {
        return Director.builder(ConfigParser.parse(configText, ns + ".conf"))
                .kernel(Kernel.live(IpvsClient.open(NetworkNamespace.named(ns))))
                .eventLog(new EventLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC())).build();
    }

    private static Director.Run converge(Director d) throws Exception {
        d.checkAll();
        Director.Run run = d.reconcile();
        assertEquals(null, run.error());
        Director.Run again = d.reconcile();
        assertTrue(again.changes().isEmpty(), () -> "converged, yet: " + again.changes());
        return run;
    }

    private static String web(List<String> backends) {
        StringBuilder s = new StringBuilder("service web tcp 10.70.9.1:80\n  scheduler mh mh-port\n"
                + "  tunnel gue port 6080\n  check none\n");
        backends.forEach(b -> s.append("  backend ").append(b).append('\n'));
        return s.toString();
    }

    @Test
    void threeDirectorsWithDifferentHistoriesHoldTheSameTable() throws Exception {
        for (String ns : List.of("fla", "flb", "flc")) {
            namespace(ns);
        }
        List<String> last = List.of("10.70.0.22 weight 3", "10.70.0.21 weight 1", "10.70.0.29 weight 2",
                "10.70.0.23 weight 1", "10.70.0.30 weight 1");
        // A lives through edits, then restarts.
        try (Director a = director("fla", config(web(List.of("10.70.0.21 weight 1", "10.70.0.25 weight 2",
                "10.70.0.23 weight 1", "10.70.0.29 weight 1"))))) {
            converge(a);
        }
        try (Director a = director("fla", config(web(List.of("10.70.0.21 weight 1", "10.70.0.23 weight 1",
                "10.70.0.29 weight 2", "10.70.0.22 weight 3", "10.70.0.30 weight 1"))))) {
            Director.Run run = converge(a);
            assertTrue(run.reAdded() > 0, "adding .22 below .23/.25/.29 needs re-adds: " + run.changes());
        }
        Director restarted = director("fla", config(web(last)));
        Director.Run afterRestart = converge(restarted);
        // B: fresh, config in reverse order.
        Director b = director("flb", config(web(last.reversed())));
        converge(b);
        // C: fresh on a kernel that an earlier director left scrambled (ipvsadm adds in another order).
        Shell.run("ip netns exec flc ipvsadm -A -t 10.70.9.1:80 -s mh -b mh-port"
                + " && ip netns exec flc ipvsadm -a -t 10.70.9.1:80 -r 10.70.0.29 -i --tun-type gue --tun-port 6080 -w 2"
                + " && ip netns exec flc ipvsadm -a -t 10.70.9.1:80 -r 10.70.0.21 -i --tun-type gue --tun-port 6080 -w 1"
                + " && ip netns exec flc ipvsadm -a -t 10.70.9.1:80 -r 10.70.0.99 -i --tun-type gue --tun-port 6080 -w 1"
                + " && ip netns exec flc ipvsadm -a -t 10.70.9.1:80 -r 10.70.0.30 -i --tun-type gue --tun-port 6080 -w 1");
        List<String> shuffled = new ArrayList<>(last);
        Collections.shuffle(shuffled, new Random(7));
        Director c = director("flc", config(web(shuffled)));
        Director.Run cRun = converge(c);
        phase("three directors converged (A re-added " + afterRestart.reAdded() + " on restart, C re-added "
                + cRun.reAdded() + " over a scrambled kernel, " + cRun.changes().size() + " changes)");

        String procA = procIpvs("fla");
        assertEquals(procA, procIpvs("flb"), "A (edits + restart) and B (fresh, reversed config)");
        assertEquals(procA, procIpvs("flc"), "A and C (fresh over a scrambled kernel, shuffled config)");
        List<String> order = new ArrayList<>();
        Matcher m = Pattern.compile("->\\s+([0-9A-F]{8}):").matcher(procA);
        while (m.find()) {
            order.add(m.group(1));
        }
        assertEquals(List.of("0A46001E", "0A46001D", "0A460017", "0A460016", "0A460015"), order,
                "newest first = descending addresses: " + procA);
        String fingerprint = restarted.tableFingerprints().get("web");
        assertEquals(fingerprint, b.tableFingerprints().get("web"));
        assertEquals(fingerprint, c.tableFingerprints().get("web"));
        restarted.close();
        b.close();
        c.close();
    }

    /** {@code /proc/net/ip_vs_conn}: client port → destination address (hex), for one client address. */
    private static Map<Integer, String> connections(String ns, String clientHex) {
        Map<Integer, String> out = new HashMap<>();
        for (String line : Shell.run("ip netns exec " + ns + " cat /proc/net/ip_vs_conn").split("\n")) {
            String[] f = line.trim().split("\\s+");
            // Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires
            if (f.length >= 7 && f[0].equals("TCP") && f[1].equals(clientHex)) {
                out.put(Integer.parseInt(f[2], 16), f[5]);
            }
        }
        return out;
    }

    private static String hex(String address) throws Exception {
        byte[] b = InetAddress.getByName(address).getAddress();
        return String.format("%02X%02X%02X%02X", b[0], b[1], b[2], b[3]);
    }

    @Test
    void aConnectionSurvivesReorderingAndTheKernelChoosesAsPredicted() throws Exception {
        // client (this namespace) --veth-- fld: IPVS, VIP on lo --veth-- fls: echo servers .11-.13
        Shell.run("ip netns add fld && ip netns add fls"
                + " && ip link add flr0 type veth peer name fld0 netns fld"
                + " && ip addr add 10.71.1.2/24 dev flr0 && ip link set flr0 up"
                + " && ip route add 10.71.9.0/24 via 10.71.1.1"
                + " && ip netns exec fld sh -c 'ip link set lo up && ip addr add 10.71.1.1/24 dev fld0 && ip link set fld0 up"
                + " && ip addr add 10.71.9.1/32 dev lo && ip addr add 10.71.9.2/32 dev lo"
                + " && echo 1 > /proc/sys/net/ipv4/ip_forward"
                + " && ip link add fls1 type veth peer name fls0 netns fls && ip addr add 10.71.2.1/24 dev fls1"
                + " && ip link set fls1 up && ip link add fldum type dummy && ip addr add 10.71.3.1/24 dev fldum"
                + " && ip link set fldum up'"
                + " && ip netns exec fls sh -c 'ip link set lo up && ip addr add 10.71.2.11/24 dev fls0"
                + " && ip addr add 10.71.2.12/24 dev fls0 && ip addr add 10.71.2.13/24 dev fls0"
                + " && ip link set fls0 up && ip route add default via 10.71.2.1'");
        Process echo = new ProcessBuilder("ip", "netns", "exec", "fls", "busybox", "nc", "-ll", "-p", "80", "-e",
                "/bin/cat").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String tun = "service tun tcp 10.71.9.2:80\n  scheduler mh mh-port\n  tunnel gue port 6080\n  check none\n"
                + "  backend 10.71.3.11\n  backend 10.71.3.12\n  backend 10.71.3.13\n";
        String before = config("service web tcp 10.71.9.1:80\n  scheduler mh mh-port\n  forward masq\n  check none\n"
                + "  backend 10.71.2.12\n  backend 10.71.2.13\n" + tun);
        String after = before.replace("  backend 10.71.2.12\n", "  backend 10.71.2.11\n  backend 10.71.2.12\n");
        Path file = Files.createTempDirectory("fleet").resolve("director.conf");
        Files.writeString(file, before);
        try (Director d = Director.builder(ConfigParser.parse(file)).configFile(file)
                .kernel(Kernel.live(IpvsClient.open(NetworkNamespace.named("fld"))))
                .eventLog(new EventLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC())).build()) {
            converge(d);
            try (Socket s = connectWithRetry(new InetSocketAddress("10.71.9.1", 80))) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                assertEquals("hello", roundTrip(in, out, "hello"));
                String served = connections("fld", hex("10.71.1.2")).get(s.getLocalPort());
                phase("connection established through the VIP to " + served);

                // Echo lines every 20 ms on another thread while the director re-orders.
                List<Long> rtts = Collections.synchronizedList(new ArrayList<>());
                Thread pinger = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 100; i++) {
                            long t0 = System.nanoTime();
                            assertEquals("line " + i, roundTrip(in, out, "line " + i));
                            rtts.add((System.nanoTime() - t0) / 1_000);
                            Thread.sleep(20);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                Thread.sleep(300);
                Files.writeString(file, after);
                assertTrue(d.reload());
                long r0 = System.nanoTime();
                Director.Run run = d.reconcile();
                long applyMicros = (System.nanoTime() - r0) / 1_000;
                assertEquals(null, run.error());
                assertEquals(2, run.reAdded(), "a backend below both re-adds both: " + run.changes());
                pinger.join(60_000);
                assertFalse(pinger.isAlive(), "echoes stopped");
                assertEquals(100, rtts.size(), "every line came back, in order");
                long worst = Collections.max(rtts);
                List<Long> sorted = new ArrayList<>(rtts);
                Collections.sort(sorted);
                phase("re-ordering: " + run.changes().size() + " netlink operations (" + run.reAdded()
                        + " re-added) applied in " + applyMicros + " us; 100 echoes across it, median round trip "
                        + sorted.get(50) + " us, worst " + worst + " us (TCG-emulated kernel)");
                assertEquals(served, connections("fld", hex("10.71.1.2")).get(s.getLocalPort()),
                        "the connection kept its backend");
            }
            assertTrue(procIpvs("fld").contains("0A47020D") && procIpvs("fld").indexOf("0A47020D")
                    < procIpvs("fld").indexOf("0A47020B"), "canonical order after the re-ordering");

            // New flows: the kernel's choice for 40 client ports equals the prediction.
            IpvsMhTable table = d.mhTable(d.config().service("web").orElseThrow()).orElseThrow();
            InetAddress client = InetAddress.getByName("10.71.1.2");
            List<Socket> open = new ArrayList<>();
            try {
                for (int port = 41_000; port < 41_040; port++) {
                    Socket s = new Socket();
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(client, port));
                    s.connect(new InetSocketAddress("10.71.9.1", 80), 10_000);
                    open.add(s);
                }
                Map<Integer, String> chosen = connections("fld", hex("10.71.1.2"));
                for (int port = 41_000; port < 41_040; port++) {
                    Optional<IpvsMhDestination> predicted = table.lookup(client, port);
                    assertTrue(predicted.isPresent());
                    assertEquals(hex(predicted.get().address().getHostAddress()), chosen.get(port), "client port " + port);
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            phase("40 new flows scheduled as predicted after the re-ordering");

            // GUE: the SYN leaves encapsulated to the backend --explain names.
            Process dump = new ProcessBuilder("ip", "netns", "exec", "fld", "tcpdump", "-i", "fldum", "-n", "-l", "-c",
                    "1", "udp", "port", "6080").redirectErrorStream(false).start();
            Thread.sleep(1_500); // tcpdump attaches
            ByteArrayOutputStream explained = new ByteArrayOutputStream();
            DirectorReport.explain(new PrintStream(explained, true, StandardCharsets.UTF_8), d, client, 42_424, "kernel");
            Matcher named = Pattern.compile("tun tcp 10\\.71\\.9\\.2:80: slot \\d+ -> (10\\.71\\.3\\.\\d+):80")
                    .matcher(explained.toString(StandardCharsets.UTF_8));
            assertTrue(named.find(), explained.toString(StandardCharsets.UTF_8));
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(client, 42_424));
                try {
                    s.connect(new InetSocketAddress("10.71.9.2", 80), 1_500); // nobody decapsulates: no answer
                } catch (SocketTimeoutException | java.net.ConnectException expected) {
                    // the SYN is what we wanted
                }
            }
            assertTrue(dump.waitFor(30, TimeUnit.SECONDS), "tcpdump saw no GUE packet");
            String captured = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(captured.contains(" > " + named.group(1) + ".6080: UDP"), "explain named " + named.group(1)
                    + ", the kernel sent: " + captured);
            phase("GUE packet to " + named.group(1) + ", as --explain said");
        } finally {
            echo.destroyForcibly();
        }
    }

    private static Socket connectWithRetry(InetSocketAddress to) throws Exception {
        for (int attempt = 0; ; attempt++) {
            Socket s = new Socket();
            try {
                s.connect(to, 5_000);
                return s;
            } catch (java.io.IOException e) {
                s.close();
                if (attempt == 20) {
                    throw e;
                }
                Thread.sleep(250); // the echo server is still starting
            }
        }
    }

    private static String roundTrip(BufferedReader in, OutputStream out, String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    /** The class path of the director, its modules and these tests, for a child JVM. */
    private static String classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> c : List.of(Director.class, IpvsClient.class, IpvsMhTable.class, FleetKernelTest.class)) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(":", entries);
    }

    private static Process reconcileOnce(String ns, Path config) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp",
                classPath(), FleetKernelTest.class.getName() + "$ReconcileOnce", ns, config.toString())
                .redirectErrorStream(true).start();
    }

    /** The child: one reconcile against the kernel of namespace args[0], config args[1]; prints the plan's kinds. */
    public static final class ReconcileOnce {
        public static void main(String[] args) throws Exception {
            try (Director d = Director.builder(ConfigParser.parse(Path.of(args[1])))
                    .kernel(Kernel.live(IpvsClient.open(NetworkNamespace.named(args[0]))))
                    .eventLog(new EventLog(new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC())).build()) {
                Director.Run run = d.reconcile();
                Map<String, Integer> kinds = new java.util.TreeMap<>();
                run.changes().forEach(c -> kinds.merge(c.kind().name(), 1, Integer::sum));
                System.out.println("changes " + run.changes().size() + " " + kinds + " error " + run.error());
            }
        }
    }

    @Test
    void aDirectorKilledInTheMiddleOfABigPlanConvergesOnRestart() throws Exception {
        namespace("flk");
        namespace("flf");
        StringBuilder services = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            services.append("service s").append(i).append(" tcp 10.72.").append(i / 250).append('.').append(i % 250 + 1)
                    .append(":80\n  scheduler mh\n  tunnel ipip\n  check none\n");
            for (int b = 4; b >= 1; b--) {
                services.append("  backend 10.73.").append(i % 200).append('.').append(b * 10 + i % 7).append('\n');
            }
        }
        Path config = Files.createTempDirectory("fleet").resolve("big.conf");
        Files.writeString(config, config(services.toString()));

        Process first = reconcileOnce("flk", config);
        long t0 = System.nanoTime();
        int before = 0;
        try (IpvsClient watch = IpvsClient.open(NetworkNamespace.named("flk"))) {
            while (first.isAlive() && (before = watch.services().size()) < 150) {
                Thread.sleep(10);
                assertTrue(System.nanoTime() - t0 < 600_000_000_000L, "the child never got going");
            }
        }
        assertTrue(first.isAlive(), "the plan finished before it could be interrupted (" + before + " services)");
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        first.waitFor();
        int entriesBefore = entries(kernelState("flk"));
        phase("killed with " + entriesBefore + " services + destinations in the kernel (of 5,000)");

        Process second = reconcileOnce("flk", config);
        String secondOut = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, second.waitFor(), secondOut);
        Process fresh = reconcileOnce("flf", config);
        String freshOut = new String(fresh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, fresh.waitFor(), freshOut);

        // Compared through netlink dumps (the kernel's own destination order, like /proc/net/ip_vs,
        // which in the emulated guest returned only part of a 5,000-line listing).
        Map<ServiceKey, VirtualService> restarted = kernelState("flk").byKey();
        Map<ServiceKey, VirtualService> uninterrupted = kernelState("flf").byKey();
        assertEquals(1000, uninterrupted.size());
        assertEquals(uninterrupted.keySet(), restarted.keySet(), "the same services");
        for (Map.Entry<ServiceKey, VirtualService> e : uninterrupted.entrySet()) {
            assertEquals(e.getValue(), restarted.get(e.getKey()), e.getKey() + ": the same service and destinations,"
                    + " in the same order");
        }
        assertTrue(secondOut.contains("error null"), secondOut);
        assertFalse(secondOut.contains("DELETE") || secondOut.contains("UPDATE"),
                "nothing already right was touched: " + secondOut);
        Matcher total = Pattern.compile("changes (\\d+)").matcher(freshOut);
        Matcher rest = Pattern.compile("changes (\\d+)").matcher(secondOut);
        assertTrue(total.find() && rest.find(), freshOut + secondOut);
        assertEquals(Integer.parseInt(total.group(1)), entriesBefore + Integer.parseInt(rest.group(1)),
                "the restart made exactly the missing changes");
        phase("restart made " + rest.group(1) + " of " + total.group(1) + " changes: " + secondOut.strip());
    }
}
