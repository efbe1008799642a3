package dev.ingresskit.originca;

import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.net.http.HttpClient;
import java.time.Duration;

/** The contract over the JDK HttpClient and HTTPS, trusting the test CA only. */
class JdkTransportHttpsTest extends OriginCaClientContract {
    @Override
    Transport newTransport(OriginCaTestServer server) {
        return Transport.jdk(HttpClient.newBuilder().sslContext(server.clientSslContext())
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Override
    boolean https() {
        return true;
    }
}
