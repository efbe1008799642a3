package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.Community;
import dev.ingresskit.director.VipRoute;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The text of the file BIRD includes: one static protocol per address family holding a blackhole
 * route per announced VIP, and the export filter that lets only those routes out and sets their
 * attributes. MED is set in the filter, not on the static route, because BIRD only sends a MED to
 * an eBGP neighbour when the export filter set it. Routes are sorted so the same set always gives
 * the same bytes (an unchanged set then needs no reconfiguration).
 */
final class BirdRoutesFile {
    static final String STATIC4 = "ingresskit_vips4";
    static final String STATIC6 = "ingresskit_vips6";
    static final String FILTER = "ingresskit_export";

    private static final Comparator<VipRoute> ORDER = Comparator
            .<VipRoute>comparingInt(r -> r.address().getAddress().length)
            .thenComparing(r -> r.address().getAddress(), Arrays::compareUnsigned);

    private BirdRoutesFile() {
    }

    static String render(List<VipRoute> routes, long localAs) {
        List<VipRoute> sorted = new ArrayList<>(routes);
        sorted.sort(ORDER);
        StringBuilder b = new StringBuilder();
        b.append("# Written by the ingresskit director and replaced whole on every change: do not edit.\n");
        b.append("# bird.conf includes it at the top level and exports through the filter:\n");
        b.append("#   protocol bgp ... { ipv4 { export filter ").append(FILTER).append("; }; }\n");
        b.append("protocol static ").append(STATIC4).append(" {\n  ipv4;\n");
        for (VipRoute r : sorted) {
            if (r.address() instanceof Inet4Address) {
                b.append("  route ").append(r.prefix()).append(" blackhole;\n");
            }
        }
        b.append("}\nprotocol static ").append(STATIC6).append(" {\n  ipv6;\n");
        for (VipRoute r : sorted) {
            if (!(r.address() instanceof Inet4Address)) {
                b.append("  route ").append(r.prefix()).append(" blackhole;\n");
            }
        }
        b.append("}\nfilter ").append(FILTER).append("\n{\n");
        b.append("  if proto != \"").append(STATIC4).append("\" && proto != \"").append(STATIC6)
                .append("\" then reject;\n");
        for (VipRoute r : sorted) {
            if (r.communities().isEmpty() && r.med().isEmpty() && r.prepend() == 0) {
                continue;
            }
            b.append("  if net = ").append(r.prefix()).append(" then {\n");
            for (Community c : r.communities()) {
                b.append("    bgp_community.add((").append(c.asn()).append(',').append(c.value()).append("));\n");
            }
            r.med().ifPresent(med -> b.append("    bgp_med = ").append(med).append(";\n"));
            if (r.prepend() > 0) {
                if (localAs == 0) {
                    throw new IllegalStateException("bird: " + r.prefix() + " asks for prepend " + r.prepend()
                            + " but the local AS is not known (set 'bgp local-as')");
                }
                // BIRD puts its own AS in front after the filter, so N extra copies here make 1 + N.
                for (int i = 0; i < r.prepend(); i++) {
                    b.append("    bgp_path.prepend(").append(localAs).append(");\n");
                }
            }
            b.append("  }\n");
        }
        b.append("  accept;\n}\n");
        return b.toString();
    }
}
