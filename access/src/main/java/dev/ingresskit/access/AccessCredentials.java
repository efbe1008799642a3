package dev.ingresskit.access;

import dev.ingresskit.access.internal.Base64Url;
import dev.ingresskit.access.internal.JsonReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link AccessTunnel} presents on each WebSocket upgrade: a service token
 * ({@code Cf-Access-Client-Id} + {@code Cf-Access-Client-Secret}) or a user's application token
 * ({@code cf-access-token}), or nothing. Values are trimmed (a pasted newline is the classic cause of
 * "service token ignored"); {@link #toString()} never shows a secret or token.
 */
public final class AccessCredentials {
    private enum Kind { NONE, SERVICE_TOKEN, APP_TOKEN, TOKEN_FILE }

    private final Kind kind;
    private final String clientId;
    private final String secretOrToken;
    private final Path file;

    private AccessCredentials(Kind kind, String clientId, String secretOrToken, Path file) {
        this.kind = kind;
        this.clientId = clientId;
        this.secretOrToken = secretOrToken;
        this.file = file;
    }

    public static AccessCredentials none() {
        return new AccessCredentials(Kind.NONE, null, null, null);
    }

    /** A service token's client ID ({@code ....access}) and secret. */
    public static AccessCredentials serviceToken(String clientId, String clientSecret) {
        String id = requireText(clientId, "service token client ID");
        String secret = requireText(clientSecret, "service token client secret");
        return new AccessCredentials(Kind.SERVICE_TOKEN, id, secret, null);
    }

    /** An application token (the JWT {@code cloudflared access login} obtains). */
    public static AccessCredentials appToken(String token) {
        return new AccessCredentials(Kind.APP_TOKEN, null, requireText(token, "application token"), null);
    }

    /**
     * An application token read from {@code file} on every new connection, so a token refreshed by
     * {@code cloudflared access login} is picked up without a restart. The file holds the JWT as text,
     * which is what cloudflared caches under {@code ~/.cloudflared/} ({@code *-token} files) and what
     * {@code cloudflared access token -app=URL} prints.
     */
    public static AccessCredentials tokenFile(Path file) {
        return new AccessCredentials(Kind.TOKEN_FILE, null, null, Objects.requireNonNull(file, "file"));
    }

    /** An application token from the environment variable {@code name}; missing or blank is an error now. */
    public static AccessCredentials appTokenFromEnvironment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " holds no Access token");
        }
        return appToken(value);
    }

    /** The upgrade headers, reading the token file if that is the source. */
    Map<String, String> headers(String hostname, Clock clock) throws AccessTunnelException {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (kind) {
            case NONE -> {
            }
            case SERVICE_TOKEN -> {
                headers.put("Cf-Access-Client-Id", clientId);
                headers.put("Cf-Access-Client-Secret", secretOrToken);
            }
            case APP_TOKEN -> headers.put("cf-access-token", secretOrToken);
            case TOKEN_FILE -> headers.put("cf-access-token", readTokenFile(hostname, clock));
        }
        return headers;
    }

    private String readTokenFile(String hostname, Clock clock) throws AccessTunnelException {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new AccessTunnelException(AccessTunnelException.Kind.NOT_AUTHENTICATED, hostname,
                    "token file " + file + " does not exist; run `cloudflared access login " + hostname + "`");
        } catch (IOException e) {
            throw new AccessTunnelException(AccessTunnelException.Kind.NOT_AUTHENTICATED, hostname, "cannot read token file " + file + ": " + e.getMessage());
        }
        Instant expiry = unverifiedExpiry(token);
        if (expiry == null) {
            throw new AccessTunnelException(AccessTunnelException.Kind.NOT_AUTHENTICATED, hostname,
                    "token file " + file + " does not hold a JWT (" + token.length() + " characters)");
        }
        if (!clock.instant().isBefore(expiry)) {
            throw new AccessTunnelException(AccessTunnelException.Kind.NOT_AUTHENTICATED, hostname,
                    "the token in " + file + " expired at " + expiry + "; run `cloudflared access login " + hostname + "`");
        }
        return token;
    }

    /**
     * {@code exp} read without verifying (only the edge can verify it): enough to say "expired, log in
     * again" locally instead of letting the edge answer with a login redirect.
     */
    static Instant unverifiedExpiry(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        byte[] payload = Base64Url.decode(parts[1], 0, parts[1].length());
        try {
            if (payload != null && JsonReader.parseObject(payload).get("exp") instanceof BigDecimal exp && exp.signum() > 0
                    && exp.compareTo(BigDecimal.valueOf(253_402_300_799L)) <= 0) {
                return Instant.ofEpochSecond(exp.longValue());
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value.strip();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "AccessCredentials[none]";
            case SERVICE_TOKEN -> "AccessCredentials[service token " + clientId + ", secret redacted]";
            case APP_TOKEN -> "AccessCredentials[app token redacted]";
            case TOKEN_FILE -> "AccessCredentials[token file " + file + "]";
        };
    }
}
