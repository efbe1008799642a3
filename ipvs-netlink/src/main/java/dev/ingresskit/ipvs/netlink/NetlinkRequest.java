package dev.ingresskit.ipvs.netlink;

import java.util.Objects;

/**
 * One request for {@link NetlinkConnection#batch}: a message type, extra flags (the connection adds
 * {@code NLM_F_REQUEST | NLM_F_ACK}), the payload, and a name for errors.
 */
public record NetlinkRequest(int type, int flags, byte[] payload, String operation) {
    public NetlinkRequest {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(operation, "operation");
        if (type < 0 || type > 0xFFFF || flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("type and flags are u16: type=" + type + " flags=" + flags);
        }
    }
}
