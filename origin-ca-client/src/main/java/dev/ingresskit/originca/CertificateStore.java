package dev.ingresskit.originca;

import dev.ingresskit.originca.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files of a {@link RenewalManager}, laid out so that the key and certificate change together:
 *
 * <pre>
 * DIR/key.pem        -> live/key.pem        (symbolic links, created once)
 * DIR/cert.pem       -> live/cert.pem
 * DIR/metadata.json  -> live/metadata.json
 * DIR/live           -> .gen-000007         (replaced by one atomic rename)
 * DIR/.gen-000007/   key.pem (0600), cert.pem, metadata.json
 * </pre>
 *
 * A new pair is written into a fresh generation directory, each file fsynced, the directory
 * fsynced, and only then does one {@code rename(2)} of the {@code live} link switch readers from
 * the old pair to the new. A crash at any point leaves either the old pair or the new one, never a
 * mix or a partial file; leftover generations are removed on the next write.
 */
final class CertificateStore {
    static final String LIVE = "live";
    static final String GENERATION_PREFIX = ".gen-";
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    /** Test seam: called after each step of a write, so a test can stop the write there. */
    interface Steps {
        void reached(String step) throws IOException;

        Steps NONE = step -> {
        };
    }

    /** What is on disk now. */
    record Stored(PrivateKey key, List<X509Certificate> chain, Metadata metadata) {
    }

    /** The small metadata file: what was asked for and what was issued. */
    record Metadata(String id, List<String> hostnames, RequestType requestType, KeyAlgorithm keyAlgorithm,
            int validityDays, Instant notBefore, Instant notAfter, Instant issuedAt) {
        String toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("hostnames", hostnames);
            json.put("request_type", requestType.wireName());
            json.put("key_algorithm", keyAlgorithm.name());
            json.put("requested_validity", validityDays);
            json.put("not_before", notBefore.toString());
            json.put("not_after", notAfter.toString());
            json.put("issued_at", issuedAt.toString());
            return Json.write(json) + "\n";
        }

        static Metadata fromJson(String text) {
            Map<String, Object> json = Responses.object(Json.parse(text), "metadata");
            return new Metadata(Responses.requiredString(json, "id"), Responses.stringList(json, "hostnames"),
                    RequestType.fromWire(Responses.requiredString(json, "request_type")),
                    KeyAlgorithm.valueOf(Responses.requiredString(json, "key_algorithm")),
                    Responses.validityDays(json.get("requested_validity")),
                    Instant.parse(Responses.requiredString(json, "not_before")),
                    Instant.parse(Responses.requiredString(json, "not_after")),
                    Instant.parse(Responses.requiredString(json, "issued_at")));
        }
    }

    private final Path directory;
    private final Steps steps;

    CertificateStore(Path directory, Steps steps) {
        this.directory = directory;
        this.steps = steps;
    }

    Path directory() {
        return directory;
    }

    /** Metadata alone (when present and readable), e.g. to learn the hostnames to renew. */
    Optional<Metadata> metadata() {
        try {
            return Optional.of(Metadata.fromJson(Files.readString(directory.resolve(RenewalManager.METADATA_FILE))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The stored pair, or a reason why there is no usable one (missing file, unreadable PEM, key
     * and certificate that do not match).
     */
    Lookup load() {
        Path base;
        try {
            base = currentBase(directory);
        } catch (IOException e) {
            return Lookup.missing("cannot read the live link: " + e.getMessage());
        }
        Path keyFile = base.resolve(RenewalManager.KEY_FILE);
        Path certFile = base.resolve(RenewalManager.CERT_FILE);
        Path metaFile = base.resolve(RenewalManager.METADATA_FILE);
        for (Path file : List.of(keyFile, certFile, metaFile)) {
            if (!Files.isRegularFile(file)) {
                return Lookup.missing(file.getFileName() + " is missing");
            }
        }
        try {
            PrivateKey key = Pem.readPrivateKey(Files.readString(keyFile));
            List<X509Certificate> chain = Pem.readCertificates(Files.readString(certFile));
            Metadata metadata = Metadata.fromJson(Files.readString(metaFile));
            if (!ReloadingKeyManager.matches(key, chain.getFirst().getPublicKey())) {
                return Lookup.missing("key.pem does not belong to the certificate in cert.pem");
            }
            return new Lookup(new Stored(key, chain, metadata), null);
        } catch (IOException | RuntimeException e) {
            return Lookup.missing("stored files are unreadable: " + e.getMessage());
        }
    }

    /**
     * Where the current files are: the generation {@code live} points to, resolved once so that the
     * key and certificate are read from the same generation even while a swap happens; the directory
     * itself when there is no {@code live} link (files put there by hand).
     */
    static Path currentBase(Path directory) throws IOException {
        Path live = directory.resolve(LIVE);
        return Files.isSymbolicLink(live) ? directory.resolve(Files.readSymbolicLink(live)) : directory;
    }

    record Lookup(Stored stored, String problem) {
        static Lookup missing(String problem) {
            return new Lookup(null, problem);
        }
    }

    /** Writes a new generation and switches {@code live} to it; see the class comment. */
    void write(PrivateKey key, String chainPem, Metadata metadata) throws IOException {
        Files.createDirectories(directory);
        Path generation = newGeneration();
        writeFile(generation.resolve(RenewalManager.KEY_FILE), Pem.privateKey(key), true);
        writeFile(generation.resolve(RenewalManager.CERT_FILE), chainPem, false);
        writeFile(generation.resolve(RenewalManager.METADATA_FILE), metadata.toJson(), false);
        fsyncDirectory(generation);
        steps.reached("generation synced");

        Path tmpLink = directory.resolve(".live.tmp");
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, generation.getFileName());
        steps.reached("temporary link");
        atomicRename(tmpLink, directory.resolve(LIVE));
        fsyncDirectory(directory);
        steps.reached("live switched");
        for (String name : List.of(RenewalManager.KEY_FILE, RenewalManager.CERT_FILE, RenewalManager.METADATA_FILE)) {
            ensureLink(name);
        }
        fsyncDirectory(directory);
        steps.reached("links");
        removeStaleGenerations(generation.getFileName().toString());
    }

    private Path newGeneration() throws IOException {
        long next = 1;
        for (Path existing : generations()) {
            next = Math.max(next, number(existing) + 1);
        }
        while (true) {
            Path candidate = directory.resolve(String.format("%s%06d", GENERATION_PREFIX, next));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                next++;
            }
        }
    }

    private void writeFile(Path file, String content, boolean secret) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        List<FileAttribute<?>> attributes = new ArrayList<>();
        if (secret && supportsPosix()) {
            // Created 0600, never readable by others even for an instant.
            attributes.add(PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes.toArray(FileAttribute[]::new))) {
            int half = bytes.length / 2;
            writeFully(channel, ByteBuffer.wrap(bytes, 0, half));
            steps.reached(file.getFileName() + " half written");
            writeFully(channel, ByteBuffer.wrap(bytes, half, bytes.length - half));
            channel.force(true);
        }
        if (secret && supportsPosix()) {
            // The umask cannot widen 0600, but make it explicit in case the file system ignored the attribute.
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        steps.reached(file.getFileName() + " written");
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private void ensureLink(String name) throws IOException {
        Path link = directory.resolve(name);
        Path target = Path.of(LIVE, name);
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        // A regular file from an older layout (or a wrong link) is replaced atomically too.
        Path tmp = directory.resolve("." + name + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, target);
        atomicRename(tmp, link);
    }

    private static void atomicRename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically; "
                    + "the key and certificate could be seen half-replaced, so nothing was changed", e);
        }
    }

    private void removeStaleGenerations(String keep) throws IOException {
        for (Path generation : generations()) {
            if (!generation.getFileName().toString().equals(keep)) {
                deleteTree(generation);
            }
        }
        Files.deleteIfExists(directory.resolve(".live.tmp"));
    }

    /** Deletes generations that {@code live} does not point to (call only under the manager's lock). */
    void removeStaleGenerations() throws IOException {
        for (Path stale : staleGenerations()) {
            deleteTree(stale);
        }
        Files.deleteIfExists(directory.resolve(".live.tmp"));
    }

    /** Generation directories that {@code live} does not point to: leftovers of interrupted writes. */
    List<Path> staleGenerations() throws IOException {
        Path live = directory.resolve(LIVE);
        String current = Files.isSymbolicLink(live) ? Files.readSymbolicLink(live).getFileName().toString() : "";
        return generations().stream().filter(g -> !g.getFileName().toString().equals(current)).toList();
    }

    private List<Path> generations() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, GENERATION_PREFIX + "*")) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && number(entry) > 0) {
                    out.add(entry);
                }
            }
        }
        out.sort(Comparator.comparingLong(CertificateStore::number));
        return out;
    }

    private static long number(Path generation) {
        try {
            return Long.parseLong(generation.getFileName().toString().substring(GENERATION_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        } catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(dir);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the renames are still atomic there.
        }
    }

    private boolean supportsPosix() {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
