package dev.ingresskit.examples.director;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * One {@code service} block of the config.
 *
 * @param name       the operator's name for it (unique in the file; used in logs and metrics)
 * @param line       the line of its {@code service} keyword
 * @param protocol   {@code tcp}, {@code udp}, {@code sctp}, or {@code fwmark}
 * @param vip        the virtual address ({@code null} for a fwmark service)
 * @param port       the virtual port (0 for a fwmark service)
 * @param fwmark     the firewall mark (0 for an address service)
 * @param ipv6       the family (for fwmark services it is stated, otherwise the VIP's)
 * @param scheduler  the IPVS scheduler name, {@code mh} by default
 * @param mhPort     {@code mh-port}: the kernel hashes the client port too
 * @param mhFallback {@code mh-fallback}: lookups that land on a weight-0 destination rehash
 * @param forward    how packets reach the backends
 * @param tunnel     for {@link Forward#TUNNEL}: the encapsulation, else {@code null}
 * @param check      the health check of every backend of the service
 * @param backends   the backends, in file order
 */
public record ServiceConfig(String name, int line, Transport protocol, InetAddress vip, int port, int fwmark,
        boolean ipv6, String scheduler, boolean mhPort, boolean mhFallback, Forward forward, Tunnel tunnel,
        HealthCheckConfig check, List<BackendConfig> backends) {

    /** The protocol keyword of a service line. */
    public enum Transport { TCP, UDP, SCTP, FWMARK }

    /** The forwarding keyword: {@code forward route|masq} or a {@code tunnel} line. */
    public enum Forward { ROUTE, MASQ, TUNNEL }

    /** The encapsulation keyword of a {@code tunnel} line. */
    public enum TunnelKind { IPIP, GUE, GRE }

    /**
     * A {@code tunnel} line.
     *
     * @param kind    IPIP, GUE or GRE
     * @param port    the backend's FOU/GUE UDP port (GUE only, else 0)
     * @param csum    UDP (GUE) or GRE checksums
     * @param remcsum GUE remote checksum offload
     */
    public record Tunnel(TunnelKind kind, int port, boolean csum, boolean remcsum) {
    }

    public ServiceConfig {
        backends = List.copyOf(backends);
    }

    public boolean isFwmark() {
        return protocol == Transport.FWMARK;
    }

    /** {@code tcp 192.0.2.1:443}, {@code fwmark 7}: how logs and --explain name its identity. */
    public String identity() {
        if (isFwmark()) {
            return "fwmark " + Integer.toUnsignedString(fwmark) + (ipv6 ? " inet6" : "");
        }
        return protocol.name().toLowerCase(java.util.Locale.ROOT) + " " + hostPort(vip, port);
    }

    /**
     * The port IPVS stores for a backend: its own for masquerading, the service port for route and
     * tunnel forwarding — what {@code ipvsadm -g/-i} does, and what the kernel's {@code mh} hash sees.
     */
    public int ipvsPort(BackendConfig backend) {
        return forward == Forward.MASQ ? backend.port() : port;
    }

    static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        if (address instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return host + ":" + port;
    }
}
