package dev.ingresskit.ipvs.netlink;

import dev.ingresskit.ipvs.internal.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A scripted stand-in for the netlink socket: every datagram sent is recorded and handed to a
 * {@link Kernel}, whose reply datagrams are queued for {@link #receive()}. An empty queue is a
 * receive timeout (EAGAIN), as on a real socket with SO_RCVTIMEO. Public so that tests of the
 * upper layers can build connections on it through {@link #connection()}.
 */
public final class FakeTransport implements Transport {
    /** Answers one sent datagram with zero or more datagrams. */
    @FunctionalInterface
    public interface Kernel {
        List<ByteBuffer> handle(ByteBuffer datagram) throws NetlinkException;
    }

    private final Kernel kernel;
    private final Deque<ByteBuffer> queue = new ArrayDeque<>();
    private final List<byte[]> sent = new ArrayList<>();
    private int closes;
    private int receives;

    public FakeTransport(Kernel kernel) {
        this.kernel = kernel;
    }

    /** A transport that replies with the given datagrams in order, whatever is sent. */
    public static FakeTransport scripted(List<byte[]> replies) {
        Deque<byte[]> left = new ArrayDeque<>(replies);
        return new FakeTransport(datagram -> {
            List<ByteBuffer> out = new ArrayList<>();
            while (!left.isEmpty()) {
                out.add(ByteBuffer.wrap(left.poll()));
            }
            return out;
        });
    }

    /** A connection on this transport. */
    public NetlinkConnection connection() {
        return new NetlinkConnection(this);
    }

    /** Queues an extra datagram, e.g. a stale reply. */
    public void inject(byte[] datagram) {
        queue.add(ByteBuffer.wrap(datagram));
    }

    public List<byte[]> sent() {
        return sent;
    }

    public int closes() {
        return closes;
    }

    public int receives() {
        return receives;
    }

    @Override
    public int portId() {
        return 4242;
    }

    @Override
    public void send(ByteBuffer datagram) throws NetlinkException {
        byte[] copy = new byte[datagram.remaining()];
        datagram.duplicate().get(copy);
        sent.add(copy);
        for (ByteBuffer reply : kernel.handle(ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()))) {
            queue.add(reply);
        }
    }

    @Override
    public ByteBuffer receive() throws NetlinkException {
        receives++;
        ByteBuffer next = queue.poll();
        if (next == null) {
            throw new NetlinkException("recvfrom", Errno.EAGAIN, null, -1, 0, "no reply within the receive timeout");
        }
        return next.order(ByteOrder.nativeOrder());
    }

    @Override
    public void receiveTimeout(Duration timeout) {
    }

    @Override
    public void close() {
        closes++;
    }

    /** Encodes a reply message as the kernel would (pid = our port id). */
    public static byte[] message(int type, int flags, int seq, byte[] payload) {
        return Messages.encode(type, flags, seq, 4242, payload);
    }

    /** Concatenates encoded messages into one datagram. */
    public static byte[] datagram(byte[]... messages) {
        int n = 0;
        for (byte[] m : messages) {
            n += m.length;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (byte[] m : messages) {
            out.put(m);
        }
        return out.array();
    }

    /** An NLMSG_ERROR payload: error, the echoed request header, optional ext-ack TLVs (capped). */
    public static byte[] errorPayload(int error, byte[] requestHeader, byte[] tlvs) {
        ByteBuffer out = ByteBuffer.allocate(4 + 16 + tlvs.length).order(ByteOrder.nativeOrder());
        out.putInt(error).put(requestHeader, 0, 16).put(tlvs);
        return out.array();
    }

}
