package dev.ingresskit.director.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The watches for a set of subscriptions, one informer per distinct {@link SliceSelector}, and the
 * merged {@link View} of each subscription, recomputed on every informer event and kept ready so
 * that {@link #view} never blocks on I/O.
 *
 * <p>fabric8's informer says nothing when its watch drops and reconnects, so a timer polls each
 * watch's state every {@code statusInterval} and reports a change like any other.
 */
public final class SliceWatchers implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.ingresskit.director.kubernetes");

    private final KubernetesClient client;
    private final long resyncMillis;
    private final InstantSource clock;
    private final ScheduledExecutorService timer;

    private final Map<SliceSelector, SliceWatch> watches = new HashMap<>();
    private final Map<SliceSelector, Status> statuses = new HashMap<>();
    private final Map<Subscription, View> views = new HashMap<>();
    private final Map<Subscription, Set<String>> logged = new HashMap<>();
    private volatile Runnable onChange = () -> { };
    private boolean closed;

    private record Status(boolean synced, Instant since, String problem) {
    }

    public SliceWatchers(KubernetesClient client, Duration resync, Duration statusInterval, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.resyncMillis = resync.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingresskit-kubernetes-status");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, statusInterval.toMillis());
        timer.scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches exactly these subscriptions from now on: starts informers for new selectors, stops
     * those no subscription needs any more, keeps the others (and their caches) running.
     */
    public void watch(Collection<Subscription> subscriptions, Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        List<SliceWatch> stopped = new java.util.ArrayList<>();
        List<SliceWatch> started = new java.util.ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            Set<Subscription> wanted = new LinkedHashSet<>(subscriptions);
            Set<SliceSelector> selectors = new HashSet<>();
            wanted.forEach(s -> selectors.add(s.query().selector()));
            for (var it = watches.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!selectors.contains(e.getKey())) {
                    stopped.add(e.getValue());
                    statuses.remove(e.getKey());
                    it.remove();
                }
            }
            for (SliceSelector selector : selectors) {
                if (!watches.containsKey(selector)) {
                    SliceWatch w = new SliceWatch(client, selector, resyncMillis, () -> changed(selector));
                    watches.put(selector, w);
                    statuses.put(selector, new Status(false, clock.instant(), "not listed yet"));
                    started.add(w);
                }
            }
            views.keySet().retainAll(wanted);
            logged.keySet().retainAll(wanted);
            for (Subscription s : wanted) {
                views.putIfAbsent(s, new View(List.of(), false, clock.instant(), "not listed yet"));
            }
        }
        stopped.forEach(SliceWatch::close);
        started.forEach(SliceWatch::start);
        refreshAll();
    }

    /** The current view of a subscription; never blocks on the network. */
    public synchronized View view(Subscription subscription) {
        View v = views.get(subscription);
        return v != null ? v : new View(List.of(), false, clock.instant(), "not watched: " + subscription.query());
    }

    /** Re-reads every watch's state (also what the timer does). */
    public void refreshAll() {
        List<SliceSelector> all;
        synchronized (this) {
            all = List.copyOf(watches.keySet());
        }
        boolean any = false;
        for (SliceSelector s : all) {
            any |= recompute(s);
        }
        if (any) {
            onChange.run();
        }
    }

    private void changed(SliceSelector selector) {
        if (recompute(selector)) {
            onChange.run();
        }
    }

    /** Recomputes the status and the views of one selector; true when anything changed. */
    private synchronized boolean recompute(SliceSelector selector) {
        SliceWatch w = watches.get(selector);
        if (w == null || closed) {
            return false;
        }
        Status old = statuses.get(selector);
        boolean synced = w.synced();
        Status status;
        if (synced) {
            status = old != null && old.synced() ? old : new Status(true, clock.instant(), null);
        } else {
            String problem = problem(w);
            status = old != null && !old.synced() ? new Status(false, old.since(), problem)
                    : new Status(false, clock.instant(), problem);
        }
        boolean changed = !status.equals(old);
        if (changed && (old == null || old.synced() != status.synced())) {
            LOG.log(status.synced() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "EndpointSlices " + selector + ": " + (status.synced() ? "in sync" : status.problem()));
        }
        statuses.put(selector, status);
        var slices = w.slices();
        for (var e : views.entrySet()) {
            Subscription sub = e.getKey();
            if (!sub.query().selector().equals(selector)) {
                continue;
            }
            SliceMerger.Result merged = SliceMerger.merge(slices, sub.query(), sub.protocol());
            logNew(sub, merged.problems());
            String problem = status.problem() == null ? null
                    : status.problem() + (w.listedOnce() ? "; keeping the " + merged.endpoints().size()
                            + " last known endpoint(s)" : "");
            View v = new View(merged.endpoints(), status.synced(), status.since(), problem);
            if (!v.equals(e.getValue())) {
                e.setValue(v);
                changed = true;
            }
        }
        return changed;
    }

    private static String problem(SliceWatch w) {
        String error = w.lastError();
        String state = !w.listedOnce() ? "EndpointSlices of " + w.selector() + " not listed yet"
                : "watch of the EndpointSlices of " + w.selector() + " is down, reconnecting";
        return error == null ? state : state + " (" + error + ")";
    }

    /** Logs each skipped object once while it stays malformed, not on every recompute. */
    private void logNew(Subscription sub, List<String> problems) {
        Set<String> now = new HashSet<>(problems);
        Set<String> before = logged.getOrDefault(sub, Set.of());
        for (String p : problems) {
            if (!before.contains(p)) {
                LOG.log(System.Logger.Level.WARNING, p);
            }
        }
        logged.put(sub, now);
    }

    @Override
    public void close() {
        List<SliceWatch> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(watches.values());
            watches.clear();
        }
        timer.shutdownNow();
        all.forEach(SliceWatch::close);
    }
}
