package dev.ingresskit.director.kubernetes.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Clients on the JDK's {@code java.net.http} transport, named explicitly so that another fabric8
 * transport on the class path (Vert.x, OkHttp) is never picked by the service loader instead.
 */
public final class KubernetesClients {
    private KubernetesClients() {
    }

    /**
     * @param kubeconfig a kubeconfig file, or null for fabric8's autodetection: in a pod the service
     *                   account (token, CA and {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}), else
     *                   {@code $KUBECONFIG} or {@code ~/.kube/config}
     * @param context    the kubeconfig context to use, or null for its current context
     */
    public static KubernetesClient create(Path kubeconfig, String context) {
        Config config;
        if (kubeconfig != null) {
            if (!Files.isRegularFile(kubeconfig)) {
                throw new IllegalArgumentException("kubeconfig " + kubeconfig + " is not a readable file");
            }
            config = Config.fromKubeconfig(context, kubeconfig.toFile());
        } else {
            config = Config.autoConfigure(context);
        }
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }
}
