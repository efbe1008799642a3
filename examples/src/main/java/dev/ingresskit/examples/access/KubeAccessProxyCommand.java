package dev.ingresskit.examples.access;

import dev.ingresskit.access.AccessJwtVerifier;
import dev.ingresskit.access.AccessKeySource;
import dev.ingresskit.access.kube.ImpersonationRules;
import dev.ingresskit.access.kube.KubeAccessProxy;
import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** {@code kube-access-proxy}: verify Access JWTs and forward to the API server with impersonation. */
public final class KubeAccessProxyCommand implements Subcommand {
    private static final Options OPTIONS = Options.builder("--team DOMAIN --aud TAG --rules FILE --api-server URL [options]")
            .value("--team", "DOMAIN", "team domain, e.g. myteam.cloudflareaccess.com (the JWT's issuer)")
            .values("--aud", "TAG", "the Access application's audience tag (repeatable)")
            .value("--rules", "FILE", "impersonation rules (see access/README.md)")
            .value("--api-server", "URL", "the API server, https://HOST:PORT")
            .value("--api-ca", "PEM", "CA certificate(s) to trust for the API server (default: the JDK's)")
            .value("--token-file", "FILE", "the proxy's own bearer token, re-read per connection (e.g. a service-account token)")
            .value("--listen", "ADDR:PORT", "where Access-forwarded requests arrive (default 127.0.0.1:8080)")
            .value("--certs-url", "URL", "JWKS URL (default https://TEAM/cdn-cgi/access/certs)")
            .build();

    @Override
    public String name() {
        return "kube-access-proxy";
    }

    @Override
    public String summary() {
        return "Kubernetes authenticating proxy: Access JWT -> Impersonate-User/Group";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
        ImpersonationRules rules;
        Path rulesFile = Path.of(args.required("--rules"));
        try {
            rules = ImpersonationRules.parse(Files.readString(rulesFile));
        } catch (ImpersonationRules.RuleSyntaxException e) {
            throw new UsageException("--rules " + rulesFile + ": " + e.getMessage());
        }
        if (args.values("--aud").isEmpty()) {
            throw new UsageException("--aud is required (the application's audience tag)");
        }
        AccessJwtVerifier.Builder verifier;
        KubeAccessProxy.Builder proxy;
        try {
            verifier = AccessJwtVerifier.builder(args.required("--team")).audience(args.values("--aud").toArray(String[]::new));
            if (args.has("--certs-url")) {
                verifier.keySource(AccessKeySource.http(URI.create(args.value("--certs-url").orElseThrow()), Duration.ofSeconds(10)));
            }
            proxy = KubeAccessProxy.builder(verifier.build(), rules, URI.create(args.required("--api-server")))
                    .listen(AccessTcpCommand.hostPort("--listen", args.value("--listen").orElse("127.0.0.1:8080")));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (args.has("--api-ca")) {
            proxy.apiServerTls(trusting(Path.of(args.value("--api-ca").orElseThrow())));
        }
        if (args.has("--token-file")) {
            proxy.bearerTokenFile(Path.of(args.value("--token-file").orElseThrow()));
        }
        try (KubeAccessProxy running = proxy.start()) {
            out.println("kube-access-proxy: listening on " + running.address().getHostString() + ":" + running.address().getPort()
                    + " (Ctrl-C to stop)");
            new CountDownLatch(1).await();
        }
        return 0;
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
