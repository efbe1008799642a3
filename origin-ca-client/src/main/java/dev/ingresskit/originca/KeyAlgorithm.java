package dev.ingresskit.originca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

/** The private-key kinds the Origin CA signs, with the request type each one needs. */
public enum KeyAlgorithm {
    RSA_2048(RequestType.ORIGIN_RSA),
    RSA_3072(RequestType.ORIGIN_RSA),
    /** NIST P-256 (secp256r1). */
    EC_P256(RequestType.ORIGIN_ECC);

    private final RequestType requestType;

    KeyAlgorithm(RequestType requestType) {
        this.requestType = requestType;
    }

    /** {@link RequestType#ORIGIN_RSA} for RSA keys, {@link RequestType#ORIGIN_ECC} for EC keys. */
    public RequestType requestType() {
        return requestType;
    }

    /** The default key for a request type: RSA-2048 or P-256. */
    public static KeyAlgorithm defaultFor(RequestType type) {
        return switch (type) {
            case ORIGIN_RSA -> RSA_2048;
            case ORIGIN_ECC -> EC_P256;
            case KEYLESS -> throw new IllegalArgumentException("keyless certificates have no local key to generate");
        };
    }

    /** A fresh key pair from the JDK's default provider. */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator;
            switch (this) {
                case RSA_2048, RSA_3072 -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(this == RSA_2048 ? 2048 : 3072);
                }
                case EC_P256 -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                }
                default -> throw new AssertionError(this);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + this + " keys", e);
        }
    }

    /** The algorithm of an existing key, or an exception naming what is unsupported. */
    public static KeyAlgorithm of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits == 2048) {
                return RSA_2048;
            }
            if (bits == 3072) {
                return RSA_3072;
            }
            throw new IllegalArgumentException("RSA keys must be 2048 or 3072 bits, this one has " + bits);
        }
        if (key instanceof ECPublicKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() == 256
                    && ec.getParams().getOrder().bitLength() == 256) {
                return EC_P256;
            }
            throw new IllegalArgumentException("EC keys must be on P-256");
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }

    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }
}
