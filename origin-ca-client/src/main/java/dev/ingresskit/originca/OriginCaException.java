package dev.ingresskit.originca;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every failure of an {@link OriginCaClient} call. The subclasses say where it happened:
 * {@link OriginCaApiException} (the API answered with an error status or envelope),
 * {@link OriginCaTransportException} (no answer: connection, timeout, interruption) and
 * {@link OriginCaProtocolException} (an answer we cannot understand). All carry the operation, the
 * HTTP status (0 when there was none), every {@code {code, message}} the API sent, the
 * {@code CF-Ray} id and the number of attempts made. Never carries credentials.
 *
 * <p>Unchecked, so that the lazy {@link OriginCaClient#list(String)} stream can throw it too.
 */
public abstract sealed class OriginCaException extends RuntimeException
        permits OriginCaApiException, OriginCaTransportException, OriginCaProtocolException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int httpStatus;
    private final transient List<ApiError> errors;
    private final String rayId;
    private final int attempts;
    private final transient Duration retryAfter;

    OriginCaException(String operation, int httpStatus, List<ApiError> errors, String rayId, int attempts,
            Duration retryAfter, String detail, Throwable cause) {
        super(message(operation, httpStatus, errors, rayId, attempts, detail), cause);
        this.operation = operation;
        this.httpStatus = httpStatus;
        this.errors = List.copyOf(errors);
        this.rayId = rayId;
        this.attempts = attempts;
        this.retryAfter = retryAfter;
    }

    private static String message(String operation, int status, List<ApiError> errors, String rayId, int attempts,
            String detail) {
        StringBuilder text = new StringBuilder(operation).append(": ");
        if (status > 0) {
            text.append("HTTP ").append(status);
        }
        if (!errors.isEmpty()) {
            text.append(status > 0 ? ": " : "")
                    .append(errors.stream().map(ApiError::toString).collect(Collectors.joining("; ")));
        }
        if (detail != null && !detail.isEmpty()) {
            text.append(status > 0 || !errors.isEmpty() ? " (" + detail + ")" : detail);
        }
        if (rayId != null) {
            text.append(" [cf-ray ").append(rayId).append(']');
        }
        if (attempts > 1) {
            text.append(" after ").append(attempts).append(" attempts");
        }
        return text.toString();
    }

    /** The call that failed, e.g. {@code POST /certificates}. */
    public String operation() {
        return operation;
    }

    /** The HTTP status of the last response, or 0 when no response arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Every error the API listed, in its order; empty when it listed none (or sent no JSON). */
    public List<ApiError> errors() {
        return errors;
    }

    /** The {@code CF-Ray} header of the last response, for Cloudflare support. */
    public Optional<String> rayId() {
        return Optional.ofNullable(rayId);
    }

    /** How many requests were made before giving up (1 when there was no retry). */
    public int attempts() {
        return attempts;
    }

    /** The server's {@code Retry-After}, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether the API listed error {@code code}. */
    public boolean hasErrorCode(int code) {
        return errors.stream().anyMatch(e -> e.code() == code);
    }

    /** HTTP 429: the rate limit (1200 requests / 5 minutes) was hit. */
    public boolean isRateLimited() {
        return httpStatus == 429;
    }

    /** HTTP 401/403: the credentials are missing, wrong or lack the permission. Never retried. */
    public boolean isAuthenticationFailure() {
        return httpStatus == 401 || httpStatus == 403;
    }

    /** HTTP 404: no such certificate. */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /** Whether the same request may succeed later (429, 5xx, error 1100, transport failures). */
    public abstract boolean isTransient();
}
