package dev.ingresskit.access.twin;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The origin side of the edge twin as {@code cloudflared} runs it for kubectl: the tunnel's byte
 * stream speaks SOCKS5 (RFC 1928, no authentication, CONNECT only). Names are resolved here, on the
 * far side, by a fixed table: that is why kubectl can be pointed at a name such as {@code kube.test}
 * that nothing on the client side resolves.
 */
public final class Socks5Origin implements EdgeTwin.Origin {
    /** Opens the connection for a CONNECT to {@code host:port}, given the JWT minted for this stream. */
    @FunctionalInterface
    public interface Connector {
        Socket connect(String host, int port, String jwt) throws IOException;
    }

    private final Map<String, Connector> targets;

    /** @param targets "host:port" → how to reach it; anything else is answered "host unreachable" */
    public Socks5Origin(Map<String, Connector> targets) {
        this.targets = targets;
    }

    @Override
    public void serve(InputStream fromClient, OutputStream toClient, Map<String, String> headers, String jwt) throws IOException {
        DataInputStream in = new DataInputStream(fromClient);
        if (in.readUnsignedByte() != 5) {
            throw new IOException("not SOCKS5");
        }
        byte[] methods = in.readNBytes(in.readUnsignedByte());
        boolean noAuth = false;
        for (byte m : methods) {
            noAuth |= m == 0;
        }
        toClient.write(new byte[] {5, (byte) (noAuth ? 0 : 0xFF)});
        toClient.flush();
        if (!noAuth) {
            return;
        }
        int version = in.readUnsignedByte();
        int command = in.readUnsignedByte();
        in.readUnsignedByte();
        int type = in.readUnsignedByte();
        String host = switch (type) {
            case 1 -> (in.readUnsignedByte() + "." + in.readUnsignedByte() + "." + in.readUnsignedByte() + "." + in.readUnsignedByte());
            case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
            default -> throw new IOException("address type " + type + " not supported by the twin");
        };
        int port = in.readUnsignedShort();
        Connector connector = targets.get(host + ":" + port);
        if (version != 5 || command != 1 || connector == null) {
            toClient.write(new byte[] {5, 4, 0, 1, 0, 0, 0, 0, 0, 0});
            toClient.flush();
            return;
        }
        try (Socket target = connector.connect(host, port, jwt)) {
            toClient.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
            toClient.flush();
            Thread up = Pipes.copy(fromClient, target.getOutputStream(), target::shutdownOutput);
            Thread down = Pipes.copy(target.getInputStream(), toClient, toClient::close);
            up.join();
            down.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
