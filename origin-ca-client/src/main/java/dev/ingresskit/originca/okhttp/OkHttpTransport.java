package dev.ingresskit.originca.okhttp;

import dev.ingresskit.originca.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;

/**
 * {@link Transport} over OkHttp, for applications that already configure an {@link OkHttpClient}
 * (proxies, certificate pinning, connection pool). Thread-safe like the client it wraps.
 *
 * <pre>{@code
 * OriginCaClient client = OriginCaClient.builder()
 *         .apiToken(token)
 *         .transport(OkHttpTransport.create(new OkHttpClient()))
 *         .build();
 * }</pre>
 */
public final class OkHttpTransport implements Transport {
    private static final MediaType JSON = MediaType.get("application/json");
    private final OkHttpClient client;

    private OkHttpTransport(OkHttpClient client) {
        this.client = client;
    }

    // OkHttp is an optional (static) dependency: callers of this method have it on their path anyway.
    @SuppressWarnings("exports")
    public static OkHttpTransport create(OkHttpClient client) {
        if (client == null) {
            throw new IllegalArgumentException("client is required");
        }
        return new OkHttpTransport(client);
    }

    @Override
    public Response send(Transport.Request request) throws IOException, InterruptedException {
        byte[] body = request.body();
        RequestBody requestBody = body == null ? null : RequestBody.create(body, JSON);
        okhttp3.Request.Builder builder = new okhttp3.Request.Builder()
                .url(request.uri().toString())
                .method(request.method(), requestBody);
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        Call call = client.newCall(builder.build());
        call.timeout().timeout(request.timeout().toNanos(), TimeUnit.NANOSECONDS);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try (okhttp3.Response response = call.execute()) {
            ResponseBody responseBody = response.body();
            byte[] bytes = responseBody == null ? new byte[0] : responseBody.bytes();
            Map<String, List<String>> headers = response.headers().toMultimap();
            return new Transport.Response(response.code(), headers, bytes);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "OkHttpTransport";
    }
}
