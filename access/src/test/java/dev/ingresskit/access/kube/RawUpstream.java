package dev.ingresskit.access.kube;

import dev.ingresskit.access.internal.HttpHead;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scripted HTTP/1.1 upstream on a raw socket that records every request head it receives. */
final class RawUpstream implements AutoCloseable {
    @FunctionalInterface
    interface Handler {
        /** Answers one request; return false to close the connection. */
        boolean handle(HttpHead request, InputStream in, OutputStream out, Socket socket) throws IOException;
    }

    final List<HttpHead> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());

    RawUpstream(Handler handler) throws IOException {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            InputStream in = new BufferedInputStream(s.getInputStream());
                            HttpHead head;
                            while ((head = HttpHead.read(in)) != null) {
                                requests.add(head);
                                if (!handler.handle(head, in, s.getOutputStream(), s)) {
                                    return;
                                }
                            }
                        } catch (IOException e) {
                            // test peer closed
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
