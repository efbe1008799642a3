package dev.ingresskit.director.internal.bgp;

import java.util.List;

/**
 * One reply on BIRD's control socket. Every reply line starts with a four-digit code (BIRD's
 * doc/reply_codes): 0xxx the action succeeded, 1xxx/2xxx table rows and headings, 8xxx a run-time
 * error (8002: configuration file error), 9xxx a parse error in the command.
 *
 * @param code  the code of the reply's last line, which decides success
 * @param lines the text of every line, without codes
 */
record BirdReply(int code, List<String> lines) {
    static final int WELCOME = 1;
    static final int RECONFIGURED = 3;
    static final int RECONFIGURATION_IN_PROGRESS = 4;
    static final int RECONFIGURATION_QUEUED = 5;

    BirdReply {
        lines = List.copyOf(lines);
    }

    boolean ok() {
        return code < 1000;
    }

    /** The last line's text, the one that says what happened. */
    String message() {
        return lines.isEmpty() ? "" : lines.getLast();
    }
}
