package dev.ingresskit.examples.originca;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.originca.ApiError;
import dev.ingresskit.originca.KeyAlgorithm;
import dev.ingresskit.originca.ListedCertificate;
import dev.ingresskit.originca.OriginCaClient;
import dev.ingresskit.originca.OriginCaException;
import dev.ingresskit.originca.OriginCertificate;
import dev.ingresskit.originca.RenewalManager;
import dev.ingresskit.originca.RenewalResult;
import dev.ingresskit.originca.Revocation;
import dev.ingresskit.originca.Validity;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code ingresskit origin-ca issue|list|get|revoke|renew}: Cloudflare Origin CA certificates from
 * the command line, written to a directory that {@code renew} (or a {@link RenewalManager} in a
 * service) keeps current. The token comes from {@code CLOUDFLARE_API_TOKEN} or {@code --token-file};
 * {@code --endpoint} points it at another API base (a local test CA, say).
 */
public final class OriginCaCommand implements Subcommand {
    static final String TOKEN_VARIABLE = "CLOUDFLARE_API_TOKEN";
    private static final Options OPTIONS = Options.builder("issue|list|get|revoke|renew [ID] [options]")
            .values("--hostname", "H", "issue: a hostname to cover (repeat for more; *.example.com for a wildcard)")
            .value("--type", "rsa|ecc", "issue: key and request type (default rsa: RSA-2048; ecc: P-256)")
            .value("--validity", "DAYS", "issue: 7, 30, 90, 365, 730, 1095 or 5475 (default 5475)")
            .value("--out", "DIR", "issue: directory for key.pem, cert.pem and metadata.json")
            .value("--zone", "ZONE", "list: the zone id whose certificates to list")
            .flag("--json", "list: one JSON object a line instead of a table")
            .value("--dir", "DIR", "renew: a directory written by issue; renews when 2/3 of the lifetime has passed")
            .flag("--force", "renew: renew even when not due")
            .flag("--revoke-replaced", "renew: revoke the certificate that was replaced")
            .value("--token-file", "FILE", "read the API token from FILE instead of $" + TOKEN_VARIABLE)
            .value("--endpoint", "URL", "API base (default " + OriginCaClient.DEFAULT_BASE_URI + ")")
            .build();

    private final Function<String, String> environment;

    public OriginCaCommand() {
        this(System::getenv);
    }

    OriginCaCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "origin-ca";
    }

    @Override
    public String summary() {
        return "issue, list, get, revoke and renew Cloudflare Origin CA certificates";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) throws Exception {
        List<String> words = arguments.positionals();
        if (words.isEmpty()) {
            throw new UsageException("say what to do: issue, list, get ID, revoke ID or renew");
        }
        String action = words.getFirst();
        int expected = action.equals("get") || action.equals("revoke") ? 2 : 1;
        if (words.size() != expected) {
            throw new UsageException(expected == 2 ? action + " takes one certificate id"
                    : "unexpected argument '" + words.get(1) + "'");
        }
        try {
            return switch (action) {
                case "issue" -> issue(arguments, out);
                case "list" -> list(arguments, out);
                case "get" -> get(arguments, words.get(1), out);
                case "revoke" -> revoke(arguments, words.get(1), out);
                case "renew" -> renew(arguments, out);
                default -> throw new UsageException("unknown action '" + action + "' (issue, list, get, revoke, renew)");
            };
        } catch (OriginCaException e) {
            report(e, err);
            return 1;
        }
    }

    /** The API's errors one a line (code and message), else the exception's own message. */
    static void report(OriginCaException e, PrintStream err) {
        if (e.errors().isEmpty()) {
            err.println("error: " + e.getMessage());
        } else {
            for (ApiError error : e.errors()) {
                err.println("error " + error.code() + ": " + error.message());
            }
        }
        e.rayId().ifPresent(ray -> err.println("cf-ray: " + ray));
    }

    private int issue(Arguments arguments, PrintStream out) throws Exception {
        List<String> hostnames = arguments.values("--hostname");
        if (hostnames.isEmpty()) {
            throw new UsageException("issue needs at least one --hostname");
        }
        Path dir = Path.of(arguments.required("--out"));
        KeyAlgorithm algorithm = switch (arguments.value("--type").orElse("rsa").toLowerCase(Locale.ROOT)) {
            case "rsa" -> KeyAlgorithm.RSA_2048;
            case "ecc", "ec" -> KeyAlgorithm.EC_P256;
            default -> throw new UsageException("--type: expected rsa or ecc, got '" + arguments.value("--type").get() + "'");
        };
        Validity validity = validity(arguments.intValue("--validity", 5475));
        RenewalManager manager;
        try {
            manager = RenewalManager.builder().client(client(arguments)).directory(dir).hostnames(hostnames)
                    .keyAlgorithm(algorithm).validity(validity).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        RenewalResult result = manager.renewNow();
        out.println((result.action() == RenewalResult.Action.ISSUED ? "issued " : "replaced " + result.replacedId()
                .orElse("") + " with ") + result.certificateId());
        out.println("  hostnames: " + String.join(", ", dnsNames(result)));
        out.println("  expires:   " + result.certificate().getNotAfter().toInstant());
        out.println("  renew at:  " + result.renewAt());
        out.println("  files:     " + manager.directory().resolve(RenewalManager.KEY_FILE) + ", "
                + manager.directory().resolve(RenewalManager.CERT_FILE));
        return 0;
    }

    private int list(Arguments arguments, PrintStream out) throws Exception {
        String zone = arguments.required("--zone");
        boolean json = arguments.has("--json");
        OriginCaClient client = client(arguments);
        int count = 0;
        // An item the client could not fully read is listed all the same, saying what was unreadable.
        for (Iterator<ListedCertificate> it = client.list(zone).iterator(); it.hasNext(); count++) {
            ListedCertificate c = it.next();
            if (json) {
                out.println("{\"id\":" + quote(c.id()) + ",\"hostnames\":[" + String.join(",",
                        c.hostnames().stream().map(OriginCaCommand::quote).toList()) + "],\"expires_on\":"
                        + c.expiresOn().map(t -> quote(t.toString())).orElse("null") + ",\"request_type\":"
                        + quote(c.requestType()) + ",\"requested_validity\":" + c.requestedValidityDays()
                        + ",\"readable\":" + c.isReadable() + ",\"problems\":[" + String.join(",",
                        c.problems().stream().map(OriginCaCommand::quote).toList()) + "]}");
            } else {
                out.printf("%-48s %-20s %-10s %s%s%n", c.id(), c.expiresOn().map(Object::toString).orElse("?"),
                        c.requestType(), String.join(",", c.hostnames()),
                        c.isReadable() ? "" : "  UNREADABLE: " + String.join("; ", c.problems()));
            }
        }
        if (!json && count == 0) {
            out.println("no certificates in zone " + zone);
        }
        return 0;
    }

    private int get(Arguments arguments, String id, PrintStream out) throws Exception {
        OriginCertificate c = client(arguments).get(checkedId(id));
        out.println("id:        " + c.id());
        out.println("hostnames: " + String.join(", ", c.hostnames()));
        out.println("type:      " + c.requestType().wireName());
        out.println("validity:  " + c.requestedValidityDays() + " days");
        out.println("expires:   " + c.expiresOn());
        c.revokedAt().ifPresent(t -> out.println("revoked:   " + t));
        out.print(c.certificatePem().endsWith("\n") ? c.certificatePem() : c.certificatePem() + "\n");
        return 0;
    }

    private int revoke(Arguments arguments, String id, PrintStream out) throws Exception {
        Revocation revocation = client(arguments).revoke(checkedId(id));
        out.println("revoked " + revocation.id() + " at " + revocation.revokedAt());
        return 0;
    }

    private int renew(Arguments arguments, PrintStream out) throws Exception {
        Path dir = Path.of(arguments.required("--dir"));
        if (!Files.exists(dir.resolve(RenewalManager.METADATA_FILE))) {
            throw new UsageException("--dir " + dir + ": no " + RenewalManager.METADATA_FILE + " (write one with issue --out)");
        }
        RenewalManager manager = RenewalManager.builder().client(client(arguments)).directory(dir)
                .revokeReplaced(arguments.has("--revoke-replaced")).build();
        RenewalResult result = arguments.has("--force") ? manager.renewNow() : manager.checkOnce();
        switch (result.action()) {
            case UNCHANGED -> out.println("unchanged " + result.certificateId() + ": " + result.reason());
            default -> {
                out.println("renewed: " + result.replacedId().map(old -> old + " -> ").orElse("") + result.certificateId()
                        + " (" + result.reason() + ")");
                out.println("  expires:   " + result.certificate().getNotAfter().toInstant());
                out.println("  renew at:  " + result.renewAt());
                result.revokeFailure().ifPresent(e -> out.println("  revoking the replaced certificate failed: "
                        + e.getMessage()));
            }
        }
        return 0;
    }

    private OriginCaClient client(Arguments arguments) throws UsageException {
        String token;
        if (arguments.has("--token-file")) {
            Path file = Path.of(arguments.value("--token-file").get());
            try {
                token = Files.readString(file);
            } catch (IOException e) {
                throw new UsageException("--token-file: cannot read " + file + ": " + e.getMessage());
            }
        } else {
            token = environment.apply(TOKEN_VARIABLE);
            if (token == null || token.isBlank()) {
                throw new UsageException("no API token: set " + TOKEN_VARIABLE + " or pass --token-file FILE");
            }
        }
        try {
            OriginCaClient.Builder builder = OriginCaClient.builder().apiToken(token);
            if (arguments.has("--endpoint")) {
                builder.baseUri(URI.create(arguments.value("--endpoint").get()));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            // Never echoes the token: the client's messages name only positions.
            throw new UsageException(e.getMessage());
        }
    }

    private static Validity validity(int days) throws UsageException {
        try {
            return Validity.ofDays(days);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--validity: " + e.getMessage());
        }
    }

    private static String checkedId(String id) throws UsageException {
        if (!id.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new UsageException("not a certificate id: '" + id + "'");
        }
        return id;
    }

    private static List<String> dnsNames(RenewalResult result) throws Exception {
        return result.certificate().getSubjectAlternativeNames().stream()
                .filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1)).toList();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
