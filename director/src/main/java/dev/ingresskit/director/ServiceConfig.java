package dev.ingresskit.director;

import dev.ingresskit.ipvs.AddressFamily;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.IpAddresses;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code service} block of the config, held as the ipvs-netlink values it stands for.
 *
 * @param name       the operator's name for it (unique in the file; used in logs and metrics)
 * @param line       the line of its {@code service} keyword
 * @param service    the IPVS service: identity, scheduler and its flags ({@code mh} by default)
 * @param forwarding how packets reach the backends, given to every destination
 * @param check      the health check of every backend of the service
 * @param backends   the {@code backend} lines, in file order (empty when {@code discovery} is set)
 * @param discovery  the {@code backends from KIND ...} line, or {@code null} for file backends
 * @param announce   the {@code announce} line (when its VIP is announced over BGP), or {@code null}
 */
public record ServiceConfig(String name, int line, Service service, Forwarding forwarding, HealthCheckConfig check,
        List<BackendConfig> backends, BackendQuery discovery, AnnounceConfig announce) {

    /**
     * A service's {@code forward} or {@code tunnel} line, in ipvs-netlink's terms.
     *
     * @param method      route, masquerade or tunnel
     * @param tunnelType  for {@link ForwardingMethod#TUNNEL}: IPIP, GUE or GRE, else {@code null}
     * @param tunnelPort  the backends' FOU/GUE receive port (GUE only, else 0)
     * @param tunnelFlags checksum options (GUE, GRE)
     */
    public record Forwarding(ForwardingMethod method, TunnelType tunnelType, int tunnelPort, TunnelFlags tunnelFlags) {
        /** {@code forward route}, the default (direct routing, as {@code ipvsadm -g}). */
        public static final Forwarding ROUTE = new Forwarding(ForwardingMethod.ROUTE, null, 0, TunnelFlags.NONE);

        public Forwarding {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(tunnelFlags, "tunnelFlags");
        }

        /** {@code gue port 6080}, {@code ipip}, {@code route}, {@code masq}: as /state and logs name it. */
        @Override
        public String toString() {
            if (method != ForwardingMethod.TUNNEL) {
                return method == ForwardingMethod.MASQUERADE ? "masq" : method.name().toLowerCase(Locale.ROOT);
            }
            return tunnelType.name().toLowerCase(Locale.ROOT) + (tunnelPort != 0 ? " port " + tunnelPort : "")
                    + (tunnelFlags.has(TunnelFlags.CSUM) ? " csum" : "")
                    + (tunnelFlags.has(TunnelFlags.REMCSUM) ? " remcsum" : "");
        }
    }

    /** A service whose VIP is not announced over BGP. */
    public ServiceConfig(String name, int line, Service service, Forwarding forwarding, HealthCheckConfig check,
            List<BackendConfig> backends, BackendQuery discovery) {
        this(name, line, service, forwarding, check, backends, discovery, null);
    }

    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(forwarding, "forwarding");
        Objects.requireNonNull(check, "check");
        backends = List.copyOf(backends);
        if (discovery != null && !backends.isEmpty()) {
            throw new IllegalArgumentException("service " + name + ": backend lines and 'backends from' exclude each other");
        }
        if (announce != null && service.fwmark() != 0) {
            throw new IllegalArgumentException("service " + name + ": a fwmark service has no single VIP to announce");
        }
    }

    public ServiceKey key() {
        return service.key();
    }

    public boolean isFwmark() {
        return service.fwmark() != 0;
    }

    public boolean ipv6() {
        return service.family() == AddressFamily.INET6;
    }

    /** The virtual address, {@code null} for a fwmark service. */
    public InetAddress vip() {
        return service.address();
    }

    /** The virtual port, 0 for a fwmark service. */
    public int port() {
        return service.port();
    }

    public String scheduler() {
        return service.scheduler();
    }

    public boolean isMh() {
        return service.scheduler().equals("mh");
    }

    /** {@code mh-port}: the kernel hashes the client port too. */
    public boolean mhPort() {
        return isMh() && service.flags().has(ServiceFlags.MH_PORT);
    }

    /** {@code mh-fallback}: lookups that land on a weight-0 destination rehash. */
    public boolean mhFallback() {
        return isMh() && service.flags().has(ServiceFlags.MH_FALLBACK);
    }

    /** {@code tcp 192.0.2.1:443}, {@code fwmark 7}: how logs and --explain name its identity. */
    public String identity() {
        if (isFwmark()) {
            return "fwmark " + Integer.toUnsignedString(service.fwmark()) + (ipv6() ? " inet6" : "");
        }
        return service.protocol().name().toLowerCase(Locale.ROOT) + " " + IpAddresses.format(vip(), port());
    }

    /**
     * The port IPVS stores for a backend on {@code backendPort}: its own for masquerading, the service
     * port for route and tunnel forwarding — what {@code ipvsadm -g/-i} does, and what the kernel's
     * {@code mh} hash sees.
     */
    public int ipvsPort(int backendPort) {
        return forwarding.method() == ForwardingMethod.MASQUERADE ? backendPort : port();
    }

    /** The IPVS destination for a backend at {@code weight}. */
    public Destination destination(InetAddress address, int backendPort, int weight) {
        Destination.Builder b = Destination.builder(address, ipvsPort(backendPort)).weight(weight)
                .forwarding(forwarding.method());
        if (forwarding.method() == ForwardingMethod.TUNNEL) {
            b.tunnel(forwarding.tunnelType()).tunnelPort(forwarding.tunnelPort())
                    .tunnelFlags(forwarding.tunnelFlags().bits());
        }
        return b.build();
    }
}
