package dev.ingresskit.examples.director;

import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationKey;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.Service;
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
 * Desired state = config × health, and the plan from the kernel's state to it:
 * <ul>
 *   <li>a backend whose health is {@link Health#UP} gets its configured weight, a {@link Health#DOWN}
 *       one weight 0 (it stays in IPVS, so its established connections continue); one not checked
 *       yet keeps the weight the kernel has (a director restart disturbs nothing), or 0 when new;</li>
 *   <li>a backend that leaves the config is drained: kept at weight 0 for the drain period, then
 *       deleted; a service that leaves the config drains all its backends, then is deleted;</li>
 *   <li>everything already as desired is left alone (ipvs-netlink's minimal plan).</li>
 * </ul>
 * It manages only the services of its config (and those it is draining): other IPVS services in the
 * kernel are not its business and are never touched.
 *
 * <p>Not thread-safe: the director's loop owns it.
 */
public final class Reconciler {
    /** A backend on its way out. */
    public record Drain(String service, ServiceKey serviceKey, Destination destination, Instant deadline) {
    }

    /** What one run decided. */
    public record Result(IpvsState desired, Plan plan, List<Drain> draining, Map<BackendRef, Integer> weights) {
    }

    private final InstantSource clock;
    /** Destinations draining, by service key. */
    private final Map<ServiceKey, Map<DestinationKey, Drain>> drains = new LinkedHashMap<>();
    /** Services that left the config and are still in the kernel, with the name they had. */
    private final Map<ServiceKey, String> leaving = new LinkedHashMap<>();
    /** The service keys and names of the previous config. */
    private Map<ServiceKey, String> previous = Map.of();

    public Reconciler(InstantSource clock) {
        this.clock = clock;
    }

    /**
     * Decides the desired state and the plan from {@code kernel} to it. Call with each new config,
     * health change or periodically (drain deadlines pass with time).
     */
    public Result plan(DirectorConfig config, Map<BackendRef, Health> health, IpvsState kernel) {
        Instant now = clock.instant();
        Map<ServiceKey, VirtualService> inKernel = kernel.byKey();
        Map<ServiceKey, ServiceConfig> configured = new LinkedHashMap<>();
        Map<ServiceKey, Service> services = new HashMap<>();
        for (ServiceConfig s : config.services()) {
            Service service = DesiredState.service(s);
            configured.put(service.key(), s);
            services.put(service.key(), service);
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
        Map<BackendRef, Integer> weights = new LinkedHashMap<>();
        for (Map.Entry<ServiceKey, ServiceConfig> e : configured.entrySet()) {
            ServiceConfig s = e.getValue();
            VirtualService current = inKernel.get(e.getKey());
            Map<DestinationKey, Destination> kernelDests = new HashMap<>();
            if (current != null) {
                for (Destination d : current.destinations()) {
                    kernelDests.put(d.key(), d);
                }
            }
            List<Destination> dests = new ArrayList<>();
            Set<DestinationKey> wanted = new HashSet<>();
            for (BackendConfig b : s.backends()) {
                BackendRef ref = BackendRef.of(s, b);
                Health h = health.getOrDefault(ref, Health.UNKNOWN);
                Destination template = DesiredState.destination(s, b, 0);
                int weight = switch (h) {
                    case UP -> b.weight();
                    case DOWN -> 0;
                    case UNKNOWN -> {
                        Destination had = kernelDests.get(template.key());
                        yield had == null ? 0 : Math.min(had.weight(), b.weight());
                    }
                };
                dests.add(template.withWeight(weight));
                wanted.add(template.key());
                weights.put(ref, weight);
            }
            drain(e.getKey(), s.name(), kernelDests.values(), wanted, config.drain(), now, dests);
            desired.add(new VirtualService(services.get(e.getKey()), dests));
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

        // Only what this director manages: its config's services and those it drains or deletes.
        List<VirtualService> managed = new ArrayList<>();
        for (VirtualService v : kernel.services()) {
            if (managedKeys.contains(v.service().key())) {
                managed.add(v);
            }
        }
        IpvsState want = new IpvsState(desired);
        Plan plan = Plan.between(new IpvsState(managed), want);
        return new Result(want, plan, draining(), weights);
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
