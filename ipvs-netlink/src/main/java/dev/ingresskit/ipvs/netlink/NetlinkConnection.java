package dev.ingresskit.ipvs.netlink;

import dev.ingresskit.ipvs.internal.Errno;
import dev.ingresskit.ipvs.internal.NetlinkH;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A netlink socket that speaks request/response: it numbers requests, asks for ACKs, collects
 * replies up to the ACK (or a multipart dump up to {@code NLMSG_DONE}), turns {@code NLMSG_ERROR}
 * into a {@link NetlinkException} with the kernel's extended-ACK text, and skips stale replies
 * whose sequence number is not the one awaited (e.g. left over after a timeout).
 *
 * <p><b>Thread-safety:</b> safe to share; one request runs at a time (a lock serialises them, so a
 * dump is never interleaved with another request). {@link #close()} is idempotent and waits for a
 * request in progress, which ends at the latest after the receive timeout (default
 * {@value #DEFAULT_TIMEOUT_SECONDS} s).
 *
 * <p>Needs native access: run with {@code --enable-native-access=dev.ingresskit.ipvs} (module
 * path) or {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
public final class NetlinkConnection implements AutoCloseable {
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    /** The receive timeout a new connection starts with. */
    public static final Duration DEFAULT_RECEIVE_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    private static final int DUMP_ATTEMPTS = 3;
    /** Requests per datagram in a batch: their ACKs must fit the receive queue. */
    static final int BATCH_MESSAGES = 128;
    /** Bytes per batch datagram, well under the default {@code wmem_default} send limit. */
    static final int BATCH_BYTES = 64 * 1024;

    private static final int SEQUENCE_LIMIT = 1 << 30;

    private final Transport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private int nextSequence;
    private boolean closed;

    NetlinkConnection(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.nextSequence = ThreadLocalRandom.current().nextInt(1, 1 << 30);
    }

    /** Opens a socket of netlink {@code protocol} (e.g. 16, NETLINK_GENERIC) in this thread's namespace. */
    public static NetlinkConnection open(int protocol) throws NetlinkException {
        return new NetlinkConnection(SocketTransport.open(protocol));
    }

    /**
     * Opens a socket inside another network namespace, given by its file ({@code /run/netns/NAME}
     * or {@code /proc/PID/ns/net}); the calling thread's namespace does not change.
     */
    public static NetlinkConnection open(int protocol, Path networkNamespace) throws NetlinkException {
        return new NetlinkConnection(SocketTransport.open(protocol, networkNamespace));
    }

    /** The socket's port id ({@code nl_pid}), assigned by the kernel. */
    public int portId() {
        return transport.portId();
    }

    /** How long one receive may wait before the request fails with {@code EAGAIN}. */
    public void receiveTimeout(Duration timeout) throws NetlinkException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("receive timeout must be positive: " + timeout);
        }
        lock.lock();
        try {
            ensureOpen();
            transport.receiveTimeout(timeout);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends one request with {@code NLM_F_REQUEST | NLM_F_ACK | flags} and returns the replies the
     * kernel sent before its ACK (often none).
     */
    public List<NetlinkMessage> request(int type, int flags, byte[] payload, String operation)
            throws NetlinkException {
        List<NetlinkResult> results = batch(List.of(new NetlinkRequest(type, flags, payload, operation)));
        NetlinkResult result = results.getFirst();
        if (result.error() != null) {
            throw result.error();
        }
        return result.replies();
    }

    /**
     * Sends a dump request ({@code NLM_F_REQUEST | NLM_F_DUMP}) and collects every multipart reply
     * up to {@code NLMSG_DONE}. A dump the kernel marks inconsistent ({@code NLM_F_DUMP_INTR}) is
     * repeated, up to three times.
     */
    public List<NetlinkMessage> dump(int type, byte[] payload, String operation) throws NetlinkException {
        lock.lock();
        try {
            ensureOpen();
            for (int attempt = 1; ; attempt++) {
                List<NetlinkMessage> replies = new ArrayList<>();
                boolean interrupted = dumpOnce(type, payload, operation, replies);
                if (!interrupted) {
                    return replies;
                }
                if (attempt == DUMP_ATTEMPTS) {
                    throw new NetlinkException(operation, Errno.EINTR, null, -1, 0,
                            "dump inconsistent (NLM_F_DUMP_INTR) " + DUMP_ATTEMPTS + " times in a row");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean dumpOnce(int type, byte[] payload, String operation, List<NetlinkMessage> replies)
            throws NetlinkException {
        int seq = reserve(1);
        byte[] datagram = Messages.encode(type, NetlinkH.NLM_F_REQUEST | NetlinkH.NLM_F_DUMP, seq, 0, payload);
        transport.send(ByteBuffer.wrap(datagram));
        boolean interrupted = false;
        while (true) {
            for (NetlinkMessage m : Messages.decode(transport.receive())) {
                if (m.sequence() != seq) {
                    continue;
                }
                if ((m.flags() & NetlinkH.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                switch (m.type()) {
                    case NetlinkH.NLMSG_NOOP -> { }
                    case NetlinkH.NLMSG_ERROR -> {
                        NetlinkException e = Messages.error(m, operation);
                        if (e != null) {
                            throw e;
                        }
                        return interrupted; // an ACK ends a dump on kernels that send one
                    }
                    case NetlinkH.NLMSG_DONE -> {
                        NetlinkException e = Messages.done(m, operation);
                        if (e != null) {
                            throw e;
                        }
                        return interrupted;
                    }
                    case NetlinkH.NLMSG_OVERRUN -> throw new NetlinkException(operation, Errno.ENOBUFS, null, -1, seq,
                            "NLMSG_OVERRUN: data lost");
                    default -> replies.add(m);
                }
            }
        }
    }

    /**
     * Sends many requests, several to a datagram, each with {@code NLM_F_ACK}, and returns one result
     * per request in order. The kernel processes them in order and carries on after a failure, so
     * each result says for itself whether it was applied. Dump requests are not allowed here.
     *
     * <p>A transport failure while waiting (timeout, overflow) marks the requests whose ACK never came
     * with that failure: they may or may not have been applied.
     */
    public List<NetlinkResult> batch(List<NetlinkRequest> requests) throws NetlinkException {
        for (NetlinkRequest r : requests) {
            if ((r.flags() & NetlinkH.NLM_F_DUMP) == NetlinkH.NLM_F_DUMP) {
                throw new IllegalArgumentException("dump requests cannot be batched: " + r.operation());
            }
        }
        lock.lock();
        try {
            ensureOpen();
            List<NetlinkResult> results = new ArrayList<>(requests.size());
            int from = 0;
            while (from < requests.size()) {
                int to = from;
                int bytes = 0;
                while (to < requests.size() && to - from < BATCH_MESSAGES) {
                    int size = Messages.encodedLength(requests.get(to).payload().length);
                    if (to > from && bytes + size > BATCH_BYTES) {
                        break;
                    }
                    bytes += size;
                    to++;
                }
                chunk(requests.subList(from, to), bytes, results);
                from = to;
            }
            return results;
        } finally {
            lock.unlock();
        }
    }

    private void chunk(List<NetlinkRequest> requests, int bytes, List<NetlinkResult> results)
            throws NetlinkException {
        int n = requests.size();
        int first = reserve(n);
        ByteBuffer datagram = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            NetlinkRequest r = requests.get(i);
            Messages.encodeInto(datagram, r.type(), NetlinkH.NLM_F_REQUEST | NetlinkH.NLM_F_ACK | r.flags(),
                    first + i, 0, r.payload());
        }
        datagram.flip();
        List<List<NetlinkMessage>> replies = new ArrayList<>(java.util.Collections.nCopies(n, null));
        NetlinkException[] errors = new NetlinkException[n];
        boolean[] done = new boolean[n];
        int pending = n;
        try {
            transport.send(datagram);
            while (pending > 0) {
                for (NetlinkMessage m : Messages.decode(transport.receive())) {
                    int index = m.sequence() - first;
                    if (index < 0 || index >= n || done[index]) {
                        continue;
                    }
                    if (m.type() == NetlinkH.NLMSG_ERROR) {
                        errors[index] = Messages.error(m, requests.get(index).operation());
                        done[index] = true;
                        pending--;
                    } else if (m.type() != NetlinkH.NLMSG_NOOP) {
                        if (replies.get(index) == null) {
                            replies.set(index, new ArrayList<>(1));
                        }
                        replies.get(index).add(m);
                    }
                }
            }
        } catch (NetlinkException e) {
            if (n == 1) {
                throw e;
            }
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    errors[i] = new NetlinkException(requests.get(i).operation(), e.errno(), null, -1, first + i,
                            "no acknowledgement; outcome unknown: " + e.getMessage());
                }
            }
        }
        for (int i = 0; i < n; i++) {
            results.add(new NetlinkResult(requests.get(i), first + i,
                    replies.get(i) == null ? List.of() : replies.get(i), errors[i]));
        }
    }

    /** Reserves {@code count} consecutive sequence numbers, never 0 (unsolicited messages carry 0). */
    private int reserve(int count) {
        if (nextSequence > SEQUENCE_LIMIT - count) {
            nextSequence = 1;
        }
        int first = nextSequence;
        nextSequence += count;
        return first;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("netlink connection is closed");
        }
    }

    /** Closes the socket; later calls do nothing. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                transport.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "NetlinkConnection[portId=" + Integer.toUnsignedString(transport.portId()) + (closed ? ", closed]" : "]");
    }
}
