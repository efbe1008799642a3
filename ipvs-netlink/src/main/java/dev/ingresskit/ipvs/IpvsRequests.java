package dev.ingresskit.ipvs;

import static dev.ingresskit.ipvs.internal.IpVsH.*;

import dev.ingresskit.ipvs.genetlink.Family;
import dev.ingresskit.ipvs.genetlink.GenericMessage;
import dev.ingresskit.ipvs.internal.NetlinkH;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.Messages;
import dev.ingresskit.ipvs.netlink.NetlinkRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds every IPVS request the client sends, and encodes it to the exact bytes that go on the wire
 * — without a socket, for dry runs and tests. {@link IpvsClient} uses the same methods, so what a
 * dry run shows is what would be sent (only the sequence number differs: the connection assigns
 * its own). The family id is assigned by the kernel at module load; without a kernel any id
 * works for display ({@link #DRY_RUN_FAMILY_ID}).
 *
 * <p>Immutable and thread-safe.
 */
public final class IpvsRequests {
    /** A stand-in family id for dry runs on machines without IPVS. */
    public static final int DRY_RUN_FAMILY_ID = 0xFFFF;

    private final Family family;

    public IpvsRequests(Family family) {
        this.family = Objects.requireNonNull(family, "family");
    }

    /** Requests for a family id not looked up from a kernel (dry runs). */
    public static IpvsRequests dryRun() {
        return new IpvsRequests(new Family(DRY_RUN_FAMILY_ID, IPVS_GENL_NAME, IPVS_GENL_VERSION, 0, 0));
    }

    public Family family() {
        return family;
    }

    public NetlinkRequest createService(Service s) {
        return request(IPVS_CMD_NEW_SERVICE, "create service " + s.key(), e -> IpvsCodec.service(e, s, true));
    }

    public NetlinkRequest updateService(Service s) {
        return request(IPVS_CMD_SET_SERVICE, "update service " + s.key(), e -> IpvsCodec.service(e, s, true));
    }

    public NetlinkRequest deleteService(ServiceKey k) {
        return request(IPVS_CMD_DEL_SERVICE, "delete service " + k, e -> IpvsCodec.serviceKeyNested(e, k));
    }

    /** {@code IPVS_CMD_GET_SERVICE} for one service (not a dump). */
    public NetlinkRequest getService(ServiceKey k) {
        return request(IPVS_CMD_GET_SERVICE, "get service " + k, e -> IpvsCodec.serviceKeyNested(e, k));
    }

    public NetlinkRequest createDestination(ServiceKey s, Destination d) {
        return request(IPVS_CMD_NEW_DEST, "create destination " + d.key() + " of " + s, e -> {
            IpvsCodec.serviceKeyNested(e, s);
            IpvsCodec.destination(e, d, true);
        });
    }

    public NetlinkRequest updateDestination(ServiceKey s, Destination d) {
        return request(IPVS_CMD_SET_DEST, "update destination " + d.key() + " of " + s, e -> {
            IpvsCodec.serviceKeyNested(e, s);
            IpvsCodec.destination(e, d, true);
        });
    }

    public NetlinkRequest deleteDestination(ServiceKey s, DestinationKey d) {
        return request(IPVS_CMD_DEL_DEST, "delete destination " + d + " of " + s, e -> {
            IpvsCodec.serviceKeyNested(e, s);
            IpvsCodec.destinationKeyNested(e, d);
        });
    }

    /** {@code IPVS_CMD_FLUSH}: delete every service. */
    public NetlinkRequest flush() {
        return request(IPVS_CMD_FLUSH, "flush", e -> { });
    }

    /** {@code IPVS_CMD_ZERO} for one service, or for all when {@code k} is {@code null}. */
    public NetlinkRequest zero(ServiceKey k) {
        return request(IPVS_CMD_ZERO, k == null ? "zero all counters" : "zero counters of " + k, e -> {
            if (k != null) {
                IpvsCodec.serviceKeyNested(e, k);
            }
        });
    }

    public NetlinkRequest setConfig(Config c) {
        return request(IPVS_CMD_SET_CONFIG, "set config", e -> {
            e.u32(IPVS_CMD_ATTR_TIMEOUT_TCP, c.tcpSeconds());
            e.u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, c.tcpFinSeconds());
            e.u32(IPVS_CMD_ATTR_TIMEOUT_UDP, c.udpSeconds());
        });
    }

    public NetlinkRequest startSyncDaemon(SyncDaemon d) {
        return request(IPVS_CMD_NEW_DAEMON, "start sync daemon " + d.state(), e -> {
            int nest = e.beginNested(IPVS_CMD_ATTR_DAEMON);
            e.u32(IPVS_DAEMON_ATTR_STATE, d.state().value());
            e.string(IPVS_DAEMON_ATTR_MCAST_IFN, d.interfaceName());
            e.u32(IPVS_DAEMON_ATTR_SYNC_ID, d.syncId());
            e.endNested(nest);
        });
    }

    public NetlinkRequest stopSyncDaemon(SyncDaemon.State state) {
        return request(IPVS_CMD_DEL_DAEMON, "stop sync daemon " + state, e -> {
            int nest = e.beginNested(IPVS_CMD_ATTR_DAEMON);
            e.u32(IPVS_DAEMON_ATTR_STATE, state.value());
            e.endNested(nest);
        });
    }

    /** {@code IPVS_CMD_GET_INFO}, {@code _GET_CONFIG}: commands without attributes. */
    NetlinkRequest simple(int command, String operation) {
        return request(command, operation, e -> { });
    }

    /** The request that carries out {@code change}. */
    public NetlinkRequest forChange(Change change) {
        return switch (change.kind()) {
            case CREATE_SERVICE -> createService(change.service());
            case UPDATE_SERVICE -> updateService(change.service());
            case DELETE_SERVICE -> deleteService(change.service().key());
            case CREATE_DESTINATION -> createDestination(change.service().key(), change.destination());
            case UPDATE_DESTINATION -> updateDestination(change.service().key(), change.destination());
            case DELETE_DESTINATION -> deleteDestination(change.service().key(), change.destination().key());
        };
    }

    /**
     * The bytes of {@code request} as {@link dev.ingresskit.ipvs.netlink.NetlinkConnection} sends it
     * with sequence number {@code sequence}: flags {@code NLM_F_REQUEST | NLM_F_ACK}, port id 0
     * (the kernel's own address), the whole message padded to 4 bytes.
     */
    public static byte[] encode(NetlinkRequest request, int sequence) {
        return Messages.encode(request.type(), NetlinkH.NLM_F_REQUEST | NetlinkH.NLM_F_ACK | request.flags(),
                sequence, 0, request.payload());
    }

    /** One encoded request of a dry run. */
    public record EncodedRequest(Change change, NetlinkRequest request, int sequence, byte[] bytes) {
        /** A readable dump of {@link #bytes()}: header, generic header, attribute tree, hex. */
        public String describe() {
            return MessageDump.describe(bytes);
        }
    }

    /** Every request of {@code plan}, encoded with sequence numbers from {@code firstSequence}. */
    public List<EncodedRequest> encode(Plan plan, int firstSequence) {
        List<EncodedRequest> out = new ArrayList<>(plan.size());
        int seq = firstSequence;
        for (Change c : plan.changes()) {
            NetlinkRequest r = forChange(c);
            out.add(new EncodedRequest(c, r, seq, encode(r, seq)));
            seq++;
        }
        return out;
    }

    private NetlinkRequest request(int command, String operation,
            java.util.function.Consumer<AttributeEncoder> attributes) {
        AttributeEncoder e = new AttributeEncoder(128);
        attributes.accept(e);
        return new NetlinkRequest(family.id(), 0, GenericMessage.payload(command, family.version(), e.toByteArray()),
                "IPVS " + operation);
    }
}
