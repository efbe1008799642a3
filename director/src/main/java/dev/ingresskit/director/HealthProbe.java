package dev.ingresskit.director;

import java.net.InetAddress;

/**
 * One health check of one backend. Implementations block (they run on virtual threads) and must
 * return within the check's timeout plus a little; they never throw for a failed check.
 */
@FunctionalInterface
public interface HealthProbe {
    /** The outcome of one check: passed or not, and a short reason for logs and /state. */
    record Result(boolean ok, String detail) {
    }

    Result check(InetAddress address, int port, HealthCheckConfig check);
}
