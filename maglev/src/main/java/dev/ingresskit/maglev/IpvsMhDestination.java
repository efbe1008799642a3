package dev.ingresskit.maglev;

import dev.ingresskit.maglev.internal.Addresses;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A real server of an {@link IpvsMhTable}, as the kernel holds it ({@code struct ip_vs_dest}).
 *
 * @param address    the destination address (IPv4 or IPv6)
 * @param port       the destination port as the kernel stores it; for {@code ipvsadm -a -i} (tunnel)
 *                   and {@code -g} (route) this is the <em>service</em> port, because ipvsadm replaces
 *                   the real-server port before the kernel sees it
 * @param weight     the current weight; 0 makes lookups that land on it find no destination (unless
 *                   mh-fallback rehashes them)
 * @param lastWeight the weight the table is built from ({@code dest->last_weight}): the weight given
 *                   when the destination was added, then the latest non-zero weight it was edited to
 */
public record IpvsMhDestination(InetAddress address, int port, int weight, int lastWeight) {
    public IpvsMhDestination {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("destination port must be in [0, 65535], got " + port);
        }
        if (weight < 0 || lastWeight < 0) {
            throw new IllegalArgumentException("destination " + address.getHostAddress() + ":" + port
                    + ": weights must be ≥ 0, got " + weight + "/" + lastWeight);
        }
    }

    /** {@code IP:PORT}, or {@code [IPv6]:PORT}. */
    public String key() {
        return Addresses.endpoint(address, port);
    }

    @Override
    public String toString() {
        return key() + " weight " + weight + (lastWeight != weight ? " (table weight " + lastWeight + ")" : "");
    }
}
