package dev.ingresskit.ipvs.internal;

/**
 * libc/kernel constants for sockets, files and namespaces on Linux x86-64 and arm64 (the
 * asm-generic values). Sources: {@code include/linux/socket.h}, {@code include/linux/net.h},
 * {@code include/uapi/asm-generic/socket.h}, {@code include/uapi/asm-generic/fcntl.h},
 * {@code include/uapi/linux/sched.h}. Not API.
 */
public final class LinuxSocket {
    private LinuxSocket() {
    }

    /** {@code SOCK_RAW} (include/linux/net.h). */
    public static final int SOCK_RAW = 3;
    /** {@code SOCK_CLOEXEC} = {@code O_CLOEXEC} (asm-generic/fcntl.h: 02000000). */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code SOL_SOCKET} (asm-generic/socket.h). */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_RCVTIMEO_OLD}: a {@code struct timeval} of two longs on 64-bit targets. */
    public static final int SO_RCVTIMEO = 20;
    /** {@code SO_SNDBUFFORCE}: like SO_SNDBUF but past {@code wmem_max}, needs CAP_NET_ADMIN. */
    public static final int SO_SNDBUFFORCE = 32;
    /** {@code SO_RCVBUFFORCE}: like SO_RCVBUF but past {@code rmem_max}, needs CAP_NET_ADMIN. */
    public static final int SO_RCVBUFFORCE = 33;
    /** {@code MSG_PEEK} (include/linux/socket.h). */
    public static final int MSG_PEEK = 0x2;
    /** {@code MSG_TRUNC}: with recv, return the datagram's real length even if it did not fit. */
    public static final int MSG_TRUNC = 0x20;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_CLOEXEC} (asm-generic/fcntl.h: 02000000). */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code CLONE_NEWNET} (uapi/linux/sched.h). */
    public static final int CLONE_NEWNET = 0x40000000;
}
