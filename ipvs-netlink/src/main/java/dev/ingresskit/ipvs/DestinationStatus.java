package dev.ingresskit.ipvs;

/**
 * A destination as the kernel reports it: configuration, connection counts (u32 in the kernel,
 * read as unsigned, so never negative) and counters.
 */
public record DestinationStatus(Destination destination, long activeConnections, long inactiveConnections,
        long persistentConnections, Stats stats) {
}
