package dev.ingresskit.ipvs;

import static dev.ingresskit.ipvs.internal.IpVsH.*;

import dev.ingresskit.ipvs.netlink.AttributeDecoder;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.net.InetAddress;

/**
 * Packs and unpacks IPVS records as netlink attributes, in one place. Byte order: netlink's native
 * order throughout, except the fields the kernel keeps as {@code __be16}/{@code __be32}, each
 * marked "network order" below. Layouts from {@code include/uapi/linux/ip_vs.h} and the policies
 * and fill functions of {@code net/netfilter/ipvs/ip_vs_ctl.c}.
 */
final class IpvsCodec {
    /** {@code sizeof(union nf_inet_addr)}: addresses always travel as 16 bytes, IPv4 in the first 4. */
    static final int INET_ADDR_LENGTH = 16;
    private static final int FLAGS_MASK_ALL = 0xFFFFFFFF;

    private IpvsCodec() {
    }

    /** {@code IPVS_CMD_ATTR_SERVICE}; {@code full} adds the settings NEW/SET_SERVICE require. */
    static void service(AttributeEncoder e, Service s, boolean full) {
        int nest = e.beginNested(IPVS_CMD_ATTR_SERVICE);
        serviceKey(e, s.key());
        if (full) {
            e.string(IPVS_SVC_ATTR_SCHED_NAME, s.scheduler());
            if (s.persistenceEngine() != null) {
                e.string(IPVS_SVC_ATTR_PE_NAME, s.persistenceEngine());
            }
            // struct ip_vs_flags { __u32 flags; __u32 mask; }, native order; mask ~0 sets exactly our flags.
            byte[] flags = new byte[8];
            java.nio.ByteBuffer.wrap(flags).order(java.nio.ByteOrder.nativeOrder())
                    .putInt(s.flags().configured().bits()).putInt(FLAGS_MASK_ALL);
            e.bytes(IPVS_SVC_ATTR_FLAGS, flags);
            e.u32(IPVS_SVC_ATTR_TIMEOUT, s.timeoutSeconds());
            if (s.family() == AddressFamily.INET) {
                // IPv4 netmask: a __be32 mask (network order) in a u32 attribute.
                e.bytes(IPVS_SVC_ATTR_NETMASK, ipv4Mask(s.netmaskBits()));
            } else {
                // IPv6 "netmask": the prefix length as a plain native u32.
                e.u32(IPVS_SVC_ATTR_NETMASK, s.netmaskBits());
            }
        }
        e.endNested(nest);
    }

    private static void serviceKey(AttributeEncoder e, ServiceKey k) {
        e.u16(IPVS_SVC_ATTR_AF, k.family().number());
        if (k.fwmark() != 0) {
            e.u32(IPVS_SVC_ATTR_FWMARK, k.fwmark());
        } else {
            e.u16(IPVS_SVC_ATTR_PROTOCOL, k.protocol().number());
            e.bytes(IPVS_SVC_ATTR_ADDR, address16(k.address()));
            e.u16be(IPVS_SVC_ATTR_PORT, k.port()); // __be16: network order
        }
    }

    /** The identity only, for DEL/GET/ZERO and for naming a destination's service. */
    static void serviceKeyNested(AttributeEncoder e, ServiceKey k) {
        int nest = e.beginNested(IPVS_CMD_ATTR_SERVICE);
        serviceKey(e, k);
        e.endNested(nest);
    }

    /** {@code IPVS_CMD_ATTR_DEST}; {@code full} adds the settings NEW/SET_DEST require. */
    static void destination(AttributeEncoder e, Destination d, boolean full) {
        int nest = e.beginNested(IPVS_CMD_ATTR_DEST);
        destinationKey(e, d.key());
        if (full) {
            e.u32(IPVS_DEST_ATTR_FWD_METHOD, d.forwarding().value());
            e.u32(IPVS_DEST_ATTR_WEIGHT, d.weight());
            e.u32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold());
            e.u32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold());
            if (d.forwarding() == ForwardingMethod.TUNNEL) {
                e.u8(IPVS_DEST_ATTR_TUN_TYPE, d.tunnelType().value());
                e.u16be(IPVS_DEST_ATTR_TUN_PORT, d.tunnelPort()); // __be16: network order
                e.u16(IPVS_DEST_ATTR_TUN_FLAGS, d.tunnelFlags().bits());
            }
        }
        e.endNested(nest);
    }

    static void destinationKeyNested(AttributeEncoder e, DestinationKey k) {
        int nest = e.beginNested(IPVS_CMD_ATTR_DEST);
        destinationKey(e, k);
        e.endNested(nest);
    }

    private static void destinationKey(AttributeEncoder e, DestinationKey k) {
        e.bytes(IPVS_DEST_ATTR_ADDR, address16(k.address()));
        e.u16be(IPVS_DEST_ATTR_PORT, k.port()); // __be16: network order
        e.u16(IPVS_DEST_ATTR_ADDR_FAMILY, AddressFamily.of(k.address()).number());
    }

    static byte[] address16(InetAddress address) {
        byte[] out = new byte[INET_ADDR_LENGTH];
        byte[] raw = address.getAddress();
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    static byte[] ipv4Mask(int bits) {
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return new byte[] {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    }

    /** The contents of an {@code IPVS_CMD_ATTR_SERVICE} nest. */
    static ServiceStatus decodeService(AttributeDecoder d) throws NetlinkException {
        return decodeService(d, true);
    }

    /** As above; {@code withStats == false} skips the counters (for {@link IpvsClient#state()}). */
    static ServiceStatus decodeService(AttributeDecoder d, boolean withStats) throws NetlinkException {
        Integer af = null;
        Integer protocol = null;
        byte[] address = null;
        int port = -1;
        int fwmark = 0;
        String scheduler = null;
        String pe = null;
        int flags = 0;
        int timeout = 0;
        byte[] netmask = null;
        Stats stats32 = null;
        Stats stats64 = null;
        while (d.next()) {
            switch (d.type()) {
                case IPVS_SVC_ATTR_AF -> af = d.u16();
                case IPVS_SVC_ATTR_PROTOCOL -> protocol = d.u16();
                case IPVS_SVC_ATTR_ADDR -> address = addressBytes(d);
                case IPVS_SVC_ATTR_PORT -> port = d.u16be(); // __be16: network order
                case IPVS_SVC_ATTR_FWMARK -> fwmark = d.u32();
                case IPVS_SVC_ATTR_SCHED_NAME -> scheduler = d.string();
                case IPVS_SVC_ATTR_PE_NAME -> pe = d.string();
                case IPVS_SVC_ATTR_FLAGS -> {
                    if (d.length() != 8) {
                        throw malformed(d, "struct ip_vs_flags needs 8 bytes");
                    }
                    flags = d.value().getInt(0);
                }
                case IPVS_SVC_ATTR_TIMEOUT -> timeout = d.u32();
                case IPVS_SVC_ATTR_NETMASK -> {
                    if (d.length() != 4) {
                        throw malformed(d, "netmask needs 4 bytes");
                    }
                    netmask = d.bytes();
                }
                case IPVS_SVC_ATTR_STATS -> stats32 = withStats ? decodeStats(d.nested("stats"), false) : null;
                case IPVS_SVC_ATTR_STATS64 -> stats64 = withStats ? decodeStats(d.nested("stats64"), true) : null;
                default -> { } // newer kernels may add attributes: skip them
            }
        }
        if (af == null) {
            throw NetlinkException.malformed("decode IPVS service", "IPVS_SVC_ATTR_AF missing");
        }
        if (scheduler == null) {
            throw NetlinkException.malformed("decode IPVS service", "IPVS_SVC_ATTR_SCHED_NAME missing");
        }
        try {
            AddressFamily family = AddressFamily.of(af);
            int mask = netmask == null ? (family == AddressFamily.INET ? 32 : 128)
                    : family == AddressFamily.INET ? prefixLength(netmask)
                    : java.nio.ByteBuffer.wrap(netmask).order(java.nio.ByteOrder.nativeOrder()).getInt();
            Service service;
            if (fwmark != 0) {
                service = new Service(family, null, null, 0, fwmark, scheduler, new ServiceFlags(flags), timeout, mask,
                        pe);
            } else {
                if (protocol == null || address == null || port < 0) {
                    throw NetlinkException.malformed("decode IPVS service",
                            "an address service needs PROTOCOL, ADDR and PORT; got " + (protocol == null ? "no " : "")
                                    + "PROTOCOL, " + (address == null ? "no " : "") + "ADDR, " + (port < 0 ? "no " : "")
                                    + "PORT");
                }
                service = new Service(family, Protocol.of(protocol), IpAddresses.fromBytes(address,
                        family.addressLength()), port, 0, scheduler, new ServiceFlags(flags), timeout, mask, pe);
            }
            return new ServiceStatus(service, stats64 != null ? stats64 : stats32 != null ? stats32 : Stats.ZERO);
        } catch (IllegalArgumentException e) {
            throw NetlinkException.malformed("decode IPVS service", e.getMessage());
        }
    }

    /** The contents of an {@code IPVS_CMD_ATTR_DEST} nest; the family defaults to the service's. */
    static DestinationStatus decodeDestination(AttributeDecoder d, AddressFamily serviceFamily)
            throws NetlinkException {
        return decodeDestination(d, serviceFamily, true);
    }

    /** As above; {@code withStats == false} skips the counters (for {@link IpvsClient#state()}). */
    static DestinationStatus decodeDestination(AttributeDecoder d, AddressFamily serviceFamily, boolean withStats)
            throws NetlinkException {
        byte[] address = null;
        int port = -1;
        int forwarding = -1;
        int weight = 0;
        int upper = 0;
        int lower = 0;
        long active = 0;
        long inactive = 0;
        long persistent = 0;
        Integer af = null;
        int tunType = 0;
        int tunPort = 0;
        int tunFlags = 0;
        Stats stats32 = null;
        Stats stats64 = null;
        while (d.next()) {
            switch (d.type()) {
                case IPVS_DEST_ATTR_ADDR -> address = addressBytes(d);
                case IPVS_DEST_ATTR_PORT -> port = d.u16be(); // __be16: network order
                case IPVS_DEST_ATTR_FWD_METHOD -> forwarding = d.u32();
                case IPVS_DEST_ATTR_WEIGHT -> weight = d.u32();
                case IPVS_DEST_ATTR_U_THRESH -> upper = d.u32();
                case IPVS_DEST_ATTR_L_THRESH -> lower = d.u32();
                case IPVS_DEST_ATTR_ACTIVE_CONNS -> active = Integer.toUnsignedLong(d.u32());
                case IPVS_DEST_ATTR_INACT_CONNS -> inactive = Integer.toUnsignedLong(d.u32());
                case IPVS_DEST_ATTR_PERSIST_CONNS -> persistent = Integer.toUnsignedLong(d.u32());
                case IPVS_DEST_ATTR_STATS -> stats32 = withStats ? decodeStats(d.nested("stats"), false) : null;
                case IPVS_DEST_ATTR_ADDR_FAMILY -> af = d.u16();
                case IPVS_DEST_ATTR_STATS64 -> stats64 = withStats ? decodeStats(d.nested("stats64"), true) : null;
                case IPVS_DEST_ATTR_TUN_TYPE -> tunType = d.u8();
                case IPVS_DEST_ATTR_TUN_PORT -> tunPort = d.u16be(); // __be16: network order
                case IPVS_DEST_ATTR_TUN_FLAGS -> tunFlags = d.u16();
                default -> { }
            }
        }
        if (address == null || port < 0 || forwarding < 0) {
            throw NetlinkException.malformed("decode IPVS destination", "ADDR, PORT and FWD_METHOD are required; got "
                    + (address == null ? "no " : "") + "ADDR, " + (port < 0 ? "no " : "") + "PORT, "
                    + (forwarding < 0 ? "no " : "") + "FWD_METHOD");
        }
        try {
            AddressFamily family = af == null ? serviceFamily : AddressFamily.of(af);
            ForwardingMethod method = ForwardingMethod.of(forwarding);
            boolean tunnel = method == ForwardingMethod.TUNNEL;
            Destination destination = new Destination(IpAddresses.fromBytes(address, family.addressLength()), port,
                    method, weight, upper, lower, tunnel ? TunnelType.of(tunType) : null, tunnel ? tunPort : 0,
                    tunnel ? new TunnelFlags(tunFlags) : TunnelFlags.NONE);
            return new DestinationStatus(destination, active, inactive, persistent,
                    stats64 != null ? stats64 : stats32 != null ? stats32 : Stats.ZERO);
        } catch (IllegalArgumentException e) {
            throw NetlinkException.malformed("decode IPVS destination", e.getMessage());
        }
    }

    /**
     * {@code IPVS_STATS_ATTR_*}: in STATS64 every counter is a u64; in the old STATS the byte counters
     * are u64 and the rest u32 (widened unsigned). PAD attributes are skipped.
     */
    static Stats decodeStats(AttributeDecoder d, boolean wide) throws NetlinkException {
        long[] v = new long[10];
        while (d.next()) {
            int type = d.type();
            if (type < IPVS_STATS_ATTR_CONNS || type > IPVS_STATS_ATTR_OUTBPS) {
                continue;
            }
            boolean u64 = wide || type == IPVS_STATS_ATTR_INBYTES || type == IPVS_STATS_ATTR_OUTBYTES;
            v[type - 1] = u64 ? d.u64() : Integer.toUnsignedLong(d.u32());
        }
        return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    private static byte[] addressBytes(AttributeDecoder d) throws NetlinkException {
        if (d.length() != 4 && d.length() != INET_ADDR_LENGTH) {
            throw malformed(d, "an address needs 4 or 16 bytes");
        }
        byte[] raw = d.bytes();
        byte[] out = new byte[INET_ADDR_LENGTH];
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    private static int prefixLength(byte[] mask) throws NetlinkException {
        int m = ((mask[0] & 0xFF) << 24) | ((mask[1] & 0xFF) << 16) | ((mask[2] & 0xFF) << 8) | (mask[3] & 0xFF);
        int bits = Integer.bitCount(m);
        if (m != (bits == 0 ? 0 : -1 << (32 - bits))) {
            throw NetlinkException.malformed("decode IPVS service", "IPv4 netmask 0x" + Integer.toHexString(m)
                    + " is not a prefix");
        }
        return bits;
    }

    private static NetlinkException malformed(AttributeDecoder d, String detail) {
        return NetlinkException.malformed("decode IPVS attribute", "type " + d.type() + " at offset " + d.offset()
                + ", length " + d.length() + ": " + detail);
    }
}
