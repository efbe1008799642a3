package dev.ingresskit.ipvs.netlink;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The datagram pipe under a {@link NetlinkConnection}: the real {@code AF_NETLINK} socket, or a
 * scripted fake in tests. Called under the connection's lock only.
 */
interface Transport extends AutoCloseable {
    /** The port id the kernel assigned to this socket ({@code nl_pid}). */
    int portId();

    /** Sends one datagram (one or more netlink messages). */
    void send(ByteBuffer datagram) throws NetlinkException;

    /**
     * Receives one whole datagram, however long: never truncated. The buffer is valid until the next
     * call. A timeout is a NetlinkException with errno EAGAIN.
     */
    ByteBuffer receive() throws NetlinkException;

    void receiveTimeout(Duration timeout) throws NetlinkException;

    @Override
    void close();
}
