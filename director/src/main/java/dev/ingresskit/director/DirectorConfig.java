package dev.ingresskit.director;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A parsed director config (see {@link ConfigParser} and examples/README.md for the format).
 * Immutable.
 *
 * @param http         where the status endpoint listens ({@code /healthz}, {@code /state}, {@code /metrics})
 * @param drain        how long a backend removed from the config keeps weight 0 before it is deleted
 * @param checkThreads at most this many health checks run at the same time
 * @param mhTableSize  the kernel's {@code ip_vs_mh} table size (a build-time constant of the kernel,
 *                     4093 in Debian's), used to predict its choices
 * @param services     the services, in file order
 * @param bgp          the {@code bgp} lines (which speaker announces the VIPs), or {@code null} for none
 */
public record DirectorConfig(InetSocketAddress http, Duration drain, int checkThreads, int mhTableSize,
        List<ServiceConfig> services, BgpConfig bgp) {
    public static final int DEFAULT_HTTP_PORT = 9180;
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
    public static final int DEFAULT_CHECK_THREADS = 32;

    /** A config without BGP. */
    public DirectorConfig(InetSocketAddress http, Duration drain, int checkThreads, int mhTableSize,
            List<ServiceConfig> services) {
        this(http, drain, checkThreads, mhTableSize, services, null);
    }

    public DirectorConfig {
        services = List.copyOf(services);
    }

    public Optional<ServiceConfig> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Number of backends over all services. */
    public int backendCount() {
        return services.stream().mapToInt(s -> s.backends().size()).sum();
    }
}
