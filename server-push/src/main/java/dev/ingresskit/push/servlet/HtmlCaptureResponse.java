package dev.ingresskit.push.servlet;

import dev.ingresskit.push.HtmlLinkScanner;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.ScanResult;
import dev.ingresskit.push.ScanSession;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Holds back the body of an HTML response (up to a limit) while scanning it, so that a {@code Link}
 * header can still be added; decides at the first byte whether the response qualifies, and otherwise
 * writes straight through. One per request; not thread-safe (the Servlet model writes from one thread).
 */
final class HtmlCaptureResponse extends HttpServletResponseWrapper {
    private enum Mode { UNDECIDED, CAPTURE, PASS }

    private static final Set<String> ASCII_COMPATIBLE = Set.of("utf-8", "us-ascii", "iso-8859-1", "windows-1252");

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final int limit;
    private final Function<ScanResult, LinkHeader> links;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private ScanSession session;
    private Mode mode = Mode.UNDECIDED;
    private ServletOutputStream stream;
    private PrintWriter writer;

    HtmlCaptureResponse(HttpServletRequest request, HttpServletResponse response, int limit,
            Function<ScanResult, LinkHeader> links) {
        super(response);
        this.request = request;
        this.response = response;
        this.limit = limit;
        this.links = links;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called");
        }
        if (stream == null) {
            stream = new CaptureStream(response.getOutputStream());
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            if (stream != null) {
                throw new IllegalStateException("getOutputStream() was already called");
            }
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            setCharacterEncoding(charset.name()); // fixes the charset before the content type is read
            stream = new CaptureStream(response.getOutputStream());
            writer = new PrintWriter(new OutputStreamWriter(stream, charset), false);
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        release();
        super.flushBuffer();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        discard();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        discard();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        discard();
        super.sendRedirect(location);
    }

    @Override
    public void reset() {
        super.reset();
        held.reset();
        mode = Mode.UNDECIDED;
        stream = null;
        writer = null;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        held.reset();
        if (mode == Mode.CAPTURE) {
            session.reset();
        }
    }

    /** After the chain: the page is complete, unless the request went async (then it streams on). */
    void complete(boolean async) throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (async) {
            release();
            return;
        }
        if (mode == Mode.CAPTURE) {
            addLinks(true);
            mode = Mode.PASS;
            if (held.size() > 0) {
                held.writeTo(response.getOutputStream());
                held.reset();
            }
        }
    }

    private void discard() {
        held.reset();
        mode = Mode.PASS;
    }

    /** Sends the headers with what is known so far and lets the rest of the body through. */
    private void release() throws IOException {
        if (mode == Mode.CAPTURE) {
            addLinks(false);
            mode = Mode.PASS;
            held.writeTo(response.getOutputStream());
            held.reset();
        }
    }

    private void addLinks(boolean wholePage) {
        if (response.isCommitted()) {
            return;
        }
        try {
            LinkHeader header = links.apply(session.finish());
            if (!header.isEmpty()) {
                response.addHeader("Link", header.value());
            }
        } catch (RuntimeException e) {
            // A scanner bug must not cost the page: it goes out without the header.
            request.getServletContext().log("server-push: no Link header for " + request.getRequestURI(), e);
        }
    }

    private void decide() {
        if (mode != Mode.UNDECIDED) {
            return;
        }
        mode = qualifies() ? Mode.CAPTURE : Mode.PASS;
        if (mode == Mode.CAPTURE) {
            session = HtmlLinkScanner.create().newSession();
        }
    }

    private boolean qualifies() {
        if (limit == 0 || getStatus() != 200 || response.isCommitted() || request.isAsyncStarted()
                || response.getHeader("Content-Encoding") != null) {
            return false;
        }
        String type = getContentType();
        if (type == null) {
            return false;
        }
        String lower = type.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("text/html")) {
            return false;
        }
        String encoding = getCharacterEncoding();
        return encoding == null || ASCII_COMPATIBLE.contains(encoding.toLowerCase(Locale.ROOT));
    }

    private final class CaptureStream extends ServletOutputStream {
        private final ServletOutputStream out;
        private final byte[] one = new byte[1];

        CaptureStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b; // reused: no stream keeps the array it was given past write()
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            decide();
            if (mode == Mode.CAPTURE) {
                try {
                    session.feedUtf8(b, off, len);
                } catch (RuntimeException e) {
                    request.getServletContext().log("server-push: scanner failed, page sent as is", e);
                    mode = Mode.PASS;
                    held.writeTo(out);
                    held.reset();
                    out.write(b, off, len);
                    return;
                }
                held.write(b, off, len);
                if (held.size() >= limit) {
                    release();
                }
                return;
            }
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            release();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            complete(false);
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
