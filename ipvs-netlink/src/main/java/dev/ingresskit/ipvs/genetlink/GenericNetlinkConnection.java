package dev.ingresskit.ipvs.genetlink;

import dev.ingresskit.ipvs.internal.GenetlinkH;
import dev.ingresskit.ipvs.internal.NetlinkH;
import dev.ingresskit.ipvs.netlink.AttributeDecoder;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.NetlinkConnection;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.ipvs.netlink.NetlinkMessage;
import dev.ingresskit.ipvs.netlink.NetlinkRequest;
import dev.ingresskit.ipvs.netlink.NetlinkResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generic Netlink over a {@link NetlinkConnection}: resolves families by name through the
 * controller ({@code CTRL_CMD_GETFAMILY}) and caches them for the life of the connection, and adds
 * the {@code genlmsghdr} to requests and strips it from replies.
 *
 * <p>Thread-safe as the connection below it is; {@link #close()} closes that connection.
 */
public final class GenericNetlinkConnection implements AutoCloseable {
    private final NetlinkConnection netlink;
    private final Map<String, Family> families = new ConcurrentHashMap<>();

    public GenericNetlinkConnection(NetlinkConnection netlink) {
        this.netlink = Objects.requireNonNull(netlink, "netlink");
    }

    /** A {@code NETLINK_GENERIC} socket in the caller's network namespace. */
    public static GenericNetlinkConnection open() throws NetlinkException {
        return new GenericNetlinkConnection(NetlinkConnection.open(NetlinkH.NETLINK_GENERIC));
    }

    /** A {@code NETLINK_GENERIC} socket in the network namespace of file {@code networkNamespace}. */
    public static GenericNetlinkConnection open(Path networkNamespace) throws NetlinkException {
        return new GenericNetlinkConnection(NetlinkConnection.open(NetlinkH.NETLINK_GENERIC, networkNamespace));
    }

    /** The connection underneath. */
    public NetlinkConnection netlink() {
        return netlink;
    }

    /**
     * The family called {@code name}; asks the kernel once per connection. A family the kernel does
     * not have (module not loaded) fails with {@code ENOENT} ({@link NetlinkException#isNotFound()}).
     */
    public Family family(String name) throws NetlinkException {
        Family known = families.get(name);
        if (known != null) {
            return known;
        }
        byte[] attributes = new AttributeEncoder(32).string(GenetlinkH.CTRL_ATTR_FAMILY_NAME, name).toByteArray();
        List<NetlinkMessage> replies = netlink.request(GenetlinkH.GENL_ID_CTRL, 0,
                GenericMessage.payload(GenetlinkH.CTRL_CMD_GETFAMILY, GenetlinkH.CTRL_VERSION, attributes),
                "genetlink family " + name);
        for (NetlinkMessage reply : replies) {
            Family family = parseFamily(GenericMessage.decode(reply));
            if (family.name().equals(name)) {
                families.put(name, family);
                return family;
            }
        }
        throw NetlinkException.malformed("genetlink family " + name, "the controller's reply names no such family");
    }

    static Family parseFamily(GenericMessage message) throws NetlinkException {
        int id = -1;
        String name = null;
        int version = 0;
        int headerSize = 0;
        int maxAttribute = 0;
        AttributeDecoder d = message.decoder("genetlink family");
        while (d.next()) {
            switch (d.type()) {
                case GenetlinkH.CTRL_ATTR_FAMILY_ID -> id = d.u16();
                case GenetlinkH.CTRL_ATTR_FAMILY_NAME -> name = d.string();
                case GenetlinkH.CTRL_ATTR_VERSION -> version = d.u32();
                case GenetlinkH.CTRL_ATTR_HDRSIZE -> headerSize = d.u32();
                case GenetlinkH.CTRL_ATTR_MAXATTR -> maxAttribute = d.u32();
                default -> { }
            }
        }
        if (id < 0 || name == null) {
            throw NetlinkException.malformed("genetlink family", "controller reply lacks "
                    + (id < 0 ? "CTRL_ATTR_FAMILY_ID" : "CTRL_ATTR_FAMILY_NAME"));
        }
        return new Family(id, name, version, headerSize, maxAttribute);
    }

    /** The netlink request for command {@code command} of {@code family} with {@code attributes}. */
    public static NetlinkRequest request(Family family, int command, byte[] attributes, int flags, String operation) {
        return new NetlinkRequest(family.id(), flags, GenericMessage.payload(command, family.version(), attributes),
                operation);
    }

    /** One request with an ACK; returns the replies before the ACK. */
    public List<GenericMessage> execute(NetlinkRequest request) throws NetlinkException {
        return decodeAll(netlink.request(request.type(), request.flags(), request.payload(), request.operation()));
    }

    /** A dump of {@code command}; returns every multipart reply. */
    public List<GenericMessage> dump(Family family, int command, byte[] attributes, String operation)
            throws NetlinkException {
        return decodeAll(netlink.dump(family.id(), GenericMessage.payload(command, family.version(), attributes),
                operation));
    }

    /** Many requests, pipelined; see {@link NetlinkConnection#batch}. */
    public List<NetlinkResult> batch(List<NetlinkRequest> requests) throws NetlinkException {
        return netlink.batch(requests);
    }

    private static List<GenericMessage> decodeAll(List<NetlinkMessage> messages) throws NetlinkException {
        List<GenericMessage> out = new ArrayList<>(messages.size());
        for (NetlinkMessage m : messages) {
            out.add(GenericMessage.decode(m));
        }
        return out;
    }

    @Override
    public void close() {
        netlink.close();
    }
}
