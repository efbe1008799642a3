package dev.ingresskit.examples;

import java.io.PrintStream;

/**
 * One reference binary of the examples jar. {@link Main} parses the arguments against
 * {@link #options()}, answers {@code --help} itself, and turns a {@link UsageException} into a
 * one-line error with exit code 2.
 */
public interface Subcommand {
    /** The word that selects this subcommand, e.g. {@code maglev}. */
    String name();

    /** One line for the list of subcommands. */
    String summary();

    /** The options this subcommand accepts; {@code --help} is added by {@link Main}. */
    Options options();

    /**
     * Runs the subcommand.
     *
     * @return the process exit code: 0 success, 1 failure of the work itself, 2 bad usage
     * @throws UsageException when the arguments are wrong in a way {@link Options} cannot see
     */
    int run(Arguments arguments, PrintStream out, PrintStream err) throws Exception;
}
