package dev.ingresskit.push.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.push.LinkHeaderGenerator;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Random;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Servlet filter inside a real Jetty 12 (ee10) over real HTTP, 103 Early Hints included. */
class LinkHeaderFilterJettyTest {
    static final String PAGE = "<!doctype html><html><head><link rel=stylesheet href=/app.css>"
            + "<script src=/app.js></script></head><body><img src=/logo.png> caf\u00e9</body></html>";
    static final byte[] BINARY = new byte[200_000];

    static {
        new Random(7).nextBytes(BINARY);
    }

    private Server server;
    private int port;
    private LinkHeaderFilter filter;

    void start(LinkHeaderFilter f) throws Exception {
        filter = f;
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new Site()), "/*");
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @BeforeEach
    void startDefault() throws Exception {
        start(new LinkHeaderFilter(LinkHeaderGenerator.builder().cache(16).build(), 64 * 1024, EarlyHints.AUTO));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    static final class Site extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            switch (req.getRequestURI()) {
                case "/page.html" -> {
                    resp.setContentType("text/html;charset=UTF-8");
                    resp.setHeader("ETag", "\"v1\"");
                    resp.getWriter().write(PAGE);
                }
                case "/bytes.html" -> {
                    resp.setContentType("text/html;charset=UTF-8");
                    OutputStream out = resp.getOutputStream();
                    for (byte b : PAGE.getBytes(StandardCharsets.UTF_8)) {
                        out.write(b); // a byte at a time: the filter's write(int)
                    }
                }
                case "/big.html" -> {
                    resp.setContentType("text/html");
                    OutputStream out = resp.getOutputStream();
                    out.write("<link rel=stylesheet href=/early.css>".getBytes(StandardCharsets.UTF_8));
                    out.write(("<p>" + "x".repeat(100_000) + "</p>").getBytes(StandardCharsets.UTF_8));
                    out.write("<img src=/late.png>".getBytes(StandardCharsets.UTF_8));
                }
                case "/flushed.html" -> {
                    resp.setContentType("text/html");
                    resp.getWriter().write("<script src=/before-flush.js></script>");
                    resp.getWriter().flush();
                    resp.flushBuffer();
                    resp.getWriter().write("<img src=/after-flush.png>");
                }
                case "/data.json" -> {
                    resp.setContentType("application/json");
                    resp.getWriter().write("{\"html\":\"<img src=/x.png>\"}");
                }
                case "/binary" -> {
                    resp.setContentType("application/octet-stream");
                    resp.getOutputStream().write(BINARY);
                }
                case "/gzipped.html" -> {
                    resp.setContentType("text/html");
                    resp.setHeader("Content-Encoding", "gzip");
                    resp.getOutputStream().write(new byte[] {0x1f, (byte) 0x8b, 8, 0});
                }
                default -> {
                    resp.setStatus(404);
                    resp.setContentType("text/html");
                    resp.getWriter().write("<h1>Not found</h1><img src=/sad.png>");
                }
            }
        }
    }

    private ContentResponse get(String path) throws Exception {
        HttpClient client = new HttpClient();
        client.start();
        try {
            return client.GET("http://127.0.0.1:" + port + path);
        } finally {
            client.stop();
        }
    }

    /** The raw bytes of a response, so that interim (1xx) responses are visible. */
    private String raw(String path, String version) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " " + version + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void htmlGetsALinkHeaderAndAnUnchangedBody() throws Exception {
        for (String path : java.util.List.of("/page.html", "/bytes.html")) {
            ContentResponse response = get(path);
            assertEquals(200, response.getStatus(), path);
            assertEquals("</app.css>; rel=preload; as=style, </app.js>; rel=preload; as=script, </logo.png>; rel=preload; as=image",
                    response.getHeaders().get("Link"), path);
            assertEquals(PAGE, response.getContentAsString(), path);
        }
    }

    @Test
    void earlyHintsAreSentOnceTheLinksAreKnown() throws Exception {
        String first = raw("/page.html", "HTTP/1.1");
        assertTrue(first.startsWith("HTTP/1.1 200"), first);
        String second = raw("/page.html", "HTTP/1.1");
        assertTrue(second.startsWith("HTTP/1.1 103"), second);
        int end103 = second.indexOf("\r\n\r\n");
        String interim = second.substring(0, end103);
        assertTrue(interim.contains("Link: </app.css>; rel=preload; as=style, </app.js>; rel=preload; as=script, </logo.png>; rel=preload; as=image"), interim);
        String fin = second.substring(end103 + 4);
        assertTrue(fin.startsWith("HTTP/1.1 200"), fin);
        assertTrue(fin.contains("Link: </app.css>"), fin);
        assertTrue(fin.endsWith(PAGE), fin);
        assertEquals(1, filter.earlyHintStats().hits());
        // HTTP/1.0 clients must not get a 1xx (RFC 9110 §15.2)
        assertTrue(raw("/page.html", "HTTP/1.0").startsWith("HTTP/1.1 200"));
    }

    @Test
    void earlyHintsCanBeTurnedOff() throws Exception {
        stop();
        start(new LinkHeaderFilter(LinkHeaderGenerator.defaults(), 64 * 1024, EarlyHints.NEVER));
        raw("/page.html", "HTTP/1.1");
        String second = raw("/page.html", "HTTP/1.1");
        assertTrue(second.startsWith("HTTP/1.1 200") && second.contains("Link: </app.css>"), second);
    }

    @Test
    void nonHtmlIsUntouched() throws Exception {
        ContentResponse json = get("/data.json");
        assertNull(json.getHeaders().get("Link"));
        assertEquals("{\"html\":\"<img src=/x.png>\"}", json.getContentAsString());
        ContentResponse binary = get("/binary");
        assertNull(binary.getHeaders().get("Link"));
        assertArrayEquals(BINARY, binary.getContent());
        // raw, because an HTTP client would try to gunzip the (deliberately truncated) body
        String gzipped = raw("/gzipped.html", "HTTP/1.1");
        String head = gzipped.substring(0, gzipped.indexOf("\r\n\r\n"));
        assertTrue(head.contains("Content-Encoding: gzip") && !head.contains("Link:"), head);
        assertTrue(gzipped.endsWith("\r\n\r\n\u001f\ufffd\b\u0000"), gzipped);
    }

    @Test
    void errorPagesGetNoLinks() throws Exception {
        ContentResponse missing = get("/missing");
        assertEquals(404, missing.getStatus());
        assertNull(missing.getHeaders().get("Link"));
        assertEquals("<h1>Not found</h1><img src=/sad.png>", missing.getContentAsString());
    }

    @Test
    void beyondTheBufferLimitTheLinksFoundSoFarAreSent() throws Exception {
        ContentResponse big = get("/big.html");
        assertEquals("</early.css>; rel=preload; as=style", big.getHeaders().get("Link"));
        assertTrue(big.getContentAsString().endsWith("</p><img src=/late.png>"));
        assertEquals(37 + 100_007 + 19, big.getContent().length);
    }

    @Test
    void aFlushSendsTheHeadersWithWhatWasWrittenBefore() throws Exception {
        ContentResponse flushed = get("/flushed.html");
        assertEquals("</before-flush.js>; rel=preload; as=script", flushed.getHeaders().get("Link"));
        assertEquals("<script src=/before-flush.js></script><img src=/after-flush.png>", flushed.getContentAsString());
        assertFalse(flushed.getHeaders().get("Link").contains("after-flush"));
    }

    private static jakarta.servlet.FilterConfig config(java.util.Map<String, String> params) {
        return new jakarta.servlet.FilterConfig() {
            @Override
            public String getFilterName() {
                return "push";
            }

            @Override
            public jakarta.servlet.ServletContext getServletContext() {
                return null;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public java.util.Enumeration<String> getInitParameterNames() {
                return java.util.Collections.enumeration(params.keySet());
            }
        };
    }

    @Test
    void initParameters() throws Exception {
        LinkHeaderFilter configured = new LinkHeaderFilter();
        configured.init(config(java.util.Map.of("maxBufferBytes", " 2048 ", "earlyHints", "never", "maxLinks", "3")));
        assertEquals(2048, configured.maxBufferBytes());
        for (var bad : java.util.List.of(java.util.Map.of("maxBufferBytes", "-1"), java.util.Map.of("earlyHints", "sometimes"),
                java.util.Map.of("maxLinks", "0"), java.util.Map.of("maxBufferBytes", "1MB"))) {
            jakarta.servlet.ServletException e = org.junit.jupiter.api.Assertions.assertThrows(jakarta.servlet.ServletException.class,
                    () -> new LinkHeaderFilter().init(config(bad)));
            assertTrue(e.getMessage().contains("LinkHeaderFilter init parameters"), e.getMessage());
        }
    }
}
