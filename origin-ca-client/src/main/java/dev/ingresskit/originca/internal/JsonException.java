package dev.ingresskit.originca.internal;

/** Malformed JSON, with the character offset where reading stopped. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    JsonException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    /** The offset (in chars of the decoded text) where the problem was found. */
    public int offset() {
        return offset;
    }
}
