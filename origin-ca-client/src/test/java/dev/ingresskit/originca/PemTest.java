package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.testserver.OriginCaTestServer;
import dev.ingresskit.testsupport.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PemTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyAlgorithm.class)
    void privateKeysRoundTripAndOpensslReadsThem(KeyAlgorithm algorithm) throws Exception {
        KeyPair keys = algorithm.generate();
        String pem = Pem.privateKey(keys.getPrivate());
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(pem.lines().allMatch(line -> line.length() <= 64));
        PrivateKey read = Pem.readPrivateKey(pem);
        assertEquals(keys.getPrivate(), read);
        assertArrayEquals(keys.getPrivate().getEncoded(), read.getEncoded());

        Path file = dir.resolve("key.pem");
        Files.writeString(file, pem);
        CertificateSigningRequestTest.Result check = CertificateSigningRequestTest.openssl("pkey", "-in", file.toString(),
                "-noout", "-check");
        assertEquals(0, check.exit(), check.output());
    }

    @Test
    void certificateChainsRoundTripInOrder() {
        try (OriginCaTestServer server = OriginCaTestServer.builder().start()) {
            OriginCaClient client = OriginCaClient.builder().apiToken("test-token-0123456789").baseUri(server.baseUri()).build();
            X509Certificate leaf = client.create(CertificateSigningRequest.create(KeyAlgorithm.EC_P256.generate(),
                    List.of("pem.example.com")), Validity.DAYS_7).certificate();
            String chain = Pem.certificates(List.of(leaf, server.caCertificate()));
            assertEquals(List.of(leaf, server.caCertificate()), Pem.readCertificates("explanatory text\n" + chain));
        }
    }

    @Test
    void errorsNameTheLine() {
        String body = "MIIB";
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> Pem.decode("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END PRIVATE KEY-----\n"));
        assertTrue(mismatch.getMessage().contains("line 3"), mismatch.getMessage());
        IllegalArgumentException unterminated = assertThrows(IllegalArgumentException.class,
                () -> Pem.decode("\n-----BEGIN CERTIFICATE-----\nAAAA\n"));
        assertTrue(unterminated.getMessage().contains("line 2"), unterminated.getMessage());
        IllegalArgumentException base64 = assertThrows(IllegalArgumentException.class,
                () -> Pem.decode("-----BEGIN CERTIFICATE-----\nA*AA\n-----END CERTIFICATE-----\n"));
        assertTrue(base64.getMessage().contains("base64"), base64.getMessage());
        IllegalArgumentException encrypted = assertThrows(IllegalArgumentException.class, () -> Pem.decode(
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----\n"));
        assertTrue(encrypted.getMessage().contains("line 2"), encrypted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pem.readPrivateKey("no pem here"));
        assertThrows(IllegalArgumentException.class, () -> Pem.readCertificates(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        assertThrows(IllegalArgumentException.class, () -> Pem.readPrivateKey(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        String crlf = Pem.privateKey(keys.getPrivate()).replace("\n", "\r\n");
        assertEquals(keys.getPrivate(), Pem.readPrivateKey(crlf));
    }

    static LongStream seeds() {
        return Seeds.of("pem.fuzz", 200);
    }

    /** Truncated and mutated PEM: an IllegalArgumentException or a value, never anything else. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void damagedPemFailsCleanly(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String pem = Pem.privateKey(KEY.getPrivate());
        char[] chars = pem.substring(0, random.nextInt(pem.length() + 1)).toCharArray();
        for (int i = 0; i < 2 && chars.length > 0; i++) {
            chars[random.nextInt(chars.length)] = (char) random.nextInt(0x20, 0x7f);
        }
        try {
            Pem.readPrivateKey(new String(chars));
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().startsWith("PEM"), expected.getMessage());
        }
    }

    private static final KeyPair KEY = KeyAlgorithm.EC_P256.generate();
}
