package dev.ingresskit.originca.internal;

import java.math.BigDecimal;

/**
 * A JSON number kept as its literal text, so nothing is lost or rounded until a caller asks for a
 * particular type.
 */
public final class JsonNumber extends Number {
    private static final long serialVersionUID = 1L;
    private final String literal;

    JsonNumber(String literal) {
        this.literal = literal;
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    public String literal() {
        return literal;
    }

    public BigDecimal bigDecimalValue() {
        return new BigDecimal(literal);
    }

    /** The value as an int; throws {@link ArithmeticException} when it is not an exact int. */
    public int intValueExact() {
        return bigDecimalValue().intValueExact();
    }

    @Override
    public int intValue() {
        return (int) longValue();
    }

    @Override
    public long longValue() {
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            return bigDecimalValue().longValue();
        }
    }

    @Override
    public float floatValue() {
        return (float) doubleValue();
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(literal);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNumber n && n.literal.equals(literal);
    }

    @Override
    public int hashCode() {
        return literal.hashCode();
    }

    @Override
    public String toString() {
        return literal;
    }
}
