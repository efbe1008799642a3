package dev.ingresskit.push.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.LinkHeaderGenerator;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK HttpServer filter over real HTTP. */
class LinkHeaderHttpFilterTest {
    static final String PAGE = "<html><head><link rel=stylesheet href=style.css></head><body><img src='/a b.png'></body></html>";
    private HttpServer server;
    private final Map<String, LinkHeader> logged = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var context = server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            switch (path) {
                case "/dir/page.html", "/dir/chunked.html", "/dir/bytes.html" -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    body = PAGE.getBytes(StandardCharsets.UTF_8);
                }
                case "/data.txt" -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    body = PAGE.getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/html");
                    status = 404;
                    body = "<img src=/x.png>".getBytes(StandardCharsets.UTF_8);
                }
            }
            exchange.sendResponseHeaders(status, path.contains("chunked") ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (path.contains("bytes")) {
                    for (byte b : body) {
                        out.write(b); // a byte at a time: the filter's write(int)
                    }
                } else {
                    out.write(body, 0, 10);
                    out.write(body, 10, body.length - 10);
                }
            }
        });
        context.getFilters().add(new LinkHeaderHttpFilter(LinkHeaderGenerator.defaults(), 1 << 20,
                (exchange, header) -> logged.put(exchange.getRequestURI().getPath(), header)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void htmlGetsALinkHeader() throws Exception {
        for (String path : List.of("/dir/page.html", "/dir/chunked.html", "/dir/bytes.html")) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode());
            assertEquals(List.of("</dir/style.css>; rel=preload; as=style, </a%20b.png>; rel=preload; as=image"),
                    response.headers().allValues("Link"), path);
            assertEquals(PAGE, response.body());
            assertEquals(2, logged.get(path).links().size());
        }
    }

    @Test
    void otherResponsesAreUntouched() throws Exception {
        HttpResponse<String> text = get("/data.txt");
        assertTrue(text.headers().allValues("Link").isEmpty());
        assertEquals(PAGE, text.body());
        HttpResponse<String> missing = get("/missing.html");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().allValues("Link").isEmpty());
        assertEquals("<img src=/x.png>", missing.body());
    }
}
