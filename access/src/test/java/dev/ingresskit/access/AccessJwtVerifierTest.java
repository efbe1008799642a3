package dev.ingresskit.access;

import static dev.ingresskit.access.TestTokens.AUD;
import static dev.ingresskit.access.TestTokens.ISSUER;
import static dev.ingresskit.access.TestTokens.TEAM;
import static dev.ingresskit.access.TestTokens.b64;
import static dev.ingresskit.access.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.access.AccessJwtException.Check;
import dev.ingresskit.access.TestTokens.TestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AccessJwtVerifierTest {
    static final TestKey RSA = TestTokens.rsa("rsa-1");
    static final TestKey EC = TestTokens.ec("ec-1");
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final long T = NOW.getEpochSecond();

    final TestClock clock = new TestClock(NOW);
    final RecordingLogger log = new RecordingLogger();
    final AtomicReference<String> served = new AtomicReference<>(TestTokens.jwks(RSA, EC));
    final AtomicInteger fetches = new AtomicInteger();
    volatile boolean certsDown;

    AccessJwtVerifier verifier() {
        return AccessJwtVerifier.builder(TEAM).audience("other-app", AUD).clock(clock).logger(log)
                .keySource(() -> {
                    fetches.incrementAndGet();
                    if (certsDown) {
                        throw new IOException("connection refused");
                    }
                    return served.get().getBytes(StandardCharsets.UTF_8);
                }).build();
    }

    Check rejected(AccessJwtVerifier v, String token) {
        AccessJwtException e = assertThrows(AccessJwtException.class, () -> v.verify(token));
        String signature = token == null ? "" : token.substring(token.lastIndexOf('.') + 1);
        if (signature.length() >= 16) {
            assertFalse(e.getMessage().contains(signature), "message leaks the signature: " + e.getMessage());
        }
        return e.check();
    }

    @Test
    void acceptsAUserTokenSignedRs256() throws Exception {
        AccessIdentity id = verifier().verify(RSA.sign(TestTokens.userClaims(NOW, "ann@example.com")));
        assertEquals(Optional.of("ann@example.com"), id.email());
        assertEquals("ann@example.com", id.principal());
        assertFalse(id.isServiceToken());
        assertEquals(List.of(AUD), id.audiences());
        assertEquals(NOW.plusSeconds(3600), id.expiresAt());
        assertEquals("app", id.type());
    }

    @Test
    void acceptsAServiceTokenSignedEs256() throws Exception {
        AccessIdentity id = verifier().verify(EC.sign(TestTokens.serviceClaims(NOW, "88bf3b6d86161464f6509f7219099e57.access")));
        assertTrue(id.isServiceToken());
        assertEquals("88bf3b6d86161464f6509f7219099e57.access", id.principal());
        assertEquals(Optional.empty(), id.email());
    }

    @Test
    void readsGroups() throws Exception {
        AccessIdentity id = verifier().verify(RSA.sign(claims("\"" + AUD + "\"", ISSUER, T, T, T + 60, TestTokens.groups(List.of("sre", "dev")))));
        assertEquals(List.of("sre", "dev"), id.groups());
    }

    @Test
    void expiryHonoursTheSkew() throws Exception {
        AccessJwtVerifier v = verifier();
        String token = RSA.sign(claims("\"" + AUD + "\"", ISSUER, T - 7200, T - 7200, T - 30, ""));
        assertEquals("ann@example.com", v.verify(token).principal(), "30 s past exp is within the 60 s skew");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Check.EXPIRED, rejected(v, token));
    }

    @Test
    void notYetValidAndIssuedInTheFuture() {
        AccessJwtVerifier v = verifier();
        assertEquals(Check.NOT_YET_VALID, rejected(v, RSA.sign(claims("\"" + AUD + "\"", ISSUER, T, T + 61, T + 3600, ""))));
        assertEquals(Check.ISSUED_IN_FUTURE, rejected(v, RSA.sign(claims("\"" + AUD + "\"", ISSUER, T + 61, T, T + 3600, ""))));
    }

    @Test
    void wrongAudienceAndIssuer() {
        AccessJwtVerifier v = verifier();
        assertEquals(Check.AUDIENCE, rejected(v, RSA.sign(claims("[\"someone-elses-app\"]", ISSUER, T, T, T + 60, ""))));
        assertEquals(Check.ISSUER, rejected(v, RSA.sign(claims("\"" + AUD + "\"", "https://evil.cloudflareaccess.com", T, T, T + 60, ""))));
        assertEquals(Check.ISSUER, rejected(v, RSA.sign(claims("\"" + AUD + "\"", ISSUER + "/", T, T, T + 60, ""))));
        assertEquals(Check.FORMAT, rejected(v, RSA.sign(claims("[]", ISSUER, T, T, T + 60, ""))));
        assertEquals(Check.FORMAT, rejected(v, RSA.sign(claims("[1]", ISSUER, T, T, T + 60, ""))));
    }

    @Test
    void audienceArrayNeedsOnlyOneMatch() throws Exception {
        verifier().verify(RSA.sign(claims("[\"x\",\"" + AUD + "\"]", ISSUER, T, T, T + 60, "")));
    }

    @Test
    void tamperedClaimsFailTheSignature() {
        String token = RSA.sign(TestTokens.userClaims(NOW, "ann@example.com"));
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + b64(TestTokens.userClaims(NOW, "admin@example.com")) + "." + parts[2];
        assertEquals(Check.SIGNATURE, rejected(verifier(), forged));
    }

    @Test
    void algNoneIsRefused() {
        String none = b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + b64(TestTokens.userClaims(NOW, "ann@example.com")) + ".";
        assertEquals(Check.ALGORITHM, rejected(verifier(), none));
        String noneUpper = b64("{\"alg\":\"NONE\",\"kid\":\"rsa-1\"}") + "." + b64(TestTokens.userClaims(NOW, "a@b")) + ".";
        assertEquals(Check.ALGORITHM, rejected(verifier(), noneUpper));
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        String input = b64("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}") + "." + b64(TestTokens.userClaims(NOW, "admin@example.com"));
        for (byte[] secret : List.of(RSA.pair().getPublic().getEncoded(), RSA.jwk().getBytes(StandardCharsets.UTF_8))) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String forged = input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(Check.ALGORITHM, rejected(verifier(), forged));
        }
    }

    @Test
    void aKeyIsUsedOnlyWithItsOwnAlgorithm() {
        // an EC key named by a token that claims RS256 (and the reverse): refused before any signature math
        String claims = TestTokens.userClaims(NOW, "ann@example.com");
        assertEquals(Check.ALGORITHM, rejected(verifier(), EC.sign("{\"alg\":\"RS256\",\"kid\":\"ec-1\"}", claims)));
        assertEquals(Check.ALGORITHM, rejected(verifier(), RSA.sign("{\"alg\":\"ES256\",\"kid\":\"rsa-1\"}", claims)));
    }

    @Test
    void critHeaderAndDuplicateMembersAreRefused() {
        String claims = TestTokens.userClaims(NOW, "ann@example.com");
        assertEquals(Check.ALGORITHM, rejected(verifier(), RSA.sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"]}", claims)));
        assertEquals(Check.FORMAT, rejected(verifier(), RSA.sign("{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"rsa-1\"}", claims)));
        String dupEmail = claims.replace("\"email\":", "\"email\":\"admin@example.com\",\"email\":");
        assertEquals(Check.FORMAT, rejected(verifier(), RSA.sign(dupEmail)));
    }

    @Test
    void unknownKidThenRotation() throws Exception {
        AccessJwtVerifier v = verifier();
        v.verify(RSA.sign(TestTokens.userClaims(NOW, "ann@example.com")));
        assertEquals(1, fetches.get());
        clock.advance(Duration.ofSeconds(30));
        TestKey next = TestTokens.rsa("rsa-2");
        String newToken = next.sign(TestTokens.userClaims(NOW, "ann@example.com"));
        assertEquals(Check.UNKNOWN_KEY, rejected(v, newToken), "refresh ran but the certs do not have rsa-2 yet");
        assertEquals(2, fetches.get());

        served.set(TestTokens.jwks(RSA, next));
        assertEquals(Check.UNKNOWN_KEY, rejected(v, newToken), "within the refresh interval: no new fetch");
        assertEquals(2, fetches.get());
        clock.advance(Duration.ofSeconds(30));
        assertEquals("ann@example.com", v.verify(newToken).principal());
        assertEquals(3, fetches.get());
        v.verify(RSA.sign(TestTokens.userClaims(NOW, "ann@example.com")));
        assertEquals(3, fetches.get(), "known kids are served from the cache");
    }

    @Test
    void aFloodOfInventedKidsCostsOneFetchPerInterval() {
        AccessJwtVerifier v = verifier();
        for (int i = 0; i < 1000; i++) {
            assertEquals(Check.UNKNOWN_KEY, rejected(v, RSA.sign("{\"alg\":\"RS256\",\"kid\":\"invented-" + i + "\"}", "{}")));
        }
        assertEquals(1, fetches.get());
        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 1000; i++) {
            rejected(v, RSA.sign("{\"alg\":\"RS256\",\"kid\":\"again-" + i + "\"}", "{}"));
        }
        assertEquals(2, fetches.get());
    }

    @Test
    void staleKeysServedWithAWarningWhenTheCertsUrlIsDown() throws Exception {
        AccessJwtVerifier v = verifier();
        String token = RSA.sign(claims("\"" + AUD + "\"", ISSUER, T, T, T + 86400, ""));
        v.verify(token);
        certsDown = true;
        clock.advance(Duration.ofHours(2));
        assertEquals("ann@example.com", v.verify(token).principal());
        assertEquals(2, fetches.get());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("still using the keys fetched at " + NOW)), log.lines.toString());
        assertTrue(log.lines.stream().noneMatch(l -> l.contains(token.substring(token.lastIndexOf('.') + 1))), "no token in logs");
        v.verify(token);
        assertEquals(2, fetches.get(), "failed attempts are rate-limited too");
        certsDown = false;
        clock.advance(Duration.ofSeconds(30));
        v.verify(token);
        assertEquals(3, fetches.get());
        assertTrue(log.lines.getLast().startsWith("INFO"), log.lines.toString());
    }

    @Test
    void noKeysAtAllIsItsOwnError() {
        certsDown = true;
        AccessJwtVerifier v = verifier();
        assertEquals(Check.KEYS_UNAVAILABLE, rejected(v, RSA.sign(TestTokens.userClaims(NOW, "ann@example.com"))));
        served.set("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"rsa-1\",\"k\":\"c2VjcmV0\"}]}");
        certsDown = false;
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Check.KEYS_UNAVAILABLE, rejected(v, RSA.sign(TestTokens.userClaims(NOW, "ann@example.com"))),
                "a symmetric key in the set is never a verification key");
    }

    @Test
    void shapeErrors() {
        AccessJwtVerifier v = verifier();
        String good = RSA.sign(TestTokens.userClaims(NOW, "ann@example.com"));
        assertEquals(Check.FORMAT, rejected(v, null));
        assertEquals(Check.FORMAT, rejected(v, ""));
        assertEquals(Check.FORMAT, rejected(v, "abc"));
        assertEquals(Check.FORMAT, rejected(v, good + ".x"));
        assertEquals(Check.FORMAT, rejected(v, good.replaceFirst("\\.", "=.")));
        assertEquals(Check.FORMAT, rejected(v, b64("[1]") + "." + b64("{}") + ".AA"));
        assertEquals(Check.FORMAT, rejected(v, b64("{\"alg\":7}") + "." + b64("{}") + ".AA"));
        assertEquals(Check.FORMAT, rejected(v, "x".repeat(AccessJwtVerifier.MAX_TOKEN_CHARS + 1)));
        assertEquals(Check.SIGNATURE, rejected(v, good.substring(0, good.lastIndexOf('.') + 1)));
    }

    @Test
    void builderRefusesNonsense() {
        assertThrows(IllegalStateException.class, () -> AccessJwtVerifier.builder(TEAM).build());
        assertThrows(IllegalArgumentException.class, () -> AccessJwtVerifier.builder("https://team.cloudflareaccess.com/path"));
        assertThrows(IllegalArgumentException.class, () -> AccessJwtVerifier.builder(TEAM).audience(" "));
        assertThrows(IllegalArgumentException.class, () -> AccessJwtVerifier.builder(TEAM).clockSkew(Duration.ofHours(1)));
        assertEquals(ISSUER, AccessJwtVerifier.builder("https://" + TEAM + "/").audience("a").keySource(() -> new byte[0]).build().issuer());
    }
}
