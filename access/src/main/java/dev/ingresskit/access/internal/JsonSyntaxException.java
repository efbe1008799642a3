package dev.ingresskit.access.internal;

/** Malformed JSON: what was wrong and the character offset where it was found. */
public final class JsonSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public JsonSyntaxException(String problem, int offset) {
        super(problem + " at offset " + offset);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
