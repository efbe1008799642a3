package dev.ingresskit.director;

/** What the director believes about a backend. */
public enum Health {
    /** Not checked yet: the first check result decides. */
    UNKNOWN,
    /** Passing: gets its configured weight. */
    UP,
    /** Failing: weight 0, existing connections continue. */
    DOWN
}
