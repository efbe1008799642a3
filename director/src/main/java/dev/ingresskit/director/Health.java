package dev.ingresskit.director;

/** What the director believes about a backend. */
public enum Health {
    /** Not checked yet: the first check result decides. */
    UNKNOWN,
    /** Passing: gets its configured weight. */
    UP,
    /** Failing: weight 0, existing connections continue. */
    DOWN;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** {@code up}, {@code down}, {@code unknown}: as the report, the log and the JSON status write it. */
    String label() {
        return label;
    }
}
