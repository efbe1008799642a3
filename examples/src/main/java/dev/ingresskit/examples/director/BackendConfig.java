package dev.ingresskit.examples.director;

import java.net.InetAddress;

/**
 * One {@code backend} line.
 *
 * @param address the real server's address
 * @param port    its port: where health checks go (unless the check names its own) and, for
 *                {@code forward masq}, where IPVS rewrites the destination port to; defaults to the
 *                service port
 * @param weight  the configured weight, 0..65535 (0 keeps it drained whatever its health)
 * @param line    the line it was read from
 */
public record BackendConfig(InetAddress address, int port, int weight, int line) {
    /** {@code 127.0.0.11:443}. */
    public String endpoint() {
        return ServiceConfig.hostPort(address, port);
    }
}
