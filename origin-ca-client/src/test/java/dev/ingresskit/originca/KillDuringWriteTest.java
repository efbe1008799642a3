package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.testserver.OriginCaTestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real kill: a child JVM renews the directory and is stopped with SIGKILL while it is in the
 * middle of the write (parked at a step); the directory must still hold a complete, matching pair,
 * and the next manager must carry on from it.
 */
class KillDuringWriteTest {
    static final String TOKEN = "kill-token-0123456789";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIGKILL at: {0}")
    @ValueSource(strings = {"key.pem half written", "cert.pem half written", "generation synced", "live switched"})
    void sigkillMidWriteLeavesACompletePair(String step) throws Exception {
        try (OriginCaTestServer server = OriginCaTestServer.builder().token(TOKEN).start()) {
            OriginCaClient client = OriginCaClient.builder().apiToken(TOKEN).baseUri(server.baseUri()).build();
            RenewalResult first = RenewalManager.builder().client(client).directory(dir)
                    .hostnames(List.of("kill.example.com")).validity(Validity.DAYS_7).build().checkOnce();

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    KillDuringWriteTest.class.getName() + "$Child", server.baseUri().toString(), dir.toString(), step)
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("PARKED " + step)) {
                    // the child's other output, if any
                }
                assertEquals("PARKED " + step, line, "the child never reached the step");
            } finally {
                child.destroyForcibly(); // SIGKILL on Linux: no finally blocks, no shutdown hooks
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(137, child.exitValue(), "killed by SIGKILL");

            PrivateKey key = Pem.readPrivateKey(Files.readString(dir.resolve("key.pem")));
            X509Certificate cert = Pem.readCertificates(Files.readString(dir.resolve("cert.pem"))).getFirst();
            assertTrue(ReloadingKeyManager.matches(key, cert.getPublicKey()), "a complete, matching pair");
            if (step.equals("live switched")) {
                assertNotEquals(first.certificate(), cert);
            } else {
                assertEquals(first.certificate(), cert);
            }
            RenewalResult next = RenewalManager.builder().client(client).directory(dir).build().checkOnce();
            assertEquals(RenewalResult.Action.UNCHANGED, next.action());
            assertTrue(new CertificateStore(dir, CertificateStore.Steps.NONE).staleGenerations().isEmpty());
        }
    }

    /** The process that gets killed: forces a renewal and parks at the named step. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String step = args[2];
            OriginCaClient client = OriginCaClient.builder().apiToken(TOKEN).baseUri(java.net.URI.create(args[0])).build();
            RenewalManager manager = RenewalManager.builder().client(client).directory(Path.of(args[1]))
                    .steps(reached -> {
                        if (reached.equals(step)) {
                            System.out.println("PARKED " + step);
                            System.out.flush();
                            try {
                                Thread.sleep(Long.MAX_VALUE);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }).build();
            manager.renewNow();
        }
    }
}
