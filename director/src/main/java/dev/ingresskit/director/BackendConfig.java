package dev.ingresskit.director;

import dev.ingresskit.ipvs.IpAddresses;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A backend of a service: a {@code backend} line, or one that a {@link BackendSource} discovered.
 *
 * @param address the real server's address
 * @param port    its port: where health checks go (unless the check names its own) and, for
 *                {@code forward masq}, where IPVS rewrites the destination port to; defaults to the
 *                service port
 * @param weight  the weight it gets while healthy, 0..65535 (0 keeps it drained whatever its health)
 * @param line    the line it was read from, 0 for a discovered backend
 */
public record BackendConfig(InetAddress address, int port, int weight, int line) {
    public BackendConfig {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("backend port must be 0..65535: " + port);
        }
        if (weight < 0 || weight > 65535) {
            throw new IllegalArgumentException("backend weight must be 0..65535: " + weight);
        }
    }

    /** {@code 127.0.0.11:443}, {@code [2001:db8::1]:443}. */
    public String endpoint() {
        return IpAddresses.format(address, port);
    }
}
