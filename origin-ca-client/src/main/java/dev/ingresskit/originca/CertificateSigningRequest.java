package dev.ingresskit.originca;

import dev.ingresskit.originca.internal.Der;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Collection;
import java.util.List;

/**
 * A PKCS#10 certification request (RFC 2986) for an Origin CA certificate: subject
 * {@code CN=<first hostname>}, the key's SubjectPublicKeyInfo, and an extensionRequest
 * (PKCS#9, 1.2.840.113549.1.9.14) with a subjectAltName listing every hostname as a dNSName.
 * Signed with SHA-256 (sha256WithRSAEncryption or ecdsa-with-SHA256). Immutable.
 *
 * <p>The JDK has no public CSR API, so the DER is written here; {@code openssl req -verify}
 * accepts it (see the tests).
 */
public final class CertificateSigningRequest {
    private static final String OID_COMMON_NAME = "2.5.4.3";
    private static final String OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
    private static final String OID_SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String OID_SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String OID_ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    /** GeneralName's dNSName alternative: [2] IMPLICIT IA5String (RFC 5280 §4.2.1.6). */
    private static final int DNS_NAME_TAG = 2;

    private final byte[] der;
    private final List<String> hostnames;
    private final KeyAlgorithm keyAlgorithm;

    private CertificateSigningRequest(byte[] der, List<String> hostnames, KeyAlgorithm keyAlgorithm) {
        this.der = der;
        this.hostnames = hostnames;
        this.keyAlgorithm = keyAlgorithm;
    }

    /**
     * Builds and signs a request for {@code hostnames} (checked and normalised by
     * {@link Hostnames#normalize(Collection)}; IDNs become punycode) with {@code keys}.
     */
    public static CertificateSigningRequest create(KeyPair keys, Collection<String> hostnames) {
        List<String> names = Hostnames.normalize(hostnames);
        KeyAlgorithm algorithm = KeyAlgorithm.of(keys.getPublic());

        byte[] subject = Der.sequence(Der.setOf(Der.sequence(Der.oid(OID_COMMON_NAME), Der.utf8String(names.getFirst()))));
        byte[][] dnsNames = new byte[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            // Hostnames.normalize left only ASCII (IDNs are punycode), as IA5String requires.
            dnsNames[i] = Der.contextPrimitive(DNS_NAME_TAG, names.get(i).getBytes(StandardCharsets.US_ASCII));
        }
        byte[] subjectAltName = Der.sequence(Der.oid(OID_SUBJECT_ALT_NAME), Der.octetString(Der.sequence(dnsNames)));
        byte[] extensionRequest = Der.sequence(Der.oid(OID_EXTENSION_REQUEST), Der.setOf(Der.sequence(subjectAltName)));
        byte[] info = Der.sequence(
                Der.integer(0),
                subject,
                keys.getPublic().getEncoded(),
                Der.contextConstructed(0, extensionRequest));

        byte[] signatureAlgorithm = algorithm.requestType() == RequestType.ORIGIN_RSA
                ? Der.sequence(Der.oid(OID_SHA256_WITH_RSA), Der.nul())
                // RFC 5758 §3.2: ecdsa-with-SHA256 has no parameters at all.
                : Der.sequence(Der.oid(OID_ECDSA_WITH_SHA256));
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(KeyAlgorithm.signatureAlgorithm(keys.getPrivate()));
            signer.initSign(keys.getPrivate());
            signer.update(info);
            // The JDK's SHA256withECDSA already emits the DER Ecdsa-Sig-Value X.509 expects.
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign the request with this key: " + e.getMessage(), e);
        }
        byte[] der = Der.sequence(info, signatureAlgorithm, Der.bitString(signature));
        return new CertificateSigningRequest(der, names, algorithm);
    }

    /** The DER encoding (a copy). */
    public byte[] der() {
        return der.clone();
    }

    /** The PEM encoding ({@code -----BEGIN CERTIFICATE REQUEST-----}). */
    public String pem() {
        return Pem.certificateRequest(der);
    }

    /** The normalised hostnames in the subjectAltName, in order. */
    public List<String> hostnames() {
        return hostnames;
    }

    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    /** The request type this request's key calls for. */
    public RequestType requestType() {
        return keyAlgorithm.requestType();
    }

    @Override
    public String toString() {
        return "CertificateSigningRequest[" + keyAlgorithm + ", hostnames=" + hostnames + "]";
    }
}
