package dev.ingresskit.access.internal;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JWKS (RFC 7517) into verification keys. Only signature keys for the two algorithms Access
 * uses are kept: RSA (RS256, at least 2048 bits) and EC P-256 (ES256, the point checked to be on the
 * curve). Other keys (encryption keys, other curves, symmetric keys) are skipped, never turned into
 * something a token could pick; Access's extra members ({@code public_cert}, {@code public_certs}) are
 * ignored.
 */
public final class JwkSet {
    /** A key set that cannot be used at all. */
    public static final class InvalidKeySetException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidKeySetException(String message) {
            super(message);
        }
    }

    private JwkSet() {
    }

    public static Map<String, VerificationKey> parse(byte[] json) throws InvalidKeySetException {
        Map<String, Object> root;
        try {
            root = JsonReader.parseObject(json);
        } catch (JsonSyntaxException e) {
            throw new InvalidKeySetException("key set is not JSON: " + e.getMessage());
        }
        if (!(root.get("keys") instanceof List<?> keys)) {
            throw new InvalidKeySetException("key set has no \"keys\" array");
        }
        Map<String, VerificationKey> usable = new LinkedHashMap<>();
        for (Object entry : keys) {
            if (entry instanceof Map<?, ?> jwk) {
                VerificationKey key = key(jwk);
                if (key != null) {
                    usable.putIfAbsent(key.kid(), key);
                }
            }
        }
        if (usable.isEmpty()) {
            throw new InvalidKeySetException("key set has no usable RS256 or ES256 signature key (" + keys.size() + " entries)");
        }
        return Map.copyOf(usable);
    }

    private static VerificationKey key(Map<?, ?> jwk) {
        if (!(jwk.get("kid") instanceof String kid) || kid.isEmpty()) {
            return null;
        }
        if (jwk.containsKey("use") && !"sig".equals(jwk.get("use"))) {
            return null;
        }
        Object alg = jwk.get("alg");
        try {
            if ("RSA".equals(jwk.get("kty")) && (alg == null || VerificationKey.RS256.equals(alg))) {
                return rsa(kid, jwk);
            }
            if ("EC".equals(jwk.get("kty")) && "P-256".equals(jwk.get("crv")) && (alg == null || VerificationKey.ES256.equals(alg))) {
                return ec(kid, jwk);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static VerificationKey rsa(String kid, Map<?, ?> jwk) throws GeneralSecurityException {
        BigInteger n = unsigned(jwk.get("n"));
        BigInteger e = unsigned(jwk.get("e"));
        if (n == null || e == null || n.bitLength() < 2048 || e.signum() <= 0 || !e.testBit(0)) {
            return null;
        }
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        return new VerificationKey(kid, VerificationKey.RS256, key);
    }

    private static VerificationKey ec(String kid, Map<?, ?> jwk) throws GeneralSecurityException {
        byte[] x = bytes(jwk.get("x"));
        byte[] y = bytes(jwk.get("y"));
        if (x == null || y == null || x.length != 32 || y.length != 32) {
            return null;
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        if (!onCurve(point, curve.getCurve())) {
            return null;
        }
        return new VerificationKey(kid, VerificationKey.ES256,
                KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve)));
    }

    /** y² = x³ + ax + b (mod p): an off-curve point is the invalid-curve attack's way in. */
    static boolean onCurve(ECPoint point, EllipticCurve curve) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }

    private static BigInteger unsigned(Object member) {
        byte[] bytes = bytes(member);
        return bytes == null || bytes.length == 0 ? null : new BigInteger(1, bytes);
    }

    private static byte[] bytes(Object member) {
        return member instanceof String s ? Base64Url.decode(s, 0, s.length()) : null;
    }
}
