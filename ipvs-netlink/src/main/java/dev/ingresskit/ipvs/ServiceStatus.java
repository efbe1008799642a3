package dev.ingresskit.ipvs;

/** A service as the kernel reports it: its configuration and its counters. */
public record ServiceStatus(Service service, Stats stats) {
}
