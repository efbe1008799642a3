package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.GenetlinkH;
import dev.ingresskit.ipvs.internal.NetlinkH;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Map;

/**
 * A readable dump of an IPVS netlink message: header fields, the generic header, the attribute tree
 * with IPVS names and decoded values, then the hex bytes. For dry runs and debugging; tolerant of
 * malformed input (it says where the bytes stop making sense instead of throwing).
 */
public final class MessageDump {
    private static final String[] COMMANDS = {"UNSPEC", "NEW_SERVICE", "SET_SERVICE", "DEL_SERVICE", "GET_SERVICE",
        "NEW_DEST", "SET_DEST", "DEL_DEST", "GET_DEST", "NEW_DAEMON", "DEL_DAEMON", "GET_DAEMON", "SET_CONFIG",
        "GET_CONFIG", "SET_INFO", "GET_INFO", "ZERO", "FLUSH"};
    private static final String[] CMD_ATTRS = {"UNSPEC", "SERVICE", "DEST", "DAEMON", "TIMEOUT_TCP",
        "TIMEOUT_TCP_FIN", "TIMEOUT_UDP"};
    private static final String[] SVC_ATTRS = {"UNSPEC", "AF", "PROTOCOL", "ADDR", "PORT", "FWMARK", "SCHED_NAME",
        "FLAGS", "TIMEOUT", "NETMASK", "STATS", "PE_NAME", "STATS64"};
    private static final String[] DEST_ATTRS = {"UNSPEC", "ADDR", "PORT", "FWD_METHOD", "WEIGHT", "U_THRESH",
        "L_THRESH", "ACTIVE_CONNS", "INACT_CONNS", "PERSIST_CONNS", "STATS", "ADDR_FAMILY", "STATS64", "TUN_TYPE",
        "TUN_PORT", "TUN_FLAGS"};
    private static final String[] DAEMON_ATTRS = {"UNSPEC", "STATE", "MCAST_IFN", "SYNC_ID", "SYNC_MAXLEN",
        "MCAST_GROUP", "MCAST_GROUP6", "MCAST_PORT", "MCAST_TTL"};
    private static final String[] STATS_ATTRS = {"UNSPEC", "CONNS", "INPKTS", "OUTPKTS", "INBYTES", "OUTBYTES", "CPS",
        "INPPS", "OUTPPS", "INBPS", "OUTBPS", "PAD"};
    /** Attributes holding {@code __be16} values. */
    private static final Map<String, Boolean> BIG_ENDIAN = Map.of("PORT", true, "TUN_PORT", true);

    private MessageDump() {
    }

    /** Dumps every message in {@code bytes} (one datagram may hold several). */
    public static String describe(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at < bytes.length) {
            if (bytes.length - at < NetlinkH.NLMSG_HDRLEN) {
                out.append("!! ").append(bytes.length - at).append(" trailing byte(s), too short for nlmsghdr\n");
                break;
            }
            long len = Integer.toUnsignedLong(b.getInt(at));
            int type = Short.toUnsignedInt(b.getShort(at + 4));
            int flags = Short.toUnsignedInt(b.getShort(at + 6));
            out.append("nlmsghdr len=").append(len).append(" type=0x").append(Integer.toHexString(type))
                    .append(" flags=").append(flagNames(flags)).append(" seq=")
                    .append(Integer.toUnsignedString(b.getInt(at + 8))).append(" pid=")
                    .append(Integer.toUnsignedString(b.getInt(at + 12))).append('\n');
            if (len < NetlinkH.NLMSG_HDRLEN || len > bytes.length - at) {
                out.append("!! nlmsg_len ").append(len).append(" outside ").append(NetlinkH.NLMSG_HDRLEN).append("..")
                        .append(bytes.length - at).append('\n');
                break;
            }
            int end = at + (int) len;
            int p = at + NetlinkH.NLMSG_HDRLEN;
            if (type >= NetlinkH.NLMSG_MIN_TYPE && end - p >= GenetlinkH.GENL_HDRLEN) {
                int cmd = bytes[p] & 0xFF;
                out.append("  genlmsghdr cmd=").append(cmd < COMMANDS.length ? COMMANDS[cmd] : "?").append('(')
                        .append(cmd).append(") version=").append(bytes[p + 1] & 0xFF).append('\n');
                attributes(out, b, p + GenetlinkH.GENL_HDRLEN, end, CMD_ATTRS, "    ");
            }
            out.append("  hex:");
            for (int i = at; i < Math.min(end, bytes.length); i += 16) {
                out.append("\n    ").append(HexFormat.ofDelimiter(" ").formatHex(bytes, i, Math.min(i + 16, end)));
            }
            out.append('\n');
            at += NetlinkH.align((int) len);
        }
        return out.toString();
    }

    private static void attributes(StringBuilder out, ByteBuffer b, int from, int end, String[] names, String indent) {
        int at = from;
        while (at < end) {
            if (end - at < NetlinkH.NLA_HDRLEN) {
                out.append(indent).append("!! ").append(end - at).append(" byte(s) left, too short for nlattr\n");
                return;
            }
            int len = Short.toUnsignedInt(b.getShort(at));
            int raw = Short.toUnsignedInt(b.getShort(at + 2));
            int type = raw & NetlinkH.NLA_TYPE_MASK;
            String name = type < names.length ? names[type] : "type" + type;
            if (len < NetlinkH.NLA_HDRLEN || len > end - at) {
                out.append(indent).append("!! ").append(name).append(" nla_len ").append(len).append(" outside 4..")
                        .append(end - at).append('\n');
                return;
            }
            int value = at + NetlinkH.NLA_HDRLEN;
            int n = len - NetlinkH.NLA_HDRLEN;
            String[] inner = nestedNames(names, name);
            if (inner != null) {
                out.append(indent).append(name).append(" (nested, ").append(n).append(" bytes)\n");
                attributes(out, b, value, value + n, inner, indent + "  ");
            } else {
                out.append(indent).append(name).append(" = ").append(value(b, value, n, name)).append('\n');
            }
            at += NetlinkH.align(len);
        }
    }

    private static String[] nestedNames(String[] names, String name) {
        if (names == CMD_ATTRS) {
            return switch (name) {
                case "SERVICE" -> SVC_ATTRS;
                case "DEST" -> DEST_ATTRS;
                case "DAEMON" -> DAEMON_ATTRS;
                default -> null;
            };
        }
        if ((names == SVC_ATTRS || names == DEST_ATTRS) && name.startsWith("STATS")) {
            return STATS_ATTRS;
        }
        return null;
    }

    private static String value(ByteBuffer b, int at, int n, String name) {
        if (BIG_ENDIAN.containsKey(name) && n == 2) {
            return (((b.get(at) & 0xFF) << 8) | (b.get(at + 1) & 0xFF)) + " (be16)";
        }
        if (name.endsWith("_NAME") || name.equals("MCAST_IFN")) {
            StringBuilder s = new StringBuilder("\"");
            for (int i = 0; i < n && b.get(at + i) != 0; i++) {
                s.append((char) (b.get(at + i) & 0xFF));
            }
            return s.append('"').toString();
        }
        if (name.equals("ADDR") && n == 16) {
            byte[] raw = new byte[16];
            b.get(at, raw);
            boolean v4 = true;
            for (int i = 4; i < 16; i++) {
                v4 &= raw[i] == 0;
            }
            return HexFormat.of().formatHex(raw) + " (" + (v4 ? IpAddresses.fromBytes(raw, 4).getHostAddress() + " if inet, " : "")
                    + IpAddresses.compress(IpAddresses.fromBytes(raw, 16).getHostAddress()) + " if inet6)";
        }
        if (name.equals("NETMASK") && n == 4) {
            return "0x" + HexFormat.of().formatHex(new byte[] {b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)})
                    + " (bytes as sent: a be32 mask for inet, a native u32 prefix length for inet6)";
        }
        if (name.equals("FLAGS") && n == 8) {
            return "flags=" + new ServiceFlags(b.getInt(at)) + " mask=0x" + Integer.toHexString(b.getInt(at + 4));
        }
        return switch (n) {
            case 1 -> Integer.toString(b.get(at) & 0xFF);
            case 2 -> Integer.toString(Short.toUnsignedInt(b.getShort(at)));
            case 4 -> Integer.toUnsignedString(b.getInt(at));
            case 8 -> Long.toUnsignedString(b.getLong(at));
            default -> {
                byte[] raw = new byte[n];
                b.get(at, raw);
                yield "0x" + HexFormat.of().formatHex(raw);
            }
        };
    }

    private static String flagNames(int flags) {
        StringBuilder s = new StringBuilder();
        String[] names = {"REQUEST", "MULTI", "ACK", "ECHO", "DUMP_INTR", "DUMP_FILTERED"};
        int rest = flags;
        for (int i = 0; i < names.length; i++) {
            if ((rest & (1 << i)) != 0) {
                s.append(s.isEmpty() ? "" : "|").append(names[i]);
                rest &= ~(1 << i);
            }
        }
        if ((rest & NetlinkH.NLM_F_DUMP) == NetlinkH.NLM_F_DUMP) {
            s.append(s.isEmpty() ? "" : "|").append("DUMP");
            rest &= ~NetlinkH.NLM_F_DUMP;
        }
        if (rest != 0) {
            s.append(s.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return s.isEmpty() ? "0" : s.toString();
    }
}
