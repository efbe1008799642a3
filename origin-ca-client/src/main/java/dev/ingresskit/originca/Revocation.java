package dev.ingresskit.originca;

import java.time.Instant;

/** The answer to a revoke: the certificate's id and when the CA revoked it. */
public record Revocation(String id, Instant revokedAt) {
}
