/**
 * Director backends from Kubernetes EndpointSlices. The fabric8 jars carry no module descriptor and
 * no Automatic-Module-Name, so they are automatic modules named after their file names
 * ({@code kubernetes-client-api-8.0.0.jar} → {@code kubernetes.client.api}); see the README.
 */
module dev.ingresskit.director.kubernetes {
    requires transitive dev.ingresskit.director;
    requires transitive kubernetes.client.api;
    requires kubernetes.model.core;
    requires kubernetes.model.common;
    requires kubernetes.model.discovery;
    requires io.fabric8.kubernetes.client.jdkhttp;

    exports dev.ingresskit.director.kubernetes;
}
