package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** CSRs checked by two independent readers: {@code openssl req -verify} and BouncyCastle. */
class CertificateSigningRequestTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyAlgorithm.class)
    void opensslVerifiesAndBouncyCastleParsesBack(KeyAlgorithm algorithm) throws Exception {
        KeyPair keys = algorithm.generate();
        List<String> names = List.of("example.com", "*.example.com", "bücher.example.com");
        CertificateSigningRequest csr = CertificateSigningRequest.create(keys, names);

        Path file = dir.resolve("req.pem");
        Files.writeString(file, csr.pem());
        Result verify = openssl("req", "-verify", "-noout", "-in", file.toString());
        assertEquals(0, verify.exit(), verify.output());
        assertTrue(verify.output().contains("verify OK"), verify.output());
        assertFalse(verify.output().contains("failure"), verify.output());
        Result text = openssl("req", "-noout", "-text", "-in", file.toString());
        assertTrue(text.output().contains("DNS:example.com, DNS:*.example.com, DNS:xn--bcher-kva.example.com"), text.output());

        PKCS10CertificationRequest parsed = new PKCS10CertificationRequest(csr.der());
        assertTrue(parsed.isSignatureValid(new JcaContentVerifierProviderBuilder().build(parsed.getSubjectPublicKeyInfo())));
        assertEquals(keys.getPublic(), new JcaPKCS10CertificationRequest(parsed).getPublicKey());
        assertEquals("example.com", IETFUtils.valueToString(
                parsed.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()));
        Extensions extensions = Extensions.getInstance(parsed.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
        GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        List<String> dns = new ArrayList<>();
        for (GeneralName name : sans.getNames()) {
            assertEquals(GeneralName.dNSName, name.getTagNo());
            dns.add(name.getName().toString());
        }
        assertEquals(List.of("example.com", "*.example.com", "xn--bcher-kva.example.com"), dns);
        assertEquals(dns, csr.hostnames());
        assertEquals(algorithm, csr.keyAlgorithm());
        assertEquals(csr.der().length, Pem.readCertificateRequest(csr.pem()).length);
        String expectedSignature = algorithm == KeyAlgorithm.EC_P256 ? "1.2.840.10045.4.3.2" : "1.2.840.113549.1.1.11";
        assertEquals(expectedSignature, parsed.getSignatureAlgorithm().getAlgorithm().getId());
    }

    @Test
    void opensslRejectsATamperedRequest() throws Exception {
        CertificateSigningRequest csr = CertificateSigningRequest.create(KeyAlgorithm.EC_P256.generate(),
                List.of("tamper.example.com"));
        byte[] der = csr.der();
        int at = new String(der, StandardCharsets.ISO_8859_1).indexOf("tamper");
        der[at] = 'd'; // "damper": signed content changed, structure intact
        Path file = dir.resolve("bad.pem");
        Files.writeString(file, Pem.certificateRequest(der));
        Result verify = openssl("req", "-verify", "-noout", "-in", file.toString());
        // OpenSSL 3.0 exits 0 even when the check fails (fixed in later releases), so read what it says too.
        assertTrue(verify.exit() != 0 || verify.output().contains("verify failure"),
                "openssl must reject a request whose signature no longer matches: " + verify.output());
        assertFalse(verify.output().contains("verify OK"), verify.output());
    }

    @Test
    void refusesUnsupportedKeys() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CertificateSigningRequest.create(small.generateKeyPair(), List.of("a.example.com")));
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
        KeyPairGenerator ec384 = KeyPairGenerator.getInstance("EC");
        ec384.initialize(384);
        assertThrows(IllegalArgumentException.class,
                () -> CertificateSigningRequest.create(ec384.generateKeyPair(), List.of("a.example.com")));
        assertThrows(IllegalArgumentException.class,
                () -> CertificateSigningRequest.create(KeyAlgorithm.EC_P256.generate(), List.of("10.0.0.1")));
    }

    record Result(int exit, String output) {
    }

    static Result openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("openssl is needed for this test (.ci/run installs it): " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "openssl hung");
        return new Result(process.exitValue(), output);
    }
}
