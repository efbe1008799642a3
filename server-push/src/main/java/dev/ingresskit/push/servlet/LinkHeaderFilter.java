package dev.ingresskit.push.servlet;

import dev.ingresskit.push.LinkCache;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.LinkHeaderGenerator;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Objects;

/**
 * A Servlet filter that adds a {@code Link} header to HTML pages and, where the container can, sends the
 * links of the previous response for the same URL as {@code 103 Early Hints} before the page is made.
 *
 * <p>Only successful ({@code 200}) {@code GET} responses whose content type is {@code text/html} in an
 * ASCII-compatible charset and that are not already content-encoded are held back, and only up to
 * {@link #maxBufferBytes()}: the page is scanned while it is written, and its headers are sent when the
 * page ends, the buffer is full or the servlet flushes, whichever comes first (links found by then are
 * used). Every other response streams through untouched. A failure of the scanner never reaches the
 * response: the page is then sent without a {@code Link} header. Async requests are passed through.
 *
 * <p>Configure in code ({@link #LinkHeaderFilter(LinkHeaderGenerator, int, EarlyHints)}) or with init
 * parameters {@code maxBufferBytes}, {@code earlyHints} (AUTO/ALWAYS/NEVER) and {@code maxLinks}.
 * Thread-safe.
 */
public final class LinkHeaderFilter implements Filter {
    public static final int DEFAULT_MAX_BUFFER_BYTES = 1 << 20;

    private LinkHeaderGenerator generator;
    private int maxBufferBytes;
    private EarlyHints earlyHints;
    /** Links of the last response per URL: known before the next response for it is produced. */
    private final LinkCache hints = new LinkCache(1024);

    /** Defaults: {@link LinkHeaderGenerator#defaults()} with a 256-entry cache, 1 MiB, {@link EarlyHints#AUTO}. */
    public LinkHeaderFilter() {
        this(LinkHeaderGenerator.builder().cache(256).build(), DEFAULT_MAX_BUFFER_BYTES, EarlyHints.AUTO);
    }

    public LinkHeaderFilter(LinkHeaderGenerator generator, int maxBufferBytes, EarlyHints earlyHints) {
        this.generator = Objects.requireNonNull(generator, "generator");
        if (maxBufferBytes < 0) {
            throw new IllegalArgumentException("maxBufferBytes must not be negative, was " + maxBufferBytes);
        }
        this.maxBufferBytes = maxBufferBytes;
        this.earlyHints = Objects.requireNonNull(earlyHints, "earlyHints");
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        String max = config.getInitParameter("maxBufferBytes");
        String hintsMode = config.getInitParameter("earlyHints");
        String maxLinks = config.getInitParameter("maxLinks");
        try {
            if (max != null) {
                int value = Integer.parseInt(max.strip());
                if (value < 0) {
                    throw new IllegalArgumentException("must not be negative");
                }
                maxBufferBytes = value;
            }
            if (hintsMode != null) {
                earlyHints = EarlyHints.valueOf(hintsMode.strip().toUpperCase(java.util.Locale.ROOT));
            }
            if (maxLinks != null) {
                generator = LinkHeaderGenerator.builder().cache(256).maxLinks(Integer.parseInt(maxLinks.strip())).build();
            }
        } catch (IllegalArgumentException e) {
            throw new ServletException("LinkHeaderFilter init parameters (maxBufferBytes=" + max + ", earlyHints="
                    + hintsMode + ", maxLinks=" + maxLinks + "): " + e.getMessage()
                    + " (expected a byte count >= 0, AUTO|ALWAYS|NEVER, a link count >= 1)", e);
        }
    }

    public int maxBufferBytes() {
        return maxBufferBytes;
    }

    public LinkHeaderGenerator generator() {
        return generator;
    }

    /** Hit/miss counters of the per-URL hints (a hit is a 103 sent). */
    public LinkCache.Stats earlyHintStats() {
        return hints.stats();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || !"GET".equals(request.getMethod()) || request.getDispatcherType() != jakarta.servlet.DispatcherType.REQUEST) {
            chain.doFilter(req, res);
            return;
        }
        String pageUrl = pageUrl(request);
        sendEarlyHints(request, response, pageUrl);
        HtmlCaptureResponse capture = new HtmlCaptureResponse(request, response, maxBufferBytes,
                scan -> {
                    LinkHeader header = generator.fromScan(scan, pageUrl);
                    hints.put(pageUrl, header);
                    return header;
                });
        try {
            chain.doFilter(request, capture);
        } finally {
            capture.complete(request.isAsyncStarted());
        }
    }

    private void sendEarlyHints(HttpServletRequest request, HttpServletResponse response, String pageUrl) {
        if (earlyHints == EarlyHints.NEVER || "HTTP/1.0".equals(request.getProtocol()) || response.isCommitted()) {
            return;
        }
        if (earlyHints == EarlyHints.AUTO && !knownToSupport103(response)) {
            return;
        }
        LinkHeader known = hints.get(pageUrl);
        if (known == null || known.isEmpty()) {
            return;
        }
        try {
            response.setHeader("Link", known.value());
            response.sendError(103);
        } catch (IOException | IllegalStateException e) {
            // The final response still carries the header; a lost hint only costs the head start.
        } finally {
            if (!response.isCommitted()) {
                response.setHeader("Link", null); // the final response gets the links of this body
            }
        }
    }

    private static boolean knownToSupport103(HttpServletResponse response) {
        ServletResponse inner = response;
        while (inner instanceof HttpServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        String name = inner.getClass().getName();
        return name.startsWith("org.eclipse.jetty.ee10.") || name.startsWith("org.eclipse.jetty.ee11.")
                || name.startsWith("org.apache.catalina.");
    }

    private static String pageUrl(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getRequestURL() + (query == null ? "" : "?" + query);
    }
}
