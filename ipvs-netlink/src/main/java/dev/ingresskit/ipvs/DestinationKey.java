package dev.ingresskit.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * Address + port: what identifies a destination within its service. Ordered by family (IPv4
 * first), then address as an unsigned number, then port: an order that depends on nothing but the
 * keys themselves, for anyone who needs the same destination order on every machine.
 */
public record DestinationKey(InetAddress address, int port) implements Comparable<DestinationKey> {
    public DestinationKey {
        Objects.requireNonNull(address, "address");
    }

    // Written out rather than generated: keys of maps with 100,000 entries, compared long before the
    // JIT has compiled the record's method-handle based equals and hashCode.
    @Override
    public boolean equals(Object o) {
        return o instanceof DestinationKey k && port == k.port && address.equals(k.address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + port;
    }

    @Override
    public int compareTo(DestinationKey other) {
        boolean v6 = address instanceof Inet6Address;
        boolean otherV6 = other.address instanceof Inet6Address;
        if (v6 != otherV6) {
            return v6 ? 1 : -1;
        }
        int byAddress = Arrays.compareUnsigned(address.getAddress(), other.address.getAddress());
        return byAddress != 0 ? byAddress : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        return IpAddresses.format(address, port);
    }
}
