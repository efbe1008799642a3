package dev.ingresskit.director.kubernetes.internal;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;

/**
 * One fabric8 informer on the {@code discovery.k8s.io/v1} EndpointSlices of one selector. The
 * informer lists, then watches from the list's resourceVersion; after a dropped watch it reconnects
 * from the last resourceVersion seen, and after {@code 410 Gone} (that version compacted away) it
 * lists afresh, which also removes slices deleted meanwhile. Its cache is left untouched while the
 * API server is unreachable: that cache is the "last known" state the director keeps.
 */
final class SliceWatch implements AutoCloseable {
    private final SliceSelector selector;
    private final SharedIndexInformer<EndpointSlice> informer;
    private volatile String lastError;
    private volatile boolean closed;

    SliceWatch(KubernetesClient client, SliceSelector selector, long resyncMillis, Runnable onEvent) {
        this.selector = selector;
        this.informer = client.discovery().v1().endpointSlices()
                .inNamespace(selector.namespace())
                .withLabels(selector.allLabels())
                .runnableInformer(resyncMillis);
        // The default handler gives up when the first list fails (API server down at start) and on
        // some watch errors; a director must keep trying for as long as it runs.
        informer.exceptionHandler((started, t) -> {
            lastError = describe(t);
            onEvent.run();
            return !closed;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                lastError = null;
                onEvent.run();
            }

            @Override
            public void onUpdate(EndpointSlice before, EndpointSlice after) {
                lastError = null;
                onEvent.run();
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
                onEvent.run();
            }

            @Override
            public void onList(String resourceVersion, boolean empty) {
                // Every completed list (the first, and each one after 410 Gone) means the API server
                // answered, even when it listed nothing.
                lastError = null;
                onEvent.run();
            }
        });
    }

    void start() {
        informer.start();
    }

    SliceSelector selector() {
        return selector;
    }

    List<EndpointSlice> slices() {
        return informer.getStore().list();
    }

    /** Listed at least once and the watch is open now. */
    boolean synced() {
        return informer.hasSynced() && informer.isWatching();
    }

    boolean listedOnce() {
        return informer.hasSynced();
    }

    String lastError() {
        return lastError;
    }

    private static String describe(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null && s.length() < 300; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank() && s.indexOf(m) < 0) {
                s.append(s.isEmpty() ? "" : ": ").append(m.strip());
            }
        }
        return s.isEmpty() ? t.getClass().getSimpleName() : s.toString();
    }

    @Override
    public void close() {
        closed = true;
        informer.close();
    }
}
