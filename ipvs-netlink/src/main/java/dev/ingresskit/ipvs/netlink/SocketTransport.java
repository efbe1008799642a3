package dev.ingresskit.ipvs.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ingresskit.ipvs.internal.Errno;
import dev.ingresskit.ipvs.internal.LinuxSocket;
import dev.ingresskit.ipvs.internal.NetlinkH;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A real {@code AF_NETLINK} socket. Receives peek first ({@code MSG_PEEK | MSG_TRUNC} returns the
 * datagram's true length) and grow the buffer before the real read, so no reply is ever truncated.
 * Datagrams from anyone but the kernel (port id 0) are dropped.
 */
final class SocketTransport implements Transport {
    /** {@code sizeof(struct sockaddr_nl)}: u16 family, u16 pad, u32 pid, u32 groups. */
    private static final int SOCKADDR_NL = 12;
    private static final int INITIAL_RECEIVE = 64 * 1024;
    /** Large enough that a batch's ACKs never overflow the queue (needs CAP_NET_ADMIN; else best effort). */
    private static final int RECEIVE_BUFFER = 8 * 1024 * 1024;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = LibC.newCallState(arena);
    private final MemorySegment from = arena.allocate(SOCKADDR_NL, 4);
    private final MemorySegment fromLength = arena.allocate(JAVA_INT);
    private final MemorySegment kernel = arena.allocate(SOCKADDR_NL, 4);
    private final int fd;
    private final int portId;
    private MemorySegment sendBuffer;
    private MemorySegment receiveBuffer;
    private boolean closed;

    private SocketTransport(int fd, int initialReceive) throws NetlinkException {
        this.fd = fd;
        try {
            kernel.set(JAVA_SHORT, 0, (short) NetlinkH.AF_NETLINK);
            check(LibC.bind(state, fd, kernel, SOCKADDR_NL), "bind");
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SOCKADDR_NL);
            MemorySegment self = arena.allocate(SOCKADDR_NL, 4);
            check(LibC.getsockname(state, fd, self, length), "getsockname");
            portId = portIdOf(self, length.get(JAVA_INT, 0), "getsockname");
            // Optional features: old kernels lack them, which costs only detail in errors.
            setInt(NetlinkH.SOL_NETLINK, NetlinkH.NETLINK_EXT_ACK, 1);
            setInt(NetlinkH.SOL_NETLINK, NetlinkH.NETLINK_CAP_ACK, 1);
            if (setInt(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_RCVBUFFORCE, RECEIVE_BUFFER) != 0) {
                setInt(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_RCVBUF, RECEIVE_BUFFER);
            }
            sendBuffer = arena.allocate(8 * 1024, 8);
            receiveBuffer = arena.allocate(Math.max(16, initialReceive), 8);
            receiveTimeout(NetlinkConnection.DEFAULT_RECEIVE_TIMEOUT);
        } catch (NetlinkException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens a socket in the caller's network namespace. */
    static SocketTransport open(int protocol) throws NetlinkException {
        return open(protocol, INITIAL_RECEIVE);
    }

    /** As {@link #open(int)} with a chosen first receive-buffer size (tests use a tiny one). */
    static SocketTransport open(int protocol, int initialReceive) throws NetlinkException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment st = LibC.newCallState(temp);
            int fd = LibC.socket(st, NetlinkH.AF_NETLINK, LinuxSocket.SOCK_RAW | LinuxSocket.SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                throw new NetlinkException("socket(AF_NETLINK, " + protocol + ")", LibC.errno(st), null, -1, 0, null);
            }
            return new SocketTransport(fd, initialReceive);
        }
    }

    /**
     * Opens a socket inside the network namespace file {@code netns} ({@code /run/netns/NAME},
     * {@code /proc/PID/ns/net}). {@code setns} moves only the calling thread, so it runs on a
     * short-lived thread of its own that ends right after; a socket keeps the namespace it was
     * created in, and the caller's thread never moves.
     */
    static SocketTransport open(int protocol, Path netns) throws NetlinkException {
        CompletableFuture<SocketTransport> result = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().name("ingresskit-netns-open").daemon().unstarted(() -> {
            try (Arena temp = Arena.ofConfined()) {
                MemorySegment st = LibC.newCallState(temp);
                int nsFd = LibC.open(st, temp.allocateFrom(netns.toString()), LinuxSocket.O_RDONLY | LinuxSocket.O_CLOEXEC);
                if (nsFd < 0) {
                    throw new NetlinkException("open " + netns, LibC.errno(st), null, -1, 0, null);
                }
                try {
                    if (LibC.setns(st, nsFd, LinuxSocket.CLONE_NEWNET) < 0) {
                        throw new NetlinkException("setns " + netns, LibC.errno(st), null, -1, 0, null);
                    }
                } finally {
                    LibC.close(st, nsFd);
                }
                result.complete(open(protocol));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        worker.start();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetlinkException("open in " + netns, Errno.EINTR, null, -1, 0, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NetlinkException n) {
                throw n;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("opening a socket in " + netns + " failed", e.getCause());
        }
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public void send(ByteBuffer datagram) throws NetlinkException {
        int length = datagram.remaining();
        if (sendBuffer.byteSize() < length) {
            sendBuffer = arena.allocate(Math.max(length, sendBuffer.byteSize() * 2), 8);
        }
        MemorySegment.copy(MemorySegment.ofBuffer(datagram), 0, sendBuffer, 0, length);
        while (true) {
            long sent = LibC.sendto(state, fd, sendBuffer, length, 0, kernel, SOCKADDR_NL);
            if (sent >= 0) {
                if (sent != length) {
                    throw new NetlinkException("sendto", 0, null, -1, 0, "short send: " + sent + " of " + length);
                }
                return;
            }
            int errno = LibC.errno(state);
            if (errno != Errno.EINTR) {
                throw new NetlinkException("sendto", errno, null, -1, 0, length + " bytes");
            }
        }
    }

    @Override
    public ByteBuffer receive() throws NetlinkException {
        while (true) {
            long size = recv(LinuxSocket.MSG_PEEK | LinuxSocket.MSG_TRUNC);
            if (size > receiveBuffer.byteSize()) {
                receiveBuffer = arena.allocate(Math.max(size, receiveBuffer.byteSize() * 2), 8);
            }
            long n = recv(0);
            if (portIdOf(from, fromLength.get(JAVA_INT, 0), "recvfrom") != 0) {
                continue; // not from the kernel: never ours to parse
            }
            return received(receiveBuffer, n);
        }
    }

    /**
     * The datagram recvfrom wrote: the first {@code length} bytes of {@code buffer}, copied out of a
     * slice of exactly that length. The rest of the buffer holds an earlier, longer datagram (or
     * nothing), so the parser must never see it: a read past the end throws instead.
     */
    static ByteBuffer received(MemorySegment buffer, long length) throws NetlinkException {
        if (length < 0 || length > buffer.byteSize()) {
            throw new NetlinkException("recvfrom", 0, null, -1, 0,
                    "received length " + length + " outside the receive buffer's 0.." + buffer.byteSize()
                            + " bytes (the datagram grew between peek and read?)");
        }
        return ByteBuffer.wrap(buffer.asSlice(0, length).toArray(JAVA_BYTE)).order(ByteOrder.nativeOrder());
    }

    /**
     * {@code nl_pid} of a {@code sockaddr_nl} the kernel filled in, read only from the
     * {@code addressLength} bytes it said it wrote (a shorter address would leave a stale pid).
     */
    static int portIdOf(MemorySegment address, int addressLength, String operation) throws NetlinkException {
        if (addressLength < 8) {
            throw NetlinkException.malformed(operation,
                    "address of " + addressLength + " byte(s); a sockaddr_nl needs 8 to hold nl_pid");
        }
        // A longer length than the buffer means the kernel truncated the address to the buffer.
        return address.asSlice(0, Math.min(addressLength, address.byteSize())).get(JAVA_INT, 4);
    }

    private long recv(int flags) throws NetlinkException {
        while (true) {
            fromLength.set(JAVA_INT, 0, SOCKADDR_NL);
            long n = LibC.recvfrom(state, fd, receiveBuffer, receiveBuffer.byteSize(), flags, from, fromLength);
            if (n >= 0) {
                return n;
            }
            int errno = LibC.errno(state);
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno == Errno.EAGAIN) {
                throw new NetlinkException("recvfrom", errno, null, -1, 0, "no reply within the receive timeout");
            }
            if (errno == Errno.ENOBUFS) {
                throw new NetlinkException("recvfrom", errno, null, -1, 0,
                        "the socket's receive queue overflowed; the kernel dropped replies");
            }
            throw new NetlinkException("recvfrom", errno, null, -1, 0, null);
        }
    }

    @Override
    public void receiveTimeout(Duration timeout) throws NetlinkException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment timeval = temp.allocate(16, 8);
            timeval.set(JAVA_LONG, 0, timeout.getSeconds());
            timeval.set(JAVA_LONG, 8, timeout.getNano() / 1000L);
            check(LibC.setsockopt(state, fd, LinuxSocket.SOL_SOCKET, LinuxSocket.SO_RCVTIMEO, timeval, 16),
                    "setsockopt(SO_RCVTIMEO)");
        }
    }

    private int setInt(int level, int name, int value) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment v = temp.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return LibC.setsockopt(state, fd, level, name, v, 4);
        }
    }

    private void check(int result, String operation) throws NetlinkException {
        if (result < 0) {
            throw new NetlinkException(operation, LibC.errno(state), null, -1, 0, null);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.close(state, fd);
        arena.close();
    }
}
