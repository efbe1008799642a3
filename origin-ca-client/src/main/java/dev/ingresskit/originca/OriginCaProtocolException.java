package dev.ingresskit.originca;

import java.util.List;

/**
 * The API answered with something this client cannot understand: a successful status with a body
 * that is not JSON, not an envelope, or lacks a required field. Names the field and value.
 */
public final class OriginCaProtocolException extends OriginCaException {
    private static final long serialVersionUID = 1L;

    OriginCaProtocolException(String operation, int httpStatus, String rayId, int attempts, String detail,
            Throwable cause) {
        super(operation, httpStatus, List.of(), rayId, attempts, null, detail, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
