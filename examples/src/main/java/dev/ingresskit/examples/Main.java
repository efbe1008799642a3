package dev.ingresskit.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Entry point of {@code ingresskit-examples.jar}: {@code ingresskit SUBCOMMAND [options]}. */
public final class Main {
    /**
     * The subcommands, one a line. Each module's subcommands keep their own line so that changes to
     * one do not touch another's.
     */
    private static List<Subcommand> subcommands() {
        // an array initializer, unlike an argument list, accepts the trailing comma of every line
        return List.of(new Subcommand[] {
                new dev.ingresskit.examples.maglev.MaglevCommand(), // maglev
                new dev.ingresskit.examples.gueinspect.GueInspect(),
                new dev.ingresskit.examples.ipvs.IpvsCommand(),
                new dev.ingresskit.examples.originca.OriginCaCommand(),
                new dev.ingresskit.examples.push.Links(), new dev.ingresskit.examples.push.PushServerCommand(),
                new dev.ingresskit.examples.director.DirectorCommand(),
                new dev.ingresskit.examples.access.AccessTcpCommand(), new dev.ingresskit.examples.access.KubeAccessProxyCommand(),
        });
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs one command line and returns its exit code; never throws. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        List<Subcommand> all = subcommands();
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h")) {
            out.print(overview(all));
            return args.isEmpty() ? 2 : 0;
        }
        String name = args.getFirst();
        Optional<Subcommand> found = all.stream().filter(s -> s.name().equals(name)).findFirst();
        if (found.isEmpty()) {
            err.println("ingresskit: unknown subcommand '" + name + "' (try --help)");
            return 2;
        }
        Subcommand command = found.get();
        try {
            Arguments arguments = Arguments.parse(command.options(), args.subList(1, args.size()));
            if (arguments.helpRequested()) {
                out.print(command.options().help(command.name(), command.summary()));
                return 0;
            }
            return command.run(arguments, out, err);
        } catch (UsageException e) {
            err.println("ingresskit " + name + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("ingresskit " + name + ": " + describe(e));
            return 1;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String overview(List<Subcommand> all) {
        StringBuilder text = new StringBuilder("usage: ingresskit SUBCOMMAND [options]   (SUBCOMMAND --help for its options)\n\n");
        int width = all.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        for (Subcommand s : all) {
            text.append(String.format("  %-" + width + "s  %s%n", s.name(), s.summary()));
        }
        return text.toString();
    }
}
