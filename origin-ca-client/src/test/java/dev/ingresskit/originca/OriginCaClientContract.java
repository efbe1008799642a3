package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.testserver.Fault;
import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's behaviour end to end against {@link OriginCaTestServer}, once per transport: each
 * subclass supplies the transport (and whether the server speaks HTTPS).
 */
abstract class OriginCaClientContract {
    static final String TOKEN = "cf-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
    private static KeyPair rsaKeys;
    private static KeyPair ecKeys;

    OriginCaTestServer server;
    FakePacer pacer;

    /** A transport that can reach {@code server} (trusting its certificate when it is HTTPS). */
    abstract Transport newTransport(OriginCaTestServer server);

    abstract boolean https();

    @BeforeAll
    static void keys() {
        rsaKeys = KeyAlgorithm.RSA_2048.generate();
        ecKeys = KeyAlgorithm.EC_P256.generate();
    }

    @BeforeEach
    void startServer() {
        server = OriginCaTestServer.builder().token(TOKEN).legacyKey("v1.0-legacykey-123456").https(https()).start();
        pacer = new FakePacer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    OriginCaClient.Builder client() {
        return OriginCaClient.builder().apiToken(TOKEN).baseUri(server.baseUri()).transport(newTransport(server))
                .pacer(pacer).requestTimeout(Duration.ofSeconds(20));
    }

    private static CertificateSigningRequest csr(KeyPair keys, String... hostnames) {
        return CertificateSigningRequest.create(keys, List.of(hostnames));
    }

    // ------------------------------------------------------------ happy paths

    @Test
    void createsAnRsaCertificateThatTheCaReallySigned() throws Exception {
        OriginCertificate cert = client().build().create(csr(rsaKeys, "example.com", "*.example.com"), Validity.DAYS_90);

        X509Certificate leaf = cert.certificate();
        leaf.verify(server.caCertificate().getPublicKey());
        assertEquals(rsaKeys.getPublic(), leaf.getPublicKey());
        assertEquals(List.of("example.com", "*.example.com"), cert.hostnames());
        assertEquals(List.of("example.com", "*.example.com"), dnsNames(leaf));
        assertEquals(RequestType.ORIGIN_RSA, cert.requestType());
        assertEquals(90, cert.requestedValidityDays());
        assertEquals(Duration.ofDays(90), Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
        assertEquals(leaf.getNotAfter().toInstant(), cert.expiresOn());
        assertFalse(cert.isRevoked());

        OriginCaTestServer.RecordedRequest request = server.requests().getFirst();
        assertEquals("POST", request.method());
        assertEquals("/client/v4/certificates", request.path());
        assertEquals("Bearer " + TOKEN, request.header("Authorization"));
        assertNull(request.header("X-Auth-User-Service-Key"));
        assertTrue(request.header("Content-Type").startsWith("application/json"));
        assertEquals(OriginCaClient.DEFAULT_USER_AGENT, request.header("User-Agent"));
    }

    @Test
    void createsAnEcCertificateWithGoStyleExpiryAndStringValidity() {
        server.timeFormat(OriginCaTestServer.TimeFormat.GO);
        server.validityAsString(true);
        OriginCertificate cert = client().build().create(csr(ecKeys, "api.example.org"), Validity.DAYS_7);
        assertEquals(RequestType.ORIGIN_ECC, cert.requestType());
        assertEquals(7, cert.requestedValidityDays());
        assertEquals(ecKeys.getPublic(), cert.certificate().getPublicKey());
        // The Go form has whole seconds, as does the certificate.
        assertEquals(cert.certificate().getNotAfter().toInstant(), cert.expiresOn());
    }

    @Test
    void internationalisedHostnamesAreSentAsPunycode() {
        OriginCertificate cert = client().build().create(csr(ecKeys, "bücher.example.com"), Validity.DAYS_30);
        assertEquals(List.of("xn--bcher-kva.example.com"), cert.hostnames());
        assertTrue(server.requests().getFirst().body().contains("\"xn--bcher-kva.example.com\""));
    }

    @Test
    void getAndRevoke() {
        OriginCaClient client = client().build();
        OriginCertificate created = client.create(csr(ecKeys, "www.example.com"), Validity.DAYS_30);
        OriginCertificate fetched = client.get(created.id());
        assertEquals(created.id(), fetched.id());
        assertEquals(created.certificate(), fetched.certificate());

        Revocation revocation = client.revoke(created.id());
        assertEquals(created.id(), revocation.id());
        assertEquals(server.issued(created.id()).revokedAt(), revocation.revokedAt());
        assertTrue(client.get(created.id()).isRevoked());
        assertEquals("DELETE", server.requests().get(2).method());
        assertEquals("/client/v4/certificates/" + created.id(), server.requests().get(2).path());
    }

    @Test
    void getOfAnUnknownIdIsNotFoundAndNotRetried() {
        OriginCaException e = assertThrows(OriginCaApiException.class, () -> client().build().get("12345"));
        assertTrue(e.isNotFound());
        assertEquals(1, e.attempts());
        assertEquals(1005, e.errors().getFirst().code());
        assertTrue(e.rayId().orElseThrow().endsWith("-TST"));
        assertTrue(pacer.sleeps.isEmpty());
    }

    @Test
    void listFetchesEveryPageLazily() {
        OriginCaClient client = client().pageSize(3).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(client.create(csr(ecKeys, "h" + i + ".example.com"), Validity.DAYS_7).id());
        }
        client.create(csr(ecKeys, "other.example.org"), Validity.DAYS_7); // another zone
        server.clearRequests();

        Stream<ListedCertificate> stream = client.list(ZONE);
        assertEquals(0, server.requests().size(), "nothing is fetched before the stream is consumed");
        assertEquals(ids, stream.map(ListedCertificate::id).toList());
        List<String> queries = server.requests().stream().map(OriginCaTestServer.RecordedRequest::query).toList();
        assertEquals(List.of("zone_id=" + ZONE + "&page=1&per_page=3", "zone_id=" + ZONE + "&page=2&per_page=3",
                "zone_id=" + ZONE + "&page=3&per_page=3"), queries);

        server.clearRequests();
        assertEquals(ids.subList(0, 2), client.list(ZONE).limit(2).map(ListedCertificate::id).toList());
        assertEquals(1, server.requests().size(), "a short prefix needs only the first page");
    }

    @Test
    void listKeepsEveryItemWhenSomeAreUnreadable() {
        OriginCaClient client = client().pageSize(2).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.create(csr(ecKeys, "odd" + i + ".example.com"), Validity.DAYS_7).id());
        }
        server.alterListedField(ids.get(1), "certificate", "");
        server.alterListedField(ids.get(2), "certificate", "-----BEGIN CERTIFICATE-----\nbm90IGRlcg==\n-----END CERTIFICATE-----\n");
        server.alterListedField(ids.get(2), "csr", 42);
        server.alterListedField(ids.get(3), "csr", "");
        server.alterListedField(ids.get(4), "hostnames", List.of("odd4.example.com", 7));
        server.alterListedField(ids.get(4), "expires_on", OriginCaTestServer.OMIT);

        List<ListedCertificate> listed = client.list(ZONE).toList();
        assertEquals(ids, listed.stream().map(ListedCertificate::id).toList(), "every item, in order, across pages");

        ListedCertificate fine = listed.get(0);
        assertTrue(fine.isReadable(), fine.problems().toString());
        assertEquals(server.issued(ids.get(0)).certificate(), fine.leaf().orElseThrow());
        assertEquals(List.of("odd0.example.com"), fine.hostnames());
        assertEquals("origin-ecc", fine.requestType());
        assertEquals(7, fine.requestedValidityDays());

        ListedCertificate empty = listed.get(1);
        assertFalse(empty.isReadable());
        assertEquals("", empty.certificatePem());
        assertTrue(empty.chain().isEmpty() && empty.leaf().isEmpty());
        assertEquals(1, empty.problems().size(), empty.problems().toString());
        assertTrue(empty.problems().getFirst().startsWith("field 'certificate': PEM:"), empty.problems().toString());
        // the metadata beside the broken field is all there
        assertEquals(List.of("odd1.example.com"), empty.hostnames());
        assertEquals(server.issued(ids.get(1)).certificate().getNotAfter().toInstant(), empty.expiresOn().orElseThrow());
        assertEquals(server.issued(ids.get(1)).csr(), empty.csrPem());

        ListedCertificate garbage = listed.get(2);
        assertTrue(garbage.certificatePem().contains("bm90IGRlcg=="), "the raw field is carried");
        assertEquals(2, garbage.problems().size(), garbage.problems().toString());
        assertTrue(garbage.problems().get(0).startsWith("field 'certificate': "), garbage.problems().toString());
        assertEquals("field 'csr': expected a string, got 42", garbage.problems().get(1));
        assertEquals("", garbage.csrPem());

        ListedCertificate noCsr = listed.get(3);
        assertTrue(noCsr.isReadable(), "an empty csr is no problem: " + noCsr.problems());
        assertEquals("", noCsr.csrPem());

        ListedCertificate oddNames = listed.get(4);
        assertEquals(List.of("odd4.example.com"), oddNames.hostnames());
        assertEquals(List.of("field 'hostnames[1]': expected a string, got 7"), oddNames.problems());
        assertEquals(server.issued(ids.get(4)).certificate().getNotAfter().toInstant(), oddNames.expiresOn().orElseThrow(),
                "without expires_on, the leaf's notAfter");

        // get() of an item is not a listing: it still needs the certificate it returns
        assertEquals(server.issued(ids.get(1)).certificate(), client.get(ids.get(1)).certificate());
    }

    @Test
    void listItemsThatAreNotCertificatesAreKeptAndNamed() {
        server.enqueue(Fault.raw(200, "application/json", "{\"success\":true,\"errors\":[],\"messages\":[],"
                + "\"result\":[{\"id\":\"a1\",\"certificate\":\"\",\"hostnames\":[],\"expires_on\":\"soon\","
                + "\"requested_validity\":\"ninety\",\"revoked_at\":\"yesterday\"},7,{\"certificate\":null,"
                + "\"hostnames\":\"a.example.com\"}],\"result_info\":{\"page\":1,\"total_pages\":1}}"));
        List<ListedCertificate> listed = client().build().list(ZONE).toList();
        assertEquals(3, listed.size());
        assertEquals("a1", listed.get(0).id());
        assertEquals(4, listed.get(0).problems().size(), listed.get(0).problems().toString());
        assertTrue(listed.get(0).expiresOn().isEmpty() && listed.get(0).revokedAt().isEmpty());
        assertTrue(listed.get(0).toString().contains("unreadable: field 'certificate'"), listed.get(0).toString());
        assertEquals(List.of("expected an object, got 7"), listed.get(1).problems());
        assertEquals("", listed.get(2).id());
        assertEquals(List.of("field 'id': expected a string, got nothing (missing)",
                "field 'certificate': expected a string, got null",
                "field 'hostnames': expected an array, got the string \"a.example.com\""), listed.get(2).problems());
    }

    @Test
    void everyErrorEntryIsKeptEvenOneThatIsNotAnObject() {
        server.enqueue(Fault.raw(400, "application/json", "{\"success\":false,\"errors\":[{\"code\":1001,"
                + "\"message\":\"bad zone\"},1100,[\"x\"]],\"messages\":[],\"result\":null}"));
        OriginCaApiException e = assertThrows(OriginCaApiException.class, () -> client().build().list(ZONE).toList());
        assertEquals(List.of(new ApiError(1001, "bad zone"), new ApiError(0, "unreadable error entry: 1100"),
                new ApiError(0, "unreadable error entry: an array")), e.errors());
    }

    @Test
    void listWithoutTotalPagesStopsAtAShortPage() {
        server.omitTotalPages(true);
        OriginCaClient client = client().pageSize(2).build();
        for (int i = 0; i < 4; i++) {
            client.create(csr(ecKeys, "n" + i + ".example.com"), Validity.DAYS_7);
        }
        server.clearRequests();
        assertEquals(4, client.list(ZONE).count());
        // pages 1, 2 full; page 3 empty ends it
        assertEquals(3, server.requests().size());
    }

    @Test
    void listOfAnEmptyZoneIsOneRequest() {
        assertEquals(0, client().build().list(ZONE).count());
        assertEquals(1, server.requests().size());
    }

    // ------------------------------------------------------- credentials

    @Test
    void legacyKeyIsSentOnlyInItsOwnHeader() {
        OriginCaClient client = OriginCaClient.builder().legacyOriginCaKey("  v1.0-legacykey-123456\n")
                .baseUri(server.baseUri()).transport(newTransport(server)).pacer(pacer).build();
        client.create(csr(ecKeys, "legacy.example.com"), Validity.DAYS_7);
        OriginCaTestServer.RecordedRequest request = server.requests().getFirst();
        assertEquals("v1.0-legacykey-123456", request.header("X-Auth-User-Service-Key"));
        assertNull(request.header("Authorization"));
    }

    @Test
    void tokenIsTrimmedOfWhitespaceAndNewlines() {
        OriginCaClient client = OriginCaClient.builder().apiToken("\t " + TOKEN + "\r\n")
                .baseUri(server.baseUri()).transport(newTransport(server)).pacer(pacer).build();
        client.create(csr(ecKeys, "trim.example.com"), Validity.DAYS_7);
        assertEquals("Bearer " + TOKEN, server.requests().getFirst().header("Authorization"));
    }

    @Test
    void wrongTokenIsAnAuthenticationFailureWithoutRetryOrLeak() {
        String wrong = "wrong-token-SECRET-42";
        OriginCaClient client = OriginCaClient.builder().apiToken(wrong)
                .baseUri(server.baseUri()).transport(newTransport(server)).pacer(pacer).build();
        OriginCaException e = assertThrows(OriginCaApiException.class,
                () -> client.create(csr(ecKeys, "x.example.com"), Validity.DAYS_7));
        assertTrue(e.isAuthenticationFailure());
        assertEquals(403, e.httpStatus());
        assertEquals(10000, e.errors().getFirst().code());
        assertEquals(1, server.requests().size());
        assertFalse(e.isTransient());
        assertNoSecret(wrong, e.getMessage(), e.toString(), client.toString());
    }

    // ------------------------------------------------- validation first

    @Test
    void badHostnamesAreRefusedBeforeAnyRequest() {
        OriginCaClient client = client().build();
        String csrPem = csr(ecKeys, "ok.example.com").pem();
        for (List<String> bad : List.of(List.of("192.0.2.1"), List.of("localhost"), List.of("*.*.example.com"),
                List.of("a..example.com"), List.of("-x.example.com"), List.of("[::1]"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.create(bad, RequestType.ORIGIN_ECC, Validity.DAYS_7, csrPem), bad.toString());
            assertTrue(e.getMessage().contains("hostname[0]"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> client.create(List.of("ok.example.com"), RequestType.ORIGIN_ECC, Validity.DAYS_7, "not a csr"));
        assertThrows(IllegalArgumentException.class, () -> client.get("../../zones"));
        assertThrows(IllegalArgumentException.class, () -> client.list("zone id with spaces"));
        assertEquals(0, server.requests().size());
    }

    // ----------------------------------------------------------- retries

    @Test
    void rateLimitHonoursRetryAfter() {
        server.enqueue(Fault.rateLimited(3));
        OriginCertificate cert = client().build().create(csr(ecKeys, "rl.example.com"), Validity.DAYS_7);
        assertEquals("rl.example.com", cert.hostnames().getFirst());
        assertEquals(List.of(Duration.ofSeconds(3)), pacer.sleeps);
        assertEquals(2, server.requests().size());
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOffExponentially() {
        server.enqueue(Fault.rateLimitedWithoutRetryAfter(), Fault.rateLimitedWithoutRetryAfter(),
                Fault.rateLimitedWithoutRetryAfter());
        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), 0);
        client().retryPolicy(policy).build().create(csr(ecKeys, "rl.example.com"), Validity.DAYS_7);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), pacer.sleeps);
    }

    @Test
    void error1100IsRetriedThenSucceeds() {
        server.enqueue(Fault.error1100());
        OriginCertificate cert = client().build().create(csr(rsaKeys, "db.example.com"), Validity.DAYS_365);
        assertEquals(365, cert.requestedValidityDays());
        assertEquals(2, server.requests().size());
        assertEquals(1, pacer.sleeps.size());
        assertEquals(1, server.issued().size(), "the failed attempt issued nothing");
    }

    @Test
    void error1100WithStatus400IsStillRetried() {
        server.enqueue(Fault.apiError(400, 1100, "Failed to write certificate to Database"));
        client().build().create(csr(rsaKeys, "db.example.com"), Validity.DAYS_365);
        assertEquals(2, server.requests().size());
    }

    @Test
    void serverErrorsAreRetriedUntilTheAttemptLimit() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(Fault.raw(502, "text/html", "<html><body>502 Bad Gateway</body></html>"));
        }
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(3);
        OriginCaException e = assertThrows(OriginCaApiException.class,
                () -> client().retryPolicy(policy).build().get("1"));
        assertEquals(502, e.httpStatus());
        assertEquals(3, e.attempts());
        assertTrue(e.errors().isEmpty());
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("text/html"), e.getMessage());
        assertEquals(3, server.requests().size());
        assertEquals(2, pacer.sleeps.size());
        // 50% jitter: the first wait is within [0.5 s, 1 s], the second within [1 s, 2 s]
        assertTrue(between(pacer.sleeps.get(0), Duration.ofMillis(500), Duration.ofSeconds(1)), pacer.sleeps.toString());
        assertTrue(between(pacer.sleeps.get(1), Duration.ofSeconds(1), Duration.ofSeconds(2)), pacer.sleeps.toString());
    }

    @Test
    void retryAfterBeyondTheTimeBudgetGivesUpAtOnce() {
        server.enqueue(Fault.rateLimited(600));
        OriginCaException e = assertThrows(OriginCaApiException.class,
                () -> client().build().create(csr(ecKeys, "rl.example.com"), Validity.DAYS_7));
        assertTrue(e.isRateLimited());
        assertEquals(Duration.ofSeconds(600), e.retryAfter().orElseThrow());
        assertEquals(1, e.attempts());
        assertTrue(pacer.sleeps.isEmpty());
        assertEquals(971, e.errors().getFirst().code());
    }

    @Test
    void totalTimeIsBounded() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(Fault.rateLimited(20));
        }
        RetryPolicy policy = RetryPolicy.DEFAULT.withMaxAttempts(10).withMaxElapsed(Duration.ofSeconds(50));
        OriginCaException e = assertThrows(OriginCaApiException.class,
                () -> client().retryPolicy(policy).build().get("1"));
        // waits of 20 s: after two (40 s) a third would pass 50 s
        assertEquals(List.of(Duration.ofSeconds(20), Duration.ofSeconds(20)), pacer.sleeps);
        assertEquals(3, e.attempts());
    }

    @Test
    void aTimedOutReadIsRetried() {
        String id = client().build().create(csr(ecKeys, "slow.example.com"), Validity.DAYS_7).id();
        server.clearRequests();
        server.enqueue(Fault.slow(Duration.ofSeconds(30)));
        // generous against a loaded machine, far below the 30 s the first answer takes
        OriginCaClient impatient = client().requestTimeout(Duration.ofSeconds(3)).build();
        assertEquals(id, impatient.get(id).id());
        assertTrue(server.requests().size() >= 2, "the timed-out read was sent again");
        assertEquals(server.requests().size() - 1, pacer.sleeps.size(), "one backoff wait per retry");
    }

    @Test
    void aTimedOutCreateIsNotRepeated() {
        server.enqueue(Fault.slow(Duration.ofSeconds(30)));
        OriginCaClient client = client().requestTimeout(Duration.ofSeconds(3)).build();
        OriginCaTransportException e = assertThrows(OriginCaTransportException.class,
                () -> client.create(csr(ecKeys, "slow.example.com"), Validity.DAYS_7));
        assertTrue(e.mayHaveReachedServer());
        assertEquals(1, e.attempts());
        assertEquals(1, server.requests().size(), "the create may have been processed: no second request");
        assertTrue(e.isTransient());
    }

    @Test
    void malformedJsonOnSuccessIsAProtocolErrorAndNotRetried() {
        server.enqueue(Fault.malformedJson(200));
        OriginCaException e = assertThrows(OriginCaProtocolException.class, () -> client().build().get("1"));
        assertEquals(200, e.httpStatus());
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void emptyBodies() {
        server.enqueue(Fault.emptyBody(200));
        OriginCaException ok = assertThrows(OriginCaProtocolException.class, () -> client().build().get("1"));
        assertTrue(ok.getMessage().contains("empty response body"));
        server.enqueue(Fault.emptyBody(400));
        OriginCaException bad = assertThrows(OriginCaApiException.class, () -> client().build().get("1"));
        assertEquals(400, bad.httpStatus());
        assertTrue(bad.errors().isEmpty());
    }

    @Test
    void errorEnvelopeWithoutErrors() {
        server.enqueue(Fault.emptyErrorEnvelope(400));
        OriginCaException e = assertThrows(OriginCaApiException.class, () -> client().build().get("1"));
        assertEquals(400, e.httpStatus());
        assertTrue(e.errors().isEmpty());
        assertTrue(e.getMessage().contains("no errors listed"), e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void everyErrorOfTheEnvelopeIsKept() {
        server.enqueue(Fault.apiErrors(400, List.of(Map.of("code", 1001, "message", "Invalid CSR"),
                Map.of("code", "1010", "message", "Bad validity"))));
        OriginCaException e = assertThrows(OriginCaApiException.class,
                () -> client().build().create(csr(ecKeys, "e.example.com"), Validity.DAYS_7));
        assertEquals(List.of(new ApiError(1001, "Invalid CSR"), new ApiError(1010, "Bad validity")), e.errors());
        assertTrue(e.getMessage().contains("1001: Invalid CSR; 1010: Bad validity"), e.getMessage());
        assertTrue(e.getMessage().contains("cf-ray"), e.getMessage());
        assertTrue(e.hasErrorCode(1010));
    }

    @Test
    void connectionRefusedIsATransportFailureRetriedEvenForCreate() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        OriginCaClient client = client().baseUri(URI.create((https() ? "https" : "http") + "://127.0.0.1:" + port))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(2)).build();
        OriginCaTransportException e = assertThrows(OriginCaTransportException.class,
                () -> client.create(csr(ecKeys, "down.example.com"), Validity.DAYS_7));
        assertFalse(e.mayHaveReachedServer());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
        assertEquals(2, e.attempts());
        assertEquals(0, e.httpStatus());
    }

    // ---------------------------------------------------------- secrecy

    @Test
    void credentialsNeverAppearInExceptionsToStringsOrLogs() {
        List<String> logged = new ArrayList<>();
        Logger logger = Logger.getLogger(OriginCaClient.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        try {
            server.enqueue(Fault.rateLimited(1), Fault.error1100(), Fault.raw(503, "text/plain", "down"),
                    Fault.malformedJson(200));
            OriginCaClient client = client().build();
            OriginCaException e = assertThrows(OriginCaProtocolException.class,
                    () -> client.create(csr(ecKeys, "s.example.com"), Validity.DAYS_7));
            assertEquals(4, e.attempts());
            assertFalse(logged.isEmpty(), "retries are logged");
            List<String> texts = new ArrayList<>(logged);
            texts.add(e.getMessage());
            texts.add(e.toString());
            texts.add(client.toString());
            texts.add(new Transport.Request("GET", URI.create("http://h/"), Map.of("Authorization", "Bearer " + TOKEN),
                    null, Duration.ofSeconds(1)).toString());
            assertNoSecret(TOKEN, texts.toArray(String[]::new));
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(previous);
        }
    }

    // ------------------------------------------------------------ helpers

    static void assertNoSecret(String secret, String... texts) {
        for (String text : texts) {
            assertFalse(text.contains(secret), "secret leaked into: " + text);
            assertFalse(text.contains(secret.substring(0, 12)), "part of the secret leaked into: " + text);
        }
    }

    static boolean between(Duration d, Duration low, Duration high) {
        return d.compareTo(low) >= 0 && d.compareTo(high) <= 0;
    }

    static List<String> dnsNames(X509Certificate certificate) throws Exception {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        List<String> out = new ArrayList<>();
        for (Iterator<List<?>> it = names.iterator(); it.hasNext(); ) {
            List<?> name = it.next();
            if ((Integer) name.get(0) == 2) {
                out.add((String) name.get(1));
            }
        }
        return out;
    }

    @Test
    void expiryIsTruncatedToSecondsLikeTheCertificate() {
        OriginCertificate cert = client().build().create(csr(ecKeys, "t.example.com"), Validity.DAYS_7);
        assertEquals(cert.expiresOn(), cert.expiresOn().truncatedTo(ChronoUnit.SECONDS));
        assertNotEquals("", cert.csrPem());
        assertInstanceOf(String.class, cert.id());
    }
}
