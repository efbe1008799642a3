package dev.ingresskit.director;

import java.util.List;

/**
 * Where the backends of {@code backends from KIND ...} services come from: a service-discovery
 * system (Kubernetes EndpointSlices, Consul, ...). The director asks for each such service's backends
 * on every reconcile and applies its own health checks on top (a backend is up only when both agree);
 * it does not care where they come from. Register one per kind with
 * {@link Director.Builder#backendSource(BackendSource)}.
 *
 * <p>Implementations must be thread-safe: {@link #backends} is called from the director's loop while
 * the source updates from its own threads.
 */
public interface BackendSource extends AutoCloseable {
    /** The {@code KIND} word of {@code backends from KIND ...} that this source serves, e.g. {@code kubernetes}. */
    String kind();

    /**
     * Checks one service's arguments when a config is loaded.
     *
     * @throws IllegalArgumentException naming the bad argument; the director reports it as
     *         {@code file:line: backends from: <message>} and keeps the previous config
     */
    void validate(List<String> arguments);

    /**
     * The services of the current config that name this kind: at start and after every config
     * reload, with the new list. {@code onChange} may be called from any thread whenever
     * {@link #backends} would answer differently; it only wakes the director's loop (cheap, never blocks).
     */
    void watch(List<ServiceConfig> services, Runnable onChange);

    /** What is known now about one service's backends; never blocks on I/O. */
    DiscoveredBackends backends(ServiceConfig service);

    /** Stops watching; the director calls it when it closes. */
    @Override
    void close();
}
