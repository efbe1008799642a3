package dev.ingresskit.director.kubernetes.internal;

import dev.ingresskit.director.DiscoveredBackends.Backend;
import java.time.Instant;
import java.util.List;

/**
 * What is known now about one subscription: the merged endpoints (the last known ones while the
 * watch is down) and whether the watch is in sync with the API server, since when, and if not why.
 */
public record View(List<Backend> endpoints, boolean synced, Instant since, String problem) {
    public View {
        endpoints = List.copyOf(endpoints);
    }
}
