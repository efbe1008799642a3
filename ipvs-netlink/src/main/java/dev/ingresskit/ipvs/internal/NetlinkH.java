package dev.ingresskit.ipvs.internal;

/**
 * Constants transcribed from the Linux uapi header {@code include/uapi/linux/netlink.h}; each field
 * names the C symbol it copies. Not API: the module does not export this package.
 */
public final class NetlinkH {
    private NetlinkH() {
    }

    /** {@code AF_NETLINK} / {@code PF_NETLINK} (include/linux/socket.h). */
    public static final int AF_NETLINK = 16;
    /** {@code NETLINK_GENERIC}. */
    public static final int NETLINK_GENERIC = 16;

    /** {@code sizeof(struct nlmsghdr)}: u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
    public static final int NLMSG_HDRLEN = 16;
    /** {@code NLMSG_ALIGNTO}. */
    public static final int NLMSG_ALIGNTO = 4;
    /** {@code sizeof(struct nlattr)}: u16 nla_len, u16 nla_type. */
    public static final int NLA_HDRLEN = 4;
    /** {@code NLA_ALIGNTO}. */
    public static final int NLA_ALIGNTO = 4;

    /** {@code NLMSG_NOOP}. */
    public static final int NLMSG_NOOP = 0x1;
    /** {@code NLMSG_ERROR}. */
    public static final int NLMSG_ERROR = 0x2;
    /** {@code NLMSG_DONE}. */
    public static final int NLMSG_DONE = 0x3;
    /** {@code NLMSG_OVERRUN}. */
    public static final int NLMSG_OVERRUN = 0x4;
    /** {@code NLMSG_MIN_TYPE}: types below are reserved control messages. */
    public static final int NLMSG_MIN_TYPE = 0x10;

    /** {@code NLM_F_REQUEST}. */
    public static final int NLM_F_REQUEST = 0x01;
    /** {@code NLM_F_MULTI}. */
    public static final int NLM_F_MULTI = 0x02;
    /** {@code NLM_F_ACK}. */
    public static final int NLM_F_ACK = 0x04;
    /** {@code NLM_F_ECHO}. */
    public static final int NLM_F_ECHO = 0x08;
    /** {@code NLM_F_DUMP_INTR}. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** {@code NLM_F_DUMP_FILTERED}. */
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    /** {@code NLM_F_ROOT}. */
    public static final int NLM_F_ROOT = 0x100;
    /** {@code NLM_F_MATCH}. */
    public static final int NLM_F_MATCH = 0x200;
    /** {@code NLM_F_DUMP} = {@code NLM_F_ROOT | NLM_F_MATCH}. */
    public static final int NLM_F_DUMP = 0x300;
    /** {@code NLM_F_REPLACE}. */
    public static final int NLM_F_REPLACE = 0x100;
    /** {@code NLM_F_EXCL}. */
    public static final int NLM_F_EXCL = 0x200;
    /** {@code NLM_F_CREATE}. */
    public static final int NLM_F_CREATE = 0x400;
    /** {@code NLM_F_CAPPED}: in an ACK, the request's payload was left out. */
    public static final int NLM_F_CAPPED = 0x100;
    /** {@code NLM_F_ACK_TLVS}: in an ACK, extended-ACK TLVs follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** {@code SOL_NETLINK} (include/linux/socket.h). */
    public static final int SOL_NETLINK = 270;
    /** {@code NETLINK_CAP_ACK}: do not echo the request's payload in ACKs. */
    public static final int NETLINK_CAP_ACK = 10;
    /** {@code NETLINK_EXT_ACK}: add extended-ACK TLVs (message, offset) to errors. */
    public static final int NETLINK_EXT_ACK = 11;

    /** {@code NLMSGERR_ATTR_MSG}: NUL-terminated error message. */
    public static final int NLMSGERR_ATTR_MSG = 1;
    /** {@code NLMSGERR_ATTR_OFFS}: u32 byte offset of the offending attribute in the request. */
    public static final int NLMSGERR_ATTR_OFFS = 2;
    /** {@code NLMSGERR_ATTR_COOKIE}. */
    public static final int NLMSGERR_ATTR_COOKIE = 3;
    /** {@code NLMSGERR_ATTR_POLICY}. */
    public static final int NLMSGERR_ATTR_POLICY = 4;
    /** {@code NLMSGERR_ATTR_MISS_TYPE}: u32 type of a missing required attribute. */
    public static final int NLMSGERR_ATTR_MISS_TYPE = 5;
    /** {@code NLMSGERR_ATTR_MISS_NEST}: u32 offset of the nest that lacks it. */
    public static final int NLMSGERR_ATTR_MISS_NEST = 6;

    /** {@code NLA_F_NESTED}. */
    public static final int NLA_F_NESTED = 1 << 15;
    /** {@code NLA_F_NET_BYTEORDER}. */
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    /** {@code NLA_TYPE_MASK} = {@code ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)}. */
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF;

    /**
     * {@code NLMSG_ALIGN(len)} / {@code NLA_ALIGN(len)}: {@code ((len) + 3) & ~3}. Both alignments
     * are 4 bytes, so one helper serves messages and attributes.
     */
    public static int align(int length) {
        return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }
}
