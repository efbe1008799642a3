package dev.ingresskit.access.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 request or response head (RFC 9112 §2-5): the start line and the header fields in
 * order, names kept as sent. Read with limits ({@value #MAX_BYTES} bytes, {@value #MAX_FIELDS} fields);
 * bytes are ISO-8859-1, as the RFC allows for field values.
 */
public final class HttpHead {
    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_FIELDS = 200;

    private String startLine;
    private final List<String[]> fields = new ArrayList<>();

    public HttpHead(String startLine) {
        this.startLine = startLine;
    }

    /** Reads one head; null at a clean end of stream before the first byte. */
    public static HttpHead read(InputStream in) throws IOException {
        String start = line(in, true);
        if (start == null) {
            return null;
        }
        if (start.isEmpty() || start.indexOf(' ') < 0) {
            throw new HttpFormatException("malformed start line \"" + JsonReader.printable(start) + "\"");
        }
        HttpHead head = new HttpHead(start);
        int total = start.length();
        while (true) {
            String line = line(in, false);
            total += line.length() + 2;
            if (total > MAX_BYTES) {
                throw new HttpFormatException("head larger than " + MAX_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return head;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t' || Character.isWhitespace(line.charAt(colon - 1))) {
                throw new HttpFormatException("malformed header line \"" + JsonReader.printable(line) + "\"");
            }
            if (head.fields.size() == MAX_FIELDS) {
                throw new HttpFormatException("more than " + MAX_FIELDS + " header fields");
            }
            head.fields.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
    }

    private static String line(InputStream in, boolean first) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && bytes.size() == 0) {
                    return null;
                }
                throw new HttpFormatException("end of stream inside the head");
            }
            if (b == '\n') {
                byte[] raw = bytes.toByteArray();
                int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                return new String(raw, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (b == 0) {
                throw new HttpFormatException("NUL byte in the head");
            }
            bytes.write(b);
            if (bytes.size() > MAX_BYTES) {
                throw new HttpFormatException("line longer than " + MAX_BYTES + " bytes");
            }
        }
    }

    public String startLine() {
        return startLine;
    }

    public void startLine(String line) {
        this.startLine = line;
    }

    /** Request method (first word of the start line). */
    public String method() {
        return startLine.substring(0, startLine.indexOf(' '));
    }

    /** Response status code; a typed error when the start line is not a status line. */
    public int status() throws HttpFormatException {
        String[] parts = startLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3 || !parts[1].chars().allMatch(Character::isDigit)) {
            throw new HttpFormatException("malformed status line \"" + JsonReader.printable(startLine) + "\"");
        }
        return Integer.parseInt(parts[1]);
    }

    public Optional<String> first(String name) {
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                return Optional.of(f[1]);
            }
        }
        return Optional.empty();
    }

    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                values.add(f[1]);
            }
        }
        return values;
    }

    /** True when a comma-separated field (Connection, Transfer-Encoding, Upgrade) lists {@code token}. */
    public boolean hasToken(String name, String token) {
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                if (part.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    public void remove(String name) {
        fields.removeIf(f -> f[0].equalsIgnoreCase(name));
    }

    public void removeStartingWith(String prefix) {
        fields.removeIf(f -> f[0].regionMatches(true, 0, prefix, 0, prefix.length()));
    }

    public void add(String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("header " + name + " would split the head");
        }
        fields.add(new String[] {name, value});
    }

    public void set(String name, String value) {
        remove(name);
        add(name, value);
    }

    /** Content-Length, -1 when absent; conflicting or malformed values are errors (request smuggling). */
    public long contentLength() throws HttpFormatException {
        List<String> values = all("Content-Length");
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",")) {
                String v = part.strip();
                if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
                    throw new HttpFormatException("malformed Content-Length \"" + JsonReader.printable(value) + "\"");
                }
                long parsed = Long.parseLong(v);
                if (length >= 0 && parsed != length) {
                    throw new HttpFormatException("conflicting Content-Length values");
                }
                length = parsed;
            }
        }
        return length;
    }

    /** True for Transfer-Encoding ending in chunked; any other transfer coding is refused. */
    public boolean chunked() throws HttpFormatException {
        List<String> values = all("Transfer-Encoding");
        if (values.isEmpty()) {
            return false;
        }
        String joined = String.join(",", values).toLowerCase(Locale.ROOT);
        String[] codings = joined.split(",");
        if (!codings[codings.length - 1].strip().equals("chunked")) {
            throw new HttpFormatException("Transfer-Encoding \"" + JsonReader.printable(joined) + "\" does not end in chunked");
        }
        if (!all("Content-Length").isEmpty()) {
            throw new HttpFormatException("both Transfer-Encoding and Content-Length");
        }
        return true;
    }

    public void write(OutputStream out) throws IOException {
        StringBuilder s = new StringBuilder(startLine).append("\r\n");
        for (String[] f : fields) {
            s.append(f[0]).append(": ").append(f[1]).append("\r\n");
        }
        s.append("\r\n");
        out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return startLine + " (" + fields.size() + " fields)";
    }
}
