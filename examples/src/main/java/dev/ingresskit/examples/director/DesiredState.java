package dev.ingresskit.examples.director;

import dev.ingresskit.examples.director.ServiceConfig.Tunnel;
import dev.ingresskit.ipvs.AddressFamily;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.Protocol;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;

/** How config values become ipvs-netlink's desired-state values. Stateless. */
final class DesiredState {
    private DesiredState() {
    }

    /** The IPVS service a config block asks for. */
    static Service service(ServiceConfig s) {
        Service.Builder b = Service.builder();
        if (s.isFwmark()) {
            b.fwmark(s.ipv6() ? AddressFamily.INET6 : AddressFamily.INET, s.fwmark());
        } else {
            Protocol p = switch (s.protocol()) {
                case TCP -> Protocol.TCP;
                case UDP -> Protocol.UDP;
                case SCTP -> Protocol.SCTP;
                case FWMARK -> throw new IllegalStateException("unreachable");
            };
            b.address(p, s.vip(), s.port());
        }
        b.scheduler(s.scheduler());
        int flags = (s.mhFallback() ? ServiceFlags.MH_FALLBACK : 0) | (s.mhPort() ? ServiceFlags.MH_PORT : 0);
        if (flags != 0) {
            b.schedulerFlags(flags);
        }
        return b.build();
    }

    /** The IPVS destination for a backend at {@code weight}. */
    static Destination destination(ServiceConfig s, BackendConfig backend, int weight) {
        Destination.Builder b = Destination.builder(backend.address(), s.ipvsPort(backend)).weight(weight);
        switch (s.forward()) {
            case ROUTE -> b.forwarding(ForwardingMethod.ROUTE);
            case MASQ -> b.forwarding(ForwardingMethod.MASQUERADE);
            case TUNNEL -> {
                Tunnel t = s.tunnel();
                b.tunnel(switch (t.kind()) {
                    case IPIP -> TunnelType.IPIP;
                    case GUE -> TunnelType.GUE;
                    case GRE -> TunnelType.GRE;
                });
                b.tunnelPort(t.port());
                b.tunnelFlags((t.csum() ? TunnelFlags.CSUM : 0) | (t.remcsum() ? TunnelFlags.REMCSUM : 0));
            }
        }
        return b.build();
    }
}
