package dev.ingresskit.director;

/**
 * A standard BGP community (RFC 1997): two 16-bit halves, written {@code ASN:VALUE} as ExaBGP and
 * most router configs print it.
 *
 * @param asn   the high half, 0..65535
 * @param value the low half, 0..65535
 */
public record Community(int asn, int value) {

    public Community {
        if (asn < 0 || asn > 0xFFFF) {
            throw new IllegalArgumentException("community: ASN half " + asn + " is outside 0..65535");
        }
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("community: value half " + value + " is outside 0..65535");
        }
    }

    /** Reads {@code ASN:VALUE}, both decimal; the message names the bad text. */
    public static Community parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("community: '" + text + "' is not ASN:VALUE");
        }
        return new Community(half(text, text.substring(0, colon)), half(text, text.substring(colon + 1)));
    }

    private static int half(String text, String digits) {
        if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("community: '" + text + "' is not ASN:VALUE (decimal, 0..65535 each)");
        }
        int v = Integer.parseInt(digits);
        if (v > 0xFFFF) {
            throw new IllegalArgumentException("community: '" + text + "': " + v + " is outside 0..65535");
        }
        return v;
    }

    @Override
    public String toString() {
        return asn + ":" + value;
    }
}
