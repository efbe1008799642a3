package dev.ingresskit.originca;

import java.time.Duration;
import java.util.List;

/** The API answered, and the answer was an error: an HTTP error status and/or {@code success: false}. */
public final class OriginCaApiException extends OriginCaException {
    private static final long serialVersionUID = 1L;

    OriginCaApiException(String operation, int httpStatus, List<ApiError> errors, String rayId, int attempts,
            Duration retryAfter, String detail) {
        super(operation, httpStatus, errors, rayId, attempts, retryAfter, detail, null);
    }

    @Override
    public boolean isTransient() {
        return httpStatus() == 429 || httpStatus() >= 500 || hasErrorCode(ApiError.FAILED_TO_WRITE_CERTIFICATE);
    }
}
