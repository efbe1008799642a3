package dev.ingresskit.director.kubernetes.internal;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's Kubernetes mock server in CRUD mode (it stores what is created and serves list and
 * watch over real HTTP and WebSockets), reached through two ports that share one store: the
 * "admin" port, which tests write through as kubectl would and which stays up, and the "api" port,
 * which the code under test watches and which a test can stop and start again (an API server
 * restart).
 *
 * <p>Two gaps of the CRUD mock are filled here, following the real API server's published
 * behaviour: the mock ignores a watch's {@code resourceVersion} (it replays the current objects as
 * ADDED, so deletions missed while disconnected are never seen), and it never answers
 * {@code 410 Gone}. {@link #expireHistory()} makes every later watch that starts from an older
 * resourceVersion get what kube-apiserver sends when that version has been compacted away: a
 * WebSocket with one {@code ERROR} event carrying a {@code Status} with code 410, reason
 * {@code Expired}.
 */
public final class ApiServer implements AutoCloseable {
    public static final String NAMESPACE = "default";
    // In the VM (emulated CPU, C1 only) the mock server's first requests take tens of seconds.
    private static final boolean SLOW = Boolean.getBoolean("ingresskit.kernel.vm");
    // One INFO line per request otherwise; held so the setting is not garbage collected.
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");
    private static final Pattern RESOURCE_VERSION = Pattern.compile("[?&]resourceVersion=(\\d+)");

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final AtomicLong goneBelow = new AtomicLong();
    private final AtomicInteger lists = new AtomicInteger();
    private final AtomicInteger gones = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<String> authorization =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final boolean https;
    private final Dispatcher dispatcher = new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            if (path.contains("/endpointslices") && request.getHeader("Authorization") != null) {
                authorization.set(request.getHeader("Authorization"));
            }
            if (path.contains("/endpointslices")) {
                if (!path.contains("watch=true")) {
                    if ("GET".equals(request.getMethod())) {
                        lists.incrementAndGet();
                    }
                } else {
                    Matcher m = RESOURCE_VERSION.matcher(path);
                    if (m.find() && Long.parseLong(m.group(1)) < goneBelow.get()) {
                        gones.incrementAndGet();
                        return new MockResponse().withWebSocketUpgrade(new Gone(m.group(1)));
                    }
                }
            }
            return crud.dispatch(request);
        }
    };
    private final KubernetesMockServer admin;
    private KubernetesMockServer api;
    private int apiPort;
    private final KubernetesClient adminClient;

    public ApiServer() {
        this(false);
    }

    /** @param https whether the api port speaks TLS (self-signed), as a real API server does */
    public ApiServer(boolean https) {
        this.https = https;
        admin = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), dispatcher, false);
        admin.init(InetAddress.getLoopbackAddress(), 0);
        adminClient = client(admin.getPort());
        startApi();
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    private KubernetesMockServer server() {
        return new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), dispatcher, https);
    }

    /** The Authorization header of the last EndpointSlice request (to check which credentials a client used). */
    String lastAuthorization() {
        return authorization.get();
    }

    /**
     * A client of the api port, reconnecting quickly so tests need not wait seconds. fabric8 also
     * retries a failed request itself (default 10 times from 100 ms, doubling to 3.2 s: about 19 s
     * before an informer hears of a refused connection); shortened here the same way.
     */
    public KubernetesClient newClient() {
        return client(apiPort);
    }

    static KubernetesClient client(int port) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port)
                .withNamespace(NAMESPACE)
                .withWatchReconnectInterval(50)
                .withRequestRetryBackoffInterval(50)
                .withRequestRetryBackoffLimit(3)
                .withRequestTimeout(SLOW ? 240_000 : 5_000)
                .withConnectionTimeout(SLOW ? 60_000 : 2_000)
                .withAutoConfigure(false)
                .build()).build();
    }

    public int apiPort() {
        return apiPort;
    }

    public void stopApi() {
        api.destroy();
        api = null;
    }

    public void startApi() {
        api = server();
        api.init(InetAddress.getLoopbackAddress(), apiPort);
        apiPort = api.getPort();
    }

    /** From now on a watch from any resourceVersion issued so far gets 410 Gone. */
    public void expireHistory() {
        goneBelow.set(crud.requestResourceVersion() + 1);
    }

    int lists() {
        return lists.get();
    }

    int gones() {
        return gones.get();
    }

    public void apply(EndpointSlice slice) {
        adminClient.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(slice)
                .createOr(NonDeletingOperation::update);
    }

    public void delete(String name) {
        adminClient.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(name).delete();
    }

    @Override
    public void close() {
        adminClient.close();
        if (api != null) {
            api.destroy();
        }
        admin.destroy();
    }

    private static final class Gone extends WebSocketListener {
        private final String version;

        Gone(String version) {
            this.version = version;
        }

        @Override
        public void onOpen(WebSocket socket, Response response) {
            socket.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                    + "\"status\":\"Failure\",\"message\":\"too old resource version: " + version + "\","
                    + "\"reason\":\"Expired\",\"code\":410}}");
            socket.close(1000, "");
        }
    }
}
