package dev.ingresskit.examples.director;

import dev.ingresskit.examples.JsonWriter;

import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsApplyException;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.VirtualService;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The traffic director: health checks, and a reconcile loop that keeps the kernel's IPVS at config
 * × health. Reconciles after every health transition and config reload, when a drain period ends,
 * and every {@link #RESYNC} anyway (someone may have changed IPVS behind its back). On exit it
 * leaves the kernel as it is, so traffic keeps flowing while the director restarts.
 *
 * <p>Threads: {@link #run} is the loop; health checks run on the monitor's virtual threads; the
 * status endpoint reads {@link #stateJson()} and {@link #problem()} from its own threads. Shared
 * state is guarded by this object's lock.
 */
public final class Director implements AutoCloseable {
    /** Full reconcile at least this often. */
    static final Duration RESYNC = Duration.ofSeconds(10);

    /** What one reconcile run did. */
    public record Run(Instant at, IpvsState before, Reconciler.Result result, ApplyResult applied, String error,
            Duration took, Duration planning, Duration applying) {
    }

    private final Path configPath;
    private final Kernel kernel;
    private final InstantSource clock;
    private final EventLog log;
    private final Metrics metrics;
    private final HealthMonitor monitor;
    private final Reconciler reconciler;
    private final MhPredictor predictor = new MhPredictor();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean reloadRequested = new AtomicBoolean();
    private final Object reconcileLock = new Object();
    private volatile DirectorConfig config;
    private Run lastRun;
    private IpvsState lastState = IpvsState.EMPTY;
    private Instant nextResync = Instant.MIN;
    private WatchService watcher;
    private DirectorConfig gaugedConfig;
    private Map<BackendRef, Integer> gaugedWeights;
    private Map<BackendRef, Health> gaugedHealth;

    public Director(Path configPath, DirectorConfig config, Kernel kernel, Probe probe, InstantSource clock,
            EventLog log, Metrics metrics) {
        this.configPath = configPath;
        this.config = config;
        this.kernel = kernel;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
        this.reconciler = new Reconciler(clock);
        this.monitor = new HealthMonitor(probe, clock, config.checkThreads(), this::onCheck);
        monitor.update(config);
        metrics.set(Metrics.DRY_RUN, kernel.dryRun() ? 1 : 0);
    }

    private void onCheck(BackendRef ref, Probe.Result result, Duration latency, HealthState.Transition t) {
        metrics.inc(Metrics.CHECKS, 1, "service", ref.service(), "result", result.ok() ? "pass" : "fail");
        metrics.observe(Metrics.CHECK_DURATION, latency.toNanos() / 1e9, "service", ref.service());
        if (t != null) {
            String to = t.to().name().toLowerCase(Locale.ROOT);
            metrics.inc(Metrics.HEALTH_TRANSITIONS, 1, "service", ref.service(), "backend",
                    ServiceConfig.hostPort(ref.address(), ref.port()), "to", to);
            log.log(t.to() == Health.UP ? "info" : "warn", "health", "service", ref.service(), "backend",
                    ServiceConfig.hostPort(ref.address(), ref.port()), "from", t.from().name().toLowerCase(Locale.ROOT),
                    "to", to, "detail", t.detail(), "latency_ms", latency.toMillis());
            dirty.set(true);
            wake.release();
        }
    }

    public HealthMonitor monitor() {
        return monitor;
    }

    public DirectorConfig config() {
        return config;
    }

    public synchronized Run lastRun() {
        return lastRun;
    }

    /** The kernel state read by the last run (after its changes, in a dry run the model's). */
    public synchronized IpvsState lastState() {
        return lastState;
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

    /** Re-reads the config file; keeps the old config when the new one is bad. Returns true when it changed. */
    public boolean reload() {
        DirectorConfig next;
        try {
            next = ConfigParser.parse(configPath);
        } catch (ConfigException e) {
            metrics.inc(Metrics.CONFIG_RELOADS, 1, "result", "error");
            log.log("error", "config-rejected", "file", configPath, "line", e.line(), "field", e.field(),
                    "problem", e.problem(), "kept", "previous config");
            return false;
        } catch (IOException e) {
            metrics.inc(Metrics.CONFIG_RELOADS, 1, "result", "error");
            log.log("error", "config-unreadable", "file", configPath, "problem", String.valueOf(e),
                    "kept", "previous config");
            return false;
        }
        metrics.inc(Metrics.CONFIG_RELOADS, 1, "result", "ok");
        if (next.equals(config)) {
            return false;
        }
        if (!next.http().equals(config.http())) {
            log.log("warn", "config-http", "problem", "the status endpoint address changes only on restart");
        }
        config = next;
        monitor.update(next);
        log.log("info", "config-loaded", "file", configPath, "services", next.services().size(), "backends",
                next.backendCount());
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
            before = kernel.state();
            predictor.observe(before);
            result = reconciler.plan(cfg, monitor.healthMap(), before);
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
            }
            IpvsState after = result.plan().isEmpty() ? before : kernel.state();
            synchronized (this) {
                lastState = after;
            }
            updateGauges(cfg, result);
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
        Run run = new Run(at, before, result, applied, error, took, Duration.ofNanos(Math.max(0, t1 - t0)),
                Duration.ofNanos(Math.max(0, t2 - t1)));
        synchronized (this) {
            lastRun = run;
        }
        return run;
    }

    private void logChanges(DirectorConfig cfg, ApplyResult applied) {
        Map<ServiceKey, String> names = names(cfg);
        String dry = kernel.dryRun() ? "true" : "false";
        for (Change c : applied.applied()) {
            metrics.inc(Metrics.CHANGES, 1, "kind", c.kind().name().toLowerCase(Locale.ROOT));
            log.log("info", "change", fields(names, c, dry, null));
        }
        for (ApplyResult.Failure f : applied.failed()) {
            metrics.inc(Metrics.NETLINK_ERRORS, 1, "op", f.change().kind().command());
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
            names.put(DesiredState.service(s).key(), s.name());
        }
        return names;
    }

    private void updateGauges(DirectorConfig cfg, Reconciler.Result r) {
        Map<BackendRef, Health> health = monitor.healthMap();
        metrics.set(Metrics.DRAINING, r.draining().size());
        // Rebuilding 3 x backends series is the costly part of a no-op reconcile at scale: skip it
        // when nothing it shows has changed.
        if (cfg == gaugedConfig && r.weights().equals(gaugedWeights) && health.equals(gaugedHealth)) {
            return;
        }
        gaugedConfig = cfg;
        gaugedWeights = r.weights();
        gaugedHealth = health;
        Map<String[], Double> weights = new LinkedHashMap<>();
        Map<String[], Double> configured = new LinkedHashMap<>();
        Map<String[], Double> up = new LinkedHashMap<>();
        for (ServiceConfig s : cfg.services()) {
            for (BackendConfig b : s.backends()) {
                BackendRef ref = BackendRef.of(s, b);
                String[] labels = {"service", s.name(), "backend", b.endpoint()};
                weights.put(labels, (double) r.weights().getOrDefault(ref, 0));
                configured.put(labels, (double) b.weight());
                up.put(labels, health.getOrDefault(ref, Health.UNKNOWN) == Health.UP ? 1.0 : 0.0);
            }
        }
        metrics.replace(Metrics.BACKEND_WEIGHT, weights);
        metrics.replace(Metrics.BACKEND_CONFIGURED_WEIGHT, configured);
        metrics.replace(Metrics.BACKEND_UP, up);
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
            }
            Instant wakeAt = nextResync;
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

    /** The {@code /state} document: services, backends with health and weights, drains, last plan. */
    public String stateJson() {
        DirectorConfig cfg = config;
        Run run = lastRun();
        Map<BackendRef, HealthMonitor.View> health = monitor.snapshot();
        Map<BackendRef, Integer> weights = run != null && run.result() != null ? run.result().weights() : Map.of();
        JsonWriter j = new JsonWriter().beginObject();
        j.field("dry_run", kernel.dryRun());
        j.field("config", configPath.toString());
        j.name("services").beginArray();
        for (ServiceConfig s : cfg.services()) {
            j.beginObject().field("name", s.name()).field("identity", s.identity()).field("scheduler", s.scheduler())
                    .field("mh_port", s.mhPort()).field("mh_fallback", s.mhFallback())
                    .field("forward", s.forward().name().toLowerCase(Locale.ROOT));
            if (s.tunnel() != null) {
                j.field("tunnel", s.tunnel().kind().name().toLowerCase(Locale.ROOT));
            }
            j.name("backends").beginArray();
            for (BackendConfig b : s.backends()) {
                BackendRef ref = BackendRef.of(s, b);
                HealthMonitor.View v = health.get(ref);
                j.beginObject().field("address", b.address().getHostAddress()).field("port", b.port())
                        .field("ipvs_port", s.ipvsPort(b)).field("check_port", s.check().portFor(b))
                        .field("configured_weight", b.weight())
                        .field("weight", weights.getOrDefault(ref, 0));
                if (v != null) {
                    j.field("health", v.health().name().toLowerCase(Locale.ROOT))
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
                    .field("error", run.error());
            j.name("plan").beginArray();
            if (run.result() != null) {
                for (Change c : run.result().plan().changes()) {
                    j.value(c.toString());
                }
            }
            j.endArray();
            j.field("applied", run.applied() == null ? 0 : run.applied().applied().size());
            j.field("failed", run.applied() == null ? 0 : run.applied().failed().size());
            j.endObject();
        }
        return j.endObject().toString();
    }

    /** The kernel's {@code ip_vs_mh} table of one configured mh service, as it is now. */
    public Optional<dev.ingresskit.maglev.IpvsMhTable> mhTable(ServiceConfig s) {
        if (!s.scheduler().equals("mh")) {
            return Optional.empty();
        }
        ServiceKey key = DesiredState.service(s).key();
        VirtualService v = lastState().byKey().get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(predictor.table(v, config.mhTableSize(), s.mhPort(), s.mhFallback()));
    }

    @Override
    public void close() {
        monitor.close();
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // nothing to do on the way out
            }
        }
    }
}
