package dev.ingresskit.ipvs;

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
