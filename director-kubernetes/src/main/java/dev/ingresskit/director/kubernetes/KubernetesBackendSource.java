package dev.ingresskit.director.kubernetes;

import dev.ingresskit.director.BackendSource;
import dev.ingresskit.director.DiscoveredBackends;
import dev.ingresskit.director.DiscoveredBackends.SourceStatus;
import dev.ingresskit.director.ServiceConfig;
import dev.ingresskit.director.kubernetes.internal.KubernetesClients;
import dev.ingresskit.director.kubernetes.internal.KubernetesQuery;
import dev.ingresskit.director.kubernetes.internal.SliceWatchers;
import dev.ingresskit.director.kubernetes.internal.Subscription;
import dev.ingresskit.director.kubernetes.internal.View;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The director's {@code backends from kubernetes NAMESPACE/SERVICE port NAME|NUMBER [selector K=V,...]
 * [family ipv4|ipv6] [weight N]}: backends from the Service's EndpointSlices, watched through the
 * Kubernetes API (see the module README for the semantics).
 *
 * <pre>{@code
 * try (Director director = Director.builder(config)
 *         .kernel(Kernel.live(IpvsClient.open()))
 *         .backendSource(KubernetesBackendSource.builder().build())   // in-cluster or ~/.kube/config
 *         .build()) {
 *     director.run(stop);
 * }
 * }</pre>
 *
 * <p>Nothing connects to the API server until a config names a {@code kubernetes} service, so a
 * program can always register the source. Thread-safe.
 */
public final class KubernetesBackendSource implements BackendSource {
    /** The {@code KIND} word this source serves. */
    public static final String KIND = "kubernetes";

    private final Builder settings;
    private final Object lock = new Object();
    private KubernetesClient client;
    private boolean ownsClient;
    private SliceWatchers watchers;
    private boolean closed;

    private KubernetesBackendSource(Builder b) {
        this.settings = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(List<String> arguments) {
        KubernetesQuery.parse(arguments);
    }

    @Override
    public void watch(List<ServiceConfig> services, Runnable onChange) {
        List<Subscription> subscriptions = new ArrayList<>(services.size());
        for (ServiceConfig s : services) {
            subscriptions.add(subscription(s));
        }
        SliceWatchers w;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (watchers == null) {
                if (subscriptions.isEmpty()) {
                    return;
                }
                if (settings.client != null) {
                    client = settings.client;
                } else {
                    client = KubernetesClients.create(settings.kubeconfig, settings.context);
                    ownsClient = true;
                }
                watchers = new SliceWatchers(client, settings.resync, settings.statusInterval, settings.clock);
            }
            w = watchers;
        }
        w.watch(subscriptions, onChange);
    }

    @Override
    public DiscoveredBackends backends(ServiceConfig service) {
        SliceWatchers w;
        synchronized (lock) {
            w = watchers;
        }
        if (w == null) {
            return new DiscoveredBackends(List.of(),
                    new SourceStatus(false, settings.clock.instant(), "not watched: " + service.name()));
        }
        View v = w.view(subscription(service));
        return new DiscoveredBackends(v.endpoints(), new SourceStatus(v.synced(), v.since(), v.problem()));
    }

    private static Subscription subscription(ServiceConfig s) {
        if (s.discovery() == null || !KIND.equals(s.discovery().kind())) {
            throw new IllegalArgumentException("service " + s.name() + " does not say 'backends from " + KIND + "'");
        }
        // fwmark services match any protocol; the others take the slice port of their own transport.
        String protocol = s.isFwmark() ? null : s.service().protocol().name();
        return new Subscription(KubernetesQuery.parse(s.discovery().arguments()), protocol);
    }

    @Override
    public void close() {
        SliceWatchers w;
        KubernetesClient c;
        synchronized (lock) {
            closed = true;
            w = watchers;
            c = ownsClient ? client : null;
            watchers = null;
        }
        if (w != null) {
            w.close();
        }
        if (c != null) {
            c.close();
        }
    }

    /** Settings; every one has a default. */
    public static final class Builder {
        private KubernetesClient client;
        private Path kubeconfig;
        private String context;
        private Duration resync = Duration.ofMinutes(10);
        private Duration statusInterval = Duration.ofSeconds(1);
        private InstantSource clock = InstantSource.system();

        private Builder() {
        }

        /**
         * A client of the caller's (not closed by the source). Without it the source makes its own
         * on the JDK HTTP transport from {@link #kubeconfig} or fabric8's autodetection (in a pod the
         * service account, else {@code $KUBECONFIG} or {@code ~/.kube/config}).
         */
        public Builder client(KubernetesClient client) {
            if (kubeconfig != null || context != null) {
                throw new IllegalArgumentException("give a client or a kubeconfig/context, not both");
            }
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The kubeconfig file to use instead of autodetection. */
        public Builder kubeconfig(Path kubeconfig) {
            if (client != null) {
                throw new IllegalArgumentException("give a client or a kubeconfig, not both");
            }
            if (!Files.isRegularFile(kubeconfig)) {
                throw new IllegalArgumentException("kubeconfig " + kubeconfig + " is not a readable file");
            }
            this.kubeconfig = kubeconfig;
            return this;
        }

        /** The kubeconfig context to use instead of its current one. */
        public Builder context(String context) {
            if (client != null) {
                throw new IllegalArgumentException("give a client or a context, not both");
            }
            if (context == null || context.isBlank()) {
                throw new IllegalArgumentException("context must not be empty");
            }
            this.context = context;
            return this;
        }

        /**
         * How often the informers re-deliver their caches (recomputing every merge from memory, no
         * API request); default 10 minutes, {@link Duration#ZERO} for never.
         */
        public Builder resync(Duration resync) {
            if (resync.isNegative()) {
                throw new IllegalArgumentException("resync must not be negative: " + resync);
            }
            this.resync = resync;
            return this;
        }

        /**
         * How often the watch state is polled (fabric8 does not report a dropped watch); default 1 s.
         */
        public Builder statusInterval(Duration statusInterval) {
            if (statusInterval.isNegative() || statusInterval.isZero()) {
                throw new IllegalArgumentException("status interval must be positive: " + statusInterval);
            }
            this.statusInterval = statusInterval;
            return this;
        }

        /** The clock of {@code since} in the status. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public KubernetesBackendSource build() {
            return new KubernetesBackendSource(this);
        }
    }
}
