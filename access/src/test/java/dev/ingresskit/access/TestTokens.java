package dev.ingresskit.access;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Test keys, a JWKS for them, and tokens signed with them, written by hand (not through the code
 * under test) so a bug in the verifier's own decoding cannot cancel out.
 */
public final class TestTokens {
    public static final String TEAM = "team.cloudflareaccess.com";
    public static final String ISSUER = "https://" + TEAM;
    public static final String AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

    /** A named signing key. */
    public record TestKey(String kid, String alg, KeyPair pair) {
        public String jwk() {
            if (alg.equals("RS256")) {
                RSAPublicKey k = (RSAPublicKey) pair.getPublic();
                return "{\"kid\":\"" + kid + "\",\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"e\":\"" + b64(unsigned(k.getPublicExponent()))
                        + "\",\"n\":\"" + b64(unsigned(k.getModulus())) + "\"}";
            }
            ECPublicKey k = (ECPublicKey) pair.getPublic();
            return "{\"kid\":\"" + kid + "\",\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"" + b64(fixed(k.getW().getAffineX(), 32))
                    + "\",\"y\":\"" + b64(fixed(k.getW().getAffineY(), 32)) + "\"}";
        }

        public String sign(String headerJson, String claimsJson) {
            String input = b64(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + b64(claimsJson.getBytes(StandardCharsets.UTF_8));
            return input + "." + b64(signRaw(pair.getPrivate(), alg, input.getBytes(StandardCharsets.US_ASCII)));
        }

        public String sign(String claimsJson) {
            return sign("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", claimsJson);
        }
    }

    private TestTokens() {
    }

    public static TestKey rsa(String kid) {
        return new TestKey(kid, "RS256", generate("RSA", null));
    }

    public static TestKey ec(String kid) {
        return new TestKey(kid, "ES256", generate("EC", new ECGenParameterSpec("secp256r1")));
    }

    public static String jwks(TestKey... keys) {
        return "{\"keys\":[" + Arrays.stream(keys).map(TestKey::jwk).collect(Collectors.joining(",")) + "],\"public_cert\":{\"kid\":\"x\",\"cert\":\"ignored\"}}";
    }

    /** The claims of a user token as Access issues them, valid around {@code now}. */
    public static String userClaims(Instant now, String email) {
        long t = now.getEpochSecond();
        return "{\"aud\":[\"" + AUD + "\"],\"email\":\"" + email + "\",\"exp\":" + (t + 3600) + ",\"iat\":" + t + ",\"nbf\":" + t
                + ",\"iss\":\"" + ISSUER + "\",\"type\":\"app\",\"identity_nonce\":\"n0nce\",\"sub\":\"7335d417-61da-459d-899c-0a01c76a2f94\",\"country\":\"PT\"}";
    }

    public static String serviceClaims(Instant now, String clientId) {
        long t = now.getEpochSecond();
        return "{\"aud\":\"" + AUD + "\",\"common_name\":\"" + clientId + "\",\"exp\":" + (t + 3600) + ",\"iat\":" + t + ",\"nbf\":" + t
                + ",\"iss\":\"" + ISSUER + "\",\"type\":\"app\",\"sub\":\"\"}";
    }

    public static String claims(String aud, String iss, long iat, long nbf, long exp, String extra) {
        return "{\"aud\":" + aud + ",\"iss\":\"" + iss + "\",\"iat\":" + iat + ",\"nbf\":" + nbf + ",\"exp\":" + exp
                + ",\"email\":\"ann@example.com\",\"type\":\"app\",\"sub\":\"s\"" + extra + "}";
    }

    public static String groups(List<String> groups) {
        return ",\"groups\":[" + groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",")) + "]";
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] signRaw(PrivateKey key, String alg, byte[] input) {
        try {
            Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                g.initialize(spec);
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    static byte[] fixed(BigInteger v, int length) {
        byte[] b = unsigned(v);
        byte[] out = new byte[length];
        System.arraycopy(b, 0, out, length - b.length, b.length);
        return out;
    }
}
