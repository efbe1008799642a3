package dev.ingresskit.director.kubernetes.internal;

/**
 * Which EndpointSlice port a query means: by {@code name} (the Service port's name, its number taken
 * from each slice, since slices of one Service may carry different numbers for one name during a
 * rollout that changes a named targetPort) or by {@code number} (the endpoints' own port).
 * Exactly one of the two is set.
 */
public record PortRef(String name, int number) {
    public PortRef {
        if ((name == null) == (number == 0)) {
            throw new IllegalArgumentException("a port is a name or a number, not both or neither");
        }
    }

    static PortRef named(String name) {
        return new PortRef(name, 0);
    }

    static PortRef numbered(int number) {
        return new PortRef(null, number);
    }

    @Override
    public String toString() {
        return name != null ? name : Integer.toString(number);
    }
}
