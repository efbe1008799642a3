package dev.ingresskit.access;

import java.util.Objects;

/**
 * A {@code Cf-Access-Jwt-Assertion} that was not accepted, with the check that failed. The message
 * names the check and the offending claim value or offset; it never contains the token.
 */
public final class AccessJwtException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The check that rejected the token, in the order the verifier applies them. */
    public enum Check {
        /** Missing token, not three base64url parts, bad base64url or JSON, a required field absent or of the wrong type. */
        FORMAT,
        /** {@code alg} other than RS256/ES256 ({@code none}, HS256, ...), or {@code crit} present. */
        ALGORITHM,
        /** No key with the token's {@code kid}, even after a (rate-limited) refresh of the key set. */
        UNKNOWN_KEY,
        /** The key set could not be fetched and no earlier copy exists. */
        KEYS_UNAVAILABLE,
        /** The signature does not verify with the key named by {@code kid}. */
        SIGNATURE,
        /** {@code iss} is not the team domain. */
        ISSUER,
        /** None of the token's {@code aud} values is one of the application's audience tags. */
        AUDIENCE,
        /** {@code exp} is in the past, beyond the clock skew. */
        EXPIRED,
        /** {@code nbf} is in the future, beyond the clock skew. */
        NOT_YET_VALID,
        /** {@code iat} is in the future, beyond the clock skew. */
        ISSUED_IN_FUTURE
    }

    private final Check check;

    public AccessJwtException(Check check, String detail) {
        super(check + ": " + Objects.requireNonNull(detail, "detail"));
        this.check = Objects.requireNonNull(check, "check");
    }

    public Check check() {
        return check;
    }
}
