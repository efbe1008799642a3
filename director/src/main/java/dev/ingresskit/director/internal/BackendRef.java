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
    public static BackendRef of(ServiceConfig service, BackendConfig backend) {
        return new BackendRef(service.name(), backend.address(), backend.port());
    }

    /** {@code web/127.0.0.11:443}. */
    @Override
    public String toString() {
        return service + "/" + IpAddresses.format(address, port);
    }
}
