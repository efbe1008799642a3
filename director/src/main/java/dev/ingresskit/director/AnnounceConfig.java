package dev.ingresskit.director;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalLong;

/**
 * A service's {@code announce} line: when its VIP is announced over BGP, and with which attributes.
 *
 * @param minHealthy  backends that must be up for the VIP to be announced (at least 1)
 * @param communities standard communities attached to the route
 * @param med         MULTI_EXIT_DISC to send, or empty for none
 * @param prepend     extra copies of the local AS in the AS path (a standby director), 0 = none
 */
public record AnnounceConfig(int minHealthy, List<Community> communities, OptionalLong med, int prepend) {

    public static final AnnounceConfig DEFAULT = new AnnounceConfig(1, List.of(), OptionalLong.empty(), 0);

    public AnnounceConfig {
        if (minHealthy < 1) {
            throw new IllegalArgumentException("min-healthy must be at least 1, got " + minHealthy);
        }
        communities = List.copyOf(communities);
        // The route checks MED and prepend ranges once for everyone.
        route(InetAddress.getLoopbackAddress(), communities, med, prepend);
    }

    /** The route for {@code vip} with these attributes. */
    public VipRoute route(InetAddress vip) {
        return route(vip, communities, med, prepend);
    }

    private static VipRoute route(InetAddress vip, List<Community> communities, OptionalLong med, int prepend) {
        return new VipRoute(vip, communities, med, prepend);
    }
}
