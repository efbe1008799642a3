package dev.ingresskit.originca;

import dev.ingresskit.originca.okhttp.OkHttpTransport;
import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** The contract over OkHttp and HTTPS (the optional transport). */
class OkHttpTransportTest extends OriginCaClientContract {
    @Override
    Transport newTransport(OriginCaTestServer server) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", server.caCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            X509TrustManager trustManager = (X509TrustManager) tmf.getTrustManagers()[0];
            return OkHttpTransport.create(new OkHttpClient.Builder()
                    .sslSocketFactory(server.clientSslContext().getSocketFactory(), trustManager)
                    .connectTimeout(Duration.ofSeconds(5))
                    .retryOnConnectionFailure(false)
                    .build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    boolean https() {
        return true;
    }
}
