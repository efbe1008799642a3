package dev.ingresskit.originca.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The handful of ASN.1 DER encodings a PKCS#10 request needs (ITU-T X.690 §8 and §10). Each method
 * returns one complete TLV; constructed types take already-encoded children. Not a general ASN.1
 * library: definite lengths only, tags below 31 only.
 */
public final class Der {
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int NULL = 0x05;
    private static final int OBJECT_IDENTIFIER = 0x06;
    private static final int UTF8_STRING = 0x0C;
    private static final int IA5_STRING = 0x16;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;

    private Der() {
    }

    public static byte[] sequence(byte[]... children) {
        return tlv(SEQUENCE, concat(children));
    }

    /** A SET OF: DER (X.690 §11.6) orders the elements by their encodings, compared as unsigned bytes. */
    public static byte[] setOf(byte[]... children) {
        byte[][] sorted = children.clone();
        Arrays.sort(sorted, Arrays::compareUnsigned);
        return tlv(SET, concat(sorted));
    }

    public static byte[] integer(long value) {
        return integer(java.math.BigInteger.valueOf(value).toByteArray());
    }

    /** An INTEGER from two's-complement big-endian bytes, trimmed to the minimal form. */
    public static byte[] integer(byte[] twosComplement) {
        int start = 0;
        while (start < twosComplement.length - 1
                && ((twosComplement[start] == 0 && twosComplement[start + 1] >= 0)
                || (twosComplement[start] == -1 && twosComplement[start + 1] < 0))) {
            start++;
        }
        return tlv(INTEGER, Arrays.copyOfRange(twosComplement, start, twosComplement.length));
    }

    public static byte[] nul() {
        return new byte[] {NULL, 0};
    }

    /** A BIT STRING with no unused bits (signatures and keys are whole bytes). */
    public static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tlv(BIT_STRING, content);
    }

    public static byte[] octetString(byte[] bytes) {
        return tlv(OCTET_STRING, bytes);
    }

    public static byte[] utf8String(String s) {
        return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] ia5String(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                throw new IllegalArgumentException("IA5String takes ASCII only, got U+"
                        + Integer.toHexString(s.charAt(i)) + " at index " + i);
            }
        }
        return tlv(IA5_STRING, s.getBytes(StandardCharsets.US_ASCII));
    }

    /** An OBJECT IDENTIFIER from dotted decimal (X.690 §8.19). */
    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("OID needs at least two arcs: " + dotted);
        }
        long[] arcs = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            arcs[i] = Long.parseLong(parts[i]);
            if (arcs[i] < 0) {
                throw new IllegalArgumentException("negative arc in OID " + dotted);
            }
        }
        if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) {
            throw new IllegalArgumentException("bad first arcs in OID " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(arcs[0] * 40 + arcs[1], out);
        for (int i = 2; i < arcs.length; i++) {
            base128(arcs[i], out);
        }
        return tlv(OBJECT_IDENTIFIER, out.toByteArray());
    }

    private static void base128(long value, ByteArrayOutputStream out) {
        int groups = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int bits = (int) (value >>> (7 * g)) & 0x7f;
            out.write(g == 0 ? bits : bits | 0x80);
        }
    }

    /** {@code [n]} constructed, context-specific: IMPLICIT over a constructed type, or EXPLICIT. */
    public static byte[] contextConstructed(int tagNumber, byte[]... children) {
        return tlv(0xA0 | checkTag(tagNumber), concat(children));
    }

    /** {@code [n]} primitive, context-specific: IMPLICIT over a primitive type's content octets. */
    public static byte[] contextPrimitive(int tagNumber, byte[] content) {
        return tlv(0x80 | checkTag(tagNumber), content);
    }

    private static int checkTag(int tagNumber) {
        if (tagNumber < 0 || tagNumber > 30) {
            throw new IllegalArgumentException("tag number out of the low-tag range: " + tagNumber);
        }
        return tagNumber;
    }

    /** One TLV with a definite-length length (short form below 128, long form otherwise). */
    public static byte[] tlv(int tag, byte[] content) {
        int length = content.length;
        int lengthBytes = length < 0x80 ? 0 : (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[1 + 1 + lengthBytes + length];
        out[0] = (byte) tag;
        if (lengthBytes == 0) {
            out[1] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                out[2 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
            }
        }
        System.arraycopy(content, 0, out, 2 + lengthBytes, length);
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
