package dev.ingresskit.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity in a verified Access token.
 *
 * @param subject              {@code sub}: the user's or service token's stable ID at Access
 * @param email                {@code email}, for users
 * @param serviceTokenClientId {@code common_name}: the client ID of a service token (Access puts it
 *                             there instead of an email)
 * @param groups               {@code groups}, when the application's token carries them (an IdP
 *                             claim passed through); empty otherwise
 * @param type                 {@code type}, {@code app} for application tokens
 * @param audiences            {@code aud}
 * @param issuedAt             {@code iat}
 * @param expiresAt            {@code exp}
 */
public record AccessIdentity(
        String subject,
        Optional<String> email,
        Optional<String> serviceTokenClientId,
        List<String> groups,
        String type,
        List<String> audiences,
        Instant issuedAt,
        Instant expiresAt) {

    public AccessIdentity {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(serviceTokenClientId, "serviceTokenClientId");
        groups = List.copyOf(groups);
        Objects.requireNonNull(type, "type");
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** True for a service token (no user behind it). */
    public boolean isServiceToken() {
        return email.isEmpty() && serviceTokenClientId.isPresent();
    }

    /** The name to act as: the email for a user, the client ID for a service token, else the subject. */
    public String principal() {
        return email.or(() -> serviceTokenClientId).orElse(subject);
    }
}
