package dev.ingresskit.director.internal;

import dev.ingresskit.director.BackendConfig;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.Health;
import dev.ingresskit.director.ServiceConfig;
import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationKey;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.VirtualService;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Desired state = backends × health, and the plan from the kernel's state to it:
 * <ul>
 *   <li>a backend whose health is {@link Health#UP} gets its weight, a {@link Health#DOWN} one weight
 *       0 (it stays in IPVS, so its established connections continue); one not checked yet keeps the
 *       weight the kernel has (a director restart disturbs nothing), or 0 when new; one its source
 *       says is draining gets 0 whatever its health;</li>
 *   <li>a backend that leaves the config (or its source) is drained: kept at weight 0 for the drain
 *       period, then deleted; a service that leaves the config drains all its backends, then is deleted;</li>
 *   <li>an {@code mh} service's destinations are kept in {@link CanonicalOrder}, re-adding the fewest
 *       needed; other schedulers' are not re-ordered;</li>
 *   <li>everything already as desired is left alone.</li>
 * </ul>
 * It manages only the services of its config (and those it is draining): other IPVS services in the
 * kernel are not its business and are never touched.
 *
 * <p>A service is re-planned only when something that decides it changed (its config, its backends,
 * their health) or the kernel no longer holds what it desired; otherwise its last decision stands,
 * which is what a full plan would decide again ({@code SettledServicesTest}).
 *
 * <p>Not thread-safe: the director's loop owns it.
 */
public final class Reconciler {
    /** A backend on its way out. */
    public record Drain(String service, ServiceKey serviceKey, Destination destination, Instant deadline) {
    }

    /**
     * What one run decided.
     *
     * @param reAdded destinations the plan deletes and adds again to restore canonical order
     * @param settled configured services found settled, so compared and not planned
     */
    public record Result(IpvsState desired, Plan plan, List<Drain> draining,
            Map<String, Map<BackendRef, Integer>> weightsByService, int reAdded, int settled) {
        /** The weight the run gave a backend (0 when it has none). */
        public int weight(BackendRef backend) {
            return weightsByService.getOrDefault(backend.service(), Map.of()).getOrDefault(backend, 0);
        }
    }

    /**
     * The backends of one service for this run: the config's lines or what its source knows.
     *
     * @param backends  every backend, in any order
     * @param draining  those that their source says take no new flows
     */
    public record Backends(List<BackendConfig> backends, Set<BackendRef> draining) {
        public static Backends of(ServiceConfig s) {
            return new Backends(s.backends(), Set.of());
        }
    }

    private final InstantSource clock;
    /** Destinations draining, by service key. */
    private final Map<ServiceKey, Map<DestinationKey, Drain>> drains = new LinkedHashMap<>();
    /** Services that left the config and are still in the kernel, with the name they had. */
    private final Map<ServiceKey, String> leaving = new LinkedHashMap<>();
    /** The service keys and names of the previous config. */
    private Map<ServiceKey, String> previous = Map.of();
    /**
     * What each configured service desired last time, with everything that decided it: while none of
     * that changed and the kernel holds it, the service is settled and costs a comparison, not a plan
     * (a no-op run over 100,000 backends would otherwise rebuild and diff them all).
     */
    private final Map<ServiceKey, Settled> settled = new HashMap<>();

    /** Whether settled services are skipped; off only for the test that checks skipping changes nothing. */
    private final boolean remember;

    public Reconciler(InstantSource clock) {
        this(clock, true);
    }

    Reconciler(InstantSource clock, boolean remember) {
        this.clock = clock;
        this.remember = remember;
    }

    /** {@link #plan(DirectorConfig, Map, Map, IpvsState)} with every service's backends from the config. */
    public Result plan(DirectorConfig config, Map<BackendRef, Health> health, IpvsState kernel) {
        Map<String, Backends> backends = new HashMap<>();
        for (ServiceConfig s : config.services()) {
            backends.put(s.name(), Backends.of(s));
        }
        return plan(config, backends, health, kernel);
    }

    /**
     * Decides the desired state and the plan from {@code kernel} to it. Call with each new config,
     * backend or health change, or periodically (drain deadlines pass with time).
     *
     * @param backends each service's backends by service name (a service missing here has none)
     */
    public Result plan(DirectorConfig config, Map<String, Backends> backends, Map<BackendRef, Health> health,
            IpvsState kernel) {
        Instant now = clock.instant();
        Map<ServiceKey, VirtualService> inKernel = kernel.byKey();
        Map<ServiceKey, ServiceConfig> configured = new LinkedHashMap<>();
        for (ServiceConfig s : config.services()) {
            configured.put(s.key(), s);
        }
        for (Map.Entry<ServiceKey, String> e : previous.entrySet()) {
            if (!configured.containsKey(e.getKey()) && inKernel.containsKey(e.getKey())) {
                leaving.put(e.getKey(), e.getValue());
            }
        }
        leaving.keySet().removeIf(configured::containsKey);
        Set<ServiceKey> managedKeys = new HashSet<>(configured.keySet());
        managedKeys.addAll(leaving.keySet());
        previous = new LinkedHashMap<>();
        configured.forEach((k, s) -> previous.put(k, s.name()));

        List<VirtualService> desired = new ArrayList<>();
        Set<ServiceKey> unchanged = new HashSet<>();
        Map<String, Map<BackendRef, Integer>> weights = new LinkedHashMap<>();
        settled.keySet().retainAll(configured.keySet());
        for (Map.Entry<ServiceKey, ServiceConfig> e : configured.entrySet()) {
            ServiceConfig s = e.getValue();
            Backends bs = backends.getOrDefault(s.name(), new Backends(List.of(), Set.of()));
            VirtualService current = inKernel.get(e.getKey());
            Settled was = settled.get(e.getKey());
            if (was != null && !drains.containsKey(e.getKey()) && was.holds(s, bs, health, current)) {
                desired.add(was.desired);
                weights.put(s.name(), was.weights);
                unchanged.add(e.getKey());
                continue;
            }
            Map<DestinationKey, Destination> kernelDests = new HashMap<>();
            if (current != null) {
                for (Destination d : current.destinations()) {
                    kernelDests.put(d.key(), d);
                }
            }
            List<Destination> dests = new ArrayList<>();
            Set<DestinationKey> wanted = new HashSet<>();
            Map<BackendRef, Integer> serviceWeights = new LinkedHashMap<>();
            BackendRef[] refs = new BackendRef[bs.backends().size()];
            Health[] healths = new Health[refs.length];
            int i = 0;
            for (BackendConfig b : bs.backends()) {
                BackendRef ref = BackendRef.of(s, b);
                Health h = health.getOrDefault(ref, Health.UNKNOWN);
                refs[i] = ref;
                healths[i++] = h;
                Destination template = s.destination(b.address(), b.port(), 0);
                if (!wanted.add(template.key())) {
                    continue; // a source listed it twice (or under two ports that IPVS keys alike): once is enough
                }
                int weight = bs.draining().contains(ref) ? 0 : switch (h) {
                    case UP -> b.weight();
                    case DOWN -> 0;
                    case UNKNOWN -> {
                        Destination had = kernelDests.get(template.key());
                        yield had == null ? 0 : Math.min(had.weight(), b.weight());
                    }
                };
                dests.add(template.withWeight(weight));
                serviceWeights.put(ref, weight);
            }
            drain(e.getKey(), s.name(), kernelDests.values(), wanted, config.drain(), now, dests);
            VirtualService want = new VirtualService(s.service(), s.isMh() ? CanonicalOrder.kernelOrder(dests) : dests);
            desired.add(want);
            Map<BackendRef, Integer> frozen = java.util.Collections.unmodifiableMap(serviceWeights);
            weights.put(s.name(), frozen);
            if (!remember || drains.containsKey(e.getKey())) {
                settled.remove(e.getKey()); // a drain ends with time, which no input shows
            } else {
                settled.put(e.getKey(), new Settled(s, bs, refs, healths, want, frozen));
            }
        }
        for (Map.Entry<ServiceKey, String> e : List.copyOf(leaving.entrySet())) {
            VirtualService current = inKernel.get(e.getKey());
            if (current == null) {
                leaving.remove(e.getKey());
                drains.remove(e.getKey());
                continue;
            }
            List<Destination> dests = new ArrayList<>();
            drain(e.getKey(), e.getValue(), current.destinations(), Set.of(), config.drain(), now, dests);
            // Once every destination has drained the service is left out of the desired state while
            // still managed, so the plan deletes it (again next run, should the kernel refuse).
            if (!dests.isEmpty()) {
                desired.add(new VirtualService(current.service(), dests));
            }
        }
        drains.keySet().removeIf(k -> !configured.containsKey(k) && !leaving.containsKey(k)
                && !inKernel.containsKey(k));

        // Only what this director manages: its config's services and those it drains or deletes. A
        // settled service has no change, so the plan is made over the others alone.
        List<VirtualService> managed = new ArrayList<>();
        for (VirtualService v : kernel.services()) {
            ServiceKey k = v.service().key();
            if (managedKeys.contains(k) && !unchanged.contains(k)) {
                managed.add(v);
            }
        }
        List<VirtualService> changing = new ArrayList<>();
        for (VirtualService v : desired) {
            if (!unchanged.contains(v.service().key())) {
                changing.add(v);
            }
        }
        IpvsState want = new IpvsState(desired);
        IpvsState target = new IpvsState(changing);
        Plan plan = Plan.between(new IpvsState(managed), target);
        Set<ServiceKey> mh = new HashSet<>();
        configured.forEach((k, s) -> {
            if (s.isMh()) {
                mh.add(k);
            }
        });
        plan = canonical(plan, target, mh, inKernel);
        return new Result(want, plan, draining(), weights, reAdds(plan), unchanged.size());
    }

    /**
     * Destinations the plan deletes and then creates again in the same service: only the canonical
     * order does that (the plain plan changes a destination in place).
     */
    private static int reAdds(Plan plan) {
        Map<ServiceKey, Set<DestinationKey>> deleted = new HashMap<>();
        int n = 0;
        for (Change c : plan.changes()) {
            if (c.kind() == Change.Kind.DELETE_DESTINATION) {
                deleted.computeIfAbsent(c.service().key(), k -> new HashSet<>()).add(c.destination().key());
            } else if (c.kind() == Change.Kind.CREATE_DESTINATION
                    && deleted.getOrDefault(c.service().key(), Set.of()).contains(c.destination().key())) {
                n++;
            }
        }
        return n;
    }

    /**
     * The plan with the destination changes of every configured {@code mh} service replaced by
     * {@link CanonicalOrder}'s, after the service changes they depend on. A service that left the config
     * only loses destinations, which never disturbs the order, so it is not re-ordered.
     */
    private static Plan canonical(Plan plan, IpvsState want, Set<ServiceKey> mh, Map<ServiceKey, VirtualService> inKernel) {
        if (mh.isEmpty()) {
            return plan;
        }
        Map<ServiceKey, List<Change>> ordered = new LinkedHashMap<>();
        for (VirtualService v : want.services()) {
            if (!mh.contains(v.service().key())) {
                continue;
            }
            VirtualService current = inKernel.get(v.service().key());
            ordered.put(v.service().key(), CanonicalOrder.plan(v.service(),
                    current == null ? List.of() : current.destinations(), v.destinations()));
        }
        // Each service's destination changes stay where the plain plan had them: after its own
        // create/update, before the next service's.
        List<Change> changes = new ArrayList<>();
        for (Change c : plan.changes()) {
            List<Change> mine = ordered.get(c.service().key());
            if (mine == null) {
                changes.add(c);
                continue;
            }
            if (!c.kind().onDestination()) {
                changes.add(c);
            }
            if (c.kind() != Change.Kind.DELETE_SERVICE) {
                changes.addAll(mine);
                ordered.put(c.service().key(), List.of());
            }
        }
        ordered.values().forEach(changes::addAll); // services whose only changes are re-orderings
        return new Plan(changes);
    }
    /**
     * Adds the draining destinations of one service to {@code out} (weight 0) and forgets those whose
     * deadline passed (so the plan deletes them) or that are wanted again.
     */
    private void drain(ServiceKey key, String name, Iterable<Destination> inKernel, Set<DestinationKey> wanted,
            Duration period, Instant now, List<Destination> out) {
        Map<DestinationKey, Drain> d = drains.computeIfAbsent(key, k -> new LinkedHashMap<>());
        d.keySet().removeIf(wanted::contains);
        for (Destination dest : inKernel) {
            if (wanted.contains(dest.key())) {
                continue;
            }
            Drain drain = d.computeIfAbsent(dest.key(), k -> new Drain(name, key, dest, now.plus(period)));
            if (now.isBefore(drain.deadline())) {
                out.add(dest.withWeight(0));
            }
        }
        d.keySet().removeIf(k -> {
            boolean stillThere = false;
            for (Destination dest : inKernel) {
                stillThere |= dest.key().equals(k);
            }
            return !stillThere;
        });
        if (d.isEmpty()) {
            drains.remove(key);
        }
    }

    /**
     * One service's last decision and its inputs. It still holds when the config, the backends and
     * each backend's health are as they were and the kernel has exactly the desired destinations: the
     * plan would then be empty and the desired state the same (a backend not checked yet keeps the
     * kernel's weight, which is the desired one).
     */
    private static final class Settled {
        final ServiceConfig config;
        final Backends backends;
        final BackendRef[] refs;
        final Health[] health;
        final VirtualService desired;
        final Map<BackendRef, Integer> weights;
        /** The kernel's listing last found equal to {@code desired}, in the kernel's order. */
        private VirtualService seen;

        Settled(ServiceConfig config, Backends backends, BackendRef[] refs, Health[] health, VirtualService desired,
                Map<BackendRef, Integer> weights) {
            this.config = config;
            this.backends = backends;
            this.refs = refs;
            this.health = health;
            this.desired = desired;
            this.weights = weights;
        }

        boolean holds(ServiceConfig s, Backends bs, Map<BackendRef, Health> now, VirtualService current) {
            if (current == null || !(config == s || config.equals(s)) || !(backends == bs || backends.equals(bs))
                    || !inKernel(current, s.isMh())) {
                return false;
            }
            for (int i = 0; i < refs.length; i++) {
                if (now.getOrDefault(refs[i], Health.UNKNOWN) != health[i]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The kernel holds the desired destinations: in the desired order for {@code mh} (its table
         * depends on it), in any order otherwise (the kernel's order is its own).
         */
        private boolean inKernel(VirtualService current, boolean mh) {
            if (current == seen || current.equals(desired) || !mh && (current.equals(seen) || sameSet(current))) {
                seen = current;
                return true;
            }
            return false;
        }

        private boolean sameSet(VirtualService current) {
            List<Destination> have = current.destinations();
            return current.service().equals(desired.service()) && have.size() == desired.destinations().size()
                    && new HashSet<>(have).containsAll(desired.destinations());
        }
    }

    /** The backends draining now, soonest deadline first. */
    public List<Drain> draining() {
        List<Drain> all = new ArrayList<>();
        drains.values().forEach(m -> all.addAll(m.values()));
        all.sort(java.util.Comparator.comparing(Drain::deadline));
        return all;
    }

    /** The earliest drain deadline, or {@code null}. */
    public Instant nextDeadline() {
        List<Drain> d = draining();
        return d.isEmpty() ? null : d.getFirst().deadline();
    }
}
