package dev.ingresskit.originca;

import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.net.http.HttpClient;
import java.time.Duration;

/** The contract over the JDK HttpClient and plain HTTP. */
class JdkTransportHttpTest extends OriginCaClientContract {
    @Override
    Transport newTransport(OriginCaTestServer server) {
        return Transport.jdk(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    @Override
    boolean https() {
        return false;
    }
}
