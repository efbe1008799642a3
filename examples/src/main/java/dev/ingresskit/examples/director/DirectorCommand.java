package dev.ingresskit.examples.director;

import dev.ingresskit.director.ConfigException;
import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.Director;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.DirectorReport;
import dev.ingresskit.director.EventLog;
import dev.ingresskit.director.Kernel;
import dev.ingresskit.director.Metrics;
import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.ServiceConfig;
import dev.ingresskit.director.StatusServer;
import dev.ingresskit.director.kubernetes.KubernetesBackendSource;
import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code ingresskit director}: the traffic director. See examples/README.md.
 */
public final class DirectorCommand implements Subcommand {
    private static final Options OPTIONS = Options.builder("--config FILE [--dry-run] [--once] [--explain ADDR:PORT]")
            .value("--config", "FILE", "the director config (format: examples/README.md)")
            .flag("--dry-run", "change nothing: print the plan and the netlink messages it would send")
            .flag("--once", "one round of health checks and one reconcile, print what happened, exit")
            .value("--explain", "ADDR:PORT", "which backend the kernel picks for this client, per mh service; exit")
            .value("--http", "ADDR:PORT", "status endpoint address (overrides the config's http)")
            .flag("--no-messages", "with --once: leave out the netlink message dump")
            .flag("--verbose", "with --once or --explain: also print the structured log lines (stderr)")
            .flag("--timing", "with --once: time parsing, checks and reconciles, then reconcile again (a no-op), on stderr")
            .value("--kubeconfig", "FILE", "for 'backends from kubernetes': this kubeconfig (default: in-cluster, "
                    + "$KUBECONFIG or ~/.kube/config)")
            .value("--kube-context", "NAME", "for 'backends from kubernetes': this kubeconfig context")
            .build();

    @Override
    public String name() {
        return "director";
    }

    @Override
    public String summary() {
        return "IPVS traffic director: config x health -> mh services, GUE tunnels, drains (dry run without root)";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments args, PrintStream console, PrintStream err) throws Exception {
        // The report can be hundreds of thousands of lines: written through one buffer, not a
        // write call per line.
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(console, 1 << 16), false,
                java.nio.charset.StandardCharsets.UTF_8);
        try {
            return runBuffered(args, out, err);
        } finally {
            out.flush();
        }
    }

    private int runBuffered(Arguments args, PrintStream out, PrintStream err) throws Exception {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positionals().getFirst() + "'");
        }
        Path path = Path.of(args.required("--config"));
        DirectorConfig config;
        long parseStart = System.nanoTime();
        try {
            config = ConfigParser.parse(path);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        if (args.has("--http")) {
            config = new DirectorConfig(endpoint(args.required("--http")), config.drain(), config.checkThreads(),
                    config.mhTableSize(), config.services(), config.bgp());
        }
        InetSocketAddress explain = args.has("--explain") ? endpoint(args.required("--explain")) : null;
        boolean once = args.has("--once");
        boolean dryRun = args.has("--dry-run") || explain != null;
        boolean shortLived = once || explain != null;

        Clock clock = Clock.systemUTC();
        EventLog log = shortLived && !args.has("--verbose") ? EventLog.discard() : new EventLog(err, clock);
        Metrics metrics = new Metrics();
        Opened opened = openKernel(dryRun, explain != null);
        if (opened.line() != null) {
            err.println("director: " + opened.line());
        }
        Director built;
        KubernetesBackendSource kubernetes;
        try {
            kubernetes = kubernetesSource(args);
            Director.Builder builder = Director.builder(config).configFile(path).kernel(opened.kernel()).clock(clock)
                    .eventLog(log).metrics(metrics).backendSource(kubernetes);
            if (shortLived) {
                // A one-shot run exits at once: it shows what it would announce and tells no speaker.
                builder.announcer(RouteAnnouncer.dryRun(config.bgp() == null ? null
                        : config.bgp().speaker().name().toLowerCase(java.util.Locale.ROOT)));
            }
            built = builder.build();
        } catch (ConfigException | IllegalArgumentException e) {
            opened.kernel().close();
            throw new UsageException(e.getMessage());
        }
        if (shortLived) {
            awaitFirstList(built, kubernetes, Duration.ofSeconds(10));
        }
        try (Kernel kernel = opened.kernel(); Director director = built) {
            if (shortLived) {
                long checkStart = System.nanoTime();
                director.checkAll();
                long checkEnd = System.nanoTime();
                Director.Run run = director.reconcile();
                if (args.has("--timing")) {
                    Director.Run again = director.reconcile();
                    err.printf(java.util.Locale.ROOT, "timing: parse %d ms (%d services, %d backends); one round of "
                            + "checks %d ms%n", (checkStart - parseStart) / 1_000_000, config.services().size(),
                            director.backendCount(), (checkEnd - checkStart) / 1_000_000);
                    for (Director.Run r : java.util.List.of(run, again)) {
                        err.printf(java.util.Locale.ROOT, "timing: reconcile %d ms: read + plan %d ms, apply %d ms, "
                                + "%d change(s)%n", r.took().toMillis(), r.planning().toMillis(),
                                r.applying().toMillis(), r.changes().size());
                    }
                }
                long reportStart = System.nanoTime();
                try {
                    return report(args, out, director, kernel, opened, explain, path, config, run);
                } finally {
                    if (args.has("--timing")) {
                        out.flush();
                        err.printf(java.util.Locale.ROOT, "timing: report %d ms%n",
                                (System.nanoTime() - reportStart) / 1_000_000);
                    }
                }
            }
            return daemon(director, config, log, metrics);
        }
    }

    /** What {@code --once} and {@code --explain} print after their run. */
    private static int report(Arguments args, PrintStream out, Director director, Kernel kernel, Opened opened,
            InetSocketAddress explain, Path path, DirectorConfig config, Director.Run run) {
        if (explain != null) {
            DirectorReport.explain(out, director, explain.getAddress(), explain.getPort(), opened.basis());
            return 0;
        }
        out.println("config " + path + ": " + config.services().size() + " service(s), "
                + director.backendCount() + " backend(s); " + opened.basis());
        director.sourceStatus().forEach((kind, status) -> out.println("backends from " + kind + ": "
                + (status.synced() ? "in sync" : "NOT in sync, " + status.problem())));
        out.println();
        DirectorReport.health(out, director);
        DirectorReport.plan(out, run, kernel.dryRun());
        DirectorReport.distribution(out, director);
        DirectorReport.announcements(out, director);
        if (!args.has("--no-messages")) {
            DirectorReport.messages(out, run, kernel.dryRun());
        }
        return run.error() == null ? 0 : 1;
    }

    /** Nothing connects until a config names a kubernetes service, so the source is always registered. */
    private static KubernetesBackendSource kubernetesSource(Arguments args) throws UsageException {
        KubernetesBackendSource.Builder b = KubernetesBackendSource.builder();
        if (args.has("--kubeconfig")) {
            b.kubeconfig(Path.of(args.required("--kubeconfig")));
        }
        if (args.has("--kube-context")) {
            b.context(args.required("--kube-context"));
        }
        return b.build();
    }

    /**
     * A one-shot run (--once, --explain) would otherwise reconcile before the first list came back
     * and report no backends; a daemon simply reconciles again when the list arrives.
     */
    private static void awaitFirstList(Director director, KubernetesBackendSource source, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ServiceConfig s : director.config().services()) {
            if (s.discovery() == null || !s.discovery().kind().equals(source.kind())) {
                continue;
            }
            while (!source.backends(s).status().synced() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
    }

    private static int daemon(Director director, DirectorConfig config, EventLog log, Metrics metrics)
            throws IOException {
        try (StatusServer server = new StatusServer(config.http(), director::problem, director::stateJson, metrics)
                .action("/drain-director", () -> "every VIP withdrawn; routers should have moved away by "
                        + director.drainRoutes() + "; POST /resume-director to announce again\n")
                .action("/resume-director", () -> {
                    director.resumeRoutes();
                    return "VIPs come back once eligible for the hold-down\n";
                })) {
            log.log("info", "started", "http", server.address(), "services", config.services().size(),
                    "backends", director.backendCount(), "sighup", onSighup(director::requestReload) ? "reload" : "n/a");
            director.runUntilShutdown(); // SIGTERM: withdraw every VIP, wait the grace, stop
            log.log("info", "stopped", "kernel", "left as it is");
        }
        return 0;
    }

    /** The kernel (or its model) and what to tell the user about it. */
    private record Opened(Kernel kernel, String line, String basis) {
    }

    private static Opened openKernel(boolean dryRun, boolean quiet) {
        String reason;
        try {
            IpvsClient client = IpvsClient.open();
            try {
                IpvsState state = client.state();
                if (!dryRun) {
                    return new Opened(Kernel.live(client), null, "applying to the kernel's IPVS");
                }
                client.close();
                return new Opened(Kernel.model(state), quiet ? null : "dry run: nothing will be changed",
                        "dry run from the kernel's current IPVS state (" + state.services().size() + " service(s))");
            } catch (NetlinkException e) {
                client.close();
                throw e;
            }
        } catch (NetlinkException e) {
            reason = e.isPermissionDenied() ? "no CAP_NET_ADMIN (the kernel answered " + e.errnoName() + ")"
                    : e.isNotFound() ? "no IPVS in this kernel (modprobe ip_vs)" : e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            reason = "netlink unavailable (" + e + ")";
        }
        String line = dryRun ? (quiet ? null : "dry run: nothing will be changed (" + reason + ")")
                : reason + ": dry run, nothing will be changed";
        return new Opened(Kernel.model(IpvsState.EMPTY), line, "dry run from an empty IPVS table");
    }

    private static InetSocketAddress endpoint(String text) throws UsageException {
        try {
            DirectorConfig c = ConfigParser.parse("http " + text + "\n", "argument");
            return c.http();
        } catch (ConfigException e) {
            throw new UsageException("'" + text + "' is not IP:PORT or [IPv6]:PORT");
        }
    }

    /**
     * Calls {@code action} on SIGHUP, through {@code sun.misc.Signal} found by reflection; false when
     * the JDK does not offer it (then the file watch alone picks up changes).
     */
    static boolean onSighup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, m, a) ->
                    switch (m.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == a[0];
                        default -> "sighup-handler";
                    });
            signal.getMethod("handle", signal, handler).invoke(null, hup, h);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
