package dev.ingresskit.examples.push;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.LinkHeaderGenerator;
import dev.ingresskit.push.httpserver.LinkHeaderHttpFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A static file server that adds {@code Link} headers to its HTML pages: the JDK {@link HttpServer} with
 * {@link LinkHeaderHttpFilter}. Serves only regular files under its root; everything that could reach
 * outside it ({@code ..} in any encoding, backslashes, NUL, symbolic links leading out) is refused.
 * Closing it stops the server.
 */
public final class PushServer implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"));

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Path root;
    private final PrintStream log;
    private final Map<HttpExchange, LinkHeader> added = new ConcurrentHashMap<>();

    private PushServer(Path root, InetSocketAddress address, LinkHeaderGenerator generator, PrintStream log) throws IOException {
        this.root = root.toRealPath();
        this.log = log;
        server = HttpServer.create(address, 0);
        var context = server.createContext("/", this::serve);
        context.getFilters().add(new AccessLog());
        context.getFilters().add(new LinkHeaderHttpFilter(generator, 1 << 20, added::put));
        server.setExecutor(executor);
    }

    /** Starts serving {@code root} on {@code address} (port 0 picks a free one). */
    public static PushServer start(Path root, InetSocketAddress address, LinkHeaderGenerator generator, PrintStream log)
            throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "--root is not a directory");
        }
        PushServer server = new PushServer(root, address, generator, log);
        server.server.start();
        return server;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private final class AccessLog extends Filter {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            try {
                chain.doFilter(exchange);
            } finally {
                LinkHeader header = added.remove(exchange);
                String links = header == null ? "" : header.isEmpty() ? "  links: none"
                        : "  links(" + header.links().size() + "): " + header.value();
                synchronized (log) {
                    log.println(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                            + exchange.getResponseCode() + links);
                }
            }
        }

        @Override
        public String description() {
            return "access log";
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                error(exchange, 405, "method not allowed");
                return;
            }
            Path file;
            try {
                file = resolve(root, exchange.getRequestURI().getRawPath());
            } catch (IllegalArgumentException e) {
                error(exchange, 400, e.getMessage());
                return;
            }
            if (file == null) {
                error(exchange, 404, "not found");
                return;
            }
            String name = file.getFileName().toString();
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
            long size = Files.size(file);
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = (status + " " + message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * The regular file a request path names under {@code root} (a directory means its index.html), or
     * null when there is none. Throws IllegalArgumentException (400) for paths that try to leave the root
     * or cannot be decoded; a symbolic link that leads out is "not found", like a missing file.
     */
    static Path resolve(Path root, String rawPath) throws IOException {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new IllegalArgumentException("request path must start with /");
        }
        String decoded = percentDecode(rawPath);
        if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("bad character in path");
        }
        StringBuilder relative = new StringBuilder();
        for (String segment : decoded.split("/")) {
            if (segment.isEmpty()) {
                continue; // "//etc/passwd" is not an absolute file path here
            }
            if (segment.equals(".") || segment.equals("..") || segment.contains(":")) {
                throw new IllegalArgumentException("path segment not allowed: " + segment);
            }
            if (!relative.isEmpty()) {
                relative.append('/');
            }
            relative.append(segment);
        }
        Path candidate = root.resolve(relative.toString()).normalize();
        if (!candidate.startsWith(root)) {
            throw new IllegalArgumentException("path leaves the root");
        }
        if (Files.isDirectory(candidate)) {
            candidate = candidate.resolve("index.html");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        }
        return real.startsWith(root) && Files.isRegularFile(real) ? real : null;
    }

    /** Strict UTF-8 percent-decoding: a malformed escape or byte sequence is a 400. */
    static String percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("malformed percent-escape at offset " + i);
                }
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c > 0x7F) {
                throw new IllegalArgumentException("non-ASCII character in request path at offset " + i);
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("request path is not UTF-8");
        }
    }
}
