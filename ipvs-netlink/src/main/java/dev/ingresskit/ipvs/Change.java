package dev.ingresskit.ipvs;

import java.util.Objects;

/**
 * One step of a {@link Plan}: exactly one IPVS command.
 *
 * @param kind        what to do
 * @param service     the service (for destination changes: the one it belongs to)
 * @param destination the destination, {@code null} for service changes
 * @param before      for updates, what the kernel held before ({@link Service} or {@link Destination}),
 *                    else {@code null}
 */
public record Change(Kind kind, Service service, Destination destination, Object before) {
    /** The six changes; each is one netlink command. */
    public enum Kind {
        CREATE_SERVICE("+", "IPVS_CMD_NEW_SERVICE"),
        UPDATE_SERVICE("~", "IPVS_CMD_SET_SERVICE"),
        DELETE_SERVICE("-", "IPVS_CMD_DEL_SERVICE"),
        CREATE_DESTINATION("+", "IPVS_CMD_NEW_DEST"),
        UPDATE_DESTINATION("~", "IPVS_CMD_SET_DEST"),
        DELETE_DESTINATION("-", "IPVS_CMD_DEL_DEST");

        private final String sign;
        private final String command;

        Kind(String sign, String command) {
            this.sign = sign;
            this.command = command;
        }

        /** The netlink command that carries it out. */
        public String command() {
            return command;
        }

        public boolean onDestination() {
            return this == CREATE_DESTINATION || this == UPDATE_DESTINATION || this == DELETE_DESTINATION;
        }
    }

    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(service, "service");
        if (kind.onDestination() != (destination != null)) {
            throw new IllegalArgumentException(kind + (destination == null ? " needs" : " takes no") + " destination");
        }
    }

    /** {@code + service tcp 10.0.0.1:80 mh}, {@code ~ dest tcp 10.0.0.1:80 -> 10.1.0.1:80 route w=0 (was w=5)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(96).append(kind.sign).append(' ');
        if (destination == null) {
            if (kind == Kind.DELETE_SERVICE) {
                service.key().appendTo(text.append("service "));
            } else {
                text.append("service ").append(service);
            }
        } else {
            service.key().appendTo(text.append("dest ")).append(" -> ");
            if (kind == Kind.DELETE_DESTINATION) {
                IpAddresses.append(text, destination.address(), destination.port());
            } else {
                destination.appendTo(text);
            }
        }
        if (before != null) {
            text.append("  (was ").append(before).append(')');
        }
        return text.toString();
    }
}
