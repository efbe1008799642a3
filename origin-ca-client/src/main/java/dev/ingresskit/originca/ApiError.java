package dev.ingresskit.originca;

/** One {@code {code, message}} entry of an API envelope's {@code errors} (or {@code messages}). */
public record ApiError(int code, String message) {
    /** Error 1100 "Failed to write certificate to Database": transient, worth a retry. */
    public static final int FAILED_TO_WRITE_CERTIFICATE = 1100;

    public ApiError {
        message = message == null ? "" : message;
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
