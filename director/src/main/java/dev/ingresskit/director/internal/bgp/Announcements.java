package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.VipRoute;
import dev.ingresskit.director.VipState;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The director's BGP side: turns the services' health into the set of announced VIPs (one
 * {@link AnnounceRule} per VIP) and hands that set to the {@link RouteAnnouncer}.
 *
 * <p>Several services may share a VIP (ports 80 and 443): the VIP is eligible only while every
 * one of them that has an {@code announce} line is satisfied, since one route carries them all.
 * A failed speaker update is kept as {@link #problem()} and retried on the next round.
 * Thread-safe (the loop updates, the status server and a stop drain).
 */
public final class Announcements implements AutoCloseable {
    private final RouteAnnouncer announcer;
    private final Duration holdDown;
    private final Map<InetAddress, AnnounceRule> rules = new LinkedHashMap<>();
    private final Map<InetAddress, List<VipDemand>> demands = new LinkedHashMap<>();
    private final Map<InetAddress, VipRoute> gone = new LinkedHashMap<>();
    private List<VipRoute> appliedAnnounce;
    private List<VipRoute> appliedWithdraw;
    private boolean draining;
    private String problem;

    public Announcements(RouteAnnouncer announcer, Duration holdDown) {
        if (holdDown.isNegative()) {
            throw new IllegalArgumentException("hold-down must not be negative, got " + holdDown);
        }
        this.announcer = announcer;
        this.holdDown = holdDown;
    }

    /** The speaker's name, as {@link RouteAnnouncer#name()}. */
    public String speaker() {
        return announcer.name();
    }

    /**
     * One round: evaluates every VIP from the services' health and tells the speaker what changed.
     *
     * @param reconcileOk whether the director's last reconcile succeeded (if not, nothing is announced)
     * @return whether the speaker is in sync with the decision
     */
    public synchronized boolean update(Instant now, List<VipDemand> services, boolean reconcileOk) {
        Map<InetAddress, List<VipDemand>> byVip = new LinkedHashMap<>();
        for (VipDemand d : services) {
            byVip.computeIfAbsent(d.route().address(), a -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<InetAddress, List<VipDemand>> old : demands.entrySet()) {
            if (!byVip.containsKey(old.getKey())) {
                // Left the config: withdrawn once more below, then forgotten.
                gone.put(old.getKey(), old.getValue().getFirst().route());
                rules.remove(old.getKey());
            }
        }
        demands.clear();
        demands.putAll(byVip);
        for (Map.Entry<InetAddress, List<VipDemand>> e : byVip.entrySet()) {
            gone.remove(e.getKey());
            AnnounceRule rule = rules.computeIfAbsent(e.getKey(), a -> new AnnounceRule(holdDown, now));
            evaluate(rule, e.getValue(), now, reconcileOk);
        }
        return push();
    }

    /**
     * Withdraws every VIP and keeps them withdrawn until {@link #resume}: the first half of a
     * graceful stop and the maintenance drain.
     *
     * @throws IOException the speaker could not be told (the drain stays in force and is retried)
     */
    public synchronized void drain(Instant now) throws IOException {
        draining = true;
        for (Map.Entry<InetAddress, List<VipDemand>> e : demands.entrySet()) {
            evaluate(rules.get(e.getKey()), e.getValue(), now, true);
        }
        if (!push()) {
            throw new IOException(problem);
        }
    }

    /** Ends a maintenance drain: VIPs come back through the usual hold-down. */
    public synchronized void resume() {
        draining = false;
    }

    public synchronized boolean draining() {
        return draining;
    }

    /** The last speaker error, or {@code null} when the speaker accepted the last change. */
    public synchronized String problem() {
        return problem;
    }

    /** The earliest time a pending announcement falls due, or {@code null}: the loop wakes then. */
    public synchronized Instant nextChange() {
        Instant next = null;
        for (AnnounceRule r : rules.values()) {
            Instant at = r.pendingAt();
            if (at != null && (next == null || at.isBefore(next))) {
                next = at;
            }
        }
        return next;
    }

    /** Per VIP, in config order. */
    public synchronized List<VipState> states() {
        List<VipState> out = new ArrayList<>();
        for (Map.Entry<InetAddress, List<VipDemand>> e : demands.entrySet()) {
            AnnounceRule r = rules.get(e.getKey());
            out.add(new VipState(e.getKey(), r.announced(), r.eligible(), r.since(), r.why(),
                    e.getValue().stream().map(VipDemand::service).toList()));
        }
        return out;
    }

    private void evaluate(AnnounceRule rule, List<VipDemand> services, Instant now, boolean reconcileOk) {
        boolean satisfied = services.stream().allMatch(VipDemand::satisfied);
        String reason;
        if (draining) {
            reason = "draining";
        } else if (!reconcileOk) {
            reason = "last reconcile failed";
        } else if (services.size() == 1) {
            reason = services.getFirst().condition();
        } else {
            StringBuilder b = new StringBuilder();
            for (VipDemand d : services) {
                b.append(b.isEmpty() ? "" : ", ").append(d.service()).append(' ').append(d.condition());
            }
            reason = b.toString();
        }
        rule.evaluate(now, !draining && reconcileOk && satisfied, reason, draining);
    }

    private boolean push() {
        List<VipRoute> announce = new ArrayList<>();
        List<VipRoute> withdraw = new ArrayList<>();
        for (Map.Entry<InetAddress, List<VipDemand>> e : demands.entrySet()) {
            VipRoute route = e.getValue().getFirst().route();
            (rules.get(e.getKey()).announced() ? announce : withdraw).add(route);
        }
        withdraw.addAll(gone.values());
        if (problem == null && announce.equals(appliedAnnounce) && withdraw.equals(appliedWithdraw)) {
            return true;
        }
        try {
            announcer.update(announce, withdraw);
            appliedAnnounce = announce;
            appliedWithdraw = withdraw;
            gone.clear();
            problem = null;
            return true;
        } catch (IOException | RuntimeException e) {
            problem = announcer.name() + ": " + e.getMessage();
            return false;
        }
    }

    @Override
    public void close() {
        announcer.close();
    }
}
