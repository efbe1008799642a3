package dev.ingresskit.push.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.LinkHeaderGenerator;
import java.io.IOException;
import java.util.Objects;

/**
 * A filter for the JDK's {@code com.sun.net.httpserver} that adds a {@code Link} header to HTML pages.
 * The JDK server cannot send a {@code 103}, so this adds the header to the final response only.
 *
 * <p>Only {@code 200} responses to {@code GET} with {@code Content-Type: text/html} and no
 * {@code Content-Encoding} are held back, up to the buffer limit; everything else streams through. See
 * {@link LinkExchange}. Thread-safe.
 *
 * <pre>{@code
 * server.createContext("/", handler).getFilters().add(new LinkHeaderHttpFilter(generator, 1 << 20));
 * }</pre>
 */
public final class LinkHeaderHttpFilter extends Filter {
    private final LinkHeaderGenerator generator;
    private final int maxBufferBytes;
    /** Called for each captured response, before its headers go out, with the header added (may be empty). */
    private final java.util.function.BiConsumer<HttpExchange, LinkHeader> listener;

    public LinkHeaderHttpFilter(LinkHeaderGenerator generator, int maxBufferBytes) {
        this(generator, maxBufferBytes, (exchange, header) -> { });
    }

    /**
     * @param listener told about every HTML response this filter handled (the exchange is the one the
     *     server created), e.g. for an access log
     */
    public LinkHeaderHttpFilter(LinkHeaderGenerator generator, int maxBufferBytes,
            java.util.function.BiConsumer<HttpExchange, LinkHeader> listener) {
        this.generator = Objects.requireNonNull(generator, "generator");
        if (maxBufferBytes < 0) {
            throw new IllegalArgumentException("maxBufferBytes must not be negative, was " + maxBufferBytes);
        }
        this.maxBufferBytes = maxBufferBytes;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) || maxBufferBytes == 0) {
            chain.doFilter(exchange);
            return;
        }
        LinkExchange wrapped = new LinkExchange(exchange, maxBufferBytes, generator, listener);
        try {
            chain.doFilter(wrapped);
        } finally {
            wrapped.complete();
        }
    }

    @Override
    public String description() {
        return "adds Link headers (preload) to HTML responses";
    }
}
