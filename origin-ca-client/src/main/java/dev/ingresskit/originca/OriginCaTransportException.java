package dev.ingresskit.originca;

import java.util.List;

/** No answer arrived: connection refused, reset, timed out, TLS failure, or the thread was interrupted. */
public final class OriginCaTransportException extends OriginCaException {
    private static final long serialVersionUID = 1L;
    private final boolean requestSent;

    OriginCaTransportException(String operation, int attempts, String detail, boolean requestSent, Throwable cause) {
        super(operation, 0, List.of(), null, attempts, null, detail, cause);
        this.requestSent = requestSent;
    }

    /**
     * False when the failure certainly happened before the server saw the request (connection
     * refused); true when it may have been processed, which is why a create is not retried then.
     */
    public boolean mayHaveReachedServer() {
        return requestSent;
    }

    @Override
    public boolean isTransient() {
        return !(getCause() instanceof InterruptedException);
    }
}
