package dev.ingresskit.director.internal;

import dev.ingresskit.director.HealthCheckConfig;
import dev.ingresskit.director.HealthProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The real checks: a TCP connect, or an HTTP/1.1 GET whose status line must carry the expected
 * status. Sockets are plain blocking JDK sockets, bound to the configured source address when
 * there is one; the timeout covers the connect and, for HTTP, each read. Thread-safe (stateless).
 */
public final class NetworkProbe implements HealthProbe {
    /** A status line longer than this is not HTTP. */
    private static final int MAX_STATUS_LINE = 1024;

    @Override
    public Result check(InetAddress address, int port, HealthCheckConfig check) {
        if (check.kind() == HealthCheckConfig.Kind.NONE) {
            return new Result(true, "no check");
        }
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, check.timeout().toMillis()));
        try (Socket socket = new Socket()) {
            if (check.source() != null) {
                socket.bind(new InetSocketAddress(check.source(), 0));
            }
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            if (check.kind() == HealthCheckConfig.Kind.TCP) {
                return new Result(true, "connected");
            }
            socket.setSoTimeout(timeoutMillis);
            return http(socket, address, port, check);
        } catch (SocketTimeoutException e) {
            return new Result(false, "timeout after " + timeoutMillis + "ms");
        } catch (IOException e) {
            String m = e.getMessage();
            return new Result(false, m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
        }
    }

    private static Result http(Socket socket, InetAddress address, int port, HealthCheckConfig check)
            throws IOException {
        String host = check.host() != null ? check.host()
                : (address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
                        + ":" + port;
        String request = "GET " + check.path() + " HTTP/1.1\r\nHost: " + host
                + "\r\nUser-Agent: ingresskit-director\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() >= MAX_STATUS_LINE) {
                return new Result(false, "status line longer than " + MAX_STATUS_LINE + " bytes");
            }
            line.append((char) c);
        }
        String status = line.toString().strip();
        // "HTTP/1.1 200 OK": the code is the second word.
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            return new Result(false, status.isEmpty() ? "no HTTP response" : "not an HTTP status line: '"
                    + (status.length() > 60 ? status.substring(0, 60) + "..." : status) + "'");
        }
        int code = Integer.parseInt(parts[1]);
        return new Result(code == check.expect(), "HTTP " + code);
    }
}
