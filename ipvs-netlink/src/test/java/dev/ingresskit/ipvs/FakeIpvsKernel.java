package dev.ingresskit.ipvs;

import static dev.ingresskit.ipvs.internal.IpVsH.*;

import dev.ingresskit.ipvs.genetlink.GenericMessage;
import dev.ingresskit.ipvs.internal.Errno;
import dev.ingresskit.ipvs.internal.GenetlinkH;
import dev.ingresskit.ipvs.internal.NetlinkH;
import dev.ingresskit.ipvs.netlink.AttributeDecoder;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.FakeTransport;
import dev.ingresskit.ipvs.netlink.Messages;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.ipvs.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory model of the kernel's IPVS Generic Netlink interface, written from
 * {@code net/netfilter/ipvs/ip_vs_ctl.c}: the same required attributes, the same errnos (EEXIST,
 * ESRCH for services, ENOENT for destinations, EINVAL, ERANGE), destinations inserted at the head
 * of the list, HASHED added to flags, dumps split over datagrams and ended by NLMSG_DONE, every
 * message of a batch answered on its own. It encodes replies by hand the way the kernel's fill
 * functions do, independently of the client's codec. The VM tests prove the same paths on the
 * real kernel.
 */
final class FakeIpvsKernel implements FakeTransport.Kernel {
    static final int FAMILY_ID = 0x22;
    static final long BIG_COUNTER = (1L << 33) + 5; // needs 64 bits
    private static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed",
            "nq", "fo", "ovf", "mh");

    static final class Svc {
        int af;
        int protocol;
        byte[] addr = new byte[16];
        int port;
        int fwmark;
        String sched;
        String pe;
        int flags;
        int timeout;
        byte[] netmask;
        final List<Dst> dests = new ArrayList<>();
    }

    static final class Dst {
        byte[] addr = new byte[16];
        int port;
        int af;
        int fwd;
        int weight;
        int upper;
        int lower;
        int tunType;
        int tunPort;
        int tunFlags;
    }

    final Map<String, Svc> services = new LinkedHashMap<>();
    final Map<Integer, Integer> commandCounts = new HashMap<>();
    final Map<Integer, String[]> daemons = new LinkedHashMap<>();
    int maxDatagram = 700;
    boolean loaded = true;
    boolean permitted = true;
    /** Fails the n-th (1-based) command of this type once, with this errno: {cmd, n, errno}. */
    int[] injectFailure;
    private int tcp = 900;
    private int tcpFin = 120;
    private int udp = 300;

    int count(int command) {
        return commandCounts.getOrDefault(command, 0);
    }

    @Override
    public List<ByteBuffer> handle(ByteBuffer datagram) throws NetlinkException {
        List<ByteBuffer> out = new ArrayList<>();
        for (NetlinkMessage m : Messages.decode(datagram)) {
            try {
                handleOne(m, out);
            } catch (KernelError e) {
                byte[] header = new byte[16];
                ByteBuffer.wrap(header).order(ByteOrder.nativeOrder()).putInt(m.payloadLength() + 16)
                        .putShort((short) m.type()).putShort((short) m.flags()).putInt(m.sequence()).putInt(0);
                byte[] tlvs = new AttributeEncoder().string(NetlinkH.NLMSGERR_ATTR_MSG, e.getMessage()).toByteArray();
                out.add(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_ERROR,
                        NetlinkH.NLM_F_CAPPED | NetlinkH.NLM_F_ACK_TLVS, m.sequence(),
                        FakeTransport.errorPayload(-e.errno, header, tlvs))));
            }
        }
        return out;
    }

    private static final class KernelError extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        KernelError(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }

    private void handleOne(NetlinkMessage m, List<ByteBuffer> out) throws NetlinkException, KernelError {
        GenericMessage g = GenericMessage.decode(m);
        boolean dump = (m.flags() & NetlinkH.NLM_F_DUMP) == NetlinkH.NLM_F_DUMP;
        List<byte[]> replies = new ArrayList<>();
        if (m.type() == GenetlinkH.GENL_ID_CTRL) {
            String name = null;
            AttributeDecoder d = g.decoder("ctrl");
            while (d.next()) {
                if (d.type() == GenetlinkH.CTRL_ATTR_FAMILY_NAME) {
                    name = d.string();
                }
            }
            if (!loaded || !IPVS_GENL_NAME.equals(name)) {
                throw new KernelError(Errno.ENOENT, "Unknown family");
            }
            AttributeEncoder e = new AttributeEncoder().u16(GenetlinkH.CTRL_ATTR_FAMILY_ID, FAMILY_ID)
                    .string(GenetlinkH.CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME).u32(GenetlinkH.CTRL_ATTR_VERSION, 1)
                    .u32(GenetlinkH.CTRL_ATTR_HDRSIZE, 0).u32(GenetlinkH.CTRL_ATTR_MAXATTR, 6);
            replies.add(GenericMessage.payload(GenetlinkH.CTRL_CMD_NEWFAMILY, 2, e.toByteArray()));
        } else if (m.type() == FAMILY_ID) {
            if (!permitted) {
                throw new KernelError(Errno.EPERM, "Operation not permitted");
            }
            int cmd = g.command();
            int n = commandCounts.merge(cmd, 1, Integer::sum);
            if (injectFailure != null && injectFailure[0] == cmd && injectFailure[1] == n) {
                throw new KernelError(injectFailure[2], "injected failure");
            }
            command(cmd, g, dump, replies);
        } else {
            throw new KernelError(Errno.EOPNOTSUPP, "unknown type");
        }
        if (dump) {
            int flags = NetlinkH.NLM_F_MULTI;
            ByteBuffer current = ByteBuffer.allocate(65536);
            for (byte[] r : replies) {
                byte[] msg = Messages.encode(m.type(), flags, m.sequence(), 4242, r);
                if (current.position() > 0 && current.position() + msg.length > maxDatagram) {
                    out.add(ByteBuffer.wrap(java.util.Arrays.copyOf(current.array(), current.position())));
                    current.clear();
                }
                current.put(msg);
            }
            if (current.position() > 0) {
                out.add(ByteBuffer.wrap(java.util.Arrays.copyOf(current.array(), current.position())));
            }
            out.add(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_DONE, flags, m.sequence(), new byte[4])));
            return;
        }
        for (byte[] r : replies) {
            out.add(ByteBuffer.wrap(FakeTransport.message(m.type(), 0, m.sequence(), r)));
        }
        if ((m.flags() & NetlinkH.NLM_F_ACK) != 0) {
            byte[] header = new byte[16];
            out.add(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_ERROR, NetlinkH.NLM_F_CAPPED, m.sequence(),
                    FakeTransport.errorPayload(0, header, new byte[0]))));
        }
    }

    private void command(int cmd, GenericMessage g, boolean dump, List<byte[]> replies)
            throws NetlinkException, KernelError {
        Map<Integer, AttributeDecoder> top = new HashMap<>();
        Map<Integer, Integer> topU32 = new HashMap<>();
        AttributeDecoder d = g.decoder("request");
        while (d.next()) {
            if (d.length() == 4) {
                topU32.put(d.type(), d.u32());
            }
            top.put(d.type(), d.nested("nest"));
        }
        switch (cmd) {
            case IPVS_CMD_GET_INFO -> replies.add(GenericMessage.payload(IPVS_CMD_SET_INFO, 1, new AttributeEncoder()
                    .u32(IPVS_INFO_ATTR_VERSION, 0x010201).u32(IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096).toByteArray()));
            case IPVS_CMD_GET_CONFIG -> replies.add(GenericMessage.payload(IPVS_CMD_SET_CONFIG, 1, new AttributeEncoder()
                    .u32(IPVS_CMD_ATTR_TIMEOUT_TCP, tcp).u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, tcpFin)
                    .u32(IPVS_CMD_ATTR_TIMEOUT_UDP, udp).toByteArray()));
            case IPVS_CMD_SET_CONFIG -> {
                tcp = topU32.getOrDefault(IPVS_CMD_ATTR_TIMEOUT_TCP, 0) != 0 ? topU32.get(IPVS_CMD_ATTR_TIMEOUT_TCP) : tcp;
                tcpFin = topU32.getOrDefault(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 0) != 0
                        ? topU32.get(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN) : tcpFin;
                udp = topU32.getOrDefault(IPVS_CMD_ATTR_TIMEOUT_UDP, 0) != 0 ? topU32.get(IPVS_CMD_ATTR_TIMEOUT_UDP) : udp;
            }
            case IPVS_CMD_FLUSH -> services.clear();
            case IPVS_CMD_ZERO -> {
                if (top.containsKey(IPVS_CMD_ATTR_SERVICE) && find(parseService(top.get(IPVS_CMD_ATTR_SERVICE))) == null) {
                    throw new KernelError(Errno.ESRCH, "no such service");
                }
            }
            case IPVS_CMD_GET_SERVICE -> {
                if (dump) {
                    for (Svc s : services.values()) {
                        replies.add(GenericMessage.payload(IPVS_CMD_NEW_SERVICE, 1, fillService(s)));
                    }
                } else {
                    Svc s = find(parseService(top.get(IPVS_CMD_ATTR_SERVICE)));
                    if (s == null) {
                        throw new KernelError(Errno.ESRCH, "no such service");
                    }
                    replies.add(GenericMessage.payload(IPVS_CMD_NEW_SERVICE, 1, fillService(s)));
                }
            }
            case IPVS_CMD_NEW_SERVICE, IPVS_CMD_SET_SERVICE, IPVS_CMD_DEL_SERVICE -> {
                Svc req = parseService(top.get(IPVS_CMD_ATTR_SERVICE));
                Svc existing = find(req);
                if (cmd == IPVS_CMD_DEL_SERVICE) {
                    if (existing == null) {
                        throw new KernelError(Errno.ESRCH, "no such service");
                    }
                    services.remove(key(existing));
                    return;
                }
                if (req.sched == null || req.netmask == null || req.timeout < 0) {
                    throw new KernelError(Errno.EINVAL, "missing service attributes");
                }
                if (!SCHEDULERS.contains(req.sched)) {
                    throw new KernelError(Errno.ENOENT, "Scheduler not found");
                }
                if (req.af == AF_INET6) {
                    int bits = ByteBuffer.wrap(req.netmask).order(ByteOrder.nativeOrder()).getInt();
                    if (bits < 1 || bits > 128) {
                        throw new KernelError(Errno.EINVAL, "bad IPv6 prefix");
                    }
                }
                if (cmd == IPVS_CMD_NEW_SERVICE) {
                    if (existing != null) {
                        throw new KernelError(Errno.EEXIST, "Service exists");
                    }
                    services.put(key(req), req);
                } else {
                    if (existing == null) {
                        throw new KernelError(Errno.ESRCH, "no such service");
                    }
                    existing.sched = req.sched;
                    existing.pe = req.pe;
                    existing.flags = req.flags;
                    existing.timeout = req.timeout;
                    existing.netmask = req.netmask;
                }
            }
            case IPVS_CMD_GET_DEST -> {
                Svc s = find(parseService(top.get(IPVS_CMD_ATTR_SERVICE)));
                if (s != null) {
                    for (Dst t : s.dests) {
                        replies.add(GenericMessage.payload(IPVS_CMD_NEW_DEST, 1, fillDest(t)));
                    }
                }
            }
            case IPVS_CMD_NEW_DEST, IPVS_CMD_SET_DEST, IPVS_CMD_DEL_DEST -> {
                Svc s = find(parseService(top.get(IPVS_CMD_ATTR_SERVICE)));
                if (s == null) {
                    throw new KernelError(Errno.ESRCH, "no such service");
                }
                Dst req = parseDest(top.get(IPVS_CMD_ATTR_DEST), cmd != IPVS_CMD_DEL_DEST, s.af);
                Dst existing = null;
                for (Dst t : s.dests) {
                    if (java.util.Arrays.equals(t.addr, req.addr) && t.port == req.port && t.af == req.af) {
                        existing = t;
                    }
                }
                if (cmd == IPVS_CMD_DEL_DEST) {
                    if (existing == null) {
                        throw new KernelError(Errno.ENOENT, "no such destination");
                    }
                    s.dests.remove(existing);
                    return;
                }
                if (req.af != s.af && req.fwd != IP_VS_CONN_F_TUNNEL) {
                    throw new KernelError(Errno.EINVAL, "mixed family needs tunnel");
                }
                if (req.fwd == IP_VS_CONN_F_TUNNEL && req.tunType == IP_VS_CONN_F_TUNNEL_TYPE_GUE && req.tunPort == 0) {
                    throw new KernelError(Errno.EINVAL, "GUE needs a port");
                }
                if (req.weight < 0 || (req.upper != 0 && req.lower > req.upper)) {
                    throw new KernelError(Errno.ERANGE, "range");
                }
                if (cmd == IPVS_CMD_NEW_DEST) {
                    if (existing != null) {
                        throw new KernelError(Errno.EEXIST, "dest exists");
                    }
                    s.dests.addFirst(req); // list_add_rcu: newest first
                } else {
                    if (existing == null) {
                        throw new KernelError(Errno.ENOENT, "no such destination");
                    }
                    s.dests.set(s.dests.indexOf(existing), req);
                }
            }
            case IPVS_CMD_NEW_DAEMON, IPVS_CMD_DEL_DAEMON -> {
                AttributeDecoder n = top.get(IPVS_CMD_ATTR_DAEMON);
                if (n == null) {
                    throw new KernelError(Errno.EINVAL, "no daemon");
                }
                Integer state = null;
                String ifn = null;
                Integer id = null;
                while (n.next()) {
                    switch (n.type()) {
                        case IPVS_DAEMON_ATTR_STATE -> state = n.u32();
                        case IPVS_DAEMON_ATTR_MCAST_IFN -> ifn = n.string();
                        case IPVS_DAEMON_ATTR_SYNC_ID -> id = n.u32();
                        default -> { }
                    }
                }
                if (state == null || (cmd == IPVS_CMD_NEW_DAEMON && (ifn == null || id == null))) {
                    throw new KernelError(Errno.EINVAL, "daemon attributes missing");
                }
                if (cmd == IPVS_CMD_NEW_DAEMON) {
                    if (daemons.containsKey(state)) {
                        throw new KernelError(Errno.EEXIST, "daemon running");
                    }
                    daemons.put(state, new String[] {ifn, Integer.toString(id)});
                } else if (daemons.remove(state) == null) {
                    throw new KernelError(Errno.ESRCH, "no daemon");
                }
            }
            case IPVS_CMD_GET_DAEMON -> {
                for (Map.Entry<Integer, String[]> e : daemons.entrySet()) {
                    replies.add(GenericMessage.payload(IPVS_CMD_NEW_DAEMON, 1, new AttributeEncoder()
                            .nested(IPVS_CMD_ATTR_DAEMON, x -> x.u32(IPVS_DAEMON_ATTR_STATE, e.getKey())
                                    .string(IPVS_DAEMON_ATTR_MCAST_IFN, e.getValue()[0])
                                    .u32(IPVS_DAEMON_ATTR_SYNC_ID, Integer.parseInt(e.getValue()[1])))
                            .toByteArray()));
                }
            }
            default -> throw new KernelError(Errno.EOPNOTSUPP, "unsupported command " + cmd);
        }
    }

    private Svc parseService(AttributeDecoder n) throws NetlinkException, KernelError {
        if (n == null) {
            throw new KernelError(Errno.EINVAL, "no service attribute");
        }
        Svc s = new Svc();
        boolean hasAf = false;
        boolean hasProto = false;
        boolean hasAddr = false;
        boolean hasPort = false;
        s.timeout = -1;
        int mask = 0;
        while (n.next()) {
            switch (n.type()) {
                case IPVS_SVC_ATTR_AF -> { s.af = n.u16(); hasAf = true; }
                case IPVS_SVC_ATTR_PROTOCOL -> { s.protocol = n.u16(); hasProto = true; }
                case IPVS_SVC_ATTR_ADDR -> {
                    byte[] b = n.bytes();
                    System.arraycopy(b, 0, s.addr, 0, Math.min(16, b.length));
                    hasAddr = true;
                }
                case IPVS_SVC_ATTR_PORT -> { s.port = n.u16be(); hasPort = true; }
                case IPVS_SVC_ATTR_FWMARK -> s.fwmark = n.u32();
                case IPVS_SVC_ATTR_SCHED_NAME -> s.sched = n.string();
                case IPVS_SVC_ATTR_PE_NAME -> s.pe = n.string();
                case IPVS_SVC_ATTR_FLAGS -> {
                    ByteBuffer f = n.value();
                    s.flags = f.getInt(0);
                    mask = f.getInt(4);
                }
                case IPVS_SVC_ATTR_TIMEOUT -> s.timeout = n.u32();
                case IPVS_SVC_ATTR_NETMASK -> s.netmask = n.bytes();
                default -> { }
            }
        }
        if (!hasAf || (s.fwmark == 0 && !(hasProto && hasAddr && hasPort))) {
            throw new KernelError(Errno.EINVAL, "service identity incomplete");
        }
        if (s.af != AF_INET && s.af != AF_INET6) {
            throw new KernelError(Errno.EAFNOSUPPORT, "bad af");
        }
        s.flags = (s.flags & mask) | IP_VS_SVC_F_HASHED;
        return s;
    }

    private static Dst parseDest(AttributeDecoder n, boolean full, int serviceAf) throws NetlinkException, KernelError {
        if (n == null) {
            throw new KernelError(Errno.EINVAL, "no dest attribute");
        }
        Dst t = new Dst();
        t.af = serviceAf;
        boolean hasAddr = false;
        boolean hasPort = false;
        int fields = 0;
        while (n.next()) {
            switch (n.type()) {
                case IPVS_DEST_ATTR_ADDR -> {
                    byte[] b = n.bytes();
                    System.arraycopy(b, 0, t.addr, 0, Math.min(16, b.length));
                    hasAddr = true;
                }
                case IPVS_DEST_ATTR_PORT -> { t.port = n.u16be(); hasPort = true; }
                case IPVS_DEST_ATTR_ADDR_FAMILY -> t.af = n.u16();
                case IPVS_DEST_ATTR_FWD_METHOD -> { t.fwd = n.u32() & IP_VS_CONN_F_FWD_MASK; fields++; }
                case IPVS_DEST_ATTR_WEIGHT -> { t.weight = n.u32(); fields++; }
                case IPVS_DEST_ATTR_U_THRESH -> { t.upper = n.u32(); fields++; }
                case IPVS_DEST_ATTR_L_THRESH -> { t.lower = n.u32(); fields++; }
                case IPVS_DEST_ATTR_TUN_TYPE -> t.tunType = n.u8();
                case IPVS_DEST_ATTR_TUN_PORT -> t.tunPort = n.u16be();
                case IPVS_DEST_ATTR_TUN_FLAGS -> t.tunFlags = n.u16();
                default -> { }
            }
        }
        if (!hasAddr || !hasPort || (full && fields != 4)) {
            throw new KernelError(Errno.EINVAL, "destination attributes missing");
        }
        return t;
    }

    private static String key(Svc s) {
        return s.fwmark != 0 ? s.af + "/fwm/" + s.fwmark
                : s.af + "/" + s.protocol + "/" + HexFormat.of().formatHex(s.addr) + "/" + s.port;
    }

    private Svc find(Svc probe) {
        return services.get(key(probe));
    }

    private static byte[] fillService(Svc s) {
        AttributeEncoder e = new AttributeEncoder();
        int nest = e.beginNested(IPVS_CMD_ATTR_SERVICE);
        e.u16(IPVS_SVC_ATTR_AF, s.af);
        if (s.fwmark != 0) {
            e.u32(IPVS_SVC_ATTR_FWMARK, s.fwmark);
        } else {
            e.u16(IPVS_SVC_ATTR_PROTOCOL, s.protocol).bytes(IPVS_SVC_ATTR_ADDR, s.addr).u16be(IPVS_SVC_ATTR_PORT, s.port);
        }
        e.string(IPVS_SVC_ATTR_SCHED_NAME, s.sched);
        if (s.pe != null) {
            e.string(IPVS_SVC_ATTR_PE_NAME, s.pe);
        }
        byte[] flags = new byte[8];
        ByteBuffer.wrap(flags).order(ByteOrder.nativeOrder()).putInt(s.flags).putInt(-1);
        e.bytes(IPVS_SVC_ATTR_FLAGS, flags).u32(IPVS_SVC_ATTR_TIMEOUT, s.timeout).bytes(IPVS_SVC_ATTR_NETMASK, s.netmask);
        stats(e, IPVS_SVC_ATTR_STATS, IPVS_SVC_ATTR_STATS64);
        e.u32(99, 1); // an attribute from a future kernel: must be skipped
        e.endNested(nest);
        return e.toByteArray();
    }

    private static byte[] fillDest(Dst t) {
        AttributeEncoder e = new AttributeEncoder();
        int nest = e.beginNested(IPVS_CMD_ATTR_DEST);
        e.bytes(IPVS_DEST_ATTR_ADDR, t.addr).u16be(IPVS_DEST_ATTR_PORT, t.port).u32(IPVS_DEST_ATTR_FWD_METHOD, t.fwd)
                .u32(IPVS_DEST_ATTR_WEIGHT, t.weight).u32(IPVS_DEST_ATTR_U_THRESH, t.upper)
                .u32(IPVS_DEST_ATTR_L_THRESH, t.lower).u32(IPVS_DEST_ATTR_ACTIVE_CONNS, 0xFFFFFFFF)
                .u32(IPVS_DEST_ATTR_INACT_CONNS, 2).u32(IPVS_DEST_ATTR_PERSIST_CONNS, 3);
        stats(e, IPVS_DEST_ATTR_STATS, -1);
        e.u16(IPVS_DEST_ATTR_ADDR_FAMILY, t.af);
        stats(e, -1, IPVS_DEST_ATTR_STATS64);
        e.u8(IPVS_DEST_ATTR_TUN_TYPE, t.tunType).u16be(IPVS_DEST_ATTR_TUN_PORT, t.tunPort)
                .u16(IPVS_DEST_ATTR_TUN_FLAGS, t.tunFlags);
        e.endNested(nest);
        return e.toByteArray();
    }

    /** Old 32-bit stats (truncated counters) and 64-bit stats with a PAD, as the kernel sends. */
    private static void stats(AttributeEncoder e, int old, int wide) {
        if (old >= 0) {
            e.nested(old, n -> {
                n.u32(IPVS_STATS_ATTR_CONNS, (int) BIG_COUNTER).u32(IPVS_STATS_ATTR_INPKTS, 10)
                        .u32(IPVS_STATS_ATTR_OUTPKTS, 11).u64(IPVS_STATS_ATTR_INBYTES, 1000)
                        .u64(IPVS_STATS_ATTR_OUTBYTES, 1100);
                for (int t = IPVS_STATS_ATTR_CPS; t <= IPVS_STATS_ATTR_OUTBPS; t++) {
                    n.u32(t, t);
                }
            });
        }
        if (wide >= 0) {
            e.nested(wide, n -> {
                n.u64(IPVS_STATS_ATTR_CONNS, BIG_COUNTER).flag(IPVS_STATS_ATTR_PAD).u64(IPVS_STATS_ATTR_INPKTS, 10)
                        .u64(IPVS_STATS_ATTR_OUTPKTS, 11).u64(IPVS_STATS_ATTR_INBYTES, 1000)
                        .u64(IPVS_STATS_ATTR_OUTBYTES, 1100);
                for (int t = IPVS_STATS_ATTR_CPS; t <= IPVS_STATS_ATTR_OUTBPS; t++) {
                    n.u64(t, t);
                }
            });
        }
    }
}
