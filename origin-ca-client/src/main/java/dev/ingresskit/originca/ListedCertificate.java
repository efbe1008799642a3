package dev.ingresskit.originca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One item of {@link OriginCaClient#list}: what the API said about a certificate, kept even when part
 * of it cannot be read. A listing is metadata; one item with an empty or broken {@code certificate}
 * (or an odd {@code csr}, {@code hostnames}, {@code expires_on}, ...) must not hide the others, so each
 * field that could not be read is left at its "unknown" value and described in {@link #problems()},
 * and the raw PEM text is carried as the API sent it. {@link OriginCaClient#get} of the same id still
 * insists on a readable certificate. Immutable.
 *
 * @param id                    the API's certificate id; empty when the item had none (see problems)
 * @param hostnames             the hostnames that could be read
 * @param expiresOn             {@code expires_on}, else the leaf's notAfter; empty when neither was readable
 * @param requestType           {@code request_type} as sent ({@link RequestType#fromWire} reads it); empty when absent
 * @param requestedValidityDays {@code requested_validity}; 0 when absent or unreadable
 * @param certificatePem        the {@code certificate} field exactly as sent; empty when absent or not a string
 * @param chain                 {@code certificatePem} parsed, leaf first; empty when it could not be read
 * @param csrPem                the {@code csr} field as sent; empty when absent or not a string
 * @param revokedAt             {@code revoked_at} when present and readable
 * @param problems              one line per field that could not be read, naming the field and why; empty
 *                              when the whole item was read
 */
public record ListedCertificate(String id, List<String> hostnames, Optional<Instant> expiresOn, String requestType,
        int requestedValidityDays, String certificatePem, List<X509Certificate> chain, String csrPem,
        Optional<Instant> revokedAt, List<String> problems) {
    public ListedCertificate {
        id = id == null ? "" : id;
        hostnames = List.copyOf(hostnames);
        expiresOn = expiresOn == null ? Optional.empty() : expiresOn;
        requestType = requestType == null ? "" : requestType;
        certificatePem = certificatePem == null ? "" : certificatePem;
        chain = List.copyOf(chain);
        csrPem = csrPem == null ? "" : csrPem;
        revokedAt = revokedAt == null ? Optional.empty() : revokedAt;
        problems = List.copyOf(problems);
    }

    /** True when every field was read; {@link #problems()} says what was not. */
    public boolean isReadable() {
        return problems.isEmpty();
    }

    /** The leaf certificate, when the {@code certificate} field could be read. */
    public Optional<X509Certificate> leaf() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.getFirst());
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }

    @Override
    public String toString() {
        return "ListedCertificate[id=" + id + ", hostnames=" + hostnames + ", type=" + requestType
                + ", expiresOn=" + expiresOn.map(Instant::toString).orElse("?")
                + revokedAt.map(t -> ", revokedAt=" + t).orElse("")
                + (problems.isEmpty() ? "" : ", unreadable: " + String.join("; ", problems)) + "]";
    }
}
