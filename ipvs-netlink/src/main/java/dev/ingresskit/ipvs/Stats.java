package dev.ingresskit.ipvs;

/**
 * Traffic counters of a service or destination. Every field is 64-bit: from
 * {@code IPVS_*_ATTR_STATS64} when the kernel sends it (Linux 4.0+), else widened from the older
 * 32-bit {@code IPVS_*_ATTR_STATS} (as unsigned values). Rates are per second, as the kernel's
 * estimator computes them.
 */
public record Stats(long connections, long inPackets, long outPackets, long inBytes, long outBytes,
        long connectionsPerSecond, long inPacketsPerSecond, long outPacketsPerSecond, long inBytesPerSecond,
        long outBytesPerSecond) {
    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
