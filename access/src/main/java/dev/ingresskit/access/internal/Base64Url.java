package dev.ingresskit.access.internal;

import java.util.Base64;

/** RFC 7515 base64url without padding, strictly: any other character (including '=') is refused. */
public final class Base64Url {
    private Base64Url() {
    }

    /**
     * Decodes {@code text[from, to)}; returns null when it is not strict base64url, so callers can
     * say which part of their input was bad.
     */
    public static byte[] decode(String text, int from, int to) {
        if ((to - from) % 4 == 1) {
            return null;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return null;
            }
        }
        try {
            return Base64.getUrlDecoder().decode(text.substring(from, to));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
