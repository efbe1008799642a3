package dev.ingresskit.director.internal.bgp;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Assembles BIRD control-socket replies from the bytes read. BIRD's line forms: {@code "0002-text"}
 * (a line, more follow), {@code " text"} (a further line with the previous code), {@code "0003 text"}
 * (the last line of the reply), {@code "+text"} (a spontaneous printout, not part of any reply).
 */
final class BirdReplyReader {
    /** Far above any reply BIRD sends for the commands used here; a bound, not a limit anyone reaches. */
    static final int MAX_REPLY_BYTES = 1 << 20;

    private final StringBuilder line = new StringBuilder();
    private final Deque<BirdReply> complete = new ArrayDeque<>();
    private final List<String> lines = new ArrayList<>();
    private int replyBytes;
    private int lastCode = -1;
    private long offset;

    /** Feeds bytes as they were read; complete replies are then available from {@link #poll()}. */
    void feed(byte[] bytes, int from, int length) throws BirdException {
        for (int i = from; i < from + length; i++, offset++) {
            byte b = bytes[i];
            if (++replyBytes > MAX_REPLY_BYTES) {
                throw new BirdException("control socket: reply longer than " + MAX_REPLY_BYTES + " bytes", -1);
            }
            if (b == '\n') {
                BirdReply done = line(line.toString());
                line.setLength(0);
                if (done != null) {
                    complete.addLast(done);
                }
            } else {
                // BIRD prints ASCII; anything else is shown, not interpreted.
                line.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
            }
        }
    }

    /** The oldest complete reply not yet taken, or {@code null}. */
    BirdReply poll() {
        return complete.pollFirst();
    }

    private BirdReply line(String text) throws BirdException {
        if (text.startsWith("+")) {
            return null;
        }
        if (text.startsWith(" ")) {
            if (lastCode < 0) {
                throw new BirdException("control socket: continuation line before any code at offset "
                        + (offset - text.length()) + ": '" + clip(text) + "'", -1);
            }
            lines.add(text.substring(1));
            return null;
        }
        if (text.length() < 5 || !Character.isDigit(text.charAt(0)) || !Character.isDigit(text.charAt(1))
                || !Character.isDigit(text.charAt(2)) || !Character.isDigit(text.charAt(3))
                || (text.charAt(4) != ' ' && text.charAt(4) != '-')) {
            throw new BirdException("control socket: malformed line at offset " + (offset - text.length())
                    + " (expected NNNN followed by ' ' or '-'): '" + clip(text) + "'", -1);
        }
        lastCode = Integer.parseInt(text.substring(0, 4));
        lines.add(text.substring(5));
        if (text.charAt(4) == ' ') {
            BirdReply reply = new BirdReply(lastCode, lines);
            lines.clear();
            lastCode = -1;
            replyBytes = 0;
            return reply;
        }
        return null;
    }

    /** Whether a reply is partly read (the peer closing now would cut it short). */
    boolean midReply() {
        return !line.isEmpty() || !lines.isEmpty();
    }

    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** Thrown for replies that break the line protocol and for replies reporting an error. */
    static final class BirdException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int code;

        BirdException(String message, int code) {
            super(message);
            this.code = code;
        }

        /** BIRD's reply code, or -1 for a protocol violation. */
        int code() {
            return code;
        }
    }
}
