package dev.ingresskit.examples.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.push.LinkHeaderGenerator;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushServerTest {
    @TempDir
    Path tmp;
    Path root;
    PushServer server;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(tmp.resolve("secret.txt"), "TOP SECRET");
        Files.writeString(root.resolve("index.html"), "<link rel=stylesheet href=/site.css><img src=logo.png>");
        Files.writeString(root.resolve("site.css"), "body{}");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<script src=app.js></script>");
        Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("escape-dir"), tmp);
        Files.createSymbolicLink(root.resolve("alias.css"), root.resolve("site.css"));
        server = PushServer.start(root, new InetSocketAddress("127.0.0.1", 0), LinkHeaderGenerator.defaults(),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String request(String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void servesHtmlWithLinksAndLogsThem() throws Exception {
        String page = request("/");
        assertEquals(200, status(page), page);
        assertTrue(page.contains("Link: </site.css>; rel=preload; as=style, </logo.png>; rel=preload; as=image"), page);
        assertTrue(page.endsWith("<link rel=stylesheet href=/site.css><img src=logo.png>"));
        String docs = request("/docs/");
        assertTrue(docs.contains("Link: </docs/app.js>; rel=preload; as=script"), docs);
        String css = request("/alias.css");
        assertEquals(200, status(css));
        assertFalse(css.contains("Link:"));
        // the access log line is written after the response is complete: wait for it
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!log.toString(StandardCharsets.UTF_8).contains("GET /alias.css") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("GET / 200  links(2): </site.css>; rel=preload; as=style, </logo.png>; rel=preload; as=image"), logged);
        assertTrue(logged.contains("GET /alias.css 200\n"), logged);
    }

    @Test
    void neverServesOutsideTheRoot() throws Exception {
        for (String target : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/docs/..%2f..%2fsecret.txt",
                "/docs/%2e./%2e./secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt", "/x%00.html", "/%zz",
                "http://127.0.0.1/../secret.txt")) {
            String response = request(target);
            assertEquals(400, status(response), target + " -> " + response);
            assertFalse(response.contains("TOP SECRET"), target);
        }
        for (String target : List.of("/escape.txt", "/escape-dir/secret.txt", "//etc/passwd", "/missing.html",
                "/" + tmp.resolve("secret.txt"))) {
            String response = request(target);
            assertEquals(404, status(response), target + " -> " + response);
            assertFalse(response.contains("TOP SECRET"), target);
        }
    }
}
