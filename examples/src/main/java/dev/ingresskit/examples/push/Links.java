package dev.ingresskit.examples.push;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.push.HtmlLinkScanner;
import dev.ingresskit.push.LinkHeader;
import dev.ingresskit.push.LinkHeaderGenerator;
import dev.ingresskit.push.PreloadLink;
import dev.ingresskit.push.ScanResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code links}: prints the {@code Link} header value an HTML file would get. */
public final class Links implements Subcommand {
    private static final Options OPTIONS = Options.builder("[options] FILE|-")
            .value("--base", "URL", "the page's absolute URL (relative links stay relative without it)")
            .flag("--no-images", "leave out images")
            .flag("--no-scripts", "leave out scripts")
            .flag("--no-styles", "leave out stylesheets")
            .values("--attr", "NAME[=VALUE]", "add a parameter to every link, e.g. nopush (repeatable)")
            .values("--allow-origin", "ORIGIN", "also preload from this origin, e.g. https://cdn.example (repeatable)")
            .value("--max-bytes", "N", "cap on the header value in bytes (default 4096)")
            .value("--max-links", "N", "cap on the number of links (default 64)")
            .flag("--lines", "print one link per line instead of one header value")
            .build();

    @Override
    public String name() {
        return "links";
    }

    @Override
    public String summary() {
        return "print the Link (preload) header for an HTML file";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
        if (args.positionals().size() != 1) {
            throw new UsageException("expected exactly one FILE (or - for standard input)");
        }
        LinkHeaderGenerator generator = generator(args);
        String file = args.positionals().getFirst();
        byte[] html;
        try {
            html = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            err.println("ingresskit links: no such file: " + file);
            return 1;
        } catch (IOException e) {
            err.println("ingresskit links: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        String base = args.value("--base").orElse(null);
        ScanResult scan = HtmlLinkScanner.create().scanUtf8(html, 0, html.length);
        LinkHeader header;
        try {
            header = generator.fromScan(scan, base);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--base: " + e.getMessage());
        }
        if (args.has("--lines")) {
            for (PreloadLink link : header.links()) {
                out.println(link);
            }
        } else if (!header.isEmpty()) {
            out.println(header.value());
        }
        if (header.omitted() > 0) {
            err.println("ingresskit links: " + header.omitted() + " more candidate link(s) left out by --max-bytes/--max-links");
        }
        return 0;
    }

    static LinkHeaderGenerator generator(Arguments args) throws UsageException {
        LinkHeaderGenerator.Builder builder = LinkHeaderGenerator.builder()
                .images(!args.has("--no-images"))
                .scripts(!args.has("--no-scripts"))
                .styles(!args.has("--no-styles"));
        try {
            for (String attr : args.values("--attr")) {
                int eq = attr.indexOf('=');
                if (eq < 0) {
                    builder.extraAttribute(attr);
                } else {
                    builder.extraAttribute(attr.substring(0, eq), attr.substring(eq + 1));
                }
            }
            for (String origin : args.values("--allow-origin")) {
                builder.allowOrigin(origin);
            }
            builder.maxHeaderBytes(args.intValue("--max-bytes", LinkHeaderGenerator.DEFAULT_MAX_HEADER_BYTES));
            builder.maxLinks(args.intValue("--max-links", LinkHeaderGenerator.DEFAULT_MAX_LINKS));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return builder.build();
    }
}
