package dev.ingresskit.examples.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.originca.Pem;
import dev.ingresskit.originca.testserver.Fault;
import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subcommand end to end against the local test CA (no network). */
class OriginCaCommandTest {
    static final String TOKEN = "cli-token-0123456789abcdef";
    static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

    @TempDir
    Path dir;
    OriginCaTestServer server;

    @BeforeEach
    void start() {
        server = OriginCaTestServer.builder().token(TOKEN).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Run(int exit, String out, String err) {
    }

    Run run(Map<String, String> env, String... args) throws Exception {
        OriginCaCommand command = new OriginCaCommand(env::get);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoint");
        all.add(server.baseUri().toString());
        int exit = command.run(Arguments.parse(command.options(), all), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run run(String... args) throws Exception {
        return run(Map.of(OriginCaCommand.TOKEN_VARIABLE, TOKEN), args);
    }

    @Test
    void listShowsEveryCertificateAndSaysWhichIsUnreadable() throws Exception {
        for (String host : List.of("a.example.com", "b.example.com", "c.example.com")) {
            Run issued = run("issue", "--hostname", host, "--validity", "7", "--out", dir.resolve(host).toString());
            assertEquals(0, issued.exit(), issued.err());
        }
        List<String> ids = server.issued().stream().map(OriginCaTestServer.Issued::id).toList();
        server.alterListedField(ids.get(1), "certificate", "");
        server.alterListedField(ids.get(1), "expires_on", OriginCaTestServer.OMIT);

        Run list = run("list", "--zone", ZONE);
        assertEquals(0, list.exit(), list.err());
        List<String> lines = list.out().lines().toList();
        assertEquals(3, lines.size(), list.out());
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).startsWith(ids.get(i) + " "), lines.get(i));
            assertEquals(i == 1, lines.get(i).contains("UNREADABLE"), lines.get(i));
        }
        assertTrue(lines.get(1).matches(java.util.regex.Pattern.quote(ids.get(1))
                + " +\\? +origin-[a-z]+ +b\\.example\\.com  UNREADABLE: field 'certificate': PEM: .+"), lines.get(1));

        List<String> json = run("list", "--zone", ZONE, "--json").out().lines().toList();
        assertEquals(3, json.size());
        assertTrue(json.get(1).contains("\"expires_on\":null,") && json.get(1).contains("\"readable\":false,\"problems\":"
                + "[\"field 'certificate': PEM: "), json.get(1));
        assertTrue(json.get(2).endsWith("\"readable\":true,\"problems\":[]}"), json.get(2));
    }

    @Test
    void issueListGetRevokeRenew() throws Exception {
        Path out = dir.resolve("certs");
        Run issued = run("issue", "--hostname", "www.example.com", "--hostname", "*.example.com", "--type", "ecc",
                "--validity", "90", "--out", out.toString());
        assertEquals(0, issued.exit(), issued.err());
        assertTrue(issued.out().startsWith("issued "), issued.out());
        assertTrue(issued.out().contains("hostnames: www.example.com, *.example.com"), issued.out());
        PrivateKey key = Pem.readPrivateKey(Files.readString(out.resolve("key.pem")));
        X509Certificate cert = Pem.readCertificates(Files.readString(out.resolve("cert.pem"))).getFirst();
        assertEquals("EC", key.getAlgorithm());
        String id = server.issued().getFirst().id();
        assertEquals(server.issued().getFirst().certificate(), cert);
        assertEquals(90, server.issued().getFirst().validityDays());

        Run list = run("list", "--zone", ZONE);
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().startsWith(id + " "), list.out());
        assertTrue(list.out().contains("www.example.com,*.example.com"), list.out());
        Run json = run("list", "--zone", ZONE, "--json");
        assertEquals("{\"id\":\"" + id + "\",\"hostnames\":[\"www.example.com\",\"*.example.com\"],\"expires_on\":\""
                + cert.getNotAfter().toInstant() + "\",\"request_type\":\"origin-ecc\",\"requested_validity\":90,"
                + "\"readable\":true,\"problems\":[]}\n",
                json.out());

        Run get = run("get", id);
        assertEquals(0, get.exit());
        assertTrue(get.out().contains("-----BEGIN CERTIFICATE-----"), get.out());
        assertTrue(get.out().contains("validity:  90 days"), get.out());

        Run unchanged = run("renew", "--dir", out.toString());
        assertEquals(0, unchanged.exit(), unchanged.err());
        assertTrue(unchanged.out().startsWith("unchanged " + id), unchanged.out());
        Run forced = run("renew", "--dir", out.toString(), "--force", "--revoke-replaced");
        assertEquals(0, forced.exit(), forced.err());
        assertTrue(forced.out().startsWith("renewed: " + id + " -> "), forced.out());
        assertTrue(server.issued(id).revokedAt() != null, "--revoke-replaced revoked the old certificate");
        assertEquals(90, server.issued().getLast().validityDays(), "renew keeps the recorded validity");

        String second = server.issued().getLast().id();
        Run revoked = run("revoke", second);
        assertEquals(0, revoked.exit(), revoked.err());
        assertTrue(revoked.out().startsWith("revoked " + second + " at "), revoked.out());
        assertEquals("no certificates in zone " + ZONE + "\n", run("list", "--zone", ZONE).out());
    }

    @Test
    void apiErrorsArePrintedOneALineWithExitOne() throws Exception {
        server.enqueue(Fault.apiErrors(400, List.of(Map.of("code", 1001, "message", "Invalid CSR"),
                Map.of("code", 1004, "message", "Invalid hostname"))));
        Run run = run("issue", "--hostname", "a.example.com", "--out", dir.toString());
        assertEquals(1, run.exit());
        List<String> lines = run.err().lines().toList();
        assertEquals("error 1001: Invalid CSR", lines.get(0));
        assertEquals("error 1004: Invalid hostname", lines.get(1));
        assertTrue(lines.get(2).startsWith("cf-ray: "), run.err());

        Run missing = run("get", "404404");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("error 1005: Certificate not found\n"), missing.err());
    }

    @Test
    void tokenFromFileIsTrimmedAndNeverPrinted() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Run ok = run(Map.of(), "list", "--zone", ZONE, "--token-file", tokenFile.toString());
        assertEquals(0, ok.exit(), ok.err());
        Files.writeString(tokenFile, "wrong-secret-token\n");
        Run denied = run(Map.of(), "list", "--zone", ZONE, "--token-file", tokenFile.toString());
        assertEquals(1, denied.exit());
        assertEquals("error 10000: Authentication error", denied.err().lines().findFirst().orElseThrow());
        assertFalse(denied.err().contains("wrong-secret"), denied.err());
    }

    @Test
    void usageErrors() {
        UsageException noToken = assertThrows(UsageException.class, () -> run(Map.of(), "list", "--zone", ZONE));
        assertTrue(noToken.getMessage().contains("CLOUDFLARE_API_TOKEN"));
        assertThrows(UsageException.class, () -> run("issue", "--out", dir.toString()));
        assertThrows(UsageException.class, () -> run("issue", "--hostname", "a.example.com", "--out", dir.toString(),
                "--validity", "100"));
        assertThrows(UsageException.class, () -> run("issue", "--hostname", "10.0.0.1", "--out", dir.toString()));
        assertThrows(UsageException.class, () -> run("get"));
        assertThrows(UsageException.class, () -> run("frobnicate"));
        assertThrows(UsageException.class, () -> run("renew", "--dir", dir.resolve("nothing").toString()));
        assertEquals(0, server.requests().size(), "nothing reached the API");
    }

    @Test
    void registeredInMain() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.lang.reflect.Method run = dev.ingresskit.examples.Main.class.getDeclaredMethod("run", List.class,
                PrintStream.class, PrintStream.class);
        run.setAccessible(true);
        int exit = (int) run.invoke(null, List.of("origin-ca", "list", "--zone", ZONE, "--token-file", tokenFile.toString(),
                "--endpoint", server.baseUri().toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, exit);
        assertEquals("no certificates in zone " + ZONE + "\n", out.toString(StandardCharsets.UTF_8));
    }
}
