package dev.ingresskit.ipvs.genetlink;

/**
 * A Generic Netlink family as the controller describes it.
 *
 * @param id           the netlink message type to use for its requests (assigned at registration)
 * @param name         e.g. {@code "IPVS"}
 * @param version      the family's protocol version ({@code CTRL_ATTR_VERSION})
 * @param headerSize   the family's own header after {@code genlmsghdr} ({@code CTRL_ATTR_HDRSIZE})
 * @param maxAttribute the highest top-level attribute type ({@code CTRL_ATTR_MAXATTR})
 */
public record Family(int id, String name, int version, int headerSize, int maxAttribute) {
}
