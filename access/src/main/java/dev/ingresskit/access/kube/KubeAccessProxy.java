package dev.ingresskit.access.kube;

import dev.ingresskit.access.AccessIdentity;
import dev.ingresskit.access.AccessJwtException;
import dev.ingresskit.access.AccessJwtVerifier;
import dev.ingresskit.access.internal.HttpHead;
import dev.ingresskit.access.internal.HttpRelay;
import dev.ingresskit.access.internal.RequestToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A Kubernetes authenticating proxy for requests that Cloudflare Access forwarded: each request's
 * {@code Cf-Access-Jwt-Assertion} (or {@code CF_Authorization} cookie) is verified, the identity is
 * mapped by {@link ImpersonationRules}, and the request goes to the API server with the proxy's own
 * credentials plus {@code Impersonate-User} / {@code Impersonate-Group}, so RBAC applies to the user.
 *
 * <p>Whatever the client sent as {@code Authorization}, {@code Impersonate-*}, the Access token and
 * cookies is removed before forwarding: a caller cannot choose whom to impersonate. Requests without
 * a valid token or without a matching rule get a Kubernetes-style 403 {@code Status} and never reach
 * the API server. Bodies stream both ways; upgraded connections ({@code exec}, {@code attach},
 * {@code port-forward}) and chunked watches/{@code logs -f} pass through.
 */
public final class KubeAccessProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.ingresskit.access.kube");

    private final AccessJwtVerifier verifier;
    private final ImpersonationRules rules;
    private final String apiHost;
    private final int apiPort;
    private final SSLContext apiTls;
    private final String bearerToken;
    private final Path bearerTokenFile;
    private final ServerSocket server;
    private final Semaphore slots;
    private volatile boolean closed;

    private KubeAccessProxy(Builder b) throws IOException {
        this.verifier = b.verifier;
        this.rules = b.rules;
        this.apiHost = b.apiServer.getHost();
        boolean https = b.apiServer.getScheme().equals("https");
        this.apiPort = b.apiServer.getPort() > 0 ? b.apiServer.getPort() : https ? 443 : 80;
        this.apiTls = https ? (b.apiTls != null ? b.apiTls : defaultContext()) : null;
        this.bearerToken = b.bearerToken;
        this.bearerTokenFile = b.bearerTokenFile;
        this.slots = new Semaphore(b.maxConnections);
        this.server = b.listenTls != null ? b.listenTls.getServerSocketFactory().createServerSocket() : new ServerSocket();
        server.bind(b.listen, 128);
        Thread.ofPlatform().daemon().name("kube-access-proxy-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** A proxy in front of {@code apiServer} ({@code https://HOST:PORT}). */
    public static Builder builder(AccessJwtVerifier verifier, ImpersonationRules rules, URI apiServer) {
        return new Builder(verifier, rules, apiServer);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                slots.acquire();
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> {
                    try {
                        HttpRelay.serve(socket, this::decide, this::openApiServer);
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException | InterruptedException e) {
                slots.release();
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "kube-access-proxy accept failed: {0}", e.getMessage());
                }
                return;
            }
        }
    }

    HttpRelay.Decision decide(HttpHead request) throws IOException {
        String token = RequestToken.find(request.first(RequestToken.HEADER).orElse(null), request.all("Cookie"));
        AccessIdentity identity;
        try {
            identity = verifier.verify(token);
        } catch (AccessJwtException e) {
            LOG.log(System.Logger.Level.INFO, "refused {0}: Access token rejected ({1})", request.startLine(), e.check());
            return forbidden("Access token rejected (" + e.check() + ")");
        }
        Optional<ImpersonationRules.Impersonation> as = rules.map(identity);
        if (as.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "refused {0} for {1}: no impersonation rule allows it", request.startLine(), identity.principal());
            return forbidden("no impersonation rule allows " + identity.principal());
        }
        request.remove("Authorization");
        request.removeStartingWith("Impersonate-");
        request.remove(RequestToken.HEADER);
        request.remove("Cookie");
        request.remove("Proxy-Authorization");
        request.remove("Proxy-Connection");
        request.remove("Keep-Alive");
        request.set("Host", apiPort == 443 ? apiHost : apiHost + ":" + apiPort);
        String credential = bearer();
        if (credential != null) {
            request.add("Authorization", "Bearer " + credential);
        }
        request.add("Impersonate-User", as.get().user());
        for (String group : as.get().groups()) {
            request.add("Impersonate-Group", group);
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} as {1} {2}", request.startLine(), as.get().user(), as.get().groups());
        return new HttpRelay.Forward(request);
    }

    private String bearer() throws IOException {
        if (bearerTokenFile != null) {
            // re-read: projected service-account tokens rotate on disk
            return Files.readString(bearerTokenFile, StandardCharsets.UTF_8).strip();
        }
        return bearerToken;
    }

    private static HttpRelay.Reject forbidden(String message) {
        String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"forbidden: "
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"reason\":\"Forbidden\",\"code\":403}";
        return new HttpRelay.Reject(403, "Forbidden", "application/json", json);
    }

    private Socket openApiServer() throws IOException {
        if (apiTls == null) {
            return new Socket(apiHost, apiPort);
        }
        SSLSocket socket = (SSLSocket) apiTls.getSocketFactory().createSocket(apiHost, apiPort);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext defaultContext() throws IOException {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }

    @Override
    public String toString() {
        return "KubeAccessProxy[" + address() + " -> " + apiHost + ":" + apiPort + ", " + rules + "]";
    }

    /** Configures the proxy; each setter checks its argument at once. */
    public static final class Builder {
        private final AccessJwtVerifier verifier;
        private final ImpersonationRules rules;
        private final URI apiServer;
        private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private SSLContext listenTls;
        private SSLContext apiTls;
        private String bearerToken;
        private Path bearerTokenFile;
        private int maxConnections = 512;

        private Builder(AccessJwtVerifier verifier, ImpersonationRules rules, URI apiServer) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            this.rules = Objects.requireNonNull(rules, "rules");
            if (apiServer == null || apiServer.getHost() == null || !List.of("https", "http").contains(apiServer.getScheme())) {
                throw new IllegalArgumentException("API server must be an https://HOST:PORT URL, got " + apiServer);
            }
            this.apiServer = apiServer;
        }

        /** Where Access-forwarded requests arrive (default 127.0.0.1, a free port). */
        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Serve TLS on the listener (default plain HTTP, as behind cloudflared on the same host). */
        public Builder listenTls(SSLContext context) {
            this.listenTls = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Trust (and client certificate, if the proxy authenticates that way) for the API server. */
        public Builder apiServerTls(SSLContext context) {
            this.apiTls = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The proxy's own bearer token, allowed to impersonate. */
        public Builder bearerToken(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("bearer token must not be blank");
            }
            this.bearerToken = token.strip();
            this.bearerTokenFile = null;
            return this;
        }

        /** The proxy's bearer token, re-read from this file for each connection (a service-account token). */
        public Builder bearerTokenFile(Path file) {
            this.bearerTokenFile = Objects.requireNonNull(file, "file");
            this.bearerToken = null;
            return this;
        }

        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max connections must be at least 1, got " + max);
            }
            this.maxConnections = max;
            return this;
        }

        public KubeAccessProxy start() throws IOException {
            return new KubeAccessProxy(this);
        }
    }
}
