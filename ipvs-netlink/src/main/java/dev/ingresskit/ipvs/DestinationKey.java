package dev.ingresskit.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/** Address + port: what identifies a destination within its service. */
public record DestinationKey(InetAddress address, int port) {
    public DestinationKey {
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return Addresses.format(address, port);
    }
}
