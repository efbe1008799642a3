package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.testserver.MutableClock;
import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reloading key manager in real TLS handshakes on localhost. */
class ReloadingKeyManagerTest {
    static final String TOKEN = "tls-token-0123456789";

    @TempDir
    Path dir;
    MutableClock clock;
    OriginCaTestServer server;
    OriginCaClient client;
    ExecutorService executor = Executors.newCachedThreadPool();

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        server = OriginCaTestServer.builder().token(TOKEN).clock(clock).start();
        client = OriginCaClient.builder().apiToken(TOKEN).baseUri(server.baseUri()).build();
    }

    @AfterEach
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    /** Accepts one connection on {@code listener}, handshakes, and returns what the client was served. */
    X509Certificate servedCertificate(SSLServerSocket listener, String protocol) throws Exception {
        Future<?> accept = executor.submit(() -> {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(1);
                out.flush();
            }
            return null;
        });
        SSLContext clientContext = SSLContext.getInstance("TLS");
        X509Certificate[][] seen = new X509Certificate[1][];
        // Records the chain instead of judging it: the test clock is days ahead of real time.
        clientContext.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain;
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                listener.getLocalPort())) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            assertEquals(1, in.read());
        }
        accept.get(30, TimeUnit.SECONDS);
        return seen[0][0];
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"TLSv1.3, EC_P256", "TLSv1.2, EC_P256", "TLSv1.3, RSA_2048", "TLSv1.2, RSA_3072"})
    void aRenewedCertificateIsServedWithoutRestart(String protocol, KeyAlgorithm algorithm) throws Exception {
        RenewalManager manager = RenewalManager.builder().client(client).directory(dir).clock(clock)
                .hostnames(List.of("tls.example.com")).keyAlgorithm(algorithm).validity(Validity.DAYS_7).build();
        RenewalResult first = manager.checkOnce();
        SSLContext context = manager.sslContext(); // built once, never rebuilt
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            assertEquals(first.certificate(), servedCertificate(listener, protocol));

            clock.advance(Duration.ofDays(5));
            RenewalResult renewed = manager.checkOnce();
            assertEquals(RenewalResult.Action.RENEWED, renewed.action());
            X509Certificate served = servedCertificate(listener, protocol);
            assertEquals(renewed.certificate(), served);
            assertNotEquals(first.certificate().getSerialNumber(), served.getSerialNumber());
        }
    }

    @Test
    void fromDirectoryReloadsWhatAnotherProcessRenewed() throws Exception {
        RenewalManager manager = RenewalManager.builder().client(client).directory(dir).clock(clock)
                .hostnames(List.of("reload.example.com")).validity(Validity.DAYS_7).build();
        RenewalResult first = manager.checkOnce();
        ReloadingKeyManager reader = ReloadingKeyManager.fromDirectory(dir);
        assertEquals(first.certificate(), reader.currentChain().getFirst());
        assertFalse(reader.reload(), "nothing changed");

        clock.advance(Duration.ofDays(6));
        RenewalResult renewed = manager.checkOnce();
        try (SSLServerSocket listener = (SSLServerSocket) reader.newSslContext().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            assertEquals(first.certificate(), servedCertificate(listener, "TLSv1.3"));
            assertTrue(reader.reload());
            assertEquals(renewed.certificate(), servedCertificate(listener, "TLSv1.3"));
        }
    }

    @Test
    void aHandshakeThatChoseTheOldAliasStillGetsAMatchingPair() {
        ReloadingKeyManager manager = ReloadingKeyManager.empty();
        assertNull(manager.chooseServerAlias("EC", null, null), "empty: nothing to offer");
        var keys1 = KeyAlgorithm.EC_P256.generate();
        var keys2 = KeyAlgorithm.EC_P256.generate();
        X509Certificate cert1 = issue(keys1);
        X509Certificate cert2 = issue(keys2);
        manager.update(keys1.getPrivate(), List.of(cert1));
        String alias = manager.chooseServerAlias("EC", null, null);
        assertNull(manager.chooseServerAlias("RSA", null, null), "an EC pair is not offered for RSA");
        manager.update(keys2.getPrivate(), List.of(cert2));
        // the handshake that chose `alias` before the swap
        assertEquals(keys1.getPrivate(), manager.getPrivateKey(alias));
        assertEquals(cert1, manager.getCertificateChain(alias)[0]);
        String fresh = manager.chooseServerAlias("EC", null, null);
        assertNotEquals(alias, fresh);
        assertEquals(cert2, manager.getCertificateChain(fresh)[0]);
        assertNull(manager.getPrivateKey("origin-ca-999"));
        assertNull(manager.getClientAliases("EC", null));
    }

    @Test
    void refusesAKeyThatDoesNotMatch() {
        ReloadingKeyManager manager = ReloadingKeyManager.empty();
        var keys = KeyAlgorithm.EC_P256.generate();
        X509Certificate other = issue(KeyAlgorithm.EC_P256.generate());
        assertThrows(IllegalArgumentException.class, () -> manager.update(keys.getPrivate(), List.of(other)));
        assertThrows(IllegalArgumentException.class, () -> manager.update(keys.getPrivate(), List.of()));
        assertTrue(manager.currentChain().isEmpty());
        assertThrows(IllegalStateException.class, manager::reload);
        assertThrows(java.io.UncheckedIOException.class, () -> ReloadingKeyManager.fromDirectory(dir.resolve("none")));
    }

    private X509Certificate issue(java.security.KeyPair keys) {
        return client.create(CertificateSigningRequest.create(keys, List.of("km.example.com")), Validity.DAYS_7)
                .certificate();
    }

}
