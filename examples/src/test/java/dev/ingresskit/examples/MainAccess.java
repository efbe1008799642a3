package dev.ingresskit.examples;

import java.io.PrintStream;
import java.util.List;

/** Lets tests in sub-packages run the command line the way {@code main} does. */
public final class MainAccess {
    private MainAccess() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return Main.run(args, out, err);
    }
}
