package dev.ingresskit.originca;

import java.time.Duration;

/**
 * The validity periods the Origin CA accepts ({@code requested_validity}, in days). Anything else is
 * refused by the API, so a free-form {@link Duration} is mapped with {@link #nearest(Duration)},
 * which tells the caller what was chosen instead of silently changing it.
 */
public enum Validity {
    DAYS_7(7),
    DAYS_30(30),
    DAYS_90(90),
    DAYS_365(365),
    DAYS_730(730),
    DAYS_1095(1095),
    /** Fifteen years: the API's default. */
    DAYS_5475(5475);

    private final int days;

    Validity(int days) {
        this.days = days;
    }

    public int days() {
        return days;
    }

    public Duration duration() {
        return Duration.ofDays(days);
    }

    /** The validity of exactly {@code days} days; an exception listing the allowed values otherwise. */
    public static Validity ofDays(int days) {
        for (Validity v : values()) {
            if (v.days == days) {
                return v;
            }
        }
        throw new IllegalArgumentException("validity " + days + " days is not offered by the Origin CA; allowed: "
                + "7, 30, 90, 365, 730, 1095, 5475");
    }

    /**
     * The allowed validity nearest to {@code requested}. A tie goes to the shorter period (renewing
     * early is safe, expiring late is not); anything below 7 days maps to 7, above 5475 to 5475.
     */
    public static Choice nearest(Duration requested) {
        if (requested == null || requested.isNegative() || requested.isZero()) {
            throw new IllegalArgumentException("requested validity must be positive, got " + requested);
        }
        Validity best = null;
        Duration bestDistance = null;
        for (Validity v : values()) {
            Duration distance = v.duration().minus(requested).abs();
            if (best == null || distance.compareTo(bestDistance) < 0) {
                best = v;
                bestDistance = distance;
            }
        }
        return new Choice(requested, best);
    }

    /** The outcome of {@link #nearest(Duration)}: what was asked, and what will be requested. */
    public record Choice(Duration requested, Validity chosen) {
        public Choice {
            if (requested == null || chosen == null) {
                throw new IllegalArgumentException("requested and chosen are required");
            }
        }

        /** Whether the requested duration is exactly an allowed validity. */
        public boolean exact() {
            return chosen.duration().equals(requested);
        }

        /** Chosen minus requested: positive when the certificate will live longer than asked. */
        public Duration adjustment() {
            return chosen.duration().minus(requested);
        }

        @Override
        public String toString() {
            return exact() ? chosen.days() + " days"
                    : chosen.days() + " days (nearest allowed to the requested " + requested + ")";
        }
    }
}
