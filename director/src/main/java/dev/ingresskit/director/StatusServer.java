package dev.ingresskit.director;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The director's HTTP endpoint (JDK {@code HttpServer}): {@code /healthz} (200 {@code ok}, or 503
 * with the reason), {@code /state} (JSON) and {@code /metrics} (Prometheus text). GET and HEAD
 * only. Binds where the config says, 127.0.0.1:9180 by default.
 */
public final class StatusServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param problem empty while the director is healthy, else why not (for {@code /healthz})
     * @param state   the {@code /state} document
     */
    public StatusServer(InetSocketAddress address, Supplier<Optional<String>> problem, Supplier<String> state,
            Metrics metrics) throws IOException {
        server = HttpServer.create(address, 0);
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> {
            Optional<String> p = problem.get();
            respond(exchange, p.isEmpty() ? 200 : 503, "text/plain; charset=utf-8", p.orElse("ok") + "\n");
        });
        server.createContext("/state", exchange -> respond(exchange, 200, "application/json", state.get()));
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()));
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
                "not found: try /healthz, /state or /metrics\n"));
        server.start();
    }

    /** An operator's action behind {@code POST path}; its text is the answer, an exception a 500 with its message. */
    @FunctionalInterface
    public interface Action {
        String run() throws Exception;
    }

    /**
     * Adds {@code POST path} (e.g. {@code /drain-director}); other methods get 405. The action runs
     * on the request's thread.
     */
    public StatusServer action(String path, Action action) {
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.getResponseHeaders().set("Allow", "POST");
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    send(exchange, 404, "not found\n");
                    return;
                }
                String answer;
                int status = 200;
                try {
                    answer = action.run();
                } catch (Exception e) {
                    status = 500;
                    answer = "failed: " + e.getMessage() + "\n";
                }
                send(exchange, status, answer);
            }
        });
        return this;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The bound address (the port is the real one when the config asked for port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (exchange.getRequestURI().getPath().length() > 1 && status != 404
                    && !exchange.getHttpContext().getPath().equals(exchange.getRequestURI().getPath())) {
                status = 404;
                body = "not found\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
