package dev.ingresskit.access.twin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Echoes every byte; at the client's end of stream it finishes and half-closes. */
public final class EchoServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());

    public EchoServer() throws IOException {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Pipes.copy(s.getInputStream(), s.getOutputStream(), () -> {
                        s.shutdownOutput();
                        s.close();
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
