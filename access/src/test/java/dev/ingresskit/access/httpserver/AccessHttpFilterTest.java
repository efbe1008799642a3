package dev.ingresskit.access.httpserver;

import static dev.ingresskit.access.FilterFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.ingresskit.access.AccessIdentity;
import dev.ingresskit.access.FilterFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessHttpFilterTest {
    HttpServer server;
    final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpContext context = server.createContext("/", exchange -> {
            handled.incrementAndGet();
            AccessIdentity id = AccessHttpFilter.identity(exchange).orElseThrow();
            byte[] body = (id.principal() + " service=" + id.isServiceToken()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        context.getFilters().add(new AccessHttpFilter(FilterFixture.verifier()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Test
    void passesAVerifiedUserAndExposesTheIdentity() throws Exception {
        assertEquals("200 ann@example.com service=false", get(port(), "Cf-Access-Jwt-Assertion", FilterFixture.userToken()));
        assertEquals("200 client-id.access service=true", get(port(), "Cf-Access-Jwt-Assertion", FilterFixture.serviceToken()));
        assertEquals("200 ann@example.com service=false", get(port(), "Cookie", "a=b; CF_Authorization=" + FilterFixture.userToken()));
    }

    @Test
    void rejectsMissingAndForgedTokensWith403BeforeTheHandler() throws Exception {
        assertEquals("403 403 Forbidden: Access token rejected (FORMAT)", get(port()));
        String forged = get(port(), "Cf-Access-Jwt-Assertion", FilterFixture.forgedToken());
        assertEquals("403 403 Forbidden: Access token rejected (SIGNATURE)", forged);
        assertTrue(get(port(), "Cookie", "CF_Authorization=garbage").startsWith("403 "));
        assertEquals(0, handled.get());
    }
}
