package dev.ingresskit.director;

import dev.ingresskit.ipvs.IpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalLong;

/**
 * One route a director announces for a VIP: the host prefix ({@code /32} or {@code /128}) and the
 * optional attributes routers act on.
 *
 * @param address     the VIP
 * @param communities standard communities to attach, in the order given (may be empty)
 * @param med         MULTI_EXIT_DISC, 0..4294967295, or empty to send none
 * @param prepend     how many extra times the speaker's own AS is put in front of the AS path
 *                    (0 = none); a standby director uses it to be the less preferred path
 */
public record VipRoute(InetAddress address, List<Community> communities, OptionalLong med, int prepend) {

    /** The most extra AS-path entries a route may ask for; more only makes paths longer than any router keeps. */
    public static final int MAX_PREPEND = 16;

    public VipRoute {
        if (address == null) {
            throw new IllegalArgumentException("route: address is required");
        }
        communities = List.copyOf(communities);
        if (med.isPresent() && (med.getAsLong() < 0 || med.getAsLong() > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("route " + address.getHostAddress() + ": med " + med.getAsLong()
                    + " is outside 0..4294967295");
        }
        if (prepend < 0 || prepend > MAX_PREPEND) {
            throw new IllegalArgumentException("route " + address.getHostAddress() + ": prepend " + prepend
                    + " is outside 0.." + MAX_PREPEND);
        }
    }

    /** A route with no attributes. */
    public static VipRoute of(InetAddress address) {
        return new VipRoute(address, List.of(), OptionalLong.empty(), 0);
    }

    /** 32 for IPv4, 128 for IPv6: a VIP is always announced as a host route. */
    public int prefixLength() {
        return address instanceof Inet4Address ? 32 : 128;
    }

    /** The prefix as speakers write it, e.g. {@code 198.51.100.10/32}. */
    public String prefix() {
        return IpAddresses.format(address) + "/" + prefixLength();
    }
}
