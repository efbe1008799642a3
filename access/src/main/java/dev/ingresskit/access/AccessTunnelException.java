package dev.ingresskit.access;

import java.io.IOException;
import java.util.Objects;

/** Why a tunnel connection could not be opened. The message names the host and never a credential. */
public final class AccessTunnelException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The edge wants a login (redirect to {@code /cdn-cgi/access/login}) or refused the credentials (401/403). */
        NOT_AUTHENTICATED,
        /** The edge answered the upgrade with another status, or broke the WebSocket protocol. */
        HANDSHAKE,
        /** The edge could not be reached (DNS, TCP, TLS, timeout). */
        CONNECT
    }

    private final Kind kind;
    private final String hostname;

    public AccessTunnelException(Kind kind, String hostname, String detail) {
        this(kind, hostname, detail, null);
    }

    public AccessTunnelException(Kind kind, String hostname, String detail, Throwable cause) {
        super((kind == Kind.NOT_AUTHENTICATED ? "not authenticated for " : kind == Kind.CONNECT ? "cannot reach " : "WebSocket upgrade failed for ")
                + hostname + ": " + detail, cause);
        this.kind = Objects.requireNonNull(kind);
        this.hostname = hostname;
    }

    public Kind kind() {
        return kind;
    }

    public String hostname() {
        return hostname;
    }
}
