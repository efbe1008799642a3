package dev.ingresskit.director.internal;

import dev.ingresskit.director.BackendConfig;
import dev.ingresskit.director.ServiceConfig;
import dev.ingresskit.ipvs.IpAddresses;
import java.net.InetAddress;

/**
 * A backend of a named service, as the config names it (its own port, not the one IPVS stores).
 * Health is tracked per service because each service has its own check.
 */
public record BackendRef(String service, InetAddress address, int port) {
    public BackendRef {
        java.util.Objects.requireNonNull(service, "service");
        java.util.Objects.requireNonNull(address, "address");
    }

    public static BackendRef of(ServiceConfig service, BackendConfig backend) {
        return new BackendRef(service.name(), backend.address(), backend.port());
    }

    // Written out rather than generated: keys of maps with 100,000 entries, compared long before the
    // JIT has compiled the record's method-handle based equals and hashCode.
    @Override
    public boolean equals(Object o) {
        return o instanceof BackendRef r && port == r.port && address.equals(r.address) && service.equals(r.service);
    }

    @Override
    public int hashCode() {
        return (service.hashCode() * 31 + address.hashCode()) * 31 + port;
    }

    /** {@code web/127.0.0.11:443}. */
    @Override
    public String toString() {
        return service + "/" + IpAddresses.format(address, port);
    }
}
