package dev.ingresskit.maglev.internal;

import java.util.Arrays;

/**
 * Turns weights into exact slot counts ("quotas") that sum to the table size.
 *
 * <p>Largest-remainder (Hamilton) apportionment with a floor of one slot for every positive weight:
 * backends whose exact share {@code M·w/W} is below one slot get exactly one; the others share the
 * remaining {@code M − F} slots, each getting ⌊share⌋ or ⌈share⌉ of {@code (M − F)·w/W'} (W' the
 * sum of their weights), so every such count is within one slot of its exact share. Remainder ties go
 * to the lower index, which makes the result a pure function of the (sorted) input.
 */
public final class Apportionment {
    private Apportionment() {
    }

    /**
     * @param slots   the table size M
     * @param weights one weight per backend, each ≥ 0, at least one positive, at most M positive
     * @return one quota per backend, 0 exactly for weight 0, summing to M
     */
    public static int[] quotas(int slots, int[] weights) {
        int n = weights.length;
        int[] quota = new int[n];
        boolean[] floored = new boolean[n];
        int positive = 0;
        for (int w : weights) {
            if (w > 0) {
                positive++;
            }
        }
        if (positive == 0 || positive > slots) {
            throw new IllegalArgumentException(positive + " positive weights cannot fill " + slots + " slots");
        }
        long seats;
        long total;
        boolean changed;
        do {
            changed = false;
            int flooredCount = 0;
            total = 0;
            for (int i = 0; i < n; i++) {
                if (floored[i]) {
                    flooredCount++;
                } else if (weights[i] > 0) {
                    total += weights[i];
                }
            }
            seats = slots - flooredCount;
            for (int i = 0; i < n; i++) {
                if (weights[i] > 0 && !floored[i] && seats * weights[i] < total) {
                    floored[i] = true;
                    changed = true;
                }
            }
        } while (changed);

        int given = 0;
        long[] remainder = new long[n];
        for (int i = 0; i < n; i++) {
            if (weights[i] == 0) {
                continue;
            }
            if (floored[i]) {
                quota[i] = 1;
            } else {
                long exact = seats * weights[i];
                quota[i] = (int) (exact / total);
                remainder[i] = exact % total;
            }
            given += quota[i];
        }
        int left = slots - given;
        if (left > 0) {
            int[] candidates = new int[n];
            int k = 0;
            boolean allEqual = true;
            for (int i = 0; i < n; i++) {
                if (weights[i] > 0 && !floored[i]) {
                    allEqual &= k == 0 || remainder[i] == remainder[candidates[0]];
                    candidates[k++] = i;
                }
            }
            if (!allEqual) { // equal weights (the common case) are already in index order
                Integer[] order = new Integer[k];
                for (int j = 0; j < k; j++) {
                    order[j] = candidates[j];
                }
                Arrays.sort(order, (a, b) -> remainder[a] != remainder[b]
                        ? Long.compare(remainder[b], remainder[a]) : Integer.compare(a, b));
                for (int j = 0; j < k; j++) {
                    candidates[j] = order[j];
                }
            }
            for (int j = 0; j < left; j++) {
                quota[candidates[j]]++;
            }
        }
        return quota;
    }
}
