package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.IpVsH;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A connection-synchronisation daemon ({@code ipvsadm --start-daemon}): its role, the interface it
 * multicasts on, and its sync id (0..255).
 */
public record SyncDaemon(State state, String interfaceName, int syncId) {
    /** The daemon's role ({@code IP_VS_STATE_MASTER} / {@code IP_VS_STATE_BACKUP}). */
    public enum State {
        MASTER(IpVsH.IP_VS_STATE_MASTER),
        BACKUP(IpVsH.IP_VS_STATE_BACKUP);

        private final int value;

        State(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        public static State of(int value) {
            for (State s : values()) {
                if (s.value == value) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown sync daemon state " + value);
        }
    }

    public SyncDaemon {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(interfaceName, "interfaceName");
        int bytes = interfaceName.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes >= IpVsH.IP_VS_IFNAME_MAXLEN) {
            throw new IllegalArgumentException("interface name must be 1..15 bytes: '" + interfaceName + "'");
        }
        if (syncId < 0 || syncId > 255) {
            throw new IllegalArgumentException("sync id must be 0..255: " + syncId);
        }
    }
}
