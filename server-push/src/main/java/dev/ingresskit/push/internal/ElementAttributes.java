package dev.ingresskit.push.internal;

/**
 * The attributes of one element, addressed by {@link Names} attribute id. The built-in tokenizer
 * answers without allocating (except {@link #value}); the jsoup adapter answers from a parsed element.
 */
public interface ElementAttributes {
    /** The value, or null when the attribute is absent (or, in the tokenizer, longer than its cap). */
    String value(int id);

    boolean has(int id);

    /** The value equals {@code lowerCase}, ignoring ASCII case. */
    boolean valueIs(int id, String lowerCase);

    /** The value, split at ASCII whitespace, contains {@code lowerCase}, ignoring ASCII case. */
    boolean hasToken(int id, String lowerCase);
}
