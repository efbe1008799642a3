package dev.ingresskit.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ingresskit.access.TestTokens.TestKey;
import dev.ingresskit.testsupport.Seeds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutated, truncated, spliced and random tokens: the verifier answers each with an
 * {@link AccessJwtException} and never accepts anything but the signed bytes themselves (a different
 * spelling of the same signature bits in base64url's unused low bits is the only other string allowed
 * through, and then header, claims and signature must decode to the original bytes).
 */
class AccessJwtFuzzTest {
    static final TestKey RSA = TestTokens.rsa("rsa-1");
    static final TestKey EC = TestTokens.ec("ec-1");
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    static final AccessJwtVerifier VERIFIER = AccessJwtVerifier.builder(TestTokens.TEAM).audience(TestTokens.AUD)
            .clock(new TestClock(NOW)).logger(new RecordingLogger())
            .keySource(() -> TestTokens.jwks(RSA, EC).getBytes(StandardCharsets.UTF_8)).build();
    static final String[] ORIGINALS = {
            RSA.sign(TestTokens.userClaims(NOW, "ann@example.com")),
            EC.sign(TestTokens.serviceClaims(NOW, "client.access")),
    };
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"\u00e9\u0000";

    static LongStream seeds() {
        return Seeds.of("accessJwtFuzz", 40);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void mutatedTokensAreNeverAccepted(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 250; round++) {
            String original = ORIGINALS[random.nextInt(ORIGINALS.length)];
            String candidate = mutate(original, random);
            try {
                AccessIdentity id = VERIFIER.verify(candidate);
                assertSameBytes(candidate);
                assertEquals(NOW.plusSeconds(3600), id.expiresAt());
            } catch (AccessJwtException expected) {
                // a typed rejection is the only other outcome; anything else propagates and fails
            }
        }
    }

    static String mutate(String token, SplittableRandom random) {
        StringBuilder s = new StringBuilder(token);
        switch (random.nextInt(7)) {
            case 0 -> s.setLength(random.nextInt(s.length()));
            case 1 -> {
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    s.setCharAt(random.nextInt(s.length()), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            case 2 -> s.insert(random.nextInt(s.length() + 1), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            case 3 -> s.deleteCharAt(random.nextInt(s.length()));
            case 4 -> {
                String[] a = token.split("\\.", -1);
                String[] b = ORIGINALS[random.nextInt(ORIGINALS.length)].split("\\.", -1);
                s = new StringBuilder(String.join(".", random.nextBoolean() ? a[0] : b[0], random.nextBoolean() ? a[1] : b[1], random.nextBoolean() ? a[2] : b[2]));
            }
            case 5 -> {
                s.setLength(0);
                int n = random.nextInt(200);
                for (int i = 0; i < n; i++) {
                    s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            default -> {
                byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                String[] parts = token.split("\\.", -1);
                parts[random.nextInt(3)] = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                s = new StringBuilder(String.join(".", parts));
            }
        }
        return s.toString();
    }

    static void assertSameBytes(String accepted) {
        String original = java.util.Arrays.stream(ORIGINALS)
                .filter(o -> o.substring(0, o.lastIndexOf('.')).equals(accepted.substring(0, accepted.lastIndexOf('.'))))
                .findFirst().orElseThrow(() -> new AssertionError("accepted a token whose signing input was never signed: " + accepted));
        String[] a = original.split("\\.", -1);
        String[] b = accepted.split("\\.", -1);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Base64.getUrlDecoder().decode(a[i]), Base64.getUrlDecoder().decode(b[i]), "accepted a token whose part " + i + " differs: " + accepted);
        }
        assertEquals(a[0] + "." + a[1], b[0] + "." + b[1], "signing input must be identical");
    }
}
