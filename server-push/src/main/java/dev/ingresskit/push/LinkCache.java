package dev.ingresskit.push;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded least-recently-used cache of generated headers, keyed by what identifies a page version: its
 * URL plus its ETag, or plus a hash of its content when it has no ETag ({@link #key}). Thread-safe; the
 * map is guarded by one lock held only for a lookup or an insert, never while scanning.
 */
public final class LinkCache {
    /** Counters since the cache was created. */
    public record Stats(long hits, long misses, long evictions, int size, int capacity) {
    }

    private final int capacity;
    private final Map<String, LinkHeader> map;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** A cache of at most {@code capacity} entries ({@code > 0}). */
    public LinkCache(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("cache capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LinkHeader> eldest) {
                if (size() > LinkCache.this.capacity) {
                    evictions.increment();
                    return true;
                }
                return false;
            }
        };
    }

    /** The cached header, or null (counted as a miss). */
    public LinkHeader get(String key) {
        LinkHeader found;
        synchronized (map) {
            found = map.get(key);
        }
        (found == null ? misses : hits).increment();
        return found;
    }

    /** The cached header without touching the counters or the recency order; null when absent. */
    public LinkHeader peek(String key) {
        synchronized (map) {
            return map.containsKey(key) ? map.get(key) : null;
        }
    }

    public void put(String key, LinkHeader header) {
        synchronized (map) {
            map.put(key, header);
        }
    }

    public void clear() {
        synchronized (map) {
            map.clear();
        }
    }

    public Stats stats() {
        int size;
        synchronized (map) {
            size = map.size();
        }
        return new Stats(hits.sum(), misses.sum(), evictions.sum(), size, capacity);
    }

    /**
     * A key for one version of a page: {@code pageUrl} with its ETag when there is one (weak or strong,
     * compared as written), otherwise with a 128-bit hash of the content and its length.
     */
    public static String key(String pageUrl, String etag, CharSequence content) {
        String page = pageUrl == null ? "" : pageUrl;
        if (etag != null && !etag.isBlank()) {
            return page + " etag:" + etag.strip();
        }
        long h1 = 0x9E3779B97F4A7C15L, h2 = 0xC2B2AE3D27D4EB4FL;
        for (int i = 0, n = content.length(); i < n; i++) {
            char c = content.charAt(i);
            h1 = (h1 ^ c) * 0x100000001B3L;
            h2 = Long.rotateLeft(h2 ^ c, 31) * 0x9E3779B97F4A7C15L;
        }
        return page + " hash:" + content.length() + ":" + Long.toHexString(h1) + Long.toHexString(h2);
    }
}
