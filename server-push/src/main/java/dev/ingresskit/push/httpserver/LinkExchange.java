package dev.ingresskit.push.httpserver;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.ingresskit.push.HtmlLinkScanner;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.LinkHeaderGenerator;
import dev.ingresskit.push.ScanSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The exchange the handler sees: {@code sendResponseHeaders} of a qualifying response is deferred until
 * the body ends (or the buffer limit is reached), while the body is scanned as it is written.
 */
final class LinkExchange extends HttpExchange {
    private final HttpExchange delegate;
    private final int limit;
    private final LinkHeaderGenerator generator;
    private final BiConsumer<HttpExchange, LinkHeader> listener;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private ScanSession session;
    private int status = -1;
    private long length;
    private boolean deferred;
    private boolean done;
    private final OutputStream body = new OutputStream() {
        private final byte[] one = new byte[1];

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b; // reused: no stream keeps the array it was given past write()
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!deferred) {
                delegate.getResponseBody().write(b, off, len);
                return;
            }
            try {
                session.feedUtf8(b, off, len);
            } catch (RuntimeException e) {
                session = null; // a scanner failure costs the header, never the page
            }
            held.write(b, off, len);
            if (held.size() >= limit) {
                release();
            }
        }

        @Override
        public void flush() throws IOException {
            if (!deferred) {
                delegate.getResponseBody().flush();
            }
        }

        @Override
        public void close() throws IOException {
            complete();
        }
    };

    LinkExchange(HttpExchange delegate, int limit, LinkHeaderGenerator generator, BiConsumer<HttpExchange, LinkHeader> listener) {
        this.delegate = delegate;
        this.limit = limit;
        this.generator = generator;
        this.listener = listener;
    }

    @Override
    public void sendResponseHeaders(int code, long responseLength) throws IOException {
        String type = delegate.getResponseHeaders().getFirst("Content-Type");
        boolean html = type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html");
        if (code == 200 && responseLength >= 0 && html && delegate.getResponseHeaders().getFirst("Content-Encoding") == null) {
            status = code;
            length = responseLength;
            deferred = true;
            session = HtmlLinkScanner.create().newSession();
            return;
        }
        delegate.sendResponseHeaders(code, responseLength);
    }

    /** Sends the headers with the links found so far and the held body; the rest streams through. */
    private void release() throws IOException {
        if (!deferred) {
            return;
        }
        deferred = false;
        LinkHeader header = LinkHeader.EMPTY;
        if (session != null) {
            try {
                header = generator.fromScan(session.finish(), pageUrl());
            } catch (RuntimeException e) {
                header = LinkHeader.EMPTY;
            }
        }
        if (!header.isEmpty()) {
            delegate.getResponseHeaders().add("Link", header.value());
        }
        listener.accept(delegate, header);
        delegate.sendResponseHeaders(status, length);
        held.writeTo(delegate.getResponseBody());
        held.reset();
    }

    void complete() throws IOException {
        if (done) {
            return;
        }
        done = true;
        release();
        delegate.getResponseBody().close();
    }

    private String pageUrl() {
        String host = delegate.getRequestHeaders().getFirst("Host");
        if (host == null) {
            InetSocketAddress local = delegate.getLocalAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        String scheme = delegate.getHttpContext().getServer() instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return scheme + "://" + host + delegate.getRequestURI().getRawPath()
                + (delegate.getRequestURI().getRawQuery() == null ? "" : "?" + delegate.getRequestURI().getRawQuery());
    }

    @Override
    public OutputStream getResponseBody() {
        return body;
    }

    @Override
    public void close() {
        try {
            complete();
        } catch (IOException e) {
            // as HttpExchange.close(): the connection is being torn down anyway
        }
        delegate.close();
    }

    @Override
    public Headers getRequestHeaders() {
        return delegate.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return delegate.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
        return delegate.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return delegate.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return delegate.getHttpContext();
    }

    @Override
    public InputStream getRequestBody() {
        return delegate.getRequestBody();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return delegate.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return deferred ? status : delegate.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return delegate.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return delegate.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        delegate.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        delegate.setStreams(i, o);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return delegate.getPrincipal();
    }
}
