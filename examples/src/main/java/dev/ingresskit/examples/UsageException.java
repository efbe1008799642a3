package dev.ingresskit.examples;

/** Bad command-line usage: reported as one line and exit code 2, never as a stack trace. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
