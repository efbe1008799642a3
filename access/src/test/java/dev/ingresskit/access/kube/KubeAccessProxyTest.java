package dev.ingresskit.access.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.access.FilterFixture;
import dev.ingresskit.access.internal.HttpHead;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubeAccessProxyTest {
    static final String RULES = "group:sre => user={email} group=system:masters\nemail:*@example.com => user={email} group=developers\n";
    final CountDownLatch releaseEnd = new CountDownLatch(1);
    RawUpstream api;
    KubeAccessProxy proxy;

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        api.close();
    }

    void start(RawUpstream.Handler handler) throws Exception {
        api = new RawUpstream(handler);
        proxy = KubeAccessProxy.builder(FilterFixture.verifier(), ImpersonationRules.parse(RULES), URI.create("http://127.0.0.1:" + api.port()))
                .bearerToken("proxy-sa-token").start();
    }

    Socket client() throws IOException {
        Socket s = new Socket(proxy.address().getAddress(), proxy.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    static boolean ok(HttpHead request, InputStream in, OutputStream out, Socket s) throws IOException {
        long length = Math.max(0, request.contentLength());
        byte[] body = in.readNBytes((int) length);
        byte[] answer = ("{\"path\":\"" + request.startLine().split(" ")[1] + "\",\"body\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answer.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer);
        out.flush();
        return true;
    }

    static String readResponse(InputStream in) throws IOException {
        HttpHead head = HttpHead.read(in);
        long n = head.contentLength();
        return head.startLine() + " " + new String(in.readNBytes((int) n), StandardCharsets.UTF_8);
    }

    @Test
    void forwardsWithImpersonationAndTheProxysOwnCredentials() throws Exception {
        start(KubeAccessProxyTest::ok);
        try (Socket s = client()) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String token = FilterFixture.userToken();
            out.write(("GET /api HTTP/1.1\r\nHost: kube.test:6443\r\nAuthorization: Bearer kubeconfig-token\r\nImpersonate-User: admin\r\n"
                    + "Impersonate-Group: system:masters\r\nImpersonate-Extra-scopes: all\r\nCf-Access-Jwt-Assertion: " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(("POST /apis/x HTTP/1.1\r\nHost: kube.test\r\nContent-Length: 5\r\nCf-Access-Jwt-Assertion: " + token + "\r\n\r\nhello")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 200 OK {\"path\":\"/api\",\"body\":0}", readResponse(in));
            assertEquals("HTTP/1.1 200 OK {\"path\":\"/apis/x\",\"body\":5}", readResponse(in), "second request on the same connection, body forwarded");
        }
        HttpHead seen = api.requests.getFirst();
        assertEquals(List.of("Bearer proxy-sa-token"), seen.all("Authorization"));
        assertEquals(List.of("ann@example.com"), seen.all("Impersonate-User"));
        assertEquals(List.of("developers"), seen.all("Impersonate-Group"), "the client's own Impersonate-Group is gone");
        assertEquals(List.of(), seen.all("Impersonate-Extra-scopes"));
        assertEquals(List.of(), seen.all("Cf-Access-Jwt-Assertion"), "the Access token is not passed on");
        assertEquals(List.of("127.0.0.1:" + api.port()), seen.all("Host"));
    }

    @Test
    void missingAndForgedTokensStopAtTheProxy() throws Exception {
        start(KubeAccessProxyTest::ok);
        for (String header : List.of("", "Cf-Access-Jwt-Assertion: " + FilterFixture.forgedToken() + "\r\n",
                "Cookie: CF_Authorization=" + FilterFixture.forgedToken() + "\r\n")) {
            try (Socket s = client()) {
                s.getOutputStream().write(("GET /api HTTP/1.1\r\nHost: x\r\nImpersonate-User: admin\r\n" + header + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String response = readResponse(new BufferedInputStream(s.getInputStream()));
                assertTrue(response.startsWith("HTTP/1.1 403 Forbidden {\"kind\":\"Status\""), response);
                assertTrue(response.contains("\"reason\":\"Forbidden\",\"code\":403"), response);
            }
        }
        assertEquals(0, api.requests.size(), "nothing reached the API server");
    }

    @Test
    void chunkedStreamsAreDeliveredAsTheyArrive() throws Exception {
        start((request, in, out, s) -> {
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nline1\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                releaseEnd.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            out.write("6\r\nline2\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        });
        try (Socket s = client()) {
            s.getOutputStream().write(("GET /api/v1/namespaces/x/pods/p/log?follow=true HTTP/1.1\r\nHost: x\r\nCf-Access-Jwt-Assertion: "
                    + FilterFixture.userToken() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpHead head = HttpHead.read(in);
            assertTrue(head.chunked());
            assertEquals("6\r\nline1\n\r\n", new String(in.readNBytes(11), StandardCharsets.US_ASCII), "first chunk before the upstream finished");
            releaseEnd.countDown();
            assertEquals("6\r\nline2\n\r\n0\r\n\r\n", new String(in.readNBytes(16), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void upgradedConnectionsBecomeARawPipeWithHalfClose() throws Exception {
        start((request, in, out, s) -> {
            out.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            out.write(("echo:" + got.toString(StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return false;
        });
        try (Socket s = client()) {
            s.getOutputStream().write(("POST /api/v1/namespaces/x/pods/p/exec?command=sh HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                    + "Cf-Access-Jwt-Assertion: " + FilterFixture.userToken() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            assertEquals("HTTP/1.1 101 Switching Protocols", HttpHead.read(in).startLine());
            s.getOutputStream().write("stdin bytes".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertEquals("echo:stdin bytes", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertEquals(List.of("SPDY/3.1"), api.requests.getFirst().all("Upgrade"));
    }

    @Test
    void malformedRequestsGet400() throws Exception {
        start(KubeAccessProxyTest::ok);
        for (String bad : List.of("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                "GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "GET / HTTP/1.1\r\n bad: folded\r\n\r\n")) {
            try (Socket s = client()) {
                s.getOutputStream().write(bad.getBytes(StandardCharsets.US_ASCII));
                assertTrue(readResponse(new BufferedInputStream(s.getInputStream())).startsWith("HTTP/1.1 400 Bad Request"), bad);
            }
        }
        assertEquals(0, api.requests.size());
    }
}
