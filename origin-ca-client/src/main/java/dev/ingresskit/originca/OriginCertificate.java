package dev.ingresskit.originca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An Origin CA certificate as the API describes it. Immutable.
 *
 * @param id                     the API's certificate id
 * @param certificatePem         the PEM the API returned (leaf first; a chain when it sent one)
 * @param chain                  {@code certificatePem} parsed, leaf first, never empty
 * @param hostnames              the hostnames it covers
 * @param expiresOn              {@code expires_on}, whichever of its two formats the API used
 * @param requestType            {@code request_type}
 * @param requestedValidityDays  {@code requested_validity}; 0 when the API did not say
 * @param csrPem                 the CSR the API echoed, or empty
 * @param revokedAt              {@code revoked_at} when the certificate has been revoked
 */
public record OriginCertificate(String id, String certificatePem, List<X509Certificate> chain, List<String> hostnames,
        Instant expiresOn, RequestType requestType, int requestedValidityDays, String csrPem,
        Optional<Instant> revokedAt) {
    public OriginCertificate {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id is required");
        }
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the leaf certificate");
        }
        hostnames = List.copyOf(hostnames);
        csrPem = csrPem == null ? "" : csrPem;
        revokedAt = revokedAt == null ? Optional.empty() : revokedAt;
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }

    @Override
    public String toString() {
        return "OriginCertificate[id=" + id + ", hostnames=" + hostnames + ", type=" + requestType.wireName()
                + ", expiresOn=" + expiresOn + ", validity=" + requestedValidityDays + "d"
                + revokedAt.map(t -> ", revokedAt=" + t).orElse("") + "]";
    }
}
