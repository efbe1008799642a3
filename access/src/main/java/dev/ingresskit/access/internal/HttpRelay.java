package dev.ingresskit.access.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Relays HTTP/1.1 requests from one downstream connection to one upstream connection, letting a
 * {@link Policy} rewrite or refuse each request head. Bodies are framed, not buffered: Content-Length
 * and chunked bodies are copied as they arrive (a chunked {@code logs -f} stream is flushed chunk by
 * chunk), a response without framing is copied until the upstream closes. A {@code 101 Switching
 * Protocols} answer ({@code kubectl exec}/{@code attach}/{@code port-forward} over SPDY or WebSocket)
 * turns the two connections into a raw byte pipe, half-close passed through.
 */
public final class HttpRelay {
    /** What to do with one request head. */
    public sealed interface Decision permits Forward, Reject {
    }

    /** Send {@code head} (possibly rewritten) upstream. */
    public record Forward(HttpHead head) implements Decision {
    }

    /** Answer downstream with {@code status} and a body, then close the connection. */
    public record Reject(int status, String reason, String contentType, String body) implements Decision {
    }

    @FunctionalInterface
    public interface Policy {
        Decision decide(HttpHead request) throws IOException;
    }

    @FunctionalInterface
    public interface Upstream {
        Socket open() throws IOException;
    }

    private static final int CHUNK_LINE_MAX = 4096;

    private HttpRelay() {
    }

    /** Serves {@code downstream} until either side closes; never throws. */
    public static void serve(Socket downstream, Policy policy, Upstream upstream) {
        Socket up = null;
        try (downstream) {
            InputStream din = new BufferedInputStream(downstream.getInputStream());
            OutputStream dout = new BufferedOutputStream(downstream.getOutputStream());
            InputStream uin = null;
            OutputStream uout = null;
            while (true) {
                HttpHead request;
                long length;
                boolean chunked;
                try {
                    request = HttpHead.read(din);
                    if (request == null) {
                        return;
                    }
                    length = request.contentLength();
                    chunked = request.chunked();
                } catch (HttpFormatException e) {
                    reject(dout, new Reject(400, "Bad Request", "text/plain", "bad request: " + e.getMessage() + "\n"));
                    return;
                }
                Decision decision = policy.decide(request);
                if (decision instanceof Reject reject) {
                    reject(dout, reject);
                    return;
                }
                HttpHead forward = ((Forward) decision).head();
                if (up == null) {
                    try {
                        up = upstream.open();
                    } catch (IOException e) {
                        reject(dout, new Reject(502, "Bad Gateway", "text/plain", "upstream unreachable: " + e.getMessage() + "\n"));
                        return;
                    }
                    uin = new BufferedInputStream(up.getInputStream());
                    uout = new BufferedOutputStream(up.getOutputStream());
                }
                forward.write(uout);
                copyBody(din, uout, length, chunked);
                uout.flush();

                HttpHead response = HttpHead.read(uin);
                if (response == null) {
                    reject(dout, new Reject(502, "Bad Gateway", "text/plain", "upstream closed without answering\n"));
                    return;
                }
                int status = response.status();
                while (status >= 100 && status < 200 && status != 101) {
                    response.write(dout);
                    dout.flush();
                    response = HttpHead.read(uin);
                    if (response == null) {
                        return;
                    }
                    status = response.status();
                }
                response.write(dout);
                if (status == 101) {
                    dout.flush();
                    pipe(downstream, din, dout, up, uin, uout);
                    return;
                }
                boolean noBody = request.method().equals("HEAD") || status == 204 || status == 304;
                long responseLength = response.contentLength();
                boolean responseChunked = response.chunked();
                if (!noBody) {
                    if (responseChunked || responseLength >= 0) {
                        copyBody(uin, dout, responseLength, responseChunked);
                    } else {
                        uin.transferTo(dout);
                        dout.flush();
                        return;
                    }
                }
                dout.flush();
                if (request.hasToken("Connection", "close") || response.hasToken("Connection", "close")) {
                    return;
                }
            }
        } catch (IOException e) {
            // either side went away or broke framing: the connection ends, the other side sees it closed
        } finally {
            if (up != null) {
                try {
                    up.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private static void reject(OutputStream out, Reject r) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        HttpHead head = new HttpHead("HTTP/1.1 " + r.status() + " " + r.reason());
        head.add("Content-Type", r.contentType());
        head.add("Content-Length", Integer.toString(body.length));
        head.add("Connection", "close");
        head.write(out);
        out.write(body);
        out.flush();
    }

    static void copyBody(InputStream in, OutputStream out, long length, boolean chunked) throws IOException {
        if (chunked) {
            copyChunked(in, out);
        } else if (length > 0) {
            copyExactly(in, out, length);
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String line = chunkLine(in);
            int semicolon = line.indexOf(';');
            String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new HttpFormatException("malformed chunk size \"" + JsonReader.printable(line) + "\"");
            }
            long size = Long.parseLong(hex, 16);
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (size == 0) {
                String trailer;
                do {
                    trailer = chunkLine(in);
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } while (!trailer.isEmpty());
                out.flush();
                return;
            }
            copyExactly(in, out, size);
            if (!chunkLine(in).isEmpty()) {
                throw new HttpFormatException("chunk data longer than its size");
            }
            out.write('\r');
            out.write('\n');
            out.flush();
        }
    }

    private static String chunkLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new HttpFormatException("end of stream inside chunked framing");
            }
            if (b == '\n') {
                // strict CRLF: a bare LF in chunked framing is where proxies and servers disagree (smuggling)
                byte[] raw = line.toByteArray();
                if (raw.length == 0 || raw[raw.length - 1] != '\r') {
                    throw new HttpFormatException("bare LF in chunked framing");
                }
                return new String(raw, 0, raw.length - 1, StandardCharsets.ISO_8859_1);
            }
            if (previous == '\r') {
                throw new HttpFormatException("bare CR in chunked framing");
            }
            previous = b;
            line.write(b);
            if (line.size() > CHUNK_LINE_MAX) {
                throw new HttpFormatException("chunk line longer than " + CHUNK_LINE_MAX + " bytes");
            }
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new HttpFormatException("body ended " + left + " bytes short of " + length);
            }
            out.write(buffer, 0, n);
            left -= n;
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    /** Raw bytes both ways after 101; each direction's end of stream is passed on as a half-close. */
    private static void pipe(Socket down, InputStream din, OutputStream dout, Socket up, InputStream uin, OutputStream uout) {
        Thread upward = Thread.ofVirtual().start(() -> pump(din, uout, up));
        pump(uin, dout, down);
        try {
            upward.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(InputStream in, OutputStream out, Socket target) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (in.available() == 0) {
                    out.flush();
                }
            }
            out.flush();
            target.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            try {
                target.close();
            } catch (IOException ignored) {
                // closing after a failure
            }
        }
    }
}
