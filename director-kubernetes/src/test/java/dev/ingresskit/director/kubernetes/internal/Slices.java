package dev.ingresskit.director.kubernetes.internal;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.List;
import java.util.Map;

/** EndpointSlices as the EndpointSlice controller writes them, built tersely for tests. */
public final class Slices {
    private Slices() {
    }

    public static EndpointSlice slice(String name, String service, String addressType, List<EndpointPort> ports,
                               List<Endpoint> endpoints) {
        return slice(name, service, addressType, ports, endpoints, Map.of(), Map.of());
    }

    public static EndpointSlice slice(String name, String service, String addressType, List<EndpointPort> ports,
                               List<Endpoint> endpoints, Map<String, String> labels, Map<String, String> annotations) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(name).withNamespace(ApiServer.NAMESPACE)
                .addToLabels(SliceSelector.SERVICE_NAME_LABEL, service).addToLabels(labels)
                .addToAnnotations(annotations).endMetadata()
                .withAddressType(addressType)
                .withPorts(ports)
                .withEndpoints(endpoints)
                .build();
    }

    public static EndpointPort port(String name, Integer number) {
        return new EndpointPortBuilder().withName(name).withPort(number).withProtocol("TCP").build();
    }

    public static EndpointPort port(String name, Integer number, String protocol) {
        return new EndpointPortBuilder().withName(name).withPort(number).withProtocol(protocol).build();
    }

    public static Endpoint ready(String address) {
        return endpoint(address, true, true, false);
    }

    /** Terminating but still serving: the pod got SIGTERM and finishes its connections. */
    public static Endpoint terminating(String address) {
        return endpoint(address, false, true, true);
    }

    /** Started, readiness probe not yet passing. */
    public static Endpoint notReady(String address) {
        return endpoint(address, false, false, false);
    }

    public static Endpoint endpoint(String address, Boolean ready, Boolean serving, Boolean terminating) {
        return new EndpointBuilder().withAddresses(address)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .build();
    }
}
