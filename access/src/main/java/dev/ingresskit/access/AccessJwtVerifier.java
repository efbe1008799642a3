package dev.ingresskit.access;

import dev.ingresskit.access.AccessJwtException.Check;
import dev.ingresskit.access.internal.Base64Url;
import dev.ingresskit.access.internal.JsonReader;
import dev.ingresskit.access.internal.JsonSyntaxException;
import dev.ingresskit.access.internal.KeyCache;
import dev.ingresskit.access.internal.VerificationKey;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the {@code Cf-Access-Jwt-Assertion} JWT that Cloudflare Access adds to every request it lets
 * through to an origin. Thread-safe; build one per application and share it.
 *
 * <p>Checks, in order, each failing with its own {@link AccessJwtException.Check}: the token's shape
 * (three base64url parts, JSON header and claims, at most {@value #MAX_TOKEN_CHARS} characters); the
 * algorithm ({@code RS256} or {@code ES256} only, and the one the key is for: {@code none}, {@code HS256}
 * and a key used with another algorithm are refused); the key named by {@code kid}; the signature; then
 * {@code iss} (exactly the team domain), {@code aud} (one of the application's audience tags),
 * {@code exp}, {@code nbf}, {@code iat} with the clock skew (default {@value #DEFAULT_SKEW_SECONDS} s).
 * No claim is looked at before the signature has verified.
 */
public final class AccessJwtVerifier {
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    public static final int DEFAULT_SKEW_SECONDS = 60;
    /** NumericDate beyond year 9999 is not a date any issuer means. */
    private static final BigDecimal MAX_NUMERIC_DATE = BigDecimal.valueOf(253_402_300_799L);

    private final String issuer;
    private final Set<String> audiences;
    private final Duration skew;
    private final Clock clock;
    private final KeyCache keys;

    private AccessJwtVerifier(Builder b) {
        this.issuer = b.issuer;
        this.audiences = Set.copyOf(b.audiences);
        this.skew = b.skew;
        this.clock = b.clock;
        AccessKeySource source = b.keySource != null ? b.keySource
                : AccessKeySource.http(URI.create(b.issuer + "/cdn-cgi/access/certs"), Duration.ofSeconds(10));
        this.keys = new KeyCache(source, b.clock, b.maxKeyAge, b.minRefreshInterval, b.logger);
    }

    /**
     * A builder for the team {@code teamDomain}: {@code myteam.cloudflareaccess.com} or its
     * {@code https://} URL, which is also the expected {@code iss}.
     */
    public static Builder builder(String teamDomain) {
        return new Builder(teamDomain);
    }

    /** The expected {@code iss}: {@code https://TEAM.cloudflareaccess.com}. */
    public String issuer() {
        return issuer;
    }

    /** Verifies {@code token} and returns its identity, or says which check failed. */
    public AccessIdentity verify(String token) throws AccessJwtException {
        if (token == null || token.isEmpty()) {
            throw new AccessJwtException(Check.FORMAT, "no token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new AccessJwtException(Check.FORMAT, "token is " + token.length() + " characters, more than " + MAX_TOKEN_CHARS);
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            throw new AccessJwtException(Check.FORMAT, "expected three dot-separated parts, found "
                    + (token.chars().filter(c -> c == '.').count() + 1));
        }
        Map<String, Object> header = jsonPart(token, 0, dot1, "header");
        String alg = requiredString(header, "alg", "header");
        if (!alg.equals(VerificationKey.RS256) && !alg.equals(VerificationKey.ES256)) {
            throw new AccessJwtException(Check.ALGORITHM, "alg \"" + printable(alg) + "\" is not accepted (RS256 or ES256 only)");
        }
        if (header.containsKey("crit")) {
            throw new AccessJwtException(Check.ALGORITHM, "header has \"crit\" extensions this verifier does not implement");
        }
        String kid = requiredString(header, "kid", "header");
        VerificationKey key = keys.find(kid);
        if (!key.algorithm().equals(alg)) {
            throw new AccessJwtException(Check.ALGORITHM, "key \"" + printable(kid) + "\" is for " + key.algorithm() + ", token says " + alg);
        }
        byte[] signature = Base64Url.decode(token, dot2 + 1, token.length());
        if (signature == null) {
            throw new AccessJwtException(Check.FORMAT, "signature is not base64url (offset " + (dot2 + 1) + ")");
        }
        if (!signatureValid(key, token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new AccessJwtException(Check.SIGNATURE, "signature does not verify with key \"" + printable(kid) + "\" (" + alg + ")");
        }
        Map<String, Object> claims = jsonPart(token, dot1 + 1, dot2, "payload");
        return checkClaims(claims);
    }

    private AccessIdentity checkClaims(Map<String, Object> claims) throws AccessJwtException {
        String iss = requiredString(claims, "iss", "claims");
        if (!iss.equals(issuer)) {
            throw new AccessJwtException(Check.ISSUER, "iss \"" + printable(iss) + "\" is not " + issuer);
        }
        List<String> aud = stringOrStrings(claims, "aud");
        if (aud.isEmpty()) {
            throw new AccessJwtException(Check.FORMAT, "claims have no \"aud\"");
        }
        if (aud.stream().noneMatch(audiences::contains)) {
            throw new AccessJwtException(Check.AUDIENCE, "aud " + printable(aud.toString()) + " contains none of this application's tags");
        }
        Instant now = clock.instant();
        Instant exp = numericDate(claims, "exp", true);
        if (!now.isBefore(exp.plus(skew))) {
            throw new AccessJwtException(Check.EXPIRED, "exp " + exp + " is before now " + now + " minus skew " + skew);
        }
        Instant nbf = numericDate(claims, "nbf", false);
        if (nbf != null && now.plus(skew).isBefore(nbf)) {
            throw new AccessJwtException(Check.NOT_YET_VALID, "nbf " + nbf + " is after now " + now + " plus skew " + skew);
        }
        Instant iat = numericDate(claims, "iat", false);
        if (iat != null && now.plus(skew).isBefore(iat)) {
            throw new AccessJwtException(Check.ISSUED_IN_FUTURE, "iat " + iat + " is after now " + now + " plus skew " + skew);
        }
        return new AccessIdentity(
                optionalString(claims, "sub").orElse(""),
                optionalString(claims, "email"),
                optionalString(claims, "common_name"),
                claims.containsKey("groups") ? stringOrStrings(claims, "groups") : List.of(),
                optionalString(claims, "type").orElse(""),
                aud,
                iat != null ? iat : exp,
                exp);
    }

    private static boolean signatureValid(VerificationKey key, byte[] signingInput, byte[] signature) {
        if (key.algorithm().equals(VerificationKey.ES256) && signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(key.jcaAlgorithm());
            verifier.initVerify(key.key());
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Map<String, Object> jsonPart(String token, int from, int to, String part) throws AccessJwtException {
        byte[] bytes = Base64Url.decode(token, from, to);
        if (bytes == null) {
            throw new AccessJwtException(Check.FORMAT, part + " is not base64url (offset " + from + ")");
        }
        try {
            return JsonReader.parseObject(bytes);
        } catch (JsonSyntaxException e) {
            throw new AccessJwtException(Check.FORMAT, part + " is not a JSON object: " + e.getMessage());
        }
    }

    private static String requiredString(Map<String, Object> json, String name, String part) throws AccessJwtException {
        Object value = json.get(name);
        if (!(value instanceof String s)) {
            throw new AccessJwtException(Check.FORMAT, part + " \"" + name + "\" is "
                    + (value == null ? "missing" : JsonReader.typeName(value) + ", not a string"));
        }
        return s;
    }

    private static Optional<String> optionalString(Map<String, Object> json, String name) throws AccessJwtException {
        return json.containsKey(name) ? Optional.of(requiredString(json, name, "claims")) : Optional.empty();
    }

    private static List<String> stringOrStrings(Map<String, Object> claims, String name) throws AccessJwtException {
        Object value = claims.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new AccessJwtException(Check.FORMAT, "claims \"" + name + "\" holds a " + JsonReader.typeName(item) + ", not only strings");
                }
                out.add(s);
            }
            return out;
        }
        throw new AccessJwtException(Check.FORMAT, "claims \"" + name + "\" is " + JsonReader.typeName(value) + ", not a string or array");
    }

    private static Instant numericDate(Map<String, Object> claims, String name, boolean required) throws AccessJwtException {
        Object value = claims.get(name);
        if (value == null) {
            if (required) {
                throw new AccessJwtException(Check.FORMAT, "claims have no \"" + name + "\"");
            }
            return null;
        }
        if (!(value instanceof BigDecimal n) || n.signum() < 0 || n.compareTo(MAX_NUMERIC_DATE) > 0) {
            throw new AccessJwtException(Check.FORMAT, "claims \"" + name + "\" is not a NumericDate: " + printable(String.valueOf(value)));
        }
        return Instant.ofEpochSecond(n.longValue());
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 80 ? out + "..." : out.toString();
    }

    /** Configures a verifier; each setter checks its argument at once. */
    public static final class Builder {
        private final String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private Duration skew = Duration.ofSeconds(DEFAULT_SKEW_SECONDS);
        private Clock clock = Clock.systemUTC();
        private AccessKeySource keySource;
        private Duration maxKeyAge = Duration.ofHours(1);
        private Duration minRefreshInterval = Duration.ofSeconds(30);
        private System.Logger logger = System.getLogger("dev.ingresskit.access");

        private Builder(String teamDomain) {
            Objects.requireNonNull(teamDomain, "teamDomain");
            String host = teamDomain.strip();
            if (host.startsWith("https://")) {
                host = host.substring("https://".length());
            }
            while (host.endsWith("/")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.isEmpty() || host.contains("/") || host.contains(" ") || host.contains("://")) {
                throw new IllegalArgumentException("team domain must be a host name such as myteam.cloudflareaccess.com, got \"" + teamDomain + "\"");
            }
            this.issuer = "https://" + host;
        }

        /** Adds the application's audience ({@code AUD}) tags; at least one is required. */
        public Builder audience(String... tags) {
            for (String tag : tags) {
                if (tag == null || tag.isBlank()) {
                    throw new IllegalArgumentException("audience tag must not be blank");
                }
                audiences.add(tag.strip());
            }
            return this;
        }

        /** Allowed clock difference for exp/nbf/iat (default 60 s; at most 10 min). */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("clock skew must be between 0 and 10 minutes, got " + skew);
            }
            this.skew = skew;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the keys come from; default: GET {@code https://TEAM/cdn-cgi/access/certs}. */
        public Builder keySource(AccessKeySource source) {
            this.keySource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Refetch keys older than this even when every kid is known (default 1 h). */
        public Builder maxKeyAge(Duration age) {
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("max key age must be positive, got " + age);
            }
            this.maxKeyAge = age;
            return this;
        }

        /** At most one fetch of the certs URL per this interval, whatever tokens arrive (default 30 s). */
        public Builder minRefreshInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("min refresh interval must not be negative, got " + interval);
            }
            this.minRefreshInterval = interval;
            return this;
        }

        /** Where the stale-key warnings go (default {@code System.getLogger("dev.ingresskit.access")}). */
        public Builder logger(System.Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        public AccessJwtVerifier build() {
            if (audiences.isEmpty()) {
                throw new IllegalStateException("set the application's audience tag(s) with audience(...)");
            }
            return new AccessJwtVerifier(this);
        }
    }
}
