package dev.ingresskit.originca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one {@link RenewalManager#checkOnce()}.
 *
 * @param action      what was done
 * @param reason      why, in words (e.g. "cert.pem is missing", "2/3 of the lifetime has passed")
 * @param chain       the chain now on disk and in the key manager, leaf first
 * @param certificateId the API id of that certificate
 * @param renewAt     when the next renewal is due
 * @param replacedId  the id of the certificate this one replaced, if any
 * @param revokeFailure why revoking the replaced certificate failed, when it was asked for and failed
 */
public record RenewalResult(Action action, String reason, List<X509Certificate> chain, String certificateId,
        Instant renewAt, Optional<String> replacedId, Optional<OriginCaException> revokeFailure) {
    public RenewalResult {
        chain = List.copyOf(chain);
    }

    /** What a check did. */
    public enum Action {
        /** There was no usable pair; one was issued. */
        ISSUED,
        /** The pair was due (or no longer matched the configuration) and was replaced. */
        RENEWED,
        /** The pair on disk is current; nothing was changed. */
        UNCHANGED
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** Whether a new pair was installed. */
    public boolean changed() {
        return action != Action.UNCHANGED;
    }
}
