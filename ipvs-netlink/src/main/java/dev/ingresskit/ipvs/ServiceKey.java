package dev.ingresskit.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a virtual service in the kernel: family + protocol + address + port, or family +
 * firewall mark ({@code fwmark != 0}, then protocol and address are {@code null} and port 0).
 */
public record ServiceKey(AddressFamily family, Protocol protocol, InetAddress address, int port, int fwmark) {
    public ServiceKey {
        Objects.requireNonNull(family, "family");
        if (fwmark != 0) {
            if (protocol != null || address != null || port != 0) {
                throw new IllegalArgumentException("a firewall-mark service has no protocol, address or port");
            }
        } else {
            Objects.requireNonNull(protocol, "protocol (or a non-zero fwmark)");
            Objects.requireNonNull(address, "address (or a non-zero fwmark)");
            if (AddressFamily.of(address) != family) {
                throw new IllegalArgumentException("address " + address.getHostAddress() + " is not " + family);
            }
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
        }
    }

    // Written out rather than generated: keys of maps with 100,000 entries, compared long before the
    // JIT has compiled the record's method-handle based equals and hashCode.
    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceKey k && port == k.port && fwmark == k.fwmark && family == k.family
                && protocol == k.protocol && Objects.equals(address, k.address);
    }

    @Override
    public int hashCode() {
        // protocol and family too: tcp and udp on one VIP and port (DNS) are the usual pair
        int kind = (protocol == null ? 0 : protocol.ordinal() + 1) * 2 + family.ordinal();
        return ((Objects.hashCode(address) * 31 + port) * 31 + fwmark) * 31 + kind;
    }

    /** {@code tcp 10.0.0.1:80}, {@code udp [2001:db8::1]:53}, {@code fwmark 7 (inet)}. */
    @Override
    public String toString() {
        if (fwmark != 0) {
            return "fwmark " + Integer.toUnsignedString(fwmark) + (family == AddressFamily.INET6 ? " (inet6)" : "");
        }
        return appendTo(new StringBuilder(32)).toString();
    }

    StringBuilder appendTo(StringBuilder out) {
        if (fwmark != 0) {
            return out.append(toString());
        }
        return IpAddresses.append(out.append(protocol.label()).append(' '), address, port);
    }
}
