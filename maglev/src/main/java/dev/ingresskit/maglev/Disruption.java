package dev.ingresskit.maglev;

/**
 * How many slots changed owner between two tables of the same size, and why.
 *
 * <p>A slot "moved because its backend left" when its previous owner owns no slot in the new table
 * (removed, or drained to weight 0): those moves are unavoidable. Every other owner change "moved
 * needlessly" — the previous owner still serves but lost this slot (Maglev trades a few of these for
 * an even spread; weight changes cause them too).
 *
 * @param slots            M
 * @param moved            slots whose owner changed
 * @param movedBecauseLeft of those, slots whose previous owner owns nothing in the new table
 * @param movedNeedlessly  {@code moved − movedBecauseLeft}
 */
public record Disruption(int slots, int moved, int movedBecauseLeft, int movedNeedlessly) {
    public double movedFraction() {
        return (double) moved / slots;
    }

    public double becauseLeftFraction() {
        return (double) movedBecauseLeft / slots;
    }

    public double needlessFraction() {
        return (double) movedNeedlessly / slots;
    }

    @Override
    public String toString() {
        return String.format("moved %d of %d slots (%.4f%%): %d because their backend left, %d needlessly",
                moved, slots, 100.0 * movedFraction(), movedBecauseLeft, movedNeedlessly);
    }
}
