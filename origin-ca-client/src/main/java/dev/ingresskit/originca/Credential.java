package dev.ingresskit.originca;

/**
 * The one secret a client holds, with the header that carries it. Trimmed of the whitespace and
 * newlines that copy-paste and secret files add (origin-ca-issuer #105/#107); refuses any other
 * control or non-ASCII character so it cannot split a header. Its value never leaves this class
 * except into the request header.
 */
final class Credential {
    static final String AUTHORIZATION = "Authorization";
    static final String SERVICE_KEY = "X-Auth-User-Service-Key";

    private final String header;
    private final String value;
    private final String kind;

    private Credential(String header, String value, String kind) {
        this.header = header;
        this.value = value;
        this.kind = kind;
    }

    static Credential apiToken(String token) {
        return new Credential(AUTHORIZATION, "Bearer " + clean(token, "API token"), "API token");
    }

    static Credential originCaKey(String key) {
        String clean = clean(key, "Origin CA key");
        if (!clean.startsWith("v1.0-")) {
            throw new IllegalArgumentException("the Origin CA key does not look like one (expected it to start with 'v1.0-')");
        }
        return new Credential(SERVICE_KEY, clean, "legacy Origin CA key");
    }

    private static String clean(String secret, String what) {
        if (secret == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        String trimmed = secret.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                // The position, never the value.
                throw new IllegalArgumentException(what + " contains a space, control or non-ASCII character at index " + i);
            }
        }
        return trimmed;
    }

    String header() {
        return header;
    }

    String value() {
        return value;
    }

    static boolean isSecretHeader(String name) {
        return name.equalsIgnoreCase(AUTHORIZATION) || name.equalsIgnoreCase(SERVICE_KEY);
    }

    @Override
    public String toString() {
        return kind + " (redacted)";
    }
}
