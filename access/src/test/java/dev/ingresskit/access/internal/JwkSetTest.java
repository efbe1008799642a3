package dev.ingresskit.access.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.access.TestTokens;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwkSetTest {
    static Map<String, VerificationKey> parse(String json) throws Exception {
        return JwkSet.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsRsaAndP256KeysWithTheirAlgorithm() throws Exception {
        var keys = parse(TestTokens.jwks(TestTokens.rsa("r"), TestTokens.ec("e")));
        assertEquals("RS256", keys.get("r").algorithm());
        assertEquals("ES256", keys.get("e").algorithm());
        assertEquals(2, keys.size());
    }

    @Test
    void skipsKeysThatMustNeverVerify() throws Exception {
        String good = TestTokens.rsa("good").jwk();
        String ec = TestTokens.ec("e").jwk();
        // the EC point moved off the curve by changing y's first character (to another one: the key is
        // random, and a y that already began with the replacement left the point on the curve, 1 run in 64)
        java.util.regex.Matcher y = java.util.regex.Pattern.compile("\"y\":\"(.)").matcher(ec);
        assertTrue(y.find(), ec);
        String other = y.group(1).equals("A") ? "B" : "A";
        String offCurve = new StringBuilder(ec).replace(y.start(1), y.end(1), other).toString()
                .replace("\"kid\":\"e\"", "\"kid\":\"off\"");
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        RSAPublicKey small = (RSAPublicKey) g.generateKeyPair().getPublic();
        String weak = "{\"kid\":\"weak\",\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" + Base64Url.encode(small.getModulus().toByteArray()) + "\"}";
        String json = "{\"keys\":[" + good + ","
                + "{\"kid\":\"sym\",\"kty\":\"oct\",\"k\":\"c2VjcmV0\"},"
                + "{\"kid\":\"enc\",\"kty\":\"RSA\",\"use\":\"enc\",\"e\":\"AQAB\",\"n\":\"" + Base64Url.encode(new BigInteger(2048, new java.util.Random(1)).setBit(2047).toByteArray()) + "\"},"
                + "{\"kid\":\"p384\",\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"AA\",\"y\":\"AA\"},"
                + "{\"kid\":\"rs-as-ps\",\"kty\":\"RSA\",\"alg\":\"PS256\",\"e\":\"AQAB\",\"n\":\"AQAB\"},"
                + weak + "," + offCurve + ",7,\"x\"]}";
        assertEquals(java.util.Set.of("good"), parse(json).keySet());
    }

    @Test
    void unusableSetsAreErrors() {
        assertThrows(JwkSet.InvalidKeySetException.class, () -> parse("{}"));
        assertThrows(JwkSet.InvalidKeySetException.class, () -> parse("{\"keys\":[]}"));
        assertThrows(JwkSet.InvalidKeySetException.class, () -> parse("<html>"));
        assertThrows(JwkSet.InvalidKeySetException.class, () -> parse("{\"keys\":{}}"));
    }
}
