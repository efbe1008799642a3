package dev.ingresskit.originca;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM (RFC 7468) for the three things this module handles: PKCS#8 private keys
 * ({@code PRIVATE KEY}), certificates ({@code CERTIFICATE}) and PKCS#10 requests
 * ({@code CERTIFICATE REQUEST}). Reading is strict about labels and base64 and names the line of
 * any problem; text outside the blocks (explanatory headers) is ignored as RFC 7468 allows.
 */
public final class Pem {
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";

    private Pem() {
    }

    /** One decoded block: its label and DER bytes. */
    public record Block(String label, byte[] der) {
        public Block {
            der = der.clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    /** Encodes DER as one PEM block with 64-character lines and a trailing newline. */
    public static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** Every block in {@code text}, in order. */
    public static List<Block> decode(String text) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        String label = null;
        int beginLine = 0;
        StringBuilder body = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    label = line.substring(11, line.length() - 5);
                    beginLine = i + 1;
                    body = new StringBuilder();
                } else if (line.startsWith("-----END ")) {
                    throw new IllegalArgumentException("PEM: line " + (i + 1) + ": END without BEGIN");
                }
            } else if (line.startsWith("-----END ")) {
                String end = line.endsWith("-----") ? line.substring(9, line.length() - 5) : line;
                if (!end.equals(label)) {
                    throw new IllegalArgumentException("PEM: line " + (i + 1) + ": END label '" + end
                            + "' does not match BEGIN label '" + label + "' of line " + beginLine);
                }
                try {
                    blocks.add(new Block(label, Base64.getDecoder().decode(body.toString())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("PEM: block '" + label + "' starting at line " + beginLine
                            + ": bad base64: " + e.getMessage());
                }
                label = null;
            } else if (line.startsWith("-----")) {
                throw new IllegalArgumentException("PEM: line " + (i + 1) + ": unexpected boundary inside block '"
                        + label + "' of line " + beginLine);
            } else if (line.indexOf(':') >= 0) {
                throw new IllegalArgumentException("PEM: line " + (i + 1) + ": encapsulated headers (RFC 1421) are "
                        + "not supported; encrypted keys must be decrypted first");
            } else {
                body.append(line);
            }
        }
        if (label != null) {
            throw new IllegalArgumentException("PEM: block '" + label + "' starting at line " + beginLine + " has no END line");
        }
        return blocks;
    }

    /** The DER of every block labelled {@code label}; an exception when there is none. */
    public static List<byte[]> decode(String text, String label) {
        List<byte[]> found = new ArrayList<>();
        for (Block block : decode(text)) {
            if (block.label().equals(label)) {
                found.add(block.der());
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("PEM: no '" + label + "' block found");
        }
        return found;
    }

    // ------------------------------------------------------------------ keys

    /** A private key as unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("key does not encode as PKCS#8 (format " + key.getFormat() + ")");
        }
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    /** Reads the first PKCS#8 private key (RSA or EC) in {@code text}. */
    public static PrivateKey readPrivateKey(String text) {
        List<byte[]> ders = decode(text, PRIVATE_KEY);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(ders.getFirst());
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IllegalArgumentException("PEM: PRIVATE KEY is neither an RSA nor an EC PKCS#8 key", last);
    }

    // ---------------------------------------------------------- certificates

    /** Certificates, leaf first, as concatenated {@code CERTIFICATE} blocks. */
    public static String certificates(List<X509Certificate> chain) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                out.append(encode(CERTIFICATE, certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("certificate cannot be encoded", e);
            }
        }
        return out.toString();
    }

    /** Every {@code CERTIFICATE} block in {@code text}, in order (leaf first in a chain). */
    public static List<X509Certificate> readCertificates(String text) {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 certificate factory", e);
        }
        int index = 0;
        for (byte[] der : decode(text, CERTIFICATE)) {
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("PEM: CERTIFICATE #" + index + " is not a valid X.509 certificate: "
                        + e.getMessage(), e);
            }
            index++;
        }
        return List.copyOf(chain);
    }

    // ------------------------------------------------------------------ CSRs

    /** A PKCS#10 request as a {@code CERTIFICATE REQUEST} block. */
    public static String certificateRequest(byte[] der) {
        return encode(CERTIFICATE_REQUEST, der);
    }

    /** The DER of the first {@code CERTIFICATE REQUEST} block (OpenSSL's {@code NEW CERTIFICATE REQUEST} too). */
    public static byte[] readCertificateRequest(String text) {
        for (Block block : decode(text)) {
            if (block.label().equals(CERTIFICATE_REQUEST) || block.label().equals("NEW " + CERTIFICATE_REQUEST)) {
                return block.der();
            }
        }
        throw new IllegalArgumentException("PEM: no '" + CERTIFICATE_REQUEST + "' block found");
    }
}
