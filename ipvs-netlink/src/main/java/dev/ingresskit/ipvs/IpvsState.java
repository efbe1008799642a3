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
        if (plan.isEmpty()) {
            return this;
        }
        // Services the plan does not touch keep their very object, so callers can tell "unchanged"
        // by identity; only touched services are copied, each into a map that finds a destination
        // by key at once (a large service changed destination by destination stays linear).
        Map<ServiceKey, Edit> edits = new LinkedHashMap<>();
        for (VirtualService v : this.services) {
            edits.put(v.service().key(), new Edit(v));
        }
        for (Change c : plan.changes()) {
            ServiceKey key = c.service().key();
            Edit edit = edits.get(key);
            if (edit == null && c.kind() != Change.Kind.CREATE_SERVICE) {
                throw new IllegalStateException("cannot apply '" + c + "': no service " + key + " (ENOENT)");
            }
            switch (c.kind()) {
                case CREATE_SERVICE -> {
                    if (edit != null) {
                        throw new IllegalStateException("cannot apply '" + c + "': service exists (EEXIST)");
                    }
                    edits.put(key, new Edit(c.service()));
                }
                case UPDATE_SERVICE -> edit.service = c.service();
                case DELETE_SERVICE -> edits.remove(key);
                case CREATE_DESTINATION -> {
                    Map<DestinationKey, Destination> ds = edit.destinations();
                    if (ds.putIfAbsent(c.destination().key(), c.destination()) != null) {
                        throw new IllegalStateException("cannot apply '" + c + "': destination exists (EEXIST)");
                    }
                }
                case UPDATE_DESTINATION, DELETE_DESTINATION -> {
                    Map<DestinationKey, Destination> ds = edit.destinations();
                    DestinationKey dk = c.destination().key();
                    if (!ds.containsKey(dk)) {
                        throw new IllegalStateException("cannot apply '" + c + "': no such destination (ENOENT)");
                    }
                    if (c.kind() == Change.Kind.DELETE_DESTINATION) {
                        ds.remove(dk);
                    } else {
                        ds.put(dk, c.destination()); // an existing key keeps its place
                    }
                }
            }
        }
        List<VirtualService> out = new ArrayList<>(edits.size());
        for (Edit e : edits.values()) {
            out.add(e.result());
        }
        return new IpvsState(out);
    }

    /** One service while a plan is applied: untouched until a change names it. */
    private static final class Edit {
        private final VirtualService original;
        private Service service;
        /** Oldest first, so a created destination is appended and an updated one keeps its place. */
        private LinkedHashMap<DestinationKey, Destination> oldestFirst;

        Edit(VirtualService original) {
            this.original = original;
            this.service = original.service();
        }

        Edit(Service created) {
            this.original = null;
            this.service = created;
            this.oldestFirst = new LinkedHashMap<>();
        }

        Map<DestinationKey, Destination> destinations() {
            if (oldestFirst == null) {
                List<Destination> newestFirst = original.destinations();
                oldestFirst = LinkedHashMap.newLinkedHashMap(newestFirst.size() + 1);
                for (int i = newestFirst.size() - 1; i >= 0; i--) {
                    oldestFirst.put(newestFirst.get(i).key(), newestFirst.get(i));
                }
            }
            return oldestFirst;
        }

        VirtualService result() {
            if (oldestFirst == null) {
                return service == original.service() ? original : new VirtualService(service, original.destinations());
            }
            List<Destination> newestFirst = new ArrayList<>(oldestFirst.values());
            java.util.Collections.reverse(newestFirst);
            return new VirtualService(service, newestFirst);
        }
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
