package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.IpVsH;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A virtual service's configuration: its identity ({@link #key()}) and how it schedules. Immutable;
 * build with {@link #builder()} or derive with {@link #toBuilder()}.
 *
 * @param family            address family of the service (and, for a fwmark service, of its traffic)
 * @param protocol          TCP/UDP/SCTP, {@code null} for a firewall-mark service
 * @param address           the virtual address, {@code null} for a firewall-mark service
 * @param port              the virtual port (0 for a firewall-mark service)
 * @param fwmark            firewall mark, or 0 for an address service
 * @param scheduler         scheduler name, e.g. {@code rr}, {@code wrr}, {@code mh} (at most 15 bytes)
 * @param flags             service flags; {@link ServiceFlags#HASHED} is dropped
 * @param timeoutSeconds    persistence timeout (0 unless persistent)
 * @param netmaskBits       persistence granularity as a prefix length (IPv4 0..32, IPv6 1..128)
 * @param persistenceEngine persistence engine name (e.g. {@code sip}) or {@code null}
 */
public record Service(AddressFamily family, Protocol protocol, InetAddress address, int port, int fwmark,
        String scheduler, ServiceFlags flags, int timeoutSeconds, int netmaskBits, String persistenceEngine) {
    /** ipvsadm's default scheduler. */
    public static final String DEFAULT_SCHEDULER = "wlc";

    public Service {
        new ServiceKey(family, protocol, address, port, fwmark); // validates identity
        Objects.requireNonNull(scheduler, "scheduler");
        checkName("scheduler", scheduler, IpVsH.IP_VS_SCHEDNAME_MAXLEN);
        if (persistenceEngine != null) {
            checkName("persistence engine", persistenceEngine, IpVsH.IP_VS_PENAME_MAXLEN);
        }
        flags = Objects.requireNonNull(flags, "flags").configured();
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 seconds: " + timeoutSeconds);
        }
        int max = family == AddressFamily.INET ? 32 : 128;
        int min = family == AddressFamily.INET ? 0 : 1;
        if (netmaskBits < min || netmaskBits > max) {
            throw new IllegalArgumentException("netmask for " + family + " must be /" + min + "../" + max + ": /"
                    + netmaskBits);
        }
    }

    private static void checkName(String what, String name, int maxWithNul) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes >= maxWithNul || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " name must be 1.." + (maxWithNul - 1) + " bytes without NUL: '"
                    + name + "'");
        }
    }

    /** The identity the kernel looks the service up by. */
    public ServiceKey key() {
        return new ServiceKey(family, protocol, address, port, fwmark);
    }

    public boolean persistent() {
        return flags.has(ServiceFlags.PERSISTENT);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.family = family;
        b.protocol = protocol;
        b.address = address;
        b.port = port;
        b.fwmark = fwmark;
        b.scheduler = scheduler;
        b.flags = flags;
        b.timeoutSeconds = timeoutSeconds;
        b.netmaskBits = netmaskBits;
        b.persistenceEngine = persistenceEngine;
        return b;
    }

    @Override
    public String toString() {
        StringBuilder text = key().appendTo(new StringBuilder(48)).append(' ').append(scheduler);
        ServiceFlags shown = flags.without(ServiceFlags.PERSISTENT);
        if (shown.bits() != 0) {
            text.append(" flags=").append(shown);
        }
        if (persistent()) {
            text.append(" persistent ").append(timeoutSeconds).append('s');
            if (netmaskBits != (family == AddressFamily.INET ? 32 : 128)) {
                text.append(" mask /").append(netmaskBits);
            }
        }
        if (persistenceEngine != null) {
            text.append(" pe ").append(persistenceEngine);
        }
        return text.toString();
    }

    /** Collects a service's settings; each setter checks its argument at once. */
    public static final class Builder {
        private AddressFamily family;
        private Protocol protocol;
        private InetAddress address;
        private int port;
        private int fwmark;
        private String scheduler = DEFAULT_SCHEDULER;
        private ServiceFlags flags = ServiceFlags.NONE;
        private int timeoutSeconds;
        private Integer netmaskBits;
        private String persistenceEngine;

        private Builder() {
        }

        /** An address service: {@code protocol address:port}. */
        public Builder address(Protocol protocol, InetAddress address, int port) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            this.address = Objects.requireNonNull(address, "address");
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            this.family = AddressFamily.of(address);
            this.fwmark = 0;
            return this;
        }

        public Builder tcp(String address, int port) {
            return address(Protocol.TCP, IpAddresses.parse(address), port);
        }

        public Builder udp(String address, int port) {
            return address(Protocol.UDP, IpAddresses.parse(address), port);
        }

        public Builder sctp(String address, int port) {
            return address(Protocol.SCTP, IpAddresses.parse(address), port);
        }

        /** A firewall-mark service for traffic of {@code family} marked {@code fwmark} (non-zero). */
        public Builder fwmark(AddressFamily family, int fwmark) {
            if (fwmark == 0) {
                throw new IllegalArgumentException("a firewall mark must be non-zero");
            }
            this.family = Objects.requireNonNull(family, "family");
            this.fwmark = fwmark;
            this.protocol = null;
            this.address = null;
            this.port = 0;
            return this;
        }

        public Builder scheduler(String name) {
            checkName("scheduler", Objects.requireNonNull(name, "scheduler"), IpVsH.IP_VS_SCHEDNAME_MAXLEN);
            this.scheduler = name;
            return this;
        }

        /** Replaces all flags (use {@link ServiceFlags} constants). */
        public Builder flags(int bits) {
            if ((bits & ServiceFlags.HASHED) != 0) {
                throw new IllegalArgumentException("HASHED is set by the kernel, not by users");
            }
            this.flags = new ServiceFlags(bits);
            return this;
        }

        /** Adds scheduler flags, e.g. {@code MH_FALLBACK | MH_PORT}. */
        public Builder schedulerFlags(int bits) {
            int sched = ServiceFlags.SCHED1 | ServiceFlags.SCHED2 | ServiceFlags.SCHED3;
            if ((bits & ~sched) != 0) {
                throw new IllegalArgumentException("not scheduler flags: 0x" + Integer.toHexString(bits & ~sched));
            }
            this.flags = flags.with(bits);
            return this;
        }

        /** One-packet scheduling (UDP: each datagram scheduled on its own). */
        public Builder onePacket(boolean on) {
            this.flags = on ? flags.with(ServiceFlags.ONE_PACKET) : flags.without(ServiceFlags.ONE_PACKET);
            return this;
        }

        /** Persistence with this timeout (seconds, > 0); {@code ipvsadm -p}. */
        public Builder persistent(int timeoutSeconds) {
            if (timeoutSeconds <= 0) {
                throw new IllegalArgumentException("persistence timeout must be > 0 seconds: " + timeoutSeconds);
            }
            this.flags = flags.with(ServiceFlags.PERSISTENT);
            this.timeoutSeconds = timeoutSeconds;
            return this;
        }

        /** Not persistent (the default). */
        public Builder notPersistent() {
            this.flags = flags.without(ServiceFlags.PERSISTENT);
            this.timeoutSeconds = 0;
            return this;
        }

        /** Persistence granularity as a prefix length (default /32 for IPv4, /128 for IPv6). */
        public Builder netmask(int bits) {
            if (bits < 0 || bits > 128) {
                throw new IllegalArgumentException("netmask must be a prefix length 0..128: " + bits);
            }
            this.netmaskBits = bits;
            return this;
        }

        public Builder persistenceEngine(String name) {
            if (name != null) {
                checkName("persistence engine", name, IpVsH.IP_VS_PENAME_MAXLEN);
            }
            this.persistenceEngine = name;
            return this;
        }

        public Service build() {
            if (family == null) {
                throw new IllegalStateException("set the service's identity first: address(...)/tcp/udp/sctp/fwmark");
            }
            int mask = netmaskBits != null ? netmaskBits : family == AddressFamily.INET ? 32 : 128;
            return new Service(family, protocol, address, port, fwmark, scheduler, flags, timeoutSeconds, mask,
                    persistenceEngine);
        }
    }
}
