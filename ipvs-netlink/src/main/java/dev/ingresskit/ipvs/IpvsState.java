package dev.ingresskit.ipvs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole IPVS configuration: services and their destinations. What {@link IpvsClient#state()}
 * reads and what {@link IpvsClient#apply(IpvsState)} makes the kernel hold. Equality ignores the
 * order of services and of destinations (the kernel's order is its own).
 */
public record IpvsState(List<VirtualService> services) {
    public static final IpvsState EMPTY = new IpvsState(List.of());

    public IpvsState {
        services = List.copyOf(services);
        Set<ServiceKey> seen = new HashSet<>();
        for (VirtualService s : services) {
            if (!seen.add(s.service().key())) {
                throw new IllegalArgumentException("service " + s.service().key() + " appears twice");
            }
        }
    }

    public static IpvsState of(VirtualService... services) {
        return new IpvsState(List.of(services));
    }

    /** The services by key, in this state's order. */
    public Map<ServiceKey, VirtualService> byKey() {
        Map<ServiceKey, VirtualService> map = new LinkedHashMap<>();
        for (VirtualService s : services) {
            map.put(s.service().key(), s);
        }
        return map;
    }

    /**
     * The state the kernel holds after it carried out {@code plan} on this one, each service's
     * destinations in the kernel's own order, newest first: a created destination goes to the head of
     * its service's list ({@code list_add_rcu} on {@code svc->destinations} in the kernel's
     * {@code __ip_vs_update_dest}, also when it comes back from the trash), an updated one keeps its
     * place, a deleted one leaves. That order decides schedulers such as {@code mh}, which build their
     * tables walking the list; {@link IpvsClient#state()} reads it back in the same order.
     *
     * @throws IllegalStateException naming the change, when the kernel would refuse it (a service or
     *         destination created twice, or changed or deleted while absent)
     */
    public IpvsState apply(Plan plan) {
        Map<ServiceKey, Service> services = new LinkedHashMap<>();
        Map<ServiceKey, List<Destination>> newestFirst = new LinkedHashMap<>();
        for (VirtualService v : this.services) {
            services.put(v.service().key(), v.service());
            newestFirst.put(v.service().key(), new ArrayList<>(v.destinations()));
        }
        for (Change c : plan.changes()) {
            ServiceKey key = c.service().key();
            List<Destination> ds = newestFirst.get(key);
            if (ds == null && c.kind() != Change.Kind.CREATE_SERVICE) {
                throw new IllegalStateException("cannot apply '" + c + "': no service " + key + " (ENOENT)");
            }
            switch (c.kind()) {
                case CREATE_SERVICE -> {
                    if (ds != null) {
                        throw new IllegalStateException("cannot apply '" + c + "': service exists (EEXIST)");
                    }
                    services.put(key, c.service());
                    newestFirst.put(key, new ArrayList<>());
                }
                case UPDATE_SERVICE -> services.put(key, c.service());
                case DELETE_SERVICE -> {
                    services.remove(key);
                    newestFirst.remove(key);
                }
                case CREATE_DESTINATION -> {
                    if (indexOf(ds, c.destination().key()) >= 0) {
                        throw new IllegalStateException("cannot apply '" + c + "': destination exists (EEXIST)");
                    }
                    ds.addFirst(c.destination());
                }
                case UPDATE_DESTINATION, DELETE_DESTINATION -> {
                    int i = indexOf(ds, c.destination().key());
                    if (i < 0) {
                        throw new IllegalStateException("cannot apply '" + c + "': no such destination (ENOENT)");
                    }
                    if (c.kind() == Change.Kind.DELETE_DESTINATION) {
                        ds.remove(i);
                    } else {
                        ds.set(i, c.destination());
                    }
                }
            }
        }
        List<VirtualService> out = new ArrayList<>(services.size());
        services.forEach((k, service) -> out.add(new VirtualService(service, newestFirst.get(k))));
        return new IpvsState(out);
    }

    private static int indexOf(List<Destination> destinations, DestinationKey key) {
        for (int i = 0; i < destinations.size(); i++) {
            if (destinations.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The same state in a canonical order (services and destinations sorted by key). */
    public IpvsState sorted() {
        Comparator<Destination> byDest = Comparator.comparing((Destination d) -> d.key().toString());
        return new IpvsState(services.stream()
                .map(s -> new VirtualService(s.service(), s.destinations().stream().sorted(byDest).toList()))
                .sorted(Comparator.comparing((VirtualService s) -> s.service().key().toString()))
                .toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpvsState other && sorted().services.equals(other.sorted().services);
    }

    @Override
    public int hashCode() {
        return sorted().services.hashCode();
    }

    /** One line per service, destinations indented below. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (VirtualService s : services) {
            text.append(s.service()).append('\n');
            for (Destination d : s.destinations()) {
                text.append("  -> ").append(d).append('\n');
            }
        }
        return text.toString();
    }
}
