package dev.ingresskit.access.servlet;

import static dev.ingresskit.access.FilterFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.access.AccessIdentity;
import dev.ingresskit.access.FilterFixture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessServletFilterJettyTest {
    static final AtomicInteger HANDLED = new AtomicInteger();
    Server server;
    int port;

    static final class WhoAmI extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            HANDLED.incrementAndGet();
            AccessIdentity id = AccessServletFilter.identity(request).orElseThrow();
            response.getWriter().print(id.principal() + " service=" + id.isServiceToken());
        }
    }

    @BeforeEach
    void start() throws Exception {
        HANDLED.set(0);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new WhoAmI()), "/*");
        context.addFilter(new FilterHolder(new AccessServletFilter(FilterFixture.verifier())), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void passesAVerifiedUserAndExposesTheIdentity() throws Exception {
        assertEquals("200 ann@example.com service=false", get(port, "Cf-Access-Jwt-Assertion", FilterFixture.userToken()));
        assertEquals("200 client-id.access service=true", get(port, "Cf-Access-Jwt-Assertion", FilterFixture.serviceToken()));
        assertEquals("200 ann@example.com service=false", get(port, "Cookie", "CF_Authorization=" + FilterFixture.userToken()));
    }

    @Test
    void rejectsMissingAndForgedTokensWith403() throws Exception {
        assertTrue(get(port).startsWith("403 "));
        String forged = get(port, "Cf-Access-Jwt-Assertion", FilterFixture.forgedToken());
        assertTrue(forged.startsWith("403 ") && forged.contains("SIGNATURE"), forged);
        assertEquals(0, HANDLED.get());
    }
}
