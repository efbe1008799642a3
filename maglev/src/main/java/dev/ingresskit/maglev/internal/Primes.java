package dev.ingresskit.maglev.internal;

/** Primality by trial division: table sizes are checked once per build, never on a hot path. */
public final class Primes {
    private Primes() {
    }

    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        if (n % 3 == 0) {
            return n == 3;
        }
        for (long d = 5; d * d <= n; d += 6) {
            if (n % d == 0 || n % (d + 2) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The largest prime below {@code n}, or -1 when there is none. */
    public static long previous(long n) {
        for (long p = n - 1; p >= 2; p--) {
            if (isPrime(p)) {
                return p;
            }
        }
        return -1;
    }

    /** The smallest prime above {@code n}. */
    public static long next(long n) {
        long p = Math.max(2, n + 1);
        while (!isPrime(p)) {
            p++;
        }
        return p;
    }
}
