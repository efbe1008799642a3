package dev.ingresskit.director;

import dev.ingresskit.director.DiscoveredBackends.SourceStatus;
import dev.ingresskit.director.internal.BackendRef;
import dev.ingresskit.director.internal.CanonicalOrder;
import dev.ingresskit.director.internal.HealthMonitor;
import dev.ingresskit.director.internal.HealthState;
import dev.ingresskit.director.internal.JsonWriter;
import dev.ingresskit.director.internal.MhPredictor;
import dev.ingresskit.director.internal.NetworkProbe;
import dev.ingresskit.director.internal.Reconciler;
import dev.ingresskit.director.internal.bgp.Announcements;
import dev.ingresskit.director.internal.bgp.DryRunAnnouncer;
import dev.ingresskit.director.internal.bgp.VipDemand;
import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpAddresses;
import dev.ingresskit.ipvs.IpvsApplyException;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.VirtualService;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.maglev.IpvsMhTable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The traffic director: health checks, and a reconcile loop that keeps the kernel's IPVS at
 * backends × health, with every {@code mh} service's destinations in one canonical order so that
 * every director of a fleet builds the same Maglev table. Reconciles after every health transition,
 * backend-source change and config reload, when a drain period ends, and every {@link #RESYNC}
 * anyway (someone may have changed IPVS behind its back). On exit it leaves the kernel as it is, so
 * traffic keeps flowing while the director restarts.
 *
 * <p>Build one with {@link #builder(DirectorConfig)}; the seams an embedding service may replace are
 * the {@link Kernel}, the {@link HealthProbe}, the clock and {@link BackendSource}s.
 *
 * <p>Threads: {@link #run} is the loop; health checks run on the monitor's virtual threads; sources
 * call back from theirs; the status endpoint reads {@link #stateJson()} and {@link #problem()} from its
 * own threads. Shared state is guarded by this object's lock; reconciles are serialised.
 */
public final class Director implements AutoCloseable {
    /** Full reconcile at least this often. */
    public static final Duration RESYNC = Duration.ofSeconds(10);

    /**
     * What one reconcile run did.
     *
     * @param at       when it started
     * @param before   the kernel's state it read ({@code null} when unreadable)
     * @param desired  the state it aimed for ({@code null} when it did not get that far)
     * @param plan     the changes it decided ({@code null} likewise)
     * @param applied  what the kernel (or the model) carried out, {@code null} when the plan was empty
     * @param error    why it failed, {@code null} when it did not
     * @param reAdded  destinations deleted and re-added to restore canonical order
     */
    public record Run(Instant at, IpvsState before, IpvsState desired, Plan plan, ApplyResult applied, String error,
            Duration took, Duration planning, Duration applying, int reAdded) {
        /** The planned changes, empty when none were planned. */
        public List<Change> changes() {
            return plan == null ? List.of() : plan.changes();
        }
    }

    /** Builds a {@link Director}; every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private final DirectorConfig config;
        private Path configFile;
        private Kernel kernel;
        private HealthProbe probe;
        private InstantSource clock = Clock.systemUTC();
        private EventLog log;
        private Metrics metrics;
        private final Map<String, BackendSource> sources = new LinkedHashMap<>();
        private RouteAnnouncer announcer;

        private Builder(DirectorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The file the config came from: watched for changes and re-read by {@link #reload()}. Optional. */
        public Builder configFile(Path file) {
            this.configFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Where plans go: {@link Kernel#live}, {@link Kernel#model} or your own. Required. */
        public Builder kernel(Kernel kernel) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        /** How backends are checked; by default TCP connects and HTTP GETs from this host. */
        public Builder probe(HealthProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /** The time source of checks, drains and logs; the system UTC clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where structured log lines go; standard error by default. */
        public Builder eventLog(EventLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** The metrics registry the director writes to; a new one by default. */
        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Serves the services whose config says {@code backends from KIND}; one source per kind. */
        public Builder backendSource(BackendSource source) {
            Objects.requireNonNull(source, "source");
            String kind = source.kind();
            if (kind == null || kind.isEmpty()) {
                throw new IllegalArgumentException("a backend source needs a kind (the word after 'backends from')");
            }
            if (sources.putIfAbsent(kind, source) != null) {
                throw new IllegalArgumentException("a backend source of kind '" + kind + "' is registered already");
            }
            return this;
        }

        /**
         * The BGP speaker the VIPs of {@code announce} services go to, instead of the one the config's
         * {@code bgp speaker} line names (an embedding service's own, or a test's). Used even in a
         * dry run; without it a dry run never talks to a speaker.
         */
        public Builder announcer(RouteAnnouncer announcer) {
            this.announcer = Objects.requireNonNull(announcer, "announcer");
            return this;
        }

        /**
         * The director, not yet running (call {@link Director#run} or {@link Director#reconcile}).
         *
         * @throws ConfigException when a service names a backend source kind that is not registered,
         *         or its source refuses the arguments
         * @throws IllegalStateException when no kernel was given
         */
        public Director build() throws ConfigException {
            if (kernel == null) {
                throw new IllegalStateException("a director needs a kernel: kernel(Kernel.live(client)) or "
                        + "kernel(Kernel.model(IpvsState.EMPTY))");
            }
            checkSources(config, sources, configFile == null ? "config" : configFile.toString());
            if (announcer == null && config.bgp() == null && !kernel.dryRun()) {
                for (ServiceConfig s : config.services()) {
                    if (s.announce() != null) {
                        throw new ConfigException(configFile == null ? "config" : configFile.toString(), s.line(),
                                "announce", "service '" + s.name() + "' announces its VIP but no speaker is set: add"
                                + " 'bgp speaker exabgp' or 'bgp speaker bird FILE SOCKET'");
                    }
                }
            }
            return new Director(this);
        }
    }

    /** A builder for a director that starts from {@code config}. */
    public static Builder builder(DirectorConfig config) {
        return new Builder(config);
    }

    private final Path configPath;
    private final Kernel kernel;
    private final InstantSource clock;
    private final EventLog log;
    private final Metrics metrics;
    private final HealthMonitor monitor;
    private final Reconciler reconciler;
    private final MhPredictor predictor = new MhPredictor();
    private final Map<String, BackendSource> sources;
    /** The BGP side; {@code null} when nothing is ever announced (no bgp lines, no announcer given). */
    private final Announcements announcements;
    private final Duration grace;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean reloadRequested = new AtomicBoolean();
    private final Object reconcileLock = new Object();
    private volatile DirectorConfig config;
    private Run lastRun;
    private Reconciler.Result lastResult;
    private IpvsState lastState = IpvsState.EMPTY;
    /** The backends of each service as last resolved (file lines or source answers), by name. */
    private Map<String, Reconciler.Backends> backends = Map.of();
    private Map<String, SourceStatus> sourceStatus = Map.of();
    /** Per mh service name: the kernel's predicted table after the last run. */
    private Map<String, IpvsMhTable> tables = Map.of();
    private Instant nextResync = Instant.MIN;
    private WatchService watcher;

    private Director(Builder b) {
        this.configPath = b.configFile;
        this.config = b.config;
        this.kernel = b.kernel;
        this.clock = b.clock;
        this.log = b.log != null ? b.log : new EventLog(System.err, b.clock);
        this.metrics = b.metrics != null ? b.metrics : new Metrics();
        this.sources = Map.copyOf(b.sources);
        this.announcements = announcements(b, config, kernel);
        this.grace = config.bgp() != null ? config.bgp().grace() : BgpConfig.DEFAULT_GRACE;
        this.reconciler = new Reconciler(clock);
        this.monitor = new HealthMonitor(b.probe != null ? b.probe : new NetworkProbe(), clock, config.checkThreads(),
                new HealthMonitor.Listener() {
                    @Override
                    public void onResult(BackendRef backend, HealthProbe.Result result, Duration latency,
                            HealthState.Transition transition) {
                        onCheck(backend, result, latency, transition);
                    }

                    @Override
                    public void onUnchecked(int count) {
                        dirty.set(true);
                        wake.release();
                    }
                });
        Runnable changed = () -> {
            dirty.set(true);
            wake.release();
        };
        for (BackendSource s : sources.values()) {
            s.watch(servicesOf(config, s.kind()), changed);
        }
        resolveBackends(config);
        metrics.set(Metrics.DRY_RUN, kernel.dryRun() ? 1 : 0);
        registerBackendGauges();
    }

    /** The announcer: the builder's, else the config's speaker (or its dry-run stand-in). */
    private static Announcements announcements(Builder b, DirectorConfig config, Kernel kernel) {
        boolean anyAnnounce = config.services().stream().anyMatch(s -> s.announce() != null);
        if (b.announcer == null && config.bgp() == null && !anyAnnounce) {
            return null;
        }
        Duration holdDown = config.bgp() != null ? config.bgp().holdDown() : BgpConfig.DEFAULT_HOLD_DOWN;
        RouteAnnouncer announcer = b.announcer;
        if (announcer == null) {
            String named = config.bgp() == null ? null : config.bgp().speaker().name().toLowerCase(Locale.ROOT);
            announcer = kernel.dryRun() ? new DryRunAnnouncer(named) : RouteAnnouncer.of(config.bgp());
        }
        return new Announcements(announcer, holdDown);
    }

    private static List<ServiceConfig> servicesOf(DirectorConfig config, String kind) {
        return config.services().stream().filter(s -> s.discovery() != null && s.discovery().kind().equals(kind))
                .toList();
    }

    /** Every {@code backends from} line names a registered source that accepts its arguments. */
    private static void checkSources(DirectorConfig config, Map<String, BackendSource> sources, String file)
            throws ConfigException {
        for (ServiceConfig s : config.services()) {
            BackendQuery q = s.discovery();
            if (q == null) {
                continue;
            }
            BackendSource source = sources.get(q.kind());
            if (source == null) {
                throw new ConfigException(file, q.line(), "backends from", "no backend source of kind '" + q.kind()
                        + "'" + (sources.isEmpty() ? " (none is registered)" : " (registered: "
                        + String.join(", ", new java.util.TreeSet<>(sources.keySet())) + ")"));
            }
            try {
                source.validate(q.arguments());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, q.line(), "backends from", String.valueOf(e.getMessage()));
            }
        }
    }

    /**
     * Asks every service's backends of its source (or takes its lines) and hands the new set to the
     * health monitor when it changed.
     */
    private synchronized Map<String, Reconciler.Backends> resolveBackends(DirectorConfig cfg) {
        Map<String, Reconciler.Backends> next = new LinkedHashMap<>();
        Map<String, SourceStatus> status = new TreeMap<>();
        for (ServiceConfig s : cfg.services()) {
            if (s.discovery() == null) {
                next.put(s.name(), Reconciler.Backends.of(s));
                continue;
            }
            BackendSource source = sources.get(s.discovery().kind());
            DiscoveredBackends found = source.backends(s);
            List<BackendConfig> list = new ArrayList<>(found.backends().size());
            Set<BackendRef> draining = new HashSet<>();
            for (DiscoveredBackends.Backend d : found.backends()) {
                BackendConfig b = new BackendConfig(d.address(), d.port() != 0 ? d.port() : s.port(), d.weight(), 0);
                list.add(b);
                if (d.draining()) {
                    draining.add(BackendRef.of(s, b));
                }
            }
            next.put(s.name(), new Reconciler.Backends(list, draining));
            SourceStatus was = status.get(s.discovery().kind());
            if (was == null || was.synced() && !found.status().synced()) {
                status.put(s.discovery().kind(), found.status());
            }
        }
        if (!next.equals(backends) || cfg != gaugedConfigForMonitor) {
            Map<String, List<BackendConfig>> lists = new HashMap<>();
            next.forEach((name, bs) -> lists.put(name, bs.backends()));
            monitor.update(cfg.services(), lists);
            gaugedConfigForMonitor = cfg;
        }
        for (Map.Entry<String, SourceStatus> e : status.entrySet()) {
            metrics.set(Metrics.SOURCE_SYNCED, e.getValue().synced() ? 1 : 0, "kind", e.getKey());
        }
        backends = next;
        sourceStatus = status;
        return next;
    }

    private DirectorConfig gaugedConfigForMonitor;

    private void onCheck(BackendRef ref, HealthProbe.Result result, Duration latency, HealthState.Transition t) {
        metrics.inc(Metrics.CHECKS, 1, "service", ref.service(), "result", result.ok() ? "pass" : "fail");
        metrics.observe(Metrics.CHECK_DURATION, latency.toNanos() / 1e9, "service", ref.service());
        if (t != null) {
            String to = t.to().label();
            String backend = IpAddresses.format(ref.address(), ref.port());
            metrics.inc(Metrics.HEALTH_TRANSITIONS, 1, "service", ref.service(), "backend", backend, "to", to);
            log.log(t.to() == Health.UP ? "info" : "warn", "health", "service", ref.service(), "backend", backend,
                    "from", t.from().label(), "to", to, "detail", t.detail(),
                    "latency_ms", latency.toMillis());
            dirty.set(true);
            wake.release();
        }
    }

    HealthMonitor monitor() {
        return monitor;
    }

    public DirectorConfig config() {
        return config;
    }

    /** The metrics this director writes (for a status endpoint). */
    public Metrics metrics() {
        return metrics;
    }

    /** The last reconcile run, {@code null} before the first. */
    public synchronized Run lastRun() {
        return lastRun;
    }

    synchronized Reconciler.Result lastResult() {
        return lastResult;
    }

    /** The kernel state read by the last run (after its changes; in a dry run the model's). */
    public synchronized IpvsState lastState() {
        return lastState;
    }

    /** The backends of a service as last resolved: its {@code backend} lines or its source's answer. */
    public synchronized List<BackendConfig> backends(ServiceConfig service) {
        Reconciler.Backends b = backends.get(service.name());
        return b == null ? List.of() : b.backends();
    }

    synchronized boolean sourceDraining(ServiceConfig service, BackendConfig backend) {
        Reconciler.Backends b = backends.get(service.name());
        return b != null && b.draining().contains(BackendRef.of(service, backend));
    }

    /** Each backend source's status as of the last reconcile, by kind. */
    public synchronized Map<String, SourceStatus> sourceStatus() {
        return sourceStatus;
    }

    /** Number of backends over all services, as last resolved. */
    public synchronized int backendCount() {
        int n = 0;
        for (Reconciler.Backends b : backends.values()) {
            n += b.backends().size();
        }
        return n;
    }

    /** Asks the loop to re-read the config (file watch, SIGHUP). */
    public void requestReload() {
        reloadRequested.set(true);
        wake.release();
    }

    /**
     * Runs every due check and waits for them: at most the longest check timeout times the number of
     * rounds the thread bound needs ({@code backends / check-threads}, rounded up), plus a second.
     */
    public void checkAll() throws InterruptedException {
        resolveBackends(config);
        int started = monitor.runDue();
        Duration longest = Duration.ZERO;
        for (ServiceConfig s : config.services()) {
            if (s.check().timeout().compareTo(longest) > 0) {
                longest = s.check().timeout();
            }
        }
        int rounds = (started + config.checkThreads() - 1) / config.checkThreads();
        monitor.awaitIdle(longest.multipliedBy(Math.max(1, rounds)).plusSeconds(1));
    }

    /**
     * Re-reads the config file; keeps the old config when the new one is bad (or there is no file).
     * Returns true when it changed.
     */
    public boolean reload() {
        if (configPath == null) {
            return false;
        }
        DirectorConfig next;
        try {
            next = ConfigParser.parse(configPath);
            checkSources(next, sources, configPath.toString());
        } catch (ConfigException e) {
            metrics.inc(Metrics.CONFIG_RELOADS, 1, "result", "error");
            log.log("error", "config-rejected", "file", e.source(), "line", e.line(), "field", e.field(),
                    "problem", e.problem(), "kept", "previous config");
            return false;
        }
        metrics.inc(Metrics.CONFIG_RELOADS, 1, "result", "ok");
        if (next.equals(config)) {
            return false;
        }
        if (!next.http().equals(config.http())) {
            log.log("warn", "config-http", "problem", "the status endpoint address changes only on restart");
        }
        if (!Objects.equals(next.bgp(), config.bgp())) {
            log.log("warn", "config-bgp", "problem", "the bgp lines (speaker, grace, hold-down) change only on restart;"
                    + " announce lines take effect now");
        }
        config = next;
        Runnable changed = () -> {
            dirty.set(true);
            wake.release();
        };
        for (BackendSource s : sources.values()) {
            s.watch(servicesOf(next, s.kind()), changed);
        }
        resolveBackends(next);
        log.log("info", "config-loaded", "file", configPath, "services", next.services().size(), "backends",
                backendCount());
        dirty.set(true);
        return true;
    }

    /**
     * One reconcile: read the kernel, plan, apply (or in a dry run, apply to the model), record. Runs
     * are serialised (the loop and a caller may both ask).
     */
    public Run reconcile() {
        synchronized (reconcileLock) {
            return reconcileLocked();
        }
    }

    private Run reconcileLocked() {
        Instant at = clock.instant();
        long t0 = System.nanoTime();
        metrics.inc(Metrics.RECONCILE_RUNS, 1);
        IpvsState before = null;
        Reconciler.Result result = null;
        ApplyResult applied = null;
        String error = null;
        DirectorConfig cfg = config;
        long t1 = t0;
        long t2 = t0;
        try {
            Map<String, Reconciler.Backends> current = resolveBackends(cfg);
            before = kernel.state();
            predictor.observe(before);
            result = reconciler.plan(cfg, current, monitor.healthMap(), before);
            t1 = System.nanoTime();
            t2 = t1;
            if (!result.plan().isEmpty()) {
                try {
                    applied = kernel.execute(result.plan());
                } catch (IpvsApplyException e) {
                    applied = e.result();
                    error = e.getMessage();
                }
                t2 = System.nanoTime();
                predictor.applied(applied.applied());
                logChanges(cfg, applied);
                if (result.reAdded() > 0) {
                    metrics.inc(Metrics.REORDERS, result.reAdded());
                    log.log("info", "reorder", "readded", result.reAdded(), "why",
                            "restore the canonical mh destination order", "dry_run", kernel.dryRun());
                }
            }
            IpvsState after = result.plan().isEmpty() ? before : kernel.state();
            Map<String, IpvsMhTable> predicted = predictTables(cfg, after);
            synchronized (this) {
                lastState = after;
                lastResult = result;
                tables = predicted;
            }
            updateGauges(result, predicted);
        } catch (NetlinkException e) {
            error = e.getMessage();
            metrics.inc(Metrics.NETLINK_ERRORS, 1, "op", e.operation() == null ? "?" : e.operation());
        } catch (RuntimeException e) {
            error = String.valueOf(e);
        }
        if (error != null) {
            metrics.inc(Metrics.RECONCILE_ERRORS, 1);
            log.log("error", "reconcile-failed", "problem", error);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        metrics.set(Metrics.RECONCILE_DURATION, took.toNanos() / 1e9);
        Run run = new Run(at, before, result == null ? null : result.desired(), result == null ? null : result.plan(),
                applied, error, took, Duration.ofNanos(Math.max(0, t1 - t0)), Duration.ofNanos(Math.max(0, t2 - t1)),
                result == null ? 0 : result.reAdded());
        synchronized (this) {
            lastRun = run;
        }
        announce();
        return run;
    }

    /**
     * Hands each {@code announce} service's health to the BGP side, which decides per VIP (see
     * director/README.md) and tells the speaker what changed. Cheap when nothing changed.
     */
    private void announce() {
        if (announcements == null) {
            return;
        }
        DirectorConfig cfg = config;
        Map<BackendRef, Health> health = monitor.healthMap();
        List<VipDemand> demands = new ArrayList<>();
        for (ServiceConfig s : cfg.services()) {
            if (s.announce() == null) {
                continue;
            }
            List<BackendConfig> list = backends(s);
            int up = 0;
            for (BackendConfig b : list) {
                // Serving means: checked up, and neither drained by weight 0 nor by its source.
                if (b.weight() > 0 && health.get(BackendRef.of(s, b)) == Health.UP && !sourceDraining(s, b)) {
                    up++;
                }
            }
            demands.add(new VipDemand(s.name(), s.announce().route(s.vip()), up, list.size(),
                    s.announce().minHealthy()));
        }
        Run run = lastRun();
        boolean before = announcements.problem() == null;
        boolean ok = announcements.update(clock.instant(), demands, run != null && run.error() == null);
        if (ok != before) {
            log.log(ok ? "info" : "error", "bgp-speaker", "speaker", announcements.speaker(), "problem",
                    ok ? "none" : announcements.problem());
        }
        updateBgpGauges();
    }

    private void updateBgpGauges() {
        Map<String[], Double> announced = new LinkedHashMap<>();
        Map<String[], Double> since = new LinkedHashMap<>();
        for (VipState v : announcements.states()) {
            String[] labels = {"vip", IpAddresses.format(v.vip())};
            announced.put(labels, v.announced() ? 1.0 : 0.0);
            since.put(labels, v.since().toEpochMilli() / 1000.0);
        }
        metrics.replace(Metrics.VIP_ANNOUNCED, announced);
        metrics.replace(Metrics.VIP_SINCE, since);
        metrics.set(Metrics.BGP_SPEAKER_OK, announcements.problem() == null ? 1 : 0);
        metrics.set(Metrics.BGP_DRAINING, announcements.draining() ? 1 : 0);
    }

    /**
     * Withdraws every VIP and keeps them withdrawn (maintenance, or the first half of a stop); the
     * kernel keeps serving what routers still send. Returns when routers should have moved away:
     * now plus the config's {@code bgp grace}.
     *
     * @throws IOException the speaker could not be told (the drain stays in force and is retried)
     */
    public Instant drainRoutes() throws IOException {
        if (announcements == null) {
            return clock.instant();
        }
        Instant now = clock.instant();
        log.log("warn", "bgp-drain", "vips", announcements.states().size(), "grace_ms", grace.toMillis());
        try {
            announcements.drain(now);
        } finally {
            updateBgpGauges();
        }
        return now.plus(grace);
    }

    /** Ends a {@link #drainRoutes() drain}: each VIP comes back once it has been eligible for the hold-down. */
    public void resumeRoutes() {
        if (announcements != null) {
            announcements.resume();
            log.log("info", "bgp-resume");
            wake.release();
        }
    }

    /**
     * The graceful stop (SIGTERM): withdraws every VIP, waits the config's {@code bgp grace} so
     * routers move flows to the other directors, and returns; the caller then stops the loop and
     * exits, leaving IPVS as it is. A speaker that cannot be told is logged, and the wait is kept.
     */
    public void stopGracefully() throws InterruptedException {
        if (announcements == null) {
            return;
        }
        Instant until;
        try {
            until = drainRoutes();
        } catch (IOException e) {
            log.log("error", "bgp-drain-failed", "problem", String.valueOf(e.getMessage()));
            until = clock.instant().plus(grace);
        }
        long millis = Duration.between(clock.instant(), until).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
        log.log("info", "bgp-stopped", "grace_ms", grace.toMillis());
    }

    /** Per announced-or-not VIP: state for {@code /state} and reports; empty without BGP. */
    public List<VipState> vipStates() {
        return announcements == null ? List.of() : announcements.states();
    }

    /** What a predicted table was built from: the same inputs give the same table. */
    private record TableInputs(VirtualService kernel, Map<dev.ingresskit.ipvs.DestinationKey, Integer> lastWeights,
            int size, boolean mhPort, boolean mhFallback) {
    }

    private Map<String, Map.Entry<TableInputs, IpvsMhTable>> tableCache = Map.of();

    /**
     * The kernel's table of every configured mh service present in {@code kernel}; a table whose
     * inputs did not change since the last run is reused (a no-op reconcile rebuilds none).
     */
    private Map<String, IpvsMhTable> predictTables(DirectorConfig cfg, IpvsState kernel) {
        Map<ServiceKey, VirtualService> byKey = kernel.byKey();
        Map<String, IpvsMhTable> out = new LinkedHashMap<>();
        Map<String, Map.Entry<TableInputs, IpvsMhTable>> cache = new HashMap<>();
        for (ServiceConfig s : cfg.services()) {
            VirtualService v = s.isMh() ? byKey.get(s.key()) : null;
            if (v == null) {
                continue;
            }
            TableInputs inputs = new TableInputs(v, predictor.lastWeights(s.key()), cfg.mhTableSize(), s.mhPort(),
                    s.mhFallback());
            Map.Entry<TableInputs, IpvsMhTable> had = tableCache.get(s.name());
            IpvsMhTable table = had != null && had.getKey().equals(inputs) ? had.getValue()
                    : predictor.table(v, cfg.mhTableSize(), s.mhPort(), s.mhFallback());
            out.put(s.name(), table);
            cache.put(s.name(), Map.entry(inputs, table));
        }
        tableCache = cache;
        return out;
    }

    private void logChanges(DirectorConfig cfg, ApplyResult applied) {
        // Counted per kind, and logged one by one only when the log writes somewhere: a first run can make
        // 100,000 changes.
        int[] byKind = new int[Change.Kind.values().length];
        for (Change c : applied.applied()) {
            byKind[c.kind().ordinal()]++;
        }
        for (Change.Kind kind : Change.Kind.values()) {
            if (byKind[kind.ordinal()] > 0) {
                metrics.inc(Metrics.CHANGES, byKind[kind.ordinal()], "kind", kind.name().toLowerCase(Locale.ROOT));
            }
        }
        for (ApplyResult.Failure f : applied.failed()) {
            metrics.inc(Metrics.NETLINK_ERRORS, 1, "op", f.change().kind().command());
        }
        if (!log.enabled()) {
            return;
        }
        Map<ServiceKey, String> names = names(cfg);
        String dry = kernel.dryRun() ? "true" : "false";
        for (Change c : applied.applied()) {
            log.log("info", "change", fields(names, c, dry, null));
        }
        for (ApplyResult.Failure f : applied.failed()) {
            log.log("error", "change-failed", fields(names, f.change(), dry, f.error().getMessage()));
        }
    }

    private Object[] fields(Map<ServiceKey, String> names, Change c, String dry, String problem) {
        List<Object> f = new ArrayList<>();
        f.add("kind");
        f.add(c.kind().name().toLowerCase(Locale.ROOT));
        f.add("service");
        f.add(names.getOrDefault(c.service().key(), "?"));
        f.add("vip");
        f.add(c.service().key());
        if (c.destination() != null) {
            f.add("backend");
            f.add(c.destination().key());
            if (c.kind() != Change.Kind.DELETE_DESTINATION) {
                f.add("weight");
                f.add(c.destination().weight());
            }
            if (c.before() instanceof Destination was) {
                f.add("was");
                f.add(was.weight());
            }
        }
        f.add("dry_run");
        f.add(dry);
        if (problem != null) {
            f.add("problem");
            f.add(problem);
        }
        return f.toArray();
    }

    private Map<ServiceKey, String> names(DirectorConfig cfg) {
        Map<ServiceKey, String> names = new HashMap<>();
        for (Reconciler.Drain d : reconciler.draining()) {
            names.put(d.serviceKey(), d.service()); // a service that left the config keeps its name
        }
        for (ServiceConfig s : cfg.services()) {
            names.put(s.key(), s.name());
        }
        return names;
    }

    private void updateGauges(Reconciler.Result r, Map<String, IpvsMhTable> predicted) {
        metrics.set(Metrics.DRAINING, r.draining().size());
        Map<String[], Double> fingerprints = new LinkedHashMap<>();
        predicted.forEach((name, table) -> fingerprints.put(new String[] {"service", name, "fingerprint",
                table.fingerprint()}, 1.0));
        metrics.replace(Metrics.MH_TABLE, fingerprints);
    }

    /**
     * The per-backend gauges (3 series a backend) are computed when the metrics are read, from the
     * last run: at 100,000 backends, keeping them current would cost every reconcile a map of label
     * strings that nobody may read.
     */
    private void registerBackendGauges() {
        metrics.collect(Metrics.BACKEND_WEIGHT, () -> backendGauge((s, b, ref, w, h) -> (double) w));
        metrics.collect(Metrics.BACKEND_CONFIGURED_WEIGHT, () -> backendGauge((s, b, ref, w, h) -> (double) b.weight()));
        metrics.collect(Metrics.BACKEND_UP, () -> backendGauge((s, b, ref, w, h) -> h == Health.UP ? 1.0 : 0.0));
    }

    private interface BackendValue {
        double of(ServiceConfig s, BackendConfig b, BackendRef ref, int weight, Health health);
    }

    private Map<String[], Double> backendGauge(BackendValue value) {
        Reconciler.Result r = lastResult();
        Map<BackendRef, Health> health = monitor.healthMap();
        Map<String[], Double> out = new LinkedHashMap<>();
        for (ServiceConfig s : config.services()) {
            for (BackendConfig b : backends(s)) {
                BackendRef ref = BackendRef.of(s, b);
                out.put(new String[] {"service", s.name(), "backend", b.endpoint()}, value.of(s, b, ref,
                        r == null ? 0 : r.weight(ref), health.getOrDefault(ref, Health.UNKNOWN)));
            }
        }
        return out;
    }

    /**
     * The loop on the calling thread until the JVM is asked to stop (SIGTERM, SIGINT): then, from a
     * shutdown hook, {@link #stopGracefully()} (every VIP withdrawn, the grace waited while IPVS keeps
     * serving) ends the loop, and this returns. The kernel is left as it is.
     */
    public void runUntilShutdown() {
        AtomicBoolean stop = new AtomicBoolean();
        Thread loop = Thread.currentThread();
        Thread hook = new Thread(() -> {
            try {
                stopGracefully();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.set(true);
            loop.interrupt();
        }, "director-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run(stop);
        } catch (InterruptedException e) {
            // stopping: the hook interrupted the loop
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is what stopped the loop
            }
        }
    }

    /** The loop: until {@code stop} is set (or the thread interrupted). */
    public void run(AtomicBoolean stop) throws InterruptedException {
        watchConfig();
        checkAll();
        while (!stop.get() && !Thread.currentThread().isInterrupted()) {
            if (reloadRequested.getAndSet(false)) {
                reload();
            }
            monitor.runDue();
            Instant now = clock.instant();
            Instant drainDeadline = reconciler.nextDeadline();
            boolean due = dirty.getAndSet(false) || !now.isBefore(nextResync)
                    || (drainDeadline != null && !now.isBefore(drainDeadline));
            if (due) {
                reconcile();
                nextResync = clock.instant().plus(RESYNC);
            } else {
                announce();
            }
            Instant wakeAt = nextResync;
            Instant announceDue = announcements == null ? null : announcements.nextChange();
            if (announceDue != null && announceDue.isBefore(wakeAt)) {
                wakeAt = announceDue;
            }
            Instant checkDue = monitor.nextDue();
            if (checkDue != null && checkDue.isBefore(wakeAt)) {
                wakeAt = checkDue;
            }
            drainDeadline = reconciler.nextDeadline();
            if (drainDeadline != null && drainDeadline.isBefore(wakeAt)) {
                wakeAt = drainDeadline;
            }
            long millis = Math.max(1, Math.min(1000, Duration.between(clock.instant(), wakeAt).toMillis()));
            if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        }
    }

    /** Watches the config file's directory; any event for the file asks for a reload. */
    private void watchConfig() {
        if (configPath == null || watcher != null) {
            return;
        }
        Path dir = configPath.toAbsolutePath().getParent();
        Path name = configPath.getFileName();
        try {
            watcher = FileSystems.getDefault().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            log.log("warn", "config-watch", "problem", String.valueOf(e), "reload", "SIGHUP only");
            return;
        }
        WatchService w = watcher;
        Thread.ofVirtual().name("director-config-watch").start(() -> {
            try {
                while (true) {
                    WatchKey key = w.take();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.context() instanceof Path p && p.equals(name)) {
                            requestReload();
                        } else if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            requestReload();
                        }
                    }
                    if (!key.reset()) {
                        return;
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closing
            }
        });
    }

    /** Empty while healthy; else why not (for {@code /healthz}). */
    public Optional<String> problem() {
        Run run = lastRun();
        if (run == null) {
            return Optional.of("starting: no reconcile yet");
        }
        return run.error() == null ? Optional.empty() : Optional.of("last reconcile failed: " + run.error());
    }

    /**
     * The fingerprint of each configured {@code mh} service's predicted kernel table after the last
     * run (see {@link IpvsMhTable#fingerprint()}), by service name: equal on every director of a fleet
     * that agrees on every flow.
     */
    public synchronized Map<String, String> tableFingerprints() {
        Map<String, String> out = new LinkedHashMap<>();
        tables.forEach((name, table) -> out.put(name, table.fingerprint()));
        return out;
    }

    /** The {@code /state} document: services, backends with health and weights, drains, last plan. */
    public String stateJson() {
        DirectorConfig cfg = config;
        Run run = lastRun();
        Reconciler.Result result = lastResult();
        Map<BackendRef, HealthMonitor.View> health = monitor.snapshot();
        Map<String, String> fingerprints = tableFingerprints();
        Map<ServiceKey, VirtualService> inKernel = lastState().byKey();
        JsonWriter j = new JsonWriter().beginObject();
        j.field("dry_run", kernel.dryRun());
        j.field("config", configPath == null ? null : configPath.toString());
        j.name("sources").beginArray();
        for (Map.Entry<String, SourceStatus> e : sourceStatus().entrySet()) {
            j.beginObject().field("kind", e.getKey()).field("synced", e.getValue().synced())
                    .field("since", e.getValue().since().toString()).field("problem", e.getValue().problem())
                    .endObject();
        }
        j.endArray();
        j.name("services").beginArray();
        for (ServiceConfig s : cfg.services()) {
            j.beginObject().field("name", s.name()).field("identity", s.identity()).field("scheduler", s.scheduler())
                    .field("mh_port", s.mhPort()).field("mh_fallback", s.mhFallback())
                    .field("forward", s.forwarding().toString());
            if (s.discovery() != null) {
                j.field("backends_from", s.discovery().toString());
            }
            if (s.isMh()) {
                VirtualService v = inKernel.get(s.key());
                j.field("table_fingerprint", fingerprints.get(s.name()));
                j.field("canonical_order", v == null ? null : String.valueOf(CanonicalOrder.isCanonical(v.destinations())));
            }
            j.name("backends").beginArray();
            for (BackendConfig b : backends(s)) {
                BackendRef ref = BackendRef.of(s, b);
                HealthMonitor.View v = health.get(ref);
                j.beginObject().field("address", IpAddresses.format(b.address())).field("port", b.port())
                        .field("ipvs_port", s.ipvsPort(b.port())).field("check_port", s.check().portFor(b))
                        .field("configured_weight", b.weight())
                        .field("weight", result == null ? 0 : result.weight(ref));
                if (sourceDraining(s, b)) {
                    j.field("source_draining", true);
                }
                if (v != null) {
                    j.field("health", v.health().label())
                            .field("consecutive_successes", v.successes()).field("consecutive_failures", v.failures())
                            .field("transitions", v.transitions())
                            .field("since", v.since() == null ? null : v.since().toString())
                            .field("last_check", v.lastCheck() == null ? null : v.lastCheck().toString())
                            .field("last_latency_ms", v.lastLatency().toMillis()).field("last_result", v.lastDetail());
                }
                j.endObject();
            }
            j.endArray().endObject();
        }
        j.endArray();
        j.name("draining").beginArray();
        for (Reconciler.Drain d : reconciler.draining()) {
            j.beginObject().field("service", d.service()).field("backend", d.destination().key().toString())
                    .field("until", d.deadline().toString()).endObject();
        }
        j.endArray();
        j.name("last_reconcile");
        if (run == null) {
            j.value((String) null);
        } else {
            j.beginObject().field("at", run.at().toString()).field("took_ms", run.took().toMillis())
                    .field("error", run.error()).field("readded", run.reAdded());
            j.name("plan").beginArray();
            for (Change c : run.changes()) {
                j.value(c.toString());
            }
            j.endArray();
            j.field("applied", run.applied() == null ? 0 : run.applied().applied().size());
            j.field("failed", run.applied() == null ? 0 : run.applied().failed().size());
            j.endObject();
        }
        if (announcements != null) {
            j.name("bgp").beginObject().field("speaker", announcements.speaker())
                    .field("draining", announcements.draining()).field("problem", announcements.problem());
            j.name("vips").beginArray();
            for (VipState v : announcements.states()) {
                j.beginObject().field("vip", IpAddresses.format(v.vip())).field("announced", v.announced())
                        .field("eligible", v.eligible()).field("since", v.since().toString()).field("why", v.why());
                j.name("services").beginArray();
                v.services().forEach(j::value);
                j.endArray().endObject();
            }
            j.endArray().endObject();
        }
        return j.endObject().toString();
    }

    /** The kernel's {@code ip_vs_mh} table of one configured mh service, as predicted after the last run. */
    public synchronized Optional<IpvsMhTable> mhTable(ServiceConfig s) {
        return Optional.ofNullable(tables.get(s.name()));
    }

    /** Stops health checks, the config watch and every backend source. The kernel is left as it is. */
    @Override
    public void close() {
        monitor.close();
        if (announcements != null) {
            announcements.close();
        }
        for (BackendSource s : sources.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.log("warn", "source-close", "kind", s.kind(), "problem", String.valueOf(e));
            }
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // nothing to do on the way out
            }
        }
    }
}
