package dev.ingresskit.director.kubernetes.internal;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one informer watches: the EndpointSlices of {@code namespace} labelled
 * {@code kubernetes.io/service-name=service} and carrying every label of {@code labels}. Queries that
 * differ only in port, family or weight share one selector and so one watch.
 */
public record SliceSelector(String namespace, String service, SortedMap<String, String> labels) {
    /** The label the EndpointSlice controller puts on every slice of a Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    public SliceSelector {
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** The complete label selector sent to the API server. */
    public Map<String, String> allLabels() {
        TreeMap<String, String> all = new TreeMap<>(labels);
        all.put(SERVICE_NAME_LABEL, service);
        return all;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(namespace).append('/').append(service);
        labels.forEach((k, v) -> s.append(s.indexOf("[") < 0 ? "[" : ",").append(k).append('=').append(v));
        return labels.isEmpty() ? s.toString() : s.append(']').toString();
    }
}
