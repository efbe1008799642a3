package dev.ingresskit.originca.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ingresskit.testsupport.Seeds;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DerTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void oidGoldenVectors() {
        // X.690 §8.19.5 example: {2 999 3} -> 06 03 88 37 03
        assertArrayEquals(hex("06 03 88 37 03"), Der.oid("2.999.3"));
        // sha256WithRSAEncryption, as in every RSA certificate (RFC 4055 §5)
        assertArrayEquals(hex("06 09 2a 86 48 86 f7 0d 01 01 0b"), Der.oid("1.2.840.113549.1.1.11"));
        // ecdsa-with-SHA256 (RFC 5758 §3.2)
        assertArrayEquals(hex("06 08 2a 86 48 ce 3d 04 03 02"), Der.oid("1.2.840.10045.4.3.2"));
        // subjectAltName
        assertArrayEquals(hex("06 03 55 1d 11"), Der.oid("2.5.29.17"));
        assertThrows(IllegalArgumentException.class, () -> Der.oid("3.1"));
        assertThrows(IllegalArgumentException.class, () -> Der.oid("1.40"));
        assertThrows(IllegalArgumentException.class, () -> Der.oid("1"));
    }

    @Test
    void lengthForms() {
        assertArrayEquals(hex("04 00"), Der.octetString(new byte[0]));
        assertEquals((byte) 0x7f, Der.octetString(new byte[127])[1]);
        assertArrayEquals(hex("04 81 80"), java.util.Arrays.copyOf(Der.octetString(new byte[128]), 3));
        assertArrayEquals(hex("04 82 01 00"), java.util.Arrays.copyOf(Der.octetString(new byte[256]), 4));
        assertArrayEquals(hex("04 83 01 00 00"), java.util.Arrays.copyOf(Der.octetString(new byte[65536]), 5));
    }

    @Test
    void integersAreMinimal() {
        assertArrayEquals(hex("02 01 00"), Der.integer(0));
        assertArrayEquals(hex("02 01 7f"), Der.integer(127));
        assertArrayEquals(hex("02 02 00 80"), Der.integer(128));
        assertArrayEquals(hex("02 01 80"), Der.integer(-128));
        assertArrayEquals(hex("02 02 ff 7f"), Der.integer(-129));
        assertArrayEquals(hex("02 01 01"), Der.integer(hex("00 00 01")));
    }

    @Test
    void setOfSortsItsElements() {
        assertArrayEquals(hex("31 06 02 01 01 02 01 02"), Der.setOf(Der.integer(2), Der.integer(1)));
    }

    @Test
    void ia5RefusesNonAscii() {
        assertThrows(IllegalArgumentException.class, () -> Der.ia5String("bü"));
    }

    static LongStream seeds() {
        return Seeds.of("der.againstBouncyCastle", 200);
    }

    /** BouncyCastle reads back what we write: OIDs, integers, octet strings of every length form. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void bouncyCastleAgrees(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder oid = new StringBuilder().append(random.nextInt(3)).append('.');
        oid.append(oid.charAt(0) == '2' ? random.nextLong(0, 1L << 40) : random.nextInt(40));
        for (int i = random.nextInt(8); i > 0; i--) {
            oid.append('.').append(random.nextBoolean() ? random.nextInt(200) : random.nextLong(0, Long.MAX_VALUE));
        }
        assertEquals(new ASN1ObjectIdentifier(oid.toString()), ASN1Primitive.fromByteArray(Der.oid(oid.toString())));

        byte[] magnitude = new byte[random.nextInt(1, 40)];
        random.nextBytes(magnitude);
        BigInteger n = new BigInteger(magnitude);
        assertEquals(new ASN1Integer(n), ASN1Primitive.fromByteArray(Der.integer(n.toByteArray())));
        assertArrayEquals(new ASN1Integer(n).getEncoded(), Der.integer(n.toByteArray()));

        byte[] content = new byte[random.nextInt(0, 70_000)];
        random.nextBytes(content);
        assertArrayEquals(content, ((ASN1OctetString) ASN1Primitive.fromByteArray(Der.octetString(content))).getOctets());
    }
}
