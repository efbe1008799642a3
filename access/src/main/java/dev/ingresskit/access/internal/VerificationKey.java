package dev.ingresskit.access.internal;

import java.security.PublicKey;

/** One usable key from the team's JWKS: its {@code kid}, the one JWS algorithm it may verify, the key. */
public record VerificationKey(String kid, String algorithm, PublicKey key) {
    public static final String RS256 = "RS256";
    public static final String ES256 = "ES256";

    /** The JDK signature algorithm; ES256 signatures are the raw r||s of RFC 7518 §3.4, hence P1363. */
    public String jcaAlgorithm() {
        return algorithm.equals(RS256) ? "SHA256withRSA" : "SHA256withECDSAinP1363Format";
    }

    @Override
    public String toString() {
        return "VerificationKey[kid=" + kid + ", alg=" + algorithm + "]";
    }
}
