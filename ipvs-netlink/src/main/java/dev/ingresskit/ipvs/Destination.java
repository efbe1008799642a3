package dev.ingresskit.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A real server of a virtual service. Its identity inside the service is address + port
 * ({@link #key()}); the rest can be changed in place ({@code IPVS_CMD_SET_DEST}). The address may
 * be of the other family than the service's only with {@link ForwardingMethod#TUNNEL} (the kernel
 * refuses other mixes with EINVAL).
 *
 * @param address        real server address (IPv4 or IPv6)
 * @param port           real server port; ipvsadm replaces it with the service port for {@code -g}/{@code -i},
 *                       this client sends what you give
 * @param forwarding     forwarding method
 * @param weight         scheduling weight, 0 = drain (no new connections)
 * @param upperThreshold connection upper threshold, 0 = none
 * @param lowerThreshold connection lower threshold, 0 = none
 * @param tunnelType     encapsulation, {@code null} unless {@code forwarding == TUNNEL}
 * @param tunnelPort     UDP port for GUE (0 otherwise)
 * @param tunnelFlags    checksum flags for GUE/GRE
 */
public record Destination(InetAddress address, int port, ForwardingMethod forwarding, int weight,
        int upperThreshold, int lowerThreshold, TunnelType tunnelType, int tunnelPort, TunnelFlags tunnelFlags) {

    public Destination {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(forwarding, "forwarding");
        Objects.requireNonNull(tunnelFlags, "tunnelFlags");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be >= 0 (0 drains): " + weight);
        }
        if (upperThreshold < 0 || lowerThreshold < 0) {
            throw new IllegalArgumentException("thresholds must be >= 0: upper=" + upperThreshold + " lower="
                    + lowerThreshold);
        }
        if (tunnelPort < 0 || tunnelPort > 0xFFFF) {
            throw new IllegalArgumentException("tunnel port must be 0..65535: " + tunnelPort);
        }
        if (forwarding == ForwardingMethod.TUNNEL) {
            if (tunnelType == null) {
                tunnelType = TunnelType.IPIP;
            }
            if (tunnelType == TunnelType.GUE && tunnelPort == 0) {
                throw new IllegalArgumentException("a GUE tunnel needs a tunnel port (the receiver's FOU/GUE port)");
            }
        } else if (tunnelType != null || tunnelPort != 0 || tunnelFlags.bits() != 0) {
            throw new IllegalArgumentException("tunnel type/port/flags apply only to forwarding TUNNEL, not "
                    + forwarding);
        }
    }

    /** Address and port: what identifies the destination within its service. */
    public DestinationKey key() {
        return new DestinationKey(address, port);
    }

    public AddressFamily family() {
        return AddressFamily.of(address);
    }

    /** A copy with another weight. */
    public Destination withWeight(int newWeight) {
        return new Destination(address, port, forwarding, newWeight, upperThreshold, lowerThreshold, tunnelType,
                tunnelPort, tunnelFlags);
    }

    public static Builder builder(String address, int port) {
        return new Builder(IpAddresses.parse(address), port);
    }

    public static Builder builder(InetAddress address, int port) {
        return new Builder(address, port);
    }

    public Builder toBuilder() {
        Builder b = new Builder(address, port);
        b.forwarding = forwarding;
        b.weight = weight;
        b.upperThreshold = upperThreshold;
        b.lowerThreshold = lowerThreshold;
        b.tunnelType = tunnelType;
        b.tunnelPort = tunnelPort;
        b.tunnelFlags = tunnelFlags;
        return b;
    }

    @Override
    public String toString() {
        return appendTo(new StringBuilder(64)).toString();
    }

    StringBuilder appendTo(StringBuilder text) {
        IpAddresses.append(text, address, port).append(' ').append(forwarding.label()).append(" w=").append(weight);
        if (upperThreshold != 0 || lowerThreshold != 0) {
            text.append(" thresholds=").append(lowerThreshold).append("..").append(upperThreshold);
        }
        if (tunnelType != null) {
            text.append(" tun=").append(tunnelType.name().toLowerCase(java.util.Locale.ROOT));
            if (tunnelPort != 0) {
                text.append(':').append(tunnelPort);
            }
            text.append(' ').append(tunnelFlags);
        }
        return text;
    }

    /** Collects a destination's settings; defaults are ipvsadm's: direct routing, weight 1. */
    public static final class Builder {
        private final InetAddress address;
        private final int port;
        private ForwardingMethod forwarding = ForwardingMethod.ROUTE;
        private int weight = 1;
        private int upperThreshold;
        private int lowerThreshold;
        private TunnelType tunnelType;
        private int tunnelPort;
        private TunnelFlags tunnelFlags = TunnelFlags.NONE;

        private Builder(InetAddress address, int port) {
            this.address = Objects.requireNonNull(address, "address");
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
        }

        public Builder forwarding(ForwardingMethod method) {
            this.forwarding = Objects.requireNonNull(method, "forwarding");
            if (method != ForwardingMethod.TUNNEL) {
                tunnelType = null;
                tunnelPort = 0;
                tunnelFlags = TunnelFlags.NONE;
            }
            return this;
        }

        public Builder weight(int weight) {
            if (weight < 0) {
                throw new IllegalArgumentException("weight must be >= 0 (0 drains): " + weight);
            }
            this.weight = weight;
            return this;
        }

        public Builder thresholds(int lower, int upper) {
            if (lower < 0 || upper < 0) {
                throw new IllegalArgumentException("thresholds must be >= 0: " + lower + ", " + upper);
            }
            this.lowerThreshold = lower;
            this.upperThreshold = upper;
            return this;
        }

        /** Tunnel forwarding with {@code type}; GUE needs {@link #tunnelPort}. */
        public Builder tunnel(TunnelType type) {
            this.forwarding = ForwardingMethod.TUNNEL;
            this.tunnelType = Objects.requireNonNull(type, "type");
            return this;
        }

        public Builder tunnelPort(int port) {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("tunnel port must be 0..65535: " + port);
            }
            this.tunnelPort = port;
            return this;
        }

        /** {@link TunnelFlags#CSUM} and/or {@link TunnelFlags#REMCSUM}. */
        public Builder tunnelFlags(int bits) {
            this.tunnelFlags = new TunnelFlags(bits);
            return this;
        }

        public Destination build() {
            return new Destination(address, port, forwarding, weight, upperThreshold, lowerThreshold, tunnelType,
                    tunnelPort, tunnelFlags);
        }
    }
}
