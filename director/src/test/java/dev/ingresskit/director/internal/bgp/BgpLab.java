package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real BGP daemons on loopback for the tests: an upstream "router" (BIRD 2) and the directors'
 * speakers (ExaBGP 4 or BIRD 2), each with its own directory, config, control socket and an
 * unprivileged port, started as child processes and killed by {@link #close()}. The router peers
 * with 127.0.0.2, 127.0.0.3 and 127.0.0.4 (one protocol {@code d2}, {@code d3}, {@code d4} each).
 */
final class BgpLab implements AutoCloseable {
    static final String BIRD = "/usr/sbin/bird";
    static final String BIRDC = "/usr/sbin/birdc";
    static final String EXABGP = "/usr/sbin/exabgp";
    static final long ROUTER_AS = 65000;
    static final long DIRECTOR_AS = 65001;
    /** The BGP hold time every session here negotiates: a silent peer is dropped after this. */
    static final int HOLD_SECONDS = 3;

    private final Path dir;
    private final int routerPort;
    private final List<Process> processes = new ArrayList<>();
    private Path routerSocket;

    /** Skips the calling test, saying why, when the Debian daemons are not installed. */
    static void assumeDaemons() {
        for (String binary : List.of(BIRD, BIRDC, EXABGP)) {
            assumeTrue(Files.isExecutable(Path.of(binary)), "SKIPPED: " + binary + " is not installed; the BGP tests"
                    + " need the real daemons (apt-get install bird2 exabgp; .ci/run installs them)");
        }
    }

    BgpLab(Path dir) throws IOException {
        this.dir = dir;
        this.routerPort = freePort();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every daemon started so far, in start order (the router first). */
    List<Process> processes() {
        return List.copyOf(processes);
    }

    int routerPort() {
        return routerPort;
    }

    /** Starts the router and waits for its control socket. */
    void startRouter() throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("router"));
        StringBuilder conf = new StringBuilder();
        conf.append("router id 127.0.0.1;\n")
                .append("log \"").append(home.resolve("bird.log")).append("\" all;\n")
                .append("protocol device {}\n")
                // 127/8 on lo in BIRD's table, so the directors' next hops (127.0.0.x, multihop) resolve.
                .append("protocol direct { ipv4; interface \"lo\"; }\n")
                .append("template bgp director {\n")
                .append("  local 127.0.0.1 port ").append(routerPort).append(" as ").append(ROUTER_AS).append(";\n")
                .append("  passive on;\n  multihop 2;\n  hold time ").append(HOLD_SECONDS).append(";\n")
                .append("  ipv4 { import all; export none; };\n}\n");
        for (int host = 2; host <= 4; host++) {
            conf.append("protocol bgp d").append(host).append(" from director { neighbor 127.0.0.").append(host)
                    .append(" as ").append(DIRECTOR_AS).append("; }\n");
        }
        Path config = home.resolve("bird.conf");
        Files.writeString(config, conf);
        routerSocket = home.resolve("bird.ctl");
        start(home, List.of(BIRD, "-f", "-c", config.toString(), "-s", routerSocket.toString()), Map.of());
        await(Duration.ofSeconds(10), () -> accepts(routerSocket), "router control socket " + routerSocket);
    }

    /**
     * Starts ExaBGP speaking from {@code localAddress} to the router, with one API process running
     * {@code processCommand} (its standard output is the process API).
     *
     * @param terminate ExaBGP exits when the API process dies (exabgp.api.terminate)
     */
    Process startExabgp(String name, String localAddress, String processCommand, boolean terminate)
            throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        String conf = "process director {\n"
                + "    run " + processCommand + ";\n"
                + "    encoder text;\n"
                + "}\n"
                + "neighbor 127.0.0.1 {\n"
                + "    router-id " + localAddress + ";\n"
                + "    local-address " + localAddress + ";\n"
                + "    local-as " + DIRECTOR_AS + ";\n"
                + "    peer-as " + ROUTER_AS + ";\n"
                + "    hold-time " + HOLD_SECONDS + ";\n"
                + "    api { processes [ director ]; }\n"
                + "}\n";
        Path config = home.resolve("exabgp.conf");
        Files.writeString(config, conf);
        return start(home, List.of(EXABGP, "-d", config.toString()), Map.of(
                "exabgp.tcp.port", Integer.toString(routerPort),
                "exabgp.daemon.user", System.getProperty("user.name"),
                "exabgp.log.destination", "stderr",
                "exabgp.api.cli", "false",
                "exabgp.api.respawn", "false",
                "exabgp.api.terminate", Boolean.toString(terminate),
                "PYTHONUNBUFFERED", "1"));
    }

    /**
     * A named pipe that an ExaBGP process {@code cat}s: what a director in this JVM writes to it
     * is what a director running as ExaBGP's process would write to its standard output.
     */
    Path fifo(String name) throws IOException, InterruptedException {
        Path fifo = dir.resolve(name + ".fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        if (mk.waitFor() != 0) {
            throw new IOException("mkfifo " + fifo + " failed");
        }
        return fifo;
    }

    /** Opens the write end of {@code fifo}; waits (bounded) for ExaBGP's process to open the read end. */
    static OutputStream openFifo(Path fifo) throws Exception {
        CompletableFuture<OutputStream> open = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return open.get(20, TimeUnit.SECONDS);
    }

    /**
     * Starts a BIRD speaker from {@code localAddress} exporting the director's include file
     * through its filter, as director/README.md tells an operator to configure it.
     */
    Path[] startBirdSpeaker(String name, String localAddress) throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve(name));
        Path include = home.resolve("ingresskit-vips.conf");
        Files.writeString(include, BirdRoutesFile.render(List.of(), 0));
        Path socket = home.resolve("bird.ctl");
        String conf = "router id " + localAddress + ";\n"
                + "log \"" + home.resolve("bird.log") + "\" all;\n"
                + "protocol device {}\n"
                + "include \"" + include + "\";\n"
                + "protocol bgp uplink {\n"
                + "  local " + localAddress + " port " + freePort() + " as " + DIRECTOR_AS + ";\n"
                + "  neighbor 127.0.0.1 port " + routerPort + " as " + ROUTER_AS + ";\n"
                + "  multihop 2;\n  hold time " + HOLD_SECONDS + ";\n"
                + "  connect delay time 1;\n  connect retry time 2;\n  error wait time 1, 2;\n"
                + "  ipv4 { import none; export filter " + BirdRoutesFile.FILTER + "; next hop self; };\n"
                + "}\n";
        Path config = home.resolve("bird.conf");
        Files.writeString(config, conf);
        start(home, List.of(BIRD, "-f", "-c", config.toString(), "-s", socket.toString()), Map.of());
        await(Duration.ofSeconds(10), () -> accepts(socket), "speaker control socket " + socket);
        return new Path[] {include, socket};
    }

    /** Whether BIRD listens on {@code socket} yet (the file appears a moment before it accepts). */
    private static boolean accepts(Path socket) {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process start(Path home, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(home.resolve("stdout.log").toFile())
                .redirectError(home.resolve("stderr.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        processes.add(p);
        return p;
    }

    /** One path of a route as the router shows it. */
    record RouterPath(String protocol, String from, String asPath, String med, String communities, boolean best) {
    }

    private static final Pattern ROUTE_LINE = Pattern.compile(
            "^(?:\\S+)?\\s+\\S+.*\\[(d\\d) [0-9:.]+ from ([0-9.]+)\\]( \\*)?.*$");

    /** The router's paths for {@code prefix}, from its own {@code birdc show route PREFIX all}. */
    List<RouterPath> routes(String prefix) throws IOException, InterruptedException {
        String out = birdc("show route " + prefix + " all");
        List<RouterPath> paths = new ArrayList<>();
        String protocol = null;
        String from = null;
        boolean best = false;
        String asPath = "";
        String med = "";
        String communities = "";
        for (String line : out.split("\n")) {
            Matcher m = ROUTE_LINE.matcher(line);
            if (m.matches()) {
                if (protocol != null) {
                    paths.add(new RouterPath(protocol, from, asPath, med, communities, best));
                }
                protocol = m.group(1);
                from = m.group(2);
                best = m.group(3) != null;
                asPath = "";
                med = "";
                communities = "";
            } else if (line.contains("BGP.as_path:")) {
                asPath = line.substring(line.indexOf(':') + 1).strip();
            } else if (line.contains("BGP.med:")) {
                med = line.substring(line.indexOf(':') + 1).strip();
            } else if (line.contains("BGP.community:")) {
                communities = line.substring(line.indexOf(':') + 1).strip();
            }
        }
        if (protocol != null) {
            paths.add(new RouterPath(protocol, from, asPath, med, communities, best));
        }
        return paths;
    }

    /** The protocols the router's paths for {@code prefix} were learned from, e.g. [d2, d3]. */
    List<String> sources(String prefix) throws IOException, InterruptedException {
        return routes(prefix).stream().map(RouterPath::protocol).sorted().toList();
    }

    /** The state column of {@code show protocols NAME}, e.g. Established. */
    String session(String protocol) throws IOException, InterruptedException {
        String out = birdc("show protocols " + protocol);
        for (String line : out.split("\n")) {
            if (line.startsWith(protocol + " ")) {
                String[] words = line.trim().split("\\s+");
                return words.length > 5 ? words[5] : words[3];
            }
        }
        return "?";
    }

    String birdc(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BIRDC, "-s", routerSocket.toString(), command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("birdc " + command + " hung");
        }
        return out;
    }

    /** Polls {@code condition} every 20 ms; returns the time it took, or fails naming {@code what}. */
    static Duration await(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** A condition over the router that may throw. */
    interface Check {
        boolean test() throws Exception;
    }

    static BooleanSupplier quietly(Check check) {
        return () -> {
            try {
                return check.test();
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** The logs of every daemon, for a failure message. */
    String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(f);
                b.append("== ").append(dir.relativize(f)).append('\n')
                        .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text).append('\n');
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e).append(")\n");
        }
        return b.toString();
    }

    /** Kills every daemon and whatever they started; nothing is left running. */
    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
