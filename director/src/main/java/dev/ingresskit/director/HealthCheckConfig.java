package dev.ingresskit.director;

import java.net.InetAddress;
import java.time.Duration;

/**
 * A service's {@code check} line: how each of its backends is probed.
 *
 * @param kind     TCP connect, HTTP GET, or none (backends are always considered healthy)
 * @param port     the port to probe, 0 = the backend's port
 * @param path     HTTP only: the request path
 * @param host     HTTP only: the Host header, {@code null} = the backend's address
 * @param expect   HTTP only: the status that means healthy
 * @param interval time between the starts of two checks of one backend
 * @param timeout  how long one check may take (connect, and for HTTP the whole exchange)
 * @param rise     consecutive successes that make a down backend healthy
 * @param fall     consecutive failures that make a healthy backend down
 * @param source   the local address checks are sent from, {@code null} = the kernel's choice
 */
public record HealthCheckConfig(Kind kind, int port, String path, String host, int expect, Duration interval,
        Duration timeout, int rise, int fall, InetAddress source) {

    public enum Kind { TCP, HTTP, NONE }

    public static final HealthCheckConfig DEFAULT = new HealthCheckConfig(Kind.TCP, 0, null, null, 0,
            Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, null);

    /** The port a backend is probed on. */
    public int portFor(BackendConfig backend) {
        return port != 0 ? port : backend.port();
    }
}
