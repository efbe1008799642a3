package dev.ingresskit.access.internal;

import java.util.List;

/** Finds the Access token in a request: the {@code Cf-Access-Jwt-Assertion} header, else the {@code CF_Authorization} cookie. */
public final class RequestToken {
    public static final String HEADER = "Cf-Access-Jwt-Assertion";
    public static final String COOKIE = "CF_Authorization";

    private RequestToken() {
    }

    /** The token, or null when the request carries none. */
    public static String find(String assertionHeader, List<String> cookieHeaders) {
        if (assertionHeader != null && !assertionHeader.isBlank()) {
            return assertionHeader.strip();
        }
        if (cookieHeaders != null) {
            for (String header : cookieHeaders) {
                for (String pair : header.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().equals(COOKIE)) {
                        String value = pair.substring(eq + 1).strip();
                        if (!value.isEmpty()) {
                            return value;
                        }
                    }
                }
            }
        }
        return null;
    }
}
