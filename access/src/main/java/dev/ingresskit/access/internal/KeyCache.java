package dev.ingresskit.access.internal;

import dev.ingresskit.access.AccessJwtException;
import dev.ingresskit.access.AccessJwtException.Check;
import dev.ingresskit.access.AccessKeySource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The team's keys, fetched on first use, refreshed when older than {@code maxAge} or when a token
 * names an unknown {@code kid} (Access rotates keys: the new one appears in the certs before tokens use
 * it). Every fetch attempt, failed or not, is at least {@code minRefreshInterval} after the previous
 * one, so a flood of tokens with invented kids costs the certs URL one request per interval. When a
 * refresh fails the previous keys stay in use and a warning says how old they are.
 */
public final class KeyCache {
    private record Snapshot(Map<String, VerificationKey> keys, Instant fetchedAt) {
    }

    private final AccessKeySource source;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration minRefreshInterval;
    private final System.Logger log;
    private volatile Snapshot snapshot;
    private Instant lastAttempt;
    private String lastFailure;

    public KeyCache(AccessKeySource source, Clock clock, Duration maxAge, Duration minRefreshInterval, System.Logger log) {
        this.source = source;
        this.clock = clock;
        this.maxAge = maxAge;
        this.minRefreshInterval = minRefreshInterval;
        this.log = log;
    }

    public VerificationKey find(String kid) throws AccessJwtException {
        Instant now = clock.instant();
        Snapshot current = snapshot;
        if (current != null && isFresh(current, now)) {
            VerificationKey key = current.keys().get(kid);
            if (key != null) {
                return key;
            }
        }
        return findSlow(kid, now);
    }

    private synchronized VerificationKey findSlow(String kid, Instant now) throws AccessJwtException {
        Snapshot current = snapshot;
        boolean needed = current == null || !isFresh(current, now) || !current.keys().containsKey(kid);
        if (needed && (lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefreshInterval)))) {
            lastAttempt = now;
            refresh(now);
            current = snapshot;
        }
        if (current == null) {
            throw new AccessJwtException(Check.KEYS_UNAVAILABLE, "no key set yet: " + lastFailure
                    + " (next attempt after " + lastAttempt.plus(minRefreshInterval) + ")");
        }
        VerificationKey key = current.keys().get(kid);
        if (key == null) {
            throw new AccessJwtException(Check.UNKNOWN_KEY, "no key with kid \"" + JsonReader.printable(kid)
                    + "\" in the key set fetched at " + current.fetchedAt());
        }
        return key;
    }

    private boolean isFresh(Snapshot s, Instant now) {
        return now.isBefore(s.fetchedAt().plus(maxAge));
    }

    private void refresh(Instant now) {
        try {
            Map<String, VerificationKey> keys = JwkSet.parse(source.fetch());
            if (lastFailure != null && snapshot != null) {
                log.log(System.Logger.Level.INFO, "Access key set refreshed again; {0} keys", keys.size());
            }
            snapshot = new Snapshot(keys, now);
            lastFailure = null;
        } catch (IOException | JwkSet.InvalidKeySetException | RuntimeException e) {
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            Snapshot stale = snapshot;
            if (stale != null) {
                log.log(System.Logger.Level.WARNING,
                        "Access key set refresh failed ({0}); still using the keys fetched at {1} ({2} old)",
                        lastFailure, stale.fetchedAt(), Duration.between(stale.fetchedAt(), now));
            } else {
                log.log(System.Logger.Level.WARNING, "Access key set fetch failed: {0}", lastFailure);
            }
        }
    }
}
