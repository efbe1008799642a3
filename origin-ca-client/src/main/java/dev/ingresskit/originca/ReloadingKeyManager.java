package dev.ingresskit.originca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server-side key manager whose key and chain can be replaced while it serves: each TLS
 * handshake picks the pair that is current when it starts, so an {@link SSLContext} built once
 * with {@link #newSslContext()} serves a renewed certificate without a restart.
 *
 * <p>The alias names the pair's generation, and the previous pair stays resolvable, so a handshake
 * that chose its alias just before a swap still gets a matching key and chain. Thread-safe.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS_PREFIX = "origin-ca-";

    private record Pair(long generation, PrivateKey key, X509Certificate[] chain) {
        String alias() {
            return ALIAS_PREFIX + generation;
        }
    }

    private final Path directory;
    private final Object lock = new Object();
    private volatile Pair current;
    private volatile Pair previous;

    private ReloadingKeyManager(Path directory) {
        this.directory = directory;
    }

    /** An empty key manager: it offers no certificate until {@link #update} is called. */
    public static ReloadingKeyManager empty() {
        return new ReloadingKeyManager(null);
    }

    /**
     * A key manager serving {@code key.pem} and {@code cert.pem} from {@code directory} (the
     * {@link RenewalManager} layout); {@link #reload()} re-reads them. Throws when they are absent or
     * do not match.
     */
    public static ReloadingKeyManager fromDirectory(Path directory) {
        ReloadingKeyManager manager = new ReloadingKeyManager(directory);
        manager.reload();
        return manager;
    }

    /**
     * Re-reads the directory's pair and serves it when it differs from the current one. A pair that
     * is incomplete or whose key does not match its certificate is refused with an exception, and
     * the current pair stays in service.
     *
     * @return whether a new pair is now served
     */
    public boolean reload() {
        if (directory == null) {
            throw new IllegalStateException("this key manager was not created from a directory");
        }
        try {
            Path base = CertificateStore.currentBase(directory);
            PrivateKey key = Pem.readPrivateKey(Files.readString(base.resolve(RenewalManager.KEY_FILE)));
            List<X509Certificate> chain = Pem.readCertificates(Files.readString(base.resolve(RenewalManager.CERT_FILE)));
            Pair now = current;
            if (now != null && now.key().equals(key) && Arrays.equals(now.chain(), chain.toArray())) {
                return false;
            }
            update(key, chain);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key pair in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Serves {@code key} with {@code chain} (leaf first) from the next handshake on.
     *
     * @throws IllegalArgumentException when the key does not belong to the leaf certificate
     */
    public void update(PrivateKey key, List<X509Certificate> chain) {
        if (key == null || chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a key and at least the leaf certificate are required");
        }
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + chain.getFirst().getSubjectX500Principal());
        }
        synchronized (lock) {
            Pair old = current;
            previous = old;
            current = new Pair(old == null ? 1 : old.generation() + 1, key, chain.toArray(X509Certificate[]::new));
        }
    }

    /** The chain served now, leaf first; empty before the first pair. */
    public List<X509Certificate> currentChain() {
        Pair now = current;
        return now == null ? List.of() : List.of(now.chain());
    }

    /** A TLS context whose handshakes use this key manager (and the JDK's default trust). */
    public SSLContext newSslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {this}, null, new SecureRandom());
            return context;
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("this JDK has no usable TLS context", e);
        }
    }

    /** Whether {@code key} is the private half of {@code publicKey}: a signature made by one verifies with the other. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            String algorithm = KeyAlgorithm.signatureAlgorithm(key);
            byte[] probe = "ingresskit key match probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private Optional<Pair> pair(String alias) {
        Pair now = current;
        if (now != null && now.alias().equals(alias)) {
            return Optional.of(now);
        }
        Pair before = previous;
        if (before != null && before.alias().equals(alias)) {
            return Optional.of(before);
        }
        return Optional.empty();
    }

    private String serverAlias(String keyType) {
        Pair now = current;
        if (now == null || keyType == null) {
            return null;
        }
        // The JDK asks per key type ("RSA", "EC", "RSASSA-PSS", or "EC_EC"-style pairs in TLS 1.2).
        String algorithm = now.key().getAlgorithm();
        boolean fits = keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")
                || (algorithm.equals("RSA") && keyType.equals("RSASSA-PSS"));
        return fits ? now.alias() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return serverAlias(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return serverAlias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = serverAlias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return pair(alias).map(p -> p.chain().clone()).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return pair(alias).map(Pair::key).orElse(null);
    }

    /** Origin certificates are server certificates: no client aliases. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String toString() {
        Pair now = current;
        return "ReloadingKeyManager[" + (now == null ? "empty" : now.alias() + " "
                + now.chain()[0].getSubjectX500Principal() + " until " + now.chain()[0].getNotAfter().toInstant()) + "]";
    }
}
