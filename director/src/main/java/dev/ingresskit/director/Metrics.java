package dev.ingresskit.director;

import dev.ingresskit.director.internal.JsonWriter;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The director's metrics, rendered in the Prometheus text exposition format (version 0.0.4). Only
 * the families declared in {@link #Metrics()} exist; each series is a family plus label values.
 * Thread-safe: writers and the renderer may run at once (a render sees each series atomically).
 */
public final class Metrics {
    static final String HEALTH_TRANSITIONS = "director_health_transitions_total";
    static final String CHECKS = "director_checks_total";
    static final String CHECK_DURATION = "director_check_duration_seconds";
    static final String RECONCILE_RUNS = "director_reconcile_runs_total";
    static final String RECONCILE_ERRORS = "director_reconcile_errors_total";
    static final String RECONCILE_DURATION = "director_reconcile_duration_seconds";
    static final String CHANGES = "director_changes_applied_total";
    static final String NETLINK_ERRORS = "director_netlink_errors_total";
    static final String CONFIG_RELOADS = "director_config_reloads_total";
    static final String BACKEND_WEIGHT = "director_backend_weight";
    static final String BACKEND_CONFIGURED_WEIGHT = "director_backend_configured_weight";
    static final String BACKEND_UP = "director_backend_up";
    static final String DRAINING = "director_backends_draining";
    static final String DRY_RUN = "director_dry_run";
    static final String MH_TABLE = "director_mh_table_info";
    static final String REORDERS = "director_reorder_readds_total";
    static final String SOURCE_SYNCED = "director_source_synced";
    static final String VIP_ANNOUNCED = "director_vip_announced";
    static final String VIP_SINCE = "director_vip_announced_since_seconds";
    static final String BGP_SPEAKER_OK = "director_bgp_speaker_ok";
    static final String BGP_DRAINING = "director_bgp_draining";

    /** Latency buckets of the check histogram, in seconds. */
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private record Family(String type, String help) {
    }

    private static final class Histogram {
        final long[] counts = new long[BUCKETS.length];
        long count;
        double sum;

        synchronized void observe(double v) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (v <= BUCKETS[i]) {
                    counts[i]++;
                }
            }
            count++;
            sum += v;
        }

        synchronized void render(StringBuilder out, String name, String labels) {
            String inner = labels.isEmpty() ? "" : labels.substring(1, labels.length() - 1) + ",";
            for (int i = 0; i < BUCKETS.length; i++) {
                out.append(name).append("_bucket{").append(inner).append("le=\"").append(JsonWriter.number(BUCKETS[i]))
                        .append("\"} ").append(counts[i]).append('\n');
            }
            out.append(name).append("_bucket{").append(inner).append("le=\"+Inf\"} ").append(count).append('\n');
            out.append(name).append("_sum").append(labels).append(' ').append(JsonWriter.number(sum)).append('\n');
            out.append(name).append("_count").append(labels).append(' ').append(count).append('\n');
        }
    }

    private final Map<String, Family> families = new TreeMap<>();
    /** Families whose series are computed when read (large per-backend gauges), by name. */
    private final ConcurrentMap<String, java.util.function.Supplier<Map<String[], Double>>> collectors =
            new ConcurrentHashMap<>();
    /** family → label text → value (Double for counters and gauges, Histogram for histograms). */
    private final ConcurrentMap<String, ConcurrentMap<String, Object>> series = new ConcurrentHashMap<>();

    public Metrics() {
        declare(HEALTH_TRANSITIONS, "counter", "Health state changes of backends, by the state entered.");
        declare(CHECKS, "counter", "Health checks run, by result.");
        declare(CHECK_DURATION, "histogram", "Time one health check took, by service.");
        declare(RECONCILE_RUNS, "counter", "Reconcile runs (plan, and apply unless dry run).");
        declare(RECONCILE_ERRORS, "counter", "Reconcile runs that failed (kernel unreadable or a change refused).");
        declare(RECONCILE_DURATION, "gauge", "Duration of the last reconcile run.");
        declare(CHANGES, "counter", "IPVS changes applied (or planned, in a dry run), by kind.");
        declare(NETLINK_ERRORS, "counter", "Netlink requests the kernel refused or that failed, by operation.");
        declare(CONFIG_RELOADS, "counter", "Config reloads, by result (ok, error).");
        declare(BACKEND_WEIGHT, "gauge", "Weight the director gives each backend now (0 while down or draining).");
        declare(BACKEND_CONFIGURED_WEIGHT, "gauge", "Weight of each backend in the config.");
        declare(BACKEND_UP, "gauge", "1 when the backend's health is UP, 0 when DOWN or not yet checked.");
        declare(DRAINING, "gauge", "Backends removed from the config and still draining.");
        declare(DRY_RUN, "gauge", "1 when the director changes nothing (dry run).");
        declare(MH_TABLE, "gauge", "1 per mh service, labelled with the fingerprint of the kernel's predicted "
                + "ip_vs_mh table: directors of a fleet must agree on it.");
        declare(REORDERS, "counter", "Destinations deleted and re-added to restore the canonical mh order.");
        declare(SOURCE_SYNCED, "gauge", "1 while a backend source is in sync with its origin, 0 while it serves "
                + "its last known backends.");
        declare(VIP_ANNOUNCED, "gauge", "1 while the director tells its BGP speaker to announce the VIP, else 0.");
        declare(VIP_SINCE, "gauge", "When the VIP last changed between announced and withdrawn (Unix seconds).");
        declare(BGP_SPEAKER_OK, "gauge", "1 while the BGP speaker accepted the last change, 0 while it fails.");
        declare(BGP_DRAINING, "gauge", "1 while every VIP is withdrawn for a stop or maintenance (drain-director).");
    }

    private void declare(String name, String type, String help) {
        families.put(name, new Family(type, help));
        series.put(name, new ConcurrentHashMap<>());
    }

    private ConcurrentMap<String, Object> family(String name) {
        ConcurrentMap<String, Object> f = series.get(name);
        if (f == null) {
            throw new IllegalArgumentException("undeclared metric " + name);
        }
        return f;
    }

    /** Adds {@code by} to a counter; labels are name/value pairs. */
    public void inc(String name, double by, String... labels) {
        family(name).merge(labels(labels), by, (a, b) -> (Double) a + (Double) b);
    }

    public void set(String name, double value, String... labels) {
        family(name).put(labels(labels), value);
    }

    public void observe(String name, double value, String... labels) {
        ((Histogram) family(name).computeIfAbsent(labels(labels), k -> new Histogram())).observe(value);
    }

    /** Replaces every series of a gauge family at once (label pairs → value). */
    public synchronized void replace(String name, Map<String[], Double> values) {
        ConcurrentMap<String, Object> f = family(name);
        Map<String, Object> next = new java.util.HashMap<>(values.size() * 2);
        values.forEach((k, v) -> next.put(labels(k), v));
        f.keySet().retainAll(next.keySet());
        f.putAll(next);
    }

    /**
     * Makes a gauge family computed when read: every {@link #render()} (and {@link #value}) replaces
     * its series with what {@code collector} returns. For families with a series per backend, which
     * would cost a map of label strings per reconcile if kept current; nothing is computed unless
     * someone reads the metrics.
     */
    public void collect(String name, java.util.function.Supplier<Map<String[], Double>> collector) {
        family(name);
        collectors.put(name, collector);
    }

    private void refresh(String name) {
        java.util.function.Supplier<Map<String[], Double>> c = collectors.get(name);
        if (c != null) {
            replace(name, c.get());
        }
    }

    /** The value of one counter or gauge series, 0 if absent (for tests and /state). */
    public double value(String name, String... labels) {
        refresh(name);
        Object v = family(name).get(labels(labels));
        return v instanceof Double d ? d : 0;
    }

    /** The exposition text. */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        for (Map.Entry<String, Family> e : families.entrySet()) {
            String name = e.getKey();
            refresh(name);
            out.append("# HELP ").append(name).append(' ').append(e.getValue().help()).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(e.getValue().type()).append('\n');
            for (Map.Entry<String, Object> s : new TreeMap<>(series.get(name)).entrySet()) {
                if (s.getValue() instanceof Histogram h) {
                    h.render(out, name, s.getKey());
                } else {
                    out.append(name).append(s.getKey()).append(' ').append(JsonWriter.number((Double) s.getValue())).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static String labels(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        if (pairs.length == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                s.append(',');
            }
            s.append(pairs[i]).append("=\"");
            String v = pairs[i + 1];
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                switch (c) {
                    case '\\' -> s.append("\\\\");
                    case '"' -> s.append("\\\"");
                    case '\n' -> s.append("\\n");
                    default -> s.append(c);
                }
            }
            s.append('"');
        }
        return s.append('}').toString();
    }

}
