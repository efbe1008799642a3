package dev.ingresskit.ipvs.internal;

/**
 * Constants transcribed from the Linux uapi header {@code include/uapi/linux/genetlink.h}; each field
 * names the C symbol it copies. Not API.
 */
public final class GenetlinkH {
    private GenetlinkH() {
    }

    /** {@code GENL_HDRLEN}: {@code NLMSG_ALIGN(sizeof(struct genlmsghdr))} = u8 cmd, u8 version, u16 reserved. */
    public static final int GENL_HDRLEN = 4;
    /** {@code GENL_ID_CTRL} = {@code NLMSG_MIN_TYPE}: the controller family. */
    public static final int GENL_ID_CTRL = 0x10;
    /** {@code CTRL_CMD_NEWFAMILY}: the controller's reply command. */
    public static final int CTRL_CMD_NEWFAMILY = 1;
    /** {@code CTRL_CMD_GETFAMILY}. */
    public static final int CTRL_CMD_GETFAMILY = 3;
    /** Version of the controller protocol we speak (the kernel ignores it; iproute2 sends 1). */
    public static final int CTRL_VERSION = 1;

    /** {@code CTRL_ATTR_FAMILY_ID}: u16. */
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    /** {@code CTRL_ATTR_FAMILY_NAME}: NUL-terminated string. */
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    /** {@code CTRL_ATTR_VERSION}: u32. */
    public static final int CTRL_ATTR_VERSION = 3;
    /** {@code CTRL_ATTR_HDRSIZE}: u32. */
    public static final int CTRL_ATTR_HDRSIZE = 4;
    /** {@code CTRL_ATTR_MAXATTR}: u32. */
    public static final int CTRL_ATTR_MAXATTR = 5;
    /** {@code CTRL_ATTR_OPS}: nested. */
    public static final int CTRL_ATTR_OPS = 6;
    /** {@code CTRL_ATTR_MCAST_GROUPS}: nested. */
    public static final int CTRL_ATTR_MCAST_GROUPS = 7;
}
