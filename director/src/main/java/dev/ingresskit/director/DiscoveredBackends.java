package dev.ingresskit.director;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One answer of a {@link BackendSource}: a service's backends as the source knows them, and whether
 * it is in sync with its origin. A source that lost its origin keeps answering its last known
 * backends with {@code status.synced() == false}: the director never drops backends because
 * discovery is down.
 *
 * @param backends the backends, in any order (the director sorts them)
 * @param status   whether the answer is current
 */
public record DiscoveredBackends(List<Backend> backends, SourceStatus status) {
    public DiscoveredBackends {
        backends = List.copyOf(backends);
        Objects.requireNonNull(status, "status");
    }

    /**
     * A discovered backend.
     *
     * @param address  its address
     * @param port     its port (health checks, masquerading)
     * @param weight   its weight while ready and healthy, 0..65535
     * @param draining present but taking no new flows (Kubernetes' serving or terminating endpoints):
     *                 the director gives it weight 0 and keeps it, so established flows continue
     */
    public record Backend(InetAddress address, int port, int weight, boolean draining) {
        public Backend {
            new BackendConfig(address, port, weight, 0); // validates
        }
    }

    /**
     * Whether a source is in sync with its origin.
     *
     * @param synced  true while the source holds its origin's current view
     * @param since   when it last changed between synced and not
     * @param problem why it is not synced ({@code null} when it is)
     */
    public record SourceStatus(boolean synced, Instant since, String problem) {
        public SourceStatus {
            Objects.requireNonNull(since, "since");
        }
    }
}
