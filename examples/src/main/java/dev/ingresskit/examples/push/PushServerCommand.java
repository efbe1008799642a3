package dev.ingresskit.examples.push;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code push-server}: serves a directory and adds Link headers to its HTML pages. */
public final class PushServerCommand implements Subcommand {
    private static final Options OPTIONS = Options.builder("--root DIR [options]")
            .value("--root", "DIR", "the directory to serve (nothing outside it is ever served)")
            .value("--port", "N", "TCP port (default 8080; 0 picks a free one)")
            .value("--bind", "ADDR", "address to listen on (default 127.0.0.1)")
            .flag("--no-images", "leave out images")
            .flag("--no-scripts", "leave out scripts")
            .flag("--no-styles", "leave out stylesheets")
            .values("--attr", "NAME[=VALUE]", "add a parameter to every link, e.g. nopush (repeatable)")
            .values("--allow-origin", "ORIGIN", "also preload from this origin (repeatable)")
            .value("--max-bytes", "N", "cap on the Link header in bytes (default 4096)")
            .value("--max-links", "N", "cap on the number of links (default 64)")
            .build();

    @Override
    public String name() {
        return "push-server";
    }

    @Override
    public String summary() {
        return "static file server that adds Link (preload) headers to HTML pages";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
        Path root = Path.of(args.required("--root"));
        if (!Files.isDirectory(root)) {
            throw new UsageException("--root: not a directory: " + root);
        }
        int port = args.intValue("--port", 8080);
        if (port < 0 || port > 65535) {
            throw new UsageException("--port: out of range: " + port);
        }
        String bind = args.value("--bind").orElse("127.0.0.1");
        try (PushServer server = PushServer.start(root, new InetSocketAddress(bind, port), Links.generator(args), out)) {
            InetSocketAddress address = server.address();
            out.println("push-server: serving " + root.toRealPath() + " on http://" + address.getHostString() + ":"
                    + address.getPort() + "/ (Ctrl-C to stop)");
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
