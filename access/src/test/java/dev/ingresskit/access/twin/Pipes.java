package dev.ingresskit.access.twin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Byte pumps for the twins. */
public final class Pipes {
    private Pipes() {
    }

    /** Copies until end of stream, then runs {@code atEnd}; errors end the copy quietly. */
    public static Thread copy(InputStream in, OutputStream out, IoAction atEnd) {
        return Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side went away
            }
            try {
                atEnd.run();
            } catch (IOException e) {
                // already closed
            }
        });
    }

    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /** An origin that connects every tunnel connection to {@code target}, half-close both ways. */
    public static EdgeTwin.Origin tcp(InetSocketAddress target) {
        return (fromClient, toClient, headers, jwt) -> {
            try (Socket socket = new Socket(target.getAddress(), target.getPort())) {
                Thread up = copy(fromClient, socket.getOutputStream(), socket::shutdownOutput);
                Thread down = copy(socket.getInputStream(), toClient, toClient::close);
                up.join();
                down.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
