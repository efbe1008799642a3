package dev.ingresskit.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The client half of {@code cloudflared access tcp}: a local listener whose every accepted connection
 * travels as binary WebSocket messages over its own {@code wss://HOSTNAME/} connection, with the
 * Access credentials on the upgrade.
 *
 * <p>Guarantees: a login redirect or refusal from the edge is one {@link AccessTunnelException} of kind
 * {@code NOT_AUTHENTICATED} ("not authenticated for HOST: ...") reported to the error handler and by
 * {@link #check()}, and the local connection is closed at once; at most one WebSocket message per
 * direction is in flight per connection (the next local read waits for the send to complete, and the
 * next message is requested only after its bytes were written to the local socket); the local
 * client's end-of-stream becomes a WebSocket Close while data from the edge keeps flowing until the
 * edge closes (half-close); pings every {@link Builder#keepAlive} keep idle connections under the
 * edge's idle limit (~270 s); at most {@link Builder#maxConnections} connections are open, further
 * clients wait in the listen backlog.
 */
public final class AccessTunnel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.ingresskit.access");

    private final String hostname;
    private final URI edge;
    private final AccessCredentials credentials;
    private final String destination;
    private final Duration keepAlive;
    private final Duration connectTimeout;
    private final Clock clock;
    private final Consumer<AccessTunnelException> onError;
    private final HttpClient client;
    private final ServerSocket server;
    private final Semaphore slots;
    private final ScheduledExecutorService timers;
    private final Set<TunnelConnection> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private AccessTunnel(Builder b) throws IOException {
        this.hostname = b.hostname;
        this.edge = b.edge != null ? b.edge : URI.create("wss://" + b.hostname + "/");
        this.credentials = b.credentials;
        this.destination = b.destination;
        this.keepAlive = b.keepAlive;
        this.connectTimeout = b.connectTimeout;
        this.clock = b.clock;
        this.onError = b.onError;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor());
        if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        this.client = http.build();
        this.slots = new Semaphore(b.maxConnections);
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("access-tunnel-timer").factory());
        this.server = new ServerSocket();
        server.bind(b.listen, 128);
        this.acceptor = Thread.ofPlatform().daemon().name("access-tunnel-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** A builder for the Access application at {@code hostname} (the {@code --hostname} of cloudflared). */
    public static Builder builder(String hostname) {
        return new Builder(hostname);
    }

    /** Where local clients connect. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Connections currently carried. */
    public int activeConnections() {
        return open.size();
    }

    /**
     * Opens one WebSocket with the configured credentials and closes it: fails fast, before any client
     * connects, with the same typed error a connection would get.
     */
    public void check() throws AccessTunnelException {
        WebSocket ws = connect(new WebSocket.Listener() {
        });
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "check").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        ws.abort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                slots.release();
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "access tunnel accept failed: {0}", e.getMessage());
                }
                return;
            }
            TunnelConnection connection = new TunnelConnection(this, socket, keepAlive, timers);
            open.add(connection);
            Thread.ofVirtual().name("access-tunnel-" + socket.getPort()).start(connection::run);
        }
    }

    void finished(TunnelConnection connection) {
        if (open.remove(connection)) {
            slots.release();
        }
    }

    void report(AccessTunnelException e) {
        if (onError != null) {
            LOG.log(System.Logger.Level.DEBUG, e.getMessage());
            onError.accept(e);
        } else {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    /** Opens the WebSocket for one connection, mapping every failure to an {@link AccessTunnelException}. */
    WebSocket connect(WebSocket.Listener listener) throws AccessTunnelException {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(connectTimeout);
        for (Map.Entry<String, String> h : credentials.headers(hostname, clock).entrySet()) {
            builder.header(h.getKey(), h.getValue());
        }
        if (destination != null) {
            builder.header("Cf-Access-Jump-Destination", destination);
        }
        try {
            return builder.buildAsync(edge, listener).get(connectTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccessTunnelException(AccessTunnelException.Kind.CONNECT, hostname, "interrupted", e);
        } catch (TimeoutException e) {
            throw new AccessTunnelException(AccessTunnelException.Kind.CONNECT, hostname,
                    "no answer to the WebSocket upgrade at " + edge + " within " + connectTimeout.multipliedBy(2));
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    private AccessTunnelException failure(Throwable cause) {
        while ((cause instanceof CompletionException || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            HttpResponse<?> response = handshake.getResponse();
            int status = response.statusCode();
            String location = response.headers().firstValue("location").orElse(null);
            if (status >= 300 && status < 400) {
                return new AccessTunnelException(AccessTunnelException.Kind.NOT_AUTHENTICATED, hostname,
                        "the edge answered the WebSocket upgrade with " + status + " redirecting to "
                                + (location == null ? "(no Location)" : location)
                                + "; log in with `cloudflared access login " + hostname + "` (then --token-file) or pass a service token");
            }
            if (status == 401 || status == 403) {
                return new AccessTunnelException(AccessTunnelException.Kind.NOT_AUTHENTICATED, hostname,
                        "the edge refused the credentials (" + status + "): " + credentials
                                + " is wrong, expired, or not allowed by the application's policy");
            }
            return new AccessTunnelException(AccessTunnelException.Kind.HANDSHAKE, hostname,
                    "the edge answered " + status + " instead of 101 Switching Protocols at " + edge
                            + " (is the hostname an Access application with a TCP/SSH/RDP origin?)", cause);
        }
        String what = cause instanceof HttpTimeoutException ? "timed out connecting to " + edge
                : cause.getClass().getSimpleName() + " connecting to " + edge + ": " + cause.getMessage();
        return new AccessTunnelException(AccessTunnelException.Kind.CONNECT, hostname, what, cause);
    }

    /** Stops listening and aborts every carried connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listener we own; nothing to report
        }
        acceptor.interrupt();
        for (TunnelConnection c : open) {
            c.abort();
        }
        timers.shutdownNow();
        client.shutdownNow();
    }

    @Override
    public String toString() {
        return "AccessTunnel[" + localAddress() + " -> " + edge + ", " + credentials + "]";
    }

    /** Configures a tunnel; each setter checks its argument at once. */
    public static final class Builder {
        private final String hostname;
        private URI edge;
        private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private AccessCredentials credentials = AccessCredentials.none();
        private String destination;
        private Duration keepAlive = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxConnections = 256;
        private SSLContext sslContext;
        private Clock clock = Clock.systemUTC();
        private Consumer<AccessTunnelException> onError;

        private Builder(String hostname) {
            if (hostname == null || hostname.isBlank() || hostname.contains("/") || hostname.contains(" ")) {
                throw new IllegalArgumentException("hostname must be a host name such as ssh.example.com, got \"" + hostname + "\"");
            }
            this.hostname = hostname.strip();
        }

        /** Local address to listen on (default 127.0.0.1, any free port). */
        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder credentials(AccessCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** {@code Cf-Access-Jump-Destination}: the origin-side target, HOST:PORT. */
        public Builder destination(String hostPort) {
            int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1 || !hostPort.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("destination must be HOST:PORT, got \"" + hostPort + "\"");
            }
            this.destination = hostPort;
            return this;
        }

        /** Ping interval; must stay under the edge's idle timeout of about 270 s (default 60 s). */
        public Builder keepAlive(Duration interval) {
            if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofSeconds(260)) > 0) {
                throw new IllegalArgumentException("keep-alive must be between 0 and 260 s (the edge drops idle connections after ~270 s), got " + interval);
            }
            this.keepAlive = interval;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** At most this many carried connections; more clients wait in the backlog (default 256). */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max connections must be at least 1, got " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /** The WebSocket URL to dial instead of {@code wss://HOSTNAME/} (a test edge, a proxy). */
        public Builder edge(URI uri) {
            if (!"wss".equals(uri.getScheme()) && !"ws".equals(uri.getScheme())) {
                throw new IllegalArgumentException("edge must be a ws:// or wss:// URL, got " + uri);
            }
            this.edge = uri;
            return this;
        }

        /** TLS trust for the edge (default: the JDK's trust store). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Called once per connection that could not be opened (without a handler: logged as a warning). */
        public Builder onError(Consumer<AccessTunnelException> handler) {
            this.onError = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Binds the listener and starts accepting. */
        public AccessTunnel start() throws IOException {
            return new AccessTunnel(this);
        }
    }
}
