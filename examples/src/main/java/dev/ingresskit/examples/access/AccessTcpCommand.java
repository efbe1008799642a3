package dev.ingresskit.examples.access;

import dev.ingresskit.access.AccessCredentials;
import dev.ingresskit.access.AccessTunnel;
import dev.ingresskit.access.AccessTunnelException;
import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code access-tcp}: the client half of {@code cloudflared access tcp}, with a fail-fast credential check. */
public final class AccessTcpCommand implements Subcommand {
    static final String ID_ENV = "TUNNEL_SERVICE_TOKEN_ID";
    static final String SECRET_ENV = "TUNNEL_SERVICE_TOKEN_SECRET";

    private static final Options OPTIONS = Options.builder("--hostname H --url 127.0.0.1:PORT [credentials] [options]")
            .value("--hostname", "H", "the Access application's hostname (the WebSocket goes to wss://H/)")
            .value("--url", "ADDR:PORT", "local address to listen on, e.g. 127.0.0.1:8443")
            .value("--service-token-id", "ID", "service token client ID (or $" + ID_ENV + ")")
            .value("--service-token-secret", "SECRET", "service token client secret (or $" + SECRET_ENV + ", which keeps it out of ps)")
            .value("--token-file", "FILE", "file holding the application token from `cloudflared access login`")
            .value("--destination", "HOST:PORT", "Cf-Access-Jump-Destination: the origin-side target")
            .value("--keepalive", "SECONDS", "WebSocket ping interval, under the edge's ~270 s idle limit (default 60)")
            .value("--max-connections", "N", "connections carried at once (default 256)")
            .value("--edge", "URL", "dial this ws(s):// URL instead of wss://H/ (testing)")
            .flag("--no-check", "skip the start-up credential check")
            .build();

    @Override
    public String name() {
        return "access-tcp";
    }

    @Override
    public String summary() {
        return "carry local TCP connections to a Cloudflare Access application over WebSockets";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
        String hostname = args.required("--hostname");
        InetSocketAddress listen = hostPort("--url", args.required("--url"));
        AccessTunnel.Builder builder;
        try {
            builder = AccessTunnel.builder(hostname).listen(listen).credentials(credentials(args));
            if (args.has("--destination")) {
                builder.destination(args.value("--destination").orElseThrow());
            }
            builder.keepAlive(Duration.ofSeconds(args.intValue("--keepalive", 60)));
            builder.maxConnections(args.intValue("--max-connections", 256));
            if (args.has("--edge")) {
                builder.edge(URI.create(args.value("--edge").orElseThrow()));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        builder.onError(e -> err.println("access-tcp: " + e.getMessage()));
        try (AccessTunnel tunnel = builder.start()) {
            if (!args.has("--no-check")) {
                try {
                    tunnel.check();
                } catch (AccessTunnelException e) {
                    err.println("access-tcp: " + e.getMessage());
                    return 1;
                }
            }
            out.println("access-tcp: listening on " + tunnel.localAddress().getHostString() + ":" + tunnel.localAddress().getPort()
                    + " for " + hostname + " (Ctrl-C to stop)");
            new CountDownLatch(1).await();
        }
        return 0;
    }

    static AccessCredentials credentials(Arguments args) throws UsageException {
        String id = args.value("--service-token-id").orElse(System.getenv(ID_ENV));
        String secret = args.value("--service-token-secret").orElse(System.getenv(SECRET_ENV));
        boolean service = id != null || secret != null;
        if (service && args.has("--token-file")) {
            throw new UsageException("give a service token or --token-file, not both");
        }
        if (service) {
            if (id == null || secret == null) {
                throw new UsageException("a service token needs both --service-token-id and --service-token-secret");
            }
            return AccessCredentials.serviceToken(id, secret);
        }
        return args.value("--token-file").map(f -> AccessCredentials.tokenFile(Path.of(f))).orElse(AccessCredentials.none());
    }

    static InetSocketAddress hostPort(String option, String value) throws UsageException {
        int colon = value.lastIndexOf(':');
        try {
            if (colon > 0) {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (port >= 0 && port <= 65535) {
                    return new InetSocketAddress(value.substring(0, colon), port);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + ": expected ADDR:PORT, got \"" + value + "\"");
    }
}
