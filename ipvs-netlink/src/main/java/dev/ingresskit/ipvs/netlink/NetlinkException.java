package dev.ingresskit.ipvs.netlink;

import dev.ingresskit.ipvs.internal.Errno;
import java.io.IOException;

/**
 * The one failure type of this module: a netlink request the kernel refused, a system call that
 * failed, a reply that did not parse, or a receive that timed out.
 *
 * <p>Structured fields instead of message parsing: {@link #operation()} (what we were doing, e.g.
 * {@code "IPVS NEW_SERVICE"} or {@code "recvfrom"}), {@link #errno()} and {@link #errnoName()},
 * the kernel's extended-ACK {@link #kernelMessage()} and {@link #errorOffset()} (byte offset of the
 * offending attribute inside our request), and the request's {@link #sequence()}.
 */
public class NetlinkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String kernelMessage;
    private final int errorOffset;
    private final int sequence;
    private final boolean malformed;

    /**
     * @param operation     what failed, for people
     * @param errno         a positive Linux errno, or 0 when none applies
     * @param kernelMessage the extended-ACK text, or {@code null}
     * @param errorOffset   the extended-ACK offset into the request, or -1
     * @param sequence      the request's sequence number, or 0
     * @param detail        extra text for the message, or {@code null}
     */
    public NetlinkException(String operation, int errno, String kernelMessage, int errorOffset, int sequence,
            String detail) {
        this(operation, errno, kernelMessage, errorOffset, sequence, detail, false, null);
    }

    NetlinkException(String operation, int errno, String kernelMessage, int errorOffset, int sequence,
            String detail, boolean malformed, Throwable cause) {
        super(describe(operation, errno, kernelMessage, errorOffset, sequence, detail), cause);
        this.operation = operation;
        this.errno = Math.abs(errno);
        this.kernelMessage = kernelMessage;
        this.errorOffset = errorOffset;
        this.sequence = sequence;
        this.malformed = malformed;
    }

    /** Copies {@code other}'s fields under a more specific operation name. */
    protected NetlinkException(String operation, NetlinkException other) {
        this(operation, other.errno, other.kernelMessage, other.errorOffset, other.sequence, null, other.malformed,
                other);
    }

    /** A reply or message that does not follow the netlink layout (errno {@code EBADMSG}). */
    public static NetlinkException malformed(String operation, String detail) {
        return new NetlinkException(operation, Errno.EBADMSG, null, -1, 0, detail, true, null);
    }

    private static String describe(String operation, int errno, String kernelMessage, int errorOffset, int sequence,
            String detail) {
        StringBuilder text = new StringBuilder(operation).append(": ");
        if (errno != 0) {
            text.append(Errno.name(errno));
        }
        if (detail != null) {
            text.append(errno != 0 ? " (" : "").append(detail).append(errno != 0 ? ")" : "");
        }
        if (kernelMessage != null) {
            text.append(": kernel says \"").append(kernelMessage).append('"');
        }
        if (errorOffset >= 0) {
            text.append(" at request offset ").append(errorOffset);
        }
        if (sequence != 0) {
            text.append(" [seq ").append(Integer.toUnsignedString(sequence)).append(']');
        }
        return text.toString();
    }

    /** What failed, e.g. {@code "IPVS NEW_SERVICE"}, {@code "socket"}, {@code "recvfrom"}. */
    public String operation() {
        return operation;
    }

    /** The positive Linux errno, or 0. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code "EEXIST"}; empty when {@link #errno()} is 0. */
    public String errnoName() {
        return errno == 0 ? "" : Errno.name(errno);
    }

    /** The kernel's extended-ACK message ({@code NLMSGERR_ATTR_MSG}), or {@code null}. */
    public String kernelMessage() {
        return kernelMessage;
    }

    /** The extended-ACK byte offset ({@code NLMSGERR_ATTR_OFFS}) into the request, or -1. */
    public int errorOffset() {
        return errorOffset;
    }

    /** The sequence number of the request that failed, or 0 when none applies. */
    public int sequence() {
        return sequence;
    }

    /** {@code EEXIST}: the object is already there. */
    public boolean isExists() {
        return errno == Errno.EEXIST;
    }

    /** {@code ENOENT} or {@code ESRCH}: the object (or the family, or the scheduler) is not there. */
    public boolean isNotFound() {
        return errno == Errno.ENOENT || errno == Errno.ESRCH;
    }

    /** {@code EINVAL}: the kernel refused the request's contents. */
    public boolean isInvalid() {
        return errno == Errno.EINVAL;
    }

    /** {@code EPERM} or {@code EACCES}: CAP_NET_ADMIN (in the socket's user namespace) is missing. */
    public boolean isPermissionDenied() {
        return errno == Errno.EPERM || errno == Errno.EACCES;
    }

    /** {@code EAGAIN} on receive: no reply within the connection's receive timeout. */
    public boolean isTimeout() {
        return errno == Errno.EAGAIN;
    }

    /** The bytes we received did not follow the netlink layout (never a kernel refusal). */
    public boolean isMalformed() {
        return malformed;
    }
}
