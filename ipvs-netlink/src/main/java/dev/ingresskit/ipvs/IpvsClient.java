package dev.ingresskit.ipvs;

import static dev.ingresskit.ipvs.internal.IpVsH.*;

import dev.ingresskit.ipvs.genetlink.Family;
import dev.ingresskit.ipvs.genetlink.GenericMessage;
import dev.ingresskit.ipvs.genetlink.GenericNetlinkConnection;
import dev.ingresskit.ipvs.netlink.AttributeDecoder;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.ipvs.netlink.NetlinkRequest;
import dev.ingresskit.ipvs.netlink.NetlinkResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Linux kernel's IPVS over Generic Netlink family {@code "IPVS"} — what {@code ipvsadm} does,
 * as a typed Java API, plus {@link #plan}/{@link #apply} to converge on a desired state.
 *
 * <p>Every call is one or a few netlink round trips; failures are {@link NetlinkException}s with
 * the errno and the kernel's message ({@link NetlinkException#isExists()},
 * {@link NetlinkException#isNotFound()}, {@link NetlinkException#isPermissionDenied()}). Most calls
 * need CAP_NET_ADMIN.
 *
 * <p><b>Thread-safety:</b> safe to share; requests are serialised on the one socket. Open one client
 * per thread for parallel work. {@link #close()} is idempotent.
 */
public final class IpvsClient implements AutoCloseable {
    private final GenericNetlinkConnection genl;
    private final IpvsRequests requests;

    /** The seam for tests: any Generic Netlink connection (a fake one in unit tests). */
    IpvsClient(GenericNetlinkConnection genl) throws NetlinkException {
        this.genl = genl;
        Family family;
        try {
            family = genl.family(IPVS_GENL_NAME);
        } catch (NetlinkException e) {
            genl.close();
            if (e.isNotFound()) {
                throw new NetlinkException("IPVS", e.errno(), e.kernelMessage(), -1, 0,
                        "no Generic Netlink family \"IPVS\" in this kernel/namespace: load the ip_vs module "
                                + "(modprobe ip_vs)");
            }
            throw e;
        }
        this.requests = new IpvsRequests(family);
    }

    /** A client in the caller's network namespace. */
    public static IpvsClient open() throws NetlinkException {
        return new IpvsClient(GenericNetlinkConnection.open());
    }

    /**
     * A client bound to another network namespace. The socket is created there on a short-lived
     * thread; the calling thread's namespace never changes.
     */
    public static IpvsClient open(NetworkNamespace namespace) throws NetlinkException {
        return new IpvsClient(GenericNetlinkConnection.open(namespace.path()));
    }

    /** The request builder this client uses (for dry runs with the kernel's real family id). */
    public IpvsRequests requests() {
        return requests;
    }

    /** How long one receive may wait for the kernel (default 30 s). */
    public IpvsClient receiveTimeout(Duration timeout) throws NetlinkException {
        genl.netlink().receiveTimeout(timeout);
        return this;
    }

    /** {@code IPVS_CMD_GET_INFO}: version and connection table size. */
    public Info info() throws NetlinkException {
        GenericMessage reply = single(requests.simple(IPVS_CMD_GET_INFO, "get info"));
        int version = -1;
        int size = -1;
        AttributeDecoder d = reply.decoder("IPVS info");
        while (d.next()) {
            switch (d.type()) {
                case IPVS_INFO_ATTR_VERSION -> version = d.u32();
                case IPVS_INFO_ATTR_CONN_TAB_SIZE -> size = d.u32();
                default -> { }
            }
        }
        if (version < 0 || size < 0) {
            throw NetlinkException.malformed("IPVS get info", "reply lacks VERSION or CONN_TAB_SIZE");
        }
        return new Info(version, size);
    }

    /** {@code IPVS_CMD_GET_CONFIG}: the tcp, tcpfin and udp timeouts. */
    public Config config() throws NetlinkException {
        GenericMessage reply = single(requests.simple(IPVS_CMD_GET_CONFIG, "get config"));
        int tcp = 0;
        int fin = 0;
        int udp = 0;
        AttributeDecoder d = reply.decoder("IPVS config");
        while (d.next()) {
            switch (d.type()) {
                case IPVS_CMD_ATTR_TIMEOUT_TCP -> tcp = d.u32();
                case IPVS_CMD_ATTR_TIMEOUT_TCP_FIN -> fin = d.u32();
                case IPVS_CMD_ATTR_TIMEOUT_UDP -> udp = d.u32();
                default -> { }
            }
        }
        return new Config(tcp, fin, udp);
    }

    /** {@code IPVS_CMD_SET_CONFIG}; a 0 timeout is left unchanged. */
    public void setConfig(Config config) throws NetlinkException {
        genl.execute(requests.setConfig(config));
    }

    /** Every service, in ONE dump ({@code IPVS_CMD_GET_SERVICE} with {@code NLM_F_DUMP}). */
    public List<ServiceStatus> services() throws NetlinkException {
        return services(true);
    }

    private List<ServiceStatus> services(boolean withStats) throws NetlinkException {
        List<GenericMessage> replies = genl.dump(requests.family(), IPVS_CMD_GET_SERVICE, new byte[0],
                "IPVS list services");
        List<ServiceStatus> out = new ArrayList<>(replies.size());
        for (GenericMessage m : replies) {
            out.add(serviceOf(m, withStats));
        }
        return out;
    }

    /** One service, or empty when the kernel has none with that key. */
    public Optional<ServiceStatus> service(ServiceKey key) throws NetlinkException {
        try {
            return Optional.of(serviceOf(single(requests.getService(key)), true));
        } catch (NetlinkException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void createService(Service service) throws NetlinkException {
        genl.execute(requests.createService(service));
    }

    /** Changes scheduler, flags, persistence of an existing service ({@code ESRCH} if absent). */
    public void updateService(Service service) throws NetlinkException {
        genl.execute(requests.updateService(service));
    }

    /** Deletes a service with its destinations ({@code ESRCH} if absent). */
    public void deleteService(ServiceKey key) throws NetlinkException {
        genl.execute(requests.deleteService(key));
    }

    /** Deletes every service ({@code ipvsadm -C}). */
    public void flush() throws NetlinkException {
        genl.execute(requests.flush());
    }

    /** Zeroes the counters of every service ({@code ipvsadm -Z}). */
    public void zero() throws NetlinkException {
        genl.execute(requests.zero(null));
    }

    /** Zeroes the counters of one service. */
    public void zero(ServiceKey key) throws NetlinkException {
        genl.execute(requests.zero(key));
    }

    /** The destinations of one service, in one dump; empty when the service does not exist. */
    public List<DestinationStatus> destinations(ServiceKey service) throws NetlinkException {
        return destinations(service, true);
    }

    private List<DestinationStatus> destinations(ServiceKey service, boolean withStats) throws NetlinkException {
        // A missing service gives an empty dump, not ESRCH (ip_vs_genl_dump_dests ends quietly).
        AttributeEncoder e = new AttributeEncoder(64);
        IpvsCodec.serviceKeyNested(e, service);
        byte[] attributes = e.toByteArray();
        List<GenericMessage> replies = genl.dump(requests.family(), IPVS_CMD_GET_DEST, attributes,
                "IPVS list destinations of " + service);
        List<DestinationStatus> out = new ArrayList<>(replies.size());
        for (GenericMessage m : replies) {
            AttributeDecoder d = m.decoder("IPVS destination reply");
            boolean found = false;
            while (d.next()) {
                if (d.type() == IPVS_CMD_ATTR_DEST) {
                    out.add(IpvsCodec.decodeDestination(d.nested("destination"), service.family(), withStats));
                    found = true;
                }
            }
            if (!found) {
                throw NetlinkException.malformed("IPVS list destinations", "reply without IPVS_CMD_ATTR_DEST");
            }
        }
        return out;
    }

    public void createDestination(ServiceKey service, Destination destination) throws NetlinkException {
        genl.execute(requests.createDestination(service, destination));
    }

    /** Changes forwarding, weight, thresholds, tunnel settings in place ({@code ENOENT} if absent). */
    public void updateDestination(ServiceKey service, Destination destination) throws NetlinkException {
        genl.execute(requests.updateDestination(service, destination));
    }

    public void deleteDestination(ServiceKey service, DestinationKey destination) throws NetlinkException {
        genl.execute(requests.deleteDestination(service, destination));
    }

    /** The running sync daemons ({@code ipvsadm -L --daemon}). */
    public List<SyncDaemon> syncDaemons() throws NetlinkException {
        List<GenericMessage> replies = genl.dump(requests.family(), IPVS_CMD_GET_DAEMON, new byte[0],
                "IPVS list sync daemons");
        List<SyncDaemon> out = new ArrayList<>();
        for (GenericMessage m : replies) {
            AttributeDecoder d = m.decoder("IPVS daemon reply");
            while (d.next()) {
                if (d.type() != IPVS_CMD_ATTR_DAEMON) {
                    continue;
                }
                AttributeDecoder n = d.nested("daemon");
                int state = -1;
                String ifname = null;
                int syncId = 0;
                while (n.next()) {
                    switch (n.type()) {
                        case IPVS_DAEMON_ATTR_STATE -> state = n.u32();
                        case IPVS_DAEMON_ATTR_MCAST_IFN -> ifname = n.string();
                        case IPVS_DAEMON_ATTR_SYNC_ID -> syncId = n.u32();
                        default -> { }
                    }
                }
                try {
                    out.add(new SyncDaemon(SyncDaemon.State.of(state), ifname == null ? "" : ifname, syncId));
                } catch (IllegalArgumentException e) {
                    throw NetlinkException.malformed("IPVS list sync daemons", e.getMessage());
                }
            }
        }
        return out;
    }

    public void startSyncDaemon(SyncDaemon daemon) throws NetlinkException {
        genl.execute(requests.startSyncDaemon(daemon));
    }

    public void stopSyncDaemon(SyncDaemon.State state) throws NetlinkException {
        genl.execute(requests.stopSyncDaemon(state));
    }

    /**
     * The whole configuration: services in one dump, then one destination dump per service (the
     * kernel dumps destinations per service only).
     */
    public IpvsState state() throws NetlinkException {
        List<ServiceStatus> services = services(false);
        List<VirtualService> out = new ArrayList<>(services.size());
        for (ServiceStatus s : services) {
            List<DestinationStatus> ds = destinations(s.service().key(), false);
            List<Destination> dests = new ArrayList<>(ds.size());
            for (DestinationStatus d : ds) {
                dests.add(d.destination());
            }
            out.add(new VirtualService(s.service(), dests));
        }
        return new IpvsState(out);
    }

    /** The minimal plan from the kernel's current state to {@code desired}; changes nothing. */
    public Plan plan(IpvsState desired) throws NetlinkException {
        return Plan.between(state(), desired);
    }

    /**
     * Makes the kernel hold exactly {@code desired}: reads the state, plans the minimal changes
     * (weights and other settings change in place, never delete + add) and sends them pipelined, many
     * per datagram. Returns what was done; when any change fails, throws an
     * {@link IpvsApplyException} whose result lists what was and was not applied.
     */
    public ApplyResult apply(IpvsState desired) throws NetlinkException {
        return execute(plan(desired));
    }

    /** Runs a plan made earlier (e.g. shown to a user first); see {@link #apply}. */
    public ApplyResult execute(Plan plan) throws NetlinkException {
        List<NetlinkRequest> batch = new ArrayList<>(plan.size());
        for (Change c : plan.changes()) {
            batch.add(requests.forChange(c));
        }
        List<NetlinkResult> results = genl.batch(batch);
        List<Change> applied = new ArrayList<>();
        List<ApplyResult.Failure> failed = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            NetlinkResult r = results.get(i);
            if (r.ok()) {
                applied.add(plan.changes().get(i));
            } else {
                failed.add(new ApplyResult.Failure(plan.changes().get(i), r.error()));
            }
        }
        ApplyResult result = new ApplyResult(plan, applied, failed);
        if (!failed.isEmpty()) {
            throw new IpvsApplyException(result);
        }
        return result;
    }

    private GenericMessage single(NetlinkRequest request) throws NetlinkException {
        List<GenericMessage> replies = genl.execute(request);
        if (replies.size() != 1) {
            throw NetlinkException.malformed(request.operation(), "expected one reply, got " + replies.size());
        }
        return replies.getFirst();
    }

    private static ServiceStatus serviceOf(GenericMessage m, boolean withStats) throws NetlinkException {
        AttributeDecoder d = m.decoder("IPVS service reply");
        while (d.next()) {
            if (d.type() == IPVS_CMD_ATTR_SERVICE) {
                return IpvsCodec.decodeService(d.nested("service"), withStats);
            }
        }
        throw NetlinkException.malformed("IPVS service reply", "no IPVS_CMD_ATTR_SERVICE attribute");
    }

    @Override
    public void close() {
        genl.close();
    }
}
