package dev.ingresskit.access.internal;

import java.io.IOException;

/** A malformed HTTP/1.1 head or body framing. */
public final class HttpFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public HttpFormatException(String message) {
        super(message);
    }
}
