package dev.ingresskit.maglev;

/**
 * How evenly a table's slots are spread over its serving (positive-weight) backends.
 *
 * @param slots    M
 * @param serving  backends that own at least one slot
 * @param min      fewest slots owned by a serving backend
 * @param max      most slots owned by a serving backend
 * @param mean     {@code slots / serving}
 */
public record EntryStats(int slots, int serving, int min, int max, double mean) {
    /** {@code max / mean}: 1.0 is perfectly even (meaningful for equal weights). */
    public double maxOverMean() {
        return serving == 0 ? 0 : max / mean;
    }

    static EntryStats of(int slots, int[] entries) {
        int serving = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int e : entries) {
            if (e > 0) {
                serving++;
                min = Math.min(min, e);
                max = Math.max(max, e);
            }
        }
        return serving == 0
                ? new EntryStats(slots, 0, 0, 0, 0)
                : new EntryStats(slots, serving, min, max, (double) slots / serving);
    }
}
