package dev.ingresskit.director;

import java.io.PrintStream;
import java.time.InstantSource;

/**
 * Structured one-line logs in logfmt: {@code ts=… level=info event=change kind=UPDATE_DESTINATION
 * service=web …}. Values with blanks or quotes are quoted. Thread-safe (one line per call).
 */
public final class EventLog {
    private final PrintStream out;
    private final InstantSource clock;

    public EventLog(PrintStream out, InstantSource clock) {
        this.out = java.util.Objects.requireNonNull(out, "out");
        this.clock = clock;
    }

    private EventLog() {
        this.out = null;
        this.clock = null;
    }

    /** A log that drops every event without formatting it (short-lived runs that print a report instead). */
    public static EventLog discard() {
        return new EventLog();
    }

    /** False for {@link #discard()}: callers may skip gathering fields nobody reads. */
    boolean enabled() {
        return out != null;
    }

    /** Logs {@code event} at {@code level} with key/value pairs. */
    public void log(String level, String event, Object... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        if (out == null) {
            return;
        }
        StringBuilder line = new StringBuilder(128);
        line.append("ts=").append(clock.instant()).append(" level=").append(level).append(" event=").append(event);
        for (int i = 0; i < pairs.length; i += 2) {
            line.append(' ').append(pairs[i]).append('=');
            value(line, String.valueOf(pairs[i + 1]));
        }
        synchronized (out) {
            out.println(line);
        }
    }

    private static void value(StringBuilder line, String v) {
        boolean plain = !v.isEmpty();
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7F;
        }
        if (plain) {
            line.append(v);
            return;
        }
        line.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                default -> line.append(c);
            }
        }
        line.append('"');
    }
}
