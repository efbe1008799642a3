package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.testserver.Fault;
import dev.ingresskit.originca.testserver.MutableClock;
import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RenewalManagerTest {
    static final String TOKEN = "renewal-token-0123456789";
    static final List<String> HOSTS = List.of("www.example.com", "api.example.com");

    @TempDir
    Path dir;
    MutableClock clock;
    OriginCaTestServer server;
    OriginCaClient client;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        server = OriginCaTestServer.builder().token(TOKEN).clock(clock).start();
        client = OriginCaClient.builder().apiToken(TOKEN).baseUri(server.baseUri()).pacer(new FakePacer()).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    RenewalManager.Builder manager() {
        return RenewalManager.builder().client(client).directory(dir).hostnames(HOSTS).validity(Validity.DAYS_7)
                .clock(clock);
    }

    /** The pair a reader of DIR/key.pem and DIR/cert.pem sees, checked to be complete and matching. */
    record Pair(PrivateKey key, X509Certificate certificate) {
    }

    Pair readPair() throws IOException {
        PrivateKey key = Pem.readPrivateKey(Files.readString(dir.resolve("key.pem")));
        X509Certificate cert = Pem.readCertificates(Files.readString(dir.resolve("cert.pem"))).getFirst();
        assertTrue(ReloadingKeyManager.matches(key, cert.getPublicKey()), "key.pem and cert.pem must match");
        return new Pair(key, cert);
    }

    @Test
    void issuesWhenMissingAndKeepsTheKeyPrivate() throws Exception {
        RenewalResult result = manager().build().checkOnce();
        assertEquals(RenewalResult.Action.ISSUED, result.action());
        assertTrue(result.reason().contains("key.pem is missing"), result.reason());
        Pair pair = readPair();
        assertEquals(result.certificate(), pair.certificate());
        assertEquals(HOSTS, OriginCaClientContract.dnsNames(pair.certificate()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))));
        assertTrue(Files.isSymbolicLink(dir.resolve("live")));
        assertTrue(Files.isSymbolicLink(dir.resolve("key.pem")));

        CertificateStore.Metadata metadata = CertificateStore.Metadata.fromJson(Files.readString(dir.resolve("metadata.json")));
        assertEquals(result.certificateId(), metadata.id());
        assertEquals(HOSTS, metadata.hostnames());
        assertEquals(KeyAlgorithm.EC_P256, metadata.keyAlgorithm());
        assertEquals(7, metadata.validityDays());
        assertEquals(pair.certificate().getNotAfter().toInstant(), metadata.notAfter());
        // 2/3 of 7 days
        assertEquals(pair.certificate().getNotBefore().toInstant().plus(Duration.ofHours(112)), result.renewAt());
        assertEquals(server.issued(result.certificateId()).certificate(), pair.certificate());
    }

    @Test
    void renewsAtTwoThirdsOfTheLifetimeAndNotBefore() throws Exception {
        RenewalManager manager = manager().build();
        RenewalResult first = manager.checkOnce();
        clock.advance(Duration.ofHours(112).minusSeconds(1));
        RenewalResult early = manager.checkOnce();
        assertEquals(RenewalResult.Action.UNCHANGED, early.action());
        assertEquals(1, server.issued().size());

        clock.advance(Duration.ofSeconds(1));
        RenewalResult renewed = manager.checkOnce();
        assertEquals(RenewalResult.Action.RENEWED, renewed.action());
        assertTrue(renewed.reason().contains("2/3"), renewed.reason());
        assertEquals(first.certificateId(), renewed.replacedId().orElseThrow());
        assertNotEquals(first.certificate().getSerialNumber(), renewed.certificate().getSerialNumber());
        assertNotEquals(first.certificate().getPublicKey(), renewed.certificate().getPublicKey(), "a fresh key each time");
        assertEquals(renewed.certificate(), readPair().certificate());
        assertEquals(2, server.issued().size());
        assertTrue(server.issued(first.certificateId()).revokedAt() == null, "not revoked unless asked");
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.filter(p -> p.getFileName().toString().startsWith(".gen-")).count());
        }
    }

    @Test
    void configurableFractionAndRevocationOfTheReplaced() throws Exception {
        RenewalManager manager = manager().renewAtFraction(0.5).revokeReplaced(true).build();
        RenewalResult first = manager.checkOnce();
        clock.advance(Duration.ofHours(84));
        RenewalResult renewed = manager.checkOnce();
        assertEquals(RenewalResult.Action.RENEWED, renewed.action());
        assertTrue(renewed.revokeFailure().isEmpty());
        assertEquals(clock.instant(), server.issued(first.certificateId()).revokedAt());
        assertTrue(server.issued(renewed.certificateId()).revokedAt() == null);
    }

    @Test
    void aFailedRevokeIsReportedButTheNewPairStays() throws Exception {
        RenewalManager manager = manager().revokeReplaced(true).build();
        manager.checkOnce();
        clock.advance(Duration.ofDays(6));
        server.enqueueFor("DELETE", Fault.apiError(403, 10000, "Authentication error"));
        RenewalResult renewed = manager.checkOnce();
        assertEquals(RenewalResult.Action.RENEWED, renewed.action());
        OriginCaException failure = renewed.revokeFailure().orElseThrow();
        assertEquals(403, failure.httpStatus());
        assertEquals(renewed.certificate(), readPair().certificate());
        assertEquals(renewed.certificate(), manager.keyManager().currentChain().getFirst());
    }

    @Test
    void hostnameOrKeyChangesTriggerAReissue() throws Exception {
        manager().build().checkOnce();
        RenewalResult moreHosts = manager().hostnames(List.of("www.example.com", "api.example.com", "cdn.example.com"))
                .build().checkOnce();
        assertEquals(RenewalResult.Action.RENEWED, moreHosts.action());
        assertTrue(moreHosts.reason().contains("hostnames changed"), moreHosts.reason());
        RenewalResult rsa = manager().hostnames(List.of("www.example.com", "api.example.com", "cdn.example.com"))
                .keyAlgorithm(KeyAlgorithm.RSA_2048).build().checkOnce();
        assertEquals(RenewalResult.Action.RENEWED, rsa.action());
        assertEquals("RSA", readPair().key().getAlgorithm());
        assertEquals("origin-rsa", server.issued(rsa.certificateId()).requestType());
    }

    @Test
    void renewsFromMetadataAloneAndRefusesWithoutEither() throws Exception {
        manager().keyAlgorithm(KeyAlgorithm.RSA_2048).build().checkOnce();
        clock.advance(Duration.ofDays(5));
        RenewalManager fromMetadata = RenewalManager.builder().client(client).directory(dir).clock(clock).build();
        RenewalResult result = fromMetadata.checkOnce();
        assertEquals(RenewalResult.Action.RENEWED, result.action());
        assertEquals(7, server.issued(result.certificateId()).validityDays(), "the recorded validity is reused");
        assertEquals(HOSTS, OriginCaClientContract.dnsNames(result.certificate()));
        assertEquals("RSA", readPair().key().getAlgorithm());

        Path empty = dir.resolve("elsewhere");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RenewalManager.builder().client(client).directory(empty).build().checkOnce());
        assertTrue(e.getMessage().contains("no hostnames"), e.getMessage());
    }

    @Test
    void anApiFailureLeavesTheOldPairInPlace() throws Exception {
        BlockingQueue<Exception> failures = new LinkedBlockingQueue<>();
        RenewalManager manager = manager().listener(new RenewalListener() {
            @Override
            public void onFailure(Exception failure) {
                failures.add(failure);
            }
        }).build();
        RenewalResult first = manager.checkOnce();
        clock.advance(Duration.ofDays(6));
        server.enqueue(Fault.apiError(400, 1001, "Invalid CSR"));
        assertThrows(OriginCaApiException.class, manager::checkOnce);
        assertEquals(first.certificate(), readPair().certificate());
        assertEquals(first.certificate(), manager.keyManager().currentChain().getFirst());
        assertTrue(failures.poll() instanceof OriginCaApiException);
    }

    static final List<String> STEPS = List.of("key.pem half written", "key.pem written", "cert.pem half written",
            "cert.pem written", "metadata.json half written", "metadata.json written", "generation synced",
            "temporary link", "live switched", "links");

    /**
     * The write is stopped at each step in turn, as a kill would stop it. Readers of DIR/key.pem and
     * DIR/cert.pem see the old complete pair until "live switched", the new complete pair from then
     * on, and never a mix; the next manager cleans up and carries on.
     */
    @ParameterizedTest(name = "crash after: {0}")
    @ValueSource(strings = {"key.pem half written", "key.pem written", "cert.pem half written", "cert.pem written",
            "metadata.json half written", "metadata.json written", "generation synced", "temporary link",
            "live switched", "links"})
    void aWriteStoppedAtAnyStepNeverExposesAPartialPair(String crashStep) throws Exception {
        RenewalResult first = manager().build().checkOnce();
        Pair old = readPair();
        clock.advance(Duration.ofDays(5));

        RenewalManager crashing = manager().steps(step -> {
            if (step.equals(crashStep)) {
                throw new IOException("simulated crash after " + step);
            }
        }).build();
        UncheckedIOException crash = assertThrows(UncheckedIOException.class, crashing::checkOnce);
        assertTrue(crash.getMessage().contains("simulated crash"), crash.getMessage());

        Pair seen = readPair();
        boolean switched = STEPS.indexOf(crashStep) >= STEPS.indexOf("live switched");
        if (switched) {
            assertNotEquals(old.certificate(), seen.certificate());
        } else {
            assertEquals(old.certificate(), seen.certificate());
            assertEquals(old.key(), seen.key());
        }

        RenewalManager next = manager().build();
        assertEquals(seen.certificate(), next.keyManager().currentChain().getFirst(), "the survivor is served at start");
        RenewalResult after = next.checkOnce();
        assertEquals(switched ? RenewalResult.Action.UNCHANGED : RenewalResult.Action.RENEWED, after.action());
        assertTrue(new CertificateStore(dir, CertificateStore.Steps.NONE).staleGenerations().isEmpty());
        assertFalse(Files.exists(dir.resolve(".live.tmp")));
        readPair();
        assertNotEquals(first.certificateId(), after.certificateId());
    }

    @Test
    void filesPutThereByHandAreReplacedByTheLinkedLayout() throws Exception {
        manager().build().checkOnce();
        Path other = dir.resolve("../manual").normalize();
        Files.createDirectories(other);
        for (String name : List.of("key.pem", "cert.pem", "metadata.json")) {
            Files.writeString(other.resolve(name), Files.readString(dir.resolve(name)));
        }
        RenewalManager manual = RenewalManager.builder().client(client).directory(other).validity(Validity.DAYS_7)
                .clock(clock).build();
        assertEquals(RenewalResult.Action.UNCHANGED, manual.checkOnce().action());
        clock.advance(Duration.ofDays(6));
        assertEquals(RenewalResult.Action.RENEWED, manual.checkOnce().action());
        assertTrue(Files.isSymbolicLink(other.resolve("key.pem")));
        assertTrue(ReloadingKeyManager.matches(Pem.readPrivateKey(Files.readString(other.resolve("key.pem"))),
                Pem.readCertificates(Files.readString(other.resolve("cert.pem"))).getFirst().getPublicKey()));
    }

    @Test
    void aMismatchedPairOnDiskIsReplaced() throws Exception {
        manager().build().checkOnce();
        Path live = CertificateStore.currentBase(dir);
        Files.delete(live.resolve("key.pem"));
        Files.writeString(live.resolve("key.pem"), Pem.privateKey(KeyAlgorithm.EC_P256.generate().getPrivate()));
        RenewalResult result = manager().build().checkOnce();
        assertEquals(RenewalResult.Action.ISSUED, result.action());
        assertTrue(result.reason().contains("does not belong"), result.reason());
        readPair();
    }

    @Test
    void backgroundLoopReportsToTheListener() throws Exception {
        BlockingQueue<RenewalResult> renewed = new LinkedBlockingQueue<>();
        RenewalManager manager = manager().listener(new RenewalListener() {
            @Override
            public void onRenewed(RenewalResult result) {
                renewed.add(result);
            }
        }).build();
        try (manager) {
            manager.start(Duration.ofMillis(20));
            RenewalResult issued = renewed.poll(60, TimeUnit.SECONDS);
            assertEquals(RenewalResult.Action.ISSUED, issued.action());
            clock.advance(Duration.ofDays(5));
            RenewalResult next = renewed.poll(60, TimeUnit.SECONDS);
            assertEquals(RenewalResult.Action.RENEWED, next.action());
            assertThrows(IllegalStateException.class, () -> manager.start(Duration.ofSeconds(1)));
        }
        int before = server.issued().size();
        clock.advance(Duration.ofDays(5));
        Thread.sleep(100);
        assertEquals(before, server.issued().size(), "no checks after close()");
    }

    @Test
    void renewNowReplacesAValidPair() throws Exception {
        RenewalManager manager = manager().build();
        RenewalResult first = manager.renewNow();
        assertEquals(RenewalResult.Action.ISSUED, first.action());
        RenewalResult forced = manager.renewNow();
        assertEquals(RenewalResult.Action.RENEWED, forced.action());
        assertEquals("renewal requested", forced.reason());
        assertNotEquals(first.certificateId(), forced.certificateId());
        assertEquals(forced.certificate(), readPair().certificate());
    }

    @Test
    void builderChecks() {
        assertThrows(IllegalArgumentException.class, () -> RenewalManager.builder().build());
        assertThrows(IllegalArgumentException.class, () -> RenewalManager.builder().renewAtFraction(1));
        assertThrows(IllegalArgumentException.class, () -> RenewalManager.builder().renewAtFraction(0));
        assertThrows(IllegalArgumentException.class, () -> RenewalManager.builder().hostnames(List.of("10.1.1.1")));
        RenewalManager.Builder b = RenewalManager.builder().validity(Duration.ofDays(100));
        assertEquals(Validity.DAYS_90, b.validityChoice().orElseThrow().chosen());
        assertFalse(b.validityChoice().orElseThrow().exact());
    }
}
