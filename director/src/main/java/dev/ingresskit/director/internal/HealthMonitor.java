package dev.ingresskit.director.internal;

import dev.ingresskit.director.BackendConfig;
import dev.ingresskit.director.Health;
import dev.ingresskit.director.HealthCheckConfig;
import dev.ingresskit.director.HealthProbe;
import dev.ingresskit.director.ServiceConfig;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Runs the health checks of every backend on virtual threads, at most {@code maxConcurrent} at a
 * time, and keeps each backend's {@link HealthState}. The caller drives it: {@link #runDue()} starts
 * the checks whose time has come (by the injected clock) and {@link #nextDue()} says when to call
 * again, so tests control time completely.
 *
 * <p>Thread-safe: one lock guards the targets; probes run outside it; the listener is called
 * outside it, on the check's thread.
 */
public final class HealthMonitor implements AutoCloseable {
    /** Told about every result; {@code transition} is {@code null} when the state stayed. */
    @FunctionalInterface
    public interface Listener {
        void onResult(BackendRef backend, HealthProbe.Result result, Duration latency, HealthState.Transition transition);

        /** {@code count} backends with {@code check none} were just marked up (no probe ran, so no result). */
        default void onUnchecked(int count) {
        }
    }

    /** A copy of one backend's state for readers ({@code /state}, the reconciler). */
    public record View(Health health, int successes, int failures, long transitions, Instant since,
            Instant lastCheck, Duration lastLatency, String lastDetail) {
    }

    private static final class Target {
        final BackendRef ref;
        HealthCheckConfig check;
        int probePort;
        final HealthState state = new HealthState();
        Instant nextDue;
        boolean running;
        boolean removed;

        Target(BackendRef ref, HealthCheckConfig check, int probePort, Instant nextDue) {
            this.ref = ref;
            this.check = check;
            this.probePort = probePort;
            this.nextDue = nextDue;
        }
    }

    private final HealthProbe probe;
    private final InstantSource clock;
    private final Listener listener;
    private final Semaphore slots;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private Map<BackendRef, Target> targets = new LinkedHashMap<>();
    private int running;
    /** {@link #healthMap()}'s answer until a backend's health or the set of backends changes. */
    private Map<BackendRef, Health> healthView;

    public HealthMonitor(HealthProbe probe, InstantSource clock, int maxConcurrent, Listener listener) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1: " + maxConcurrent);
        }
        this.probe = probe;
        this.clock = clock;
        this.listener = listener;
        this.slots = new Semaphore(maxConcurrent);
    }

    /**
     * Follows a (new) config: backends that stay keep their state, new ones are due at once,
     * removed ones are forgotten (a check of theirs still running is ignored).
     */
    public synchronized void update(List<ServiceConfig> services, Map<String, List<BackendConfig>> backends) {
        Instant now = clock.instant();
        Map<BackendRef, Target> next = new LinkedHashMap<>();
        for (ServiceConfig s : services) {
            for (BackendConfig b : backends.getOrDefault(s.name(), List.of())) {
                BackendRef ref = BackendRef.of(s, b);
                Target t = targets.get(ref);
                if (t == null) {
                    t = new Target(ref, s.check(), s.check().portFor(b), now);
                } else if (!t.check.equals(s.check())) {
                    t.check = s.check();
                    t.probePort = s.check().portFor(b);
                    Instant soon = s.check().kind() == HealthCheckConfig.Kind.NONE ? now : now.plus(s.check().interval());
                    if (t.nextDue.isAfter(soon)) {
                        t.nextDue = soon;
                    }
                }
                next.put(ref, t);
            }
        }
        for (Map.Entry<BackendRef, Target> e : targets.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                e.getValue().removed = true;
            }
        }
        targets = next;
        healthView = null;
    }

    /**
     * Starts every check that is due and not already running; returns how many probes it started.
     * Backends with {@code check none} are marked up here, without a probe or a thread.
     */
    public int runDue() {
        int started = 0;
        List<Target> unchecked = new java.util.ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Target t : targets.values()) {
                if (t.running || t.nextDue.isAfter(now)) {
                    continue;
                }
                if (t.check.kind() == HealthCheckConfig.Kind.NONE) {
                    // Nothing to probe: up at once, no thread, and not due again unless the check changes.
                    t.nextDue = Instant.MAX;
                    unchecked.add(t);
                    continue;
                }
                t.running = true;
                running++;
                t.nextDue = now.plus(t.check.interval());
                HealthCheckConfig check = t.check;
                int port = t.probePort;
                executor.execute(() -> runOne(t, check, port));
                started++;
            }
        }
        if (!unchecked.isEmpty()) {
            int marked = 0;
            synchronized (this) {
                Instant now = clock.instant();
                for (Target t : unchecked) {
                    if (!t.removed && t.state.record(true, "no check", now, Duration.ZERO, 1, 1) != null) {
                        marked++;
                        healthView = null;
                    }
                }
            }
            if (marked > 0) {
                listener.onUnchecked(marked);
            }
        }
        return started;
    }

    private void runOne(Target t, HealthCheckConfig check, int port) {
        HealthProbe.Result result;
        long start = 0;
        long end = 0;
        boolean acquired = false;
        try {
            slots.acquire();
            acquired = true;
            start = System.nanoTime();
            result = probe.check(t.ref.address(), port, check);
            end = System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new HealthProbe.Result(false, "interrupted");
        } catch (RuntimeException e) {
            end = System.nanoTime();
            result = new HealthProbe.Result(false, "probe failed: " + e);
        } finally {
            if (acquired) {
                slots.release();
            }
        }
        Duration latency = Duration.ofNanos(Math.max(0, end - start));
        HealthState.Transition transition = null;
        boolean report;
        synchronized (this) {
            report = !t.removed;
            if (report) {
                transition = t.state.record(result.ok(), result.detail(), clock.instant(), latency, check.rise(),
                        check.fall());
                if (transition != null) {
                    healthView = null;
                }
            }
        }
        try {
            if (report) {
                listener.onResult(t.ref, result, latency, transition);
            }
        } finally {
            synchronized (this) {
                t.running = false;
                running--;
                notifyAll();
            }
        }
    }

    /** Waits until no check is running; false when {@code timeout} passed first. */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The earliest time a check that is not running falls due, or {@code null} with no backends. */
    public synchronized Instant nextDue() {
        Instant first = null;
        for (Target t : targets.values()) {
            if (!t.running && (first == null || t.nextDue.isBefore(first))) {
                first = t.nextDue;
            }
        }
        return first;
    }

    public synchronized Health health(BackendRef backend) {
        Target t = targets.get(backend);
        return t == null ? Health.UNKNOWN : t.state.health();
    }

    /** Every backend's state, in config order. */
    public synchronized Map<BackendRef, View> snapshot() {
        Map<BackendRef, View> out = new LinkedHashMap<>();
        for (Target t : targets.values()) {
            HealthState s = t.state;
            out.put(t.ref, new View(s.health(), s.successes(), s.failures(), s.transitions(), s.since(),
                    s.lastCheck(), s.lastLatency(), s.lastDetail()));
        }
        return out;
    }

    /**
     * The health of every backend, for the reconciler: unmodifiable, and the same object until some
     * backend's health changes (a reconcile with nothing new copies nothing).
     */
    public synchronized Map<BackendRef, Health> healthMap() {
        if (healthView == null) {
            Map<BackendRef, Health> out = HashMap.newHashMap(targets.size());
            for (Target t : targets.values()) {
                out.put(t.ref, t.state.health());
            }
            healthView = java.util.Collections.unmodifiableMap(out);
        }
        return healthView;
    }

    /** Stops the checks; running probes are interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
