package dev.ingresskit.access.twin;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A local twin of the Cloudflare edge for an Access-protected TCP application, following the
 * published behaviour of {@code cloudflared access tcp}: a TLS server that accepts RFC 6455 WebSocket
 * upgrades, enforces the service token ({@code Cf-Access-Client-Id}/{@code -Secret}) or an application
 * token ({@code cf-access-token}), answers a request without credentials with a 302 to
 * {@code /cdn-cgi/access/login/HOST}, refuses wrong ones with 403, mints a signed Access JWT for the
 * identity, and hands the connection's byte stream to an {@link Origin} (cloudflared's origin side).
 * Strict where the RFC is: client frames must be masked, control frames short and unfragmented, RSV
 * bits zero.
 */
public final class EdgeTwin implements AutoCloseable {
    /** The origin side: gets the stream and the JWT the edge minted for the caller. */
    @FunctionalInterface
    public interface Origin {
        void serve(InputStream fromClient, OutputStream toClient, Map<String, String> upgradeHeaders, String jwt) throws IOException;
    }

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public final List<Map<String, String>> upgrades = new CopyOnWriteArrayList<>();
    public final AtomicInteger pings = new AtomicInteger();
    public final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket server;
    private final String hostname;
    private final String serviceId;
    private final String serviceSecret;
    private final Map<String, String> appTokens;
    private final Function<String, String> mintForPrincipal;
    private final Origin origin;

    /**
     * @param appTokens        app token → user email it stands for
     * @param mintForPrincipal email or service-token client ID → the JWT to inject
     */
    public EdgeTwin(SSLContext tls, String hostname, String serviceId, String serviceSecret, Map<String, String> appTokens,
            Function<String, String> mintForPrincipal, Origin origin) throws IOException {
        this.server = tls.getServerSocketFactory().createServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.hostname = hostname;
        this.serviceId = serviceId;
        this.serviceSecret = serviceSecret;
        this.appTokens = appTokens;
        this.mintForPrincipal = mintForPrincipal;
        this.origin = origin;
        Thread.ofPlatform().daemon().name("edge-twin").start(this::acceptLoop);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> handle(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Map<String, String> headers = readHead(in);
            upgrades.add(headers);
            if (!"websocket".equalsIgnoreCase(headers.get("upgrade")) || !"13".equals(headers.get("sec-websocket-version"))
                    || headers.get("sec-websocket-key") == null) {
                respond(out, "400 Bad Request", "");
                return;
            }
            String principal = authenticate(headers);
            if (principal == null) {
                String login = "https://team.cloudflareaccess.com/cdn-cgi/access/login/" + hostname + "?kid=test&redirect_url=%2F";
                respond(out, "302 Found", "Location: " + login + "\r\n");
                return;
            }
            if (principal.isEmpty()) {
                respond(out, "403 Forbidden", "");
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((headers.get("sec-websocket-key") + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                    + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            accepted.incrementAndGet();
            FrameWriter writer = new FrameWriter(out);
            origin.serve(new FrameReader(in, writer, pings), writer, headers, mintForPrincipal.apply(principal));
            writer.close();
        } catch (Exception e) {
            // a broken client connection ends only that connection
        }
    }

    /** The principal, "" for wrong credentials, null for none. */
    private String authenticate(Map<String, String> h) {
        String id = h.get("cf-access-client-id");
        String secret = h.get("cf-access-client-secret");
        if (id != null || secret != null) {
            return serviceId.equals(id) && serviceSecret.equals(secret) ? id : "";
        }
        String token = h.get("cf-access-token");
        if (token != null) {
            return appTokens.getOrDefault(token, "");
        }
        return null;
    }

    private static void respond(OutputStream out, String status, String extra) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + extra + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream in the request head");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (head.size() > 16 * 1024) {
                throw new IOException("request head over 16 KiB");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        headers.put(":request", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        return headers;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Server-to-client frames: unmasked; binary for data, Close once at the end; pongs interleaved. */
    static final class FrameWriter extends OutputStream {
        private final OutputStream out;
        private boolean closed;

        FrameWriter(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("WebSocket output closed");
            }
            frame(0x2, b, off, len);
        }

        synchronized void pong(byte[] payload) throws IOException {
            if (!closed) {
                frame(0xA, payload, 0, payload.length);
            }
        }

        private void frame(int opcode, byte[] b, int off, int len) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream(len + 10);
            f.write(0x80 | opcode);
            if (len < 126) {
                f.write(len);
            } else if (len < 65536) {
                f.write(126);
                f.write(len >>> 8);
                f.write(len);
            } else {
                f.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    f.write((int) ((long) len >>> shift));
                }
            }
            f.write(b, off, len);
            f.writeTo(out);
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                frame(0x8, new byte[] {0x03, (byte) 0xE8}, 0, 2);
                closed = true;
            }
        }
    }

    /** Client-to-server frames as a byte stream; answers pings, ends at the client's Close. */
    static final class FrameReader extends InputStream {
        private final InputStream in;
        private final FrameWriter writer;
        private byte[] payload = new byte[0];
        private int at;
        private boolean closed;
        private final AtomicInteger pingCounter;

        FrameReader(InputStream in, FrameWriter writer) {
            this(in, writer, null);
        }

        FrameReader(InputStream in, FrameWriter writer, AtomicInteger pingCounter) {
            this.in = in;
            this.writer = writer;
            this.pingCounter = pingCounter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0; // InputStream.readNBytes asks for 0 bytes once it has enough: never block then
            }
            while (at == payload.length) {
                if (closed || !nextFrame()) {
                    return -1;
                }
            }
            int n = Math.min(len, payload.length - at);
            System.arraycopy(payload, at, b, off, n);
            at += n;
            return n;
        }

        private boolean nextFrame() throws IOException {
            int b0 = in.read();
            if (b0 < 0) {
                closed = true;
                return false;
            }
            int b1 = readByte();
            if ((b0 & 0x70) != 0) {
                throw new IOException("RSV bits set");
            }
            if ((b1 & 0x80) == 0) {
                throw new IOException("client frame not masked (RFC 6455 5.1)");
            }
            int opcode = b0 & 0x0f;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if (opcode >= 8 && (length > 125 || (b0 & 0x80) == 0)) {
                throw new IOException("control frame too long or fragmented");
            }
            if (length > 1 << 24) {
                throw new IOException("frame of " + length + " bytes");
            }
            byte[] mask = in.readNBytes(4);
            byte[] data = in.readNBytes((int) length);
            if (mask.length < 4 || data.length < length) {
                throw new EOFException("truncated frame");
            }
            for (int i = 0; i < data.length; i++) {
                data[i] ^= mask[i & 3];
            }
            switch (opcode) {
                case 0x0, 0x2 -> {
                    payload = data;
                    at = 0;
                }
                case 0x8 -> closed = true;
                case 0x9 -> {
                    if (pingCounter != null) {
                        pingCounter.incrementAndGet();
                    }
                    writer.pong(data);
                }
                case 0xA -> {
                }
                default -> throw new IOException("unexpected opcode " + opcode);
            }
            return !closed;
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("truncated frame header");
            }
            return b;
        }
    }
}
