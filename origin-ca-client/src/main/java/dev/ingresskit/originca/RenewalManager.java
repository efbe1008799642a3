package dev.ingresskit.originca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Keeps an Origin CA key and certificate current in a directory — what cert-manager does for
 * Kubernetes, for any JVM service. {@link #checkOnce()} issues a certificate when there is none,
 * renews it once {@code renewAtFraction} of its lifetime has passed (2/3 by default) or when the
 * configured hostnames or key algorithm changed, and otherwise does nothing. Files are replaced
 * atomically (see the module README for the layout): {@code key.pem} (PKCS#8, mode 0600),
 * {@code cert.pem} (the chain the API returned) and {@code metadata.json}. The old pair stays on
 * disk and in service until the new pair is complete.
 *
 * <p>{@link #keyManager()} (and {@link #sslContext()}) serve the current pair and switch to a new
 * one as soon as it is installed. {@link #start(Duration)} runs checks in a background thread;
 * without it, call {@link #checkOnce()} from your own scheduler. Thread-safe; checks are also
 * serialised across processes by a lock file.
 */
public final class RenewalManager implements AutoCloseable {
    public static final String KEY_FILE = "key.pem";
    public static final String CERT_FILE = "cert.pem";
    public static final String METADATA_FILE = "metadata.json";
    static final String LOCK_FILE = ".lock";
    private static final System.Logger LOG = System.getLogger(RenewalManager.class.getName());

    private final OriginCaClient client;
    private final CertificateStore store;
    private final List<String> configuredHostnames;
    private final KeyAlgorithm configuredAlgorithm;
    private final Validity configuredValidity;
    private final double renewAtFraction;
    private final boolean revokeReplaced;
    private final Clock clock;
    private final RenewalListener listener;
    private final ReloadingKeyManager keyManager = ReloadingKeyManager.empty();
    private final Object checkLock = new Object();
    private Thread loop;
    private volatile boolean closed;

    private RenewalManager(Builder b) {
        this.client = b.client;
        this.store = new CertificateStore(b.directory, b.steps);
        this.configuredHostnames = b.hostnames;
        this.configuredAlgorithm = b.keyAlgorithm;
        this.configuredValidity = b.validity;
        this.renewAtFraction = b.renewAtFraction;
        this.revokeReplaced = b.revokeReplaced;
        this.clock = b.clock;
        this.listener = b.listener;
        CertificateStore.Lookup existing = store.load();
        if (existing.stored() != null) {
            keyManager.update(existing.stored().key(), existing.stored().chain());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Issues or renews if due, installs the new pair, and reports what it did. Failures leave the
     * current pair untouched and are reported to the listener too.
     *
     * @throws OriginCaException when the API call fails
     * @throws UncheckedIOException when the files cannot be read or written
     */
    public RenewalResult checkOnce() {
        return check(false);
    }

    /**
     * Issues a new pair now, whether or not one is due (e.g. after a key compromise); otherwise like
     * {@link #checkOnce()}.
     */
    public RenewalResult renewNow() {
        return check(true);
    }

    private RenewalResult check(boolean force) {
        synchronized (checkLock) {
            try {
                RenewalResult result = checkLocked(force);
                if (result.changed()) {
                    listener.onRenewed(result);
                } else {
                    listener.onUnchanged(result);
                }
                return result;
            } catch (RuntimeException e) {
                listener.onFailure(e);
                throw e;
            }
        }
    }

    private RenewalResult checkLocked(boolean force) {
        try {
            Files.createDirectories(store.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + store.directory(), e);
        }
        try (FileChannel lockChannel = FileChannel.open(store.directory().resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lockChannel.lock();
            try {
                return decideAndAct(force);
            } finally {
                lock.release();
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("another RenewalManager in this JVM manages " + store.directory(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("renewal in " + store.directory() + " failed: " + e.getMessage(), e);
        }
    }

    private RenewalResult decideAndAct(boolean force) throws IOException {
        // Under the lock no one else is writing: any generation live does not name is a leftover.
        store.removeStaleGenerations();
        CertificateStore.Lookup lookup = store.load();
        Optional<CertificateStore.Metadata> previousMetadata = lookup.stored() != null
                ? Optional.of(lookup.stored().metadata()) : store.metadata();
        List<String> hostnames = configuredHostnames != null ? configuredHostnames
                : previousMetadata.map(CertificateStore.Metadata::hostnames).orElseThrow(() -> new IllegalStateException(
                        "no hostnames configured and no metadata.json in " + store.directory() + " to take them from"));
        KeyAlgorithm algorithm = configuredAlgorithm != null ? configuredAlgorithm
                : previousMetadata.map(CertificateStore.Metadata::keyAlgorithm).orElse(KeyAlgorithm.EC_P256);
        Validity validity = configuredValidity != null ? configuredValidity
                : previousMetadata.map(m -> validityOrDefault(m.validityDays())).orElse(Validity.DAYS_5475);
        Instant now = clock.instant();

        if (lookup.stored() == null) {
            return install(RenewalResult.Action.ISSUED, lookup.problem(), hostnames, algorithm, validity, null);
        }
        CertificateStore.Stored stored = lookup.stored();
        X509Certificate leaf = stored.chain().getFirst();
        Instant renewAt = renewAt(leaf);
        String reason = null;
        if (force) {
            reason = "renewal requested";
        } else if (!stored.metadata().hostnames().equals(hostnames)) {
            reason = "hostnames changed from " + stored.metadata().hostnames() + " to " + hostnames;
        } else if (stored.metadata().keyAlgorithm() != algorithm) {
            reason = "key algorithm changed from " + stored.metadata().keyAlgorithm() + " to " + algorithm;
        } else if (!now.isBefore(leaf.getNotAfter().toInstant())) {
            reason = "the certificate expired at " + leaf.getNotAfter().toInstant();
        } else if (!now.isBefore(renewAt)) {
            reason = "renewal was due at " + renewAt + " (" + fractionText() + " of the lifetime)";
        }
        if (reason == null) {
            if (!keyManager.currentChain().equals(stored.chain())) {
                keyManager.update(stored.key(), stored.chain()); // written by another process
            }
            return new RenewalResult(RenewalResult.Action.UNCHANGED, "valid until " + leaf.getNotAfter().toInstant()
                    + ", renewal due at " + renewAt, stored.chain(), stored.metadata().id(), renewAt, Optional.empty(),
                    Optional.empty());
        }
        return install(RenewalResult.Action.RENEWED, reason, hostnames, algorithm, validity, stored.metadata().id());
    }

    private RenewalResult install(RenewalResult.Action action, String reason, List<String> hostnames,
            KeyAlgorithm algorithm, Validity validity, String replacedId) throws IOException {
        KeyPair keys = algorithm.generate();
        CertificateSigningRequest csr = CertificateSigningRequest.create(keys, hostnames);
        OriginCertificate issued = client.create(csr, validity);
        if (!ReloadingKeyManager.matches(keys.getPrivate(), issued.certificate().getPublicKey())) {
            throw new IllegalStateException("the CA returned certificate " + issued.id() + " for a different key");
        }
        X509Certificate leaf = issued.certificate();
        CertificateStore.Metadata metadata = new CertificateStore.Metadata(issued.id(), csr.hostnames(),
                csr.requestType(), algorithm, validity.days(), leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant(), clock.instant());
        store.write(keys.getPrivate(), Pem.certificates(issued.chain()), metadata);
        keyManager.update(keys.getPrivate(), issued.chain());
        LOG.log(System.Logger.Level.INFO, "{0} certificate {1} for {2} in {3}: {4}", action, issued.id(),
                csr.hostnames(), store.directory(), reason);

        Optional<OriginCaException> revokeFailure = Optional.empty();
        if (replacedId != null && revokeReplaced && !replacedId.equals(issued.id())) {
            try {
                client.revoke(replacedId);
            } catch (OriginCaException e) {
                // The new pair is installed; a failed revoke is reported, not fatal.
                revokeFailure = Optional.of(e);
            }
        }
        return new RenewalResult(action, reason, issued.chain(), issued.id(), renewAt(leaf),
                Optional.ofNullable(replacedId), revokeFailure);
    }

    private static Validity validityOrDefault(int days) {
        try {
            return Validity.ofDays(days);
        } catch (IllegalArgumentException e) {
            return Validity.DAYS_5475;
        }
    }

    /** notBefore + fraction × (notAfter − notBefore). */
    private Instant renewAt(X509Certificate leaf) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, leaf.getNotAfter().toInstant());
        return notBefore.plusMillis((long) (lifetime.toMillis() * renewAtFraction));
    }

    private String fractionText() {
        return Math.abs(renewAtFraction - 2.0 / 3) < 1e-9 ? "2/3" : String.valueOf(renewAtFraction);
    }

    /** Serves the current pair; switches to each new pair as it is installed. */
    public ReloadingKeyManager keyManager() {
        return keyManager;
    }

    /** A TLS context over {@link #keyManager()}: build it once, it follows renewals. */
    public SSLContext sslContext() {
        return keyManager.newSslContext();
    }

    /** The directory this manager keeps. */
    public Path directory() {
        return store.directory();
    }

    /**
     * Runs {@link #checkOnce()} now and then every {@code interval} in a daemon thread, reporting
     * to the listener, until {@link #close()}. The interval should be much shorter than the
     * certificate's lifetime × (1 − renewAtFraction) so that a failed check is retried in time.
     */
    public synchronized void start(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        loop = Thread.ofPlatform().daemon().name("origin-ca-renewal " + store.directory().getFileName()).start(() -> {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                try {
                    checkOnce();
                } catch (RuntimeException e) {
                    // already reported to the listener by checkOnce
                    LOG.log(System.Logger.Level.WARNING, "renewal check in {0} failed: {1}", store.directory(),
                            e.getMessage());
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops the background loop (waiting for a running check to finish). Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = loop;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "RenewalManager[" + store.directory() + ", " + (configuredHostnames == null ? "hostnames from metadata"
                : configuredHostnames) + ", " + (configuredValidity == null ? "validity from metadata"
                : configuredValidity.days() + " days") + ", renew at " + fractionText() + "]";
    }

    /** Collects the manager's settings; each setter checks its argument. */
    public static final class Builder {
        private OriginCaClient client;
        private Path directory;
        private List<String> hostnames;
        private KeyAlgorithm keyAlgorithm;
        private Validity validity;
        private Validity.Choice validityChoice;
        private double renewAtFraction = 2.0 / 3;
        private boolean revokeReplaced;
        private Clock clock = Clock.systemUTC();
        private RenewalListener listener = new RenewalListener() {
        };
        private CertificateStore.Steps steps = CertificateStore.Steps.NONE;

        private Builder() {
        }

        public Builder client(OriginCaClient client) {
            if (client == null) {
                throw new IllegalArgumentException("client is required");
            }
            this.client = client;
            return this;
        }

        /** The directory holding key.pem, cert.pem and metadata.json (created when missing). */
        public Builder directory(Path directory) {
            if (directory == null) {
                throw new IllegalArgumentException("directory is required");
            }
            this.directory = directory.toAbsolutePath().normalize();
            return this;
        }

        /**
         * The hostnames to cover (normalised as {@link Hostnames} does). When not set, the
         * hostnames recorded in metadata.json are renewed.
         */
        public Builder hostnames(Collection<String> hostnames) {
            this.hostnames = Hostnames.normalize(hostnames);
            return this;
        }

        /** The key to generate; by default what metadata.json records, else P-256. */
        public Builder keyAlgorithm(KeyAlgorithm algorithm) {
            if (algorithm == null) {
                throw new IllegalArgumentException("key algorithm is required");
            }
            this.keyAlgorithm = algorithm;
            return this;
        }

        /**
         * The validity to request; when not set, what metadata.json records, else 5475 days (the
         * API's default).
         */
        public Builder validity(Validity validity) {
            if (validity == null) {
                throw new IllegalArgumentException("validity is required");
            }
            this.validity = validity;
            this.validityChoice = null;
            return this;
        }

        /**
         * The validity nearest to {@code requested}; {@link #validityChoice()} tells what was chosen.
         */
        public Builder validity(Duration requested) {
            this.validityChoice = Validity.nearest(requested);
            this.validity = validityChoice.chosen();
            return this;
        }

        /** How a requested {@link Duration} was mapped, when {@link #validity(Duration)} was used. */
        public Optional<Validity.Choice> validityChoice() {
            return Optional.ofNullable(validityChoice);
        }

        /** Renew once this fraction of the lifetime has passed: in (0, 1), 2/3 by default. */
        public Builder renewAtFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("renewAtFraction must be in (0, 1), got " + fraction);
            }
            this.renewAtFraction = fraction;
            return this;
        }

        /** Revoke the replaced certificate after a renewal (off by default). */
        public Builder revokeReplaced(boolean revoke) {
            this.revokeReplaced = revoke;
            return this;
        }

        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock is required");
            }
            this.clock = clock;
            return this;
        }

        public Builder listener(RenewalListener listener) {
            if (listener == null) {
                throw new IllegalArgumentException("listener is required");
            }
            this.listener = listener;
            return this;
        }

        Builder steps(CertificateStore.Steps steps) {
            this.steps = steps;
            return this;
        }

        public RenewalManager build() {
            if (client == null || directory == null) {
                throw new IllegalArgumentException("client(...) and directory(...) are required");
            }
            return new RenewalManager(this);
        }
    }
}
