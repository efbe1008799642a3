package dev.ingresskit.ipvs;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A service with its destinations: one entry of an {@link IpvsState}. */
public record VirtualService(Service service, List<Destination> destinations) {
    public VirtualService {
        Objects.requireNonNull(service, "service");
        destinations = List.copyOf(destinations);
        Set<DestinationKey> seen = new HashSet<>();
        for (Destination d : destinations) {
            if (!seen.add(d.key())) {
                throw new IllegalArgumentException("destination " + d.key() + " appears twice in service "
                        + service.key());
            }
        }
    }

    public static VirtualService of(Service service, Destination... destinations) {
        return new VirtualService(service, List.of(destinations));
    }
}
