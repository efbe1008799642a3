package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.okhttp.OkHttpTransport;
import dev.ingresskit.originca.testserver.OriginCaTestServer;
import dev.ingresskit.testsupport.ReadmeSnippet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's snippets, compiled and run against the local test CA. */
class ReadmeSnippetTest {
    @TempDir
    Path dir;

    @Test
    void usageSnippetRuns() throws Exception {
        try (OriginCaTestServer server = OriginCaTestServer.builder().token("readme-token-123").start()) {
            String token = "readme-token-123";
            URI endpoint = server.baseUri();
            // snippet: usage
            OriginCaClient client = OriginCaClient.builder()
                    .apiToken(token)                // Zone > SSL and Certificates > Edit
                    .baseUri(endpoint)              // leave out for https://api.cloudflare.com/client/v4
                    .build();

            // One certificate, by hand
            KeyPair keys = KeyAlgorithm.EC_P256.generate();
            CertificateSigningRequest csr = CertificateSigningRequest.create(keys, List.of("example.com", "*.example.com"));
            Validity.Choice validity = Validity.nearest(Duration.ofDays(100)); // 90 days, and it says so
            OriginCertificate cert = client.create(csr, validity.chosen());
            Files.writeString(dir.resolve("key.pem"), Pem.privateKey(keys.getPrivate()));
            Files.writeString(dir.resolve("cert.pem"), cert.certificatePem());

            // Or keep a pair current on disk and in a live SSLContext
            RenewalManager renewal = RenewalManager.builder()
                    .client(client)
                    .directory(dir.resolve("tls"))
                    .hostnames(List.of("www.example.com"))
                    .validity(Validity.DAYS_90)
                    .build();
            renewal.checkOnce();                    // issues now; renews once 2/3 of the lifetime has passed
            SSLContext tls = renewal.sslContext();  // follows renewals without a restart
            renewal.start(Duration.ofHours(1));     // optional: check in a background thread
            // end snippet
            renewal.close();

            assertFalse(validity.exact());
            assertEquals(90, cert.requestedValidityDays());
            assertEquals(List.of("example.com", "*.example.com"), cert.hostnames());
            assertTrue(Files.isRegularFile(dir.resolve("tls/key.pem")));
            assertEquals(2, server.issued().size());
            assertEquals(1, renewal.keyManager().currentChain().size());
            assertTrue(tls.getServerSocketFactory() != null);
        }
    }

    @Test
    void okHttpSnippetRuns() {
        try (OriginCaTestServer server = OriginCaTestServer.builder().token("readme-token-123").start()) {
            String token = "readme-token-123";
            URI endpoint = server.baseUri();
            // snippet: okhttp
            OriginCaClient client = OriginCaClient.builder()
                    .apiToken(token)
                    .baseUri(endpoint)
                    .transport(OkHttpTransport.create(new OkHttpClient()))
                    .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(3))
                    .build();
            // end snippet
            assertEquals(0, client.list("023e105f4ecef8ad9ca31a8372d0c353").count());
        }
    }

    @Test
    void readmeMatchesTheCode() {
        String source = "src/test/java/dev/ingresskit/originca/ReadmeSnippetTest.java";
        ReadmeSnippet.assertInSync("README.md", source, "usage");
        ReadmeSnippet.assertInSync("README.md", source, "okhttp");
    }
}
