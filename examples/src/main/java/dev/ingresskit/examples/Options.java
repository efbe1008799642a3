package dev.ingresskit.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options a subcommand accepts, with the text of its {@code --help}. Built once per subcommand;
 * immutable after {@link Builder#build()}.
 */
public final class Options {
    record Option(String name, String valueName, boolean repeatable, String help) {
        boolean takesValue() {
            return valueName != null;
        }
    }

    private final String usage;
    private final Map<String, Option> byName;
    private final List<Option> ordered;

    private Options(String usage, Map<String, Option> byName) {
        this.usage = usage;
        this.byName = Map.copyOf(byName);
        this.ordered = List.copyOf(byName.values());
    }

    /** Starts a set of options; {@code usage} is the synopsis after the subcommand's name. */
    public static Builder builder(String usage) {
        return new Builder(usage);
    }

    Option option(String name) {
        return byName.get(name);
    }

    /** The {@code --help} text for subcommand {@code command}. */
    String help(String command, String summary) {
        StringBuilder text = new StringBuilder();
        text.append("usage: ingresskit ").append(command).append(' ').append(usage).append('\n');
        text.append(summary).append("\n\noptions:\n");
        int width = 0;
        for (Option option : ordered) {
            width = Math.max(width, label(option).length());
        }
        width = Math.max(width, "--help".length());
        for (Option option : ordered) {
            text.append(String.format("  %-" + width + "s  %s%n", label(option), option.help()));
        }
        text.append(String.format("  %-" + width + "s  %s%n", "--help", "print this help and exit"));
        return text.toString();
    }

    private static String label(Option option) {
        return option.takesValue() ? option.name() + " " + option.valueName() : option.name();
    }

    /** Collects options in the order {@code --help} lists them. */
    public static final class Builder {
        private final String usage;
        private final Map<String, Option> byName = new LinkedHashMap<>();

        private Builder(String usage) {
            this.usage = usage;
        }

        /** An option without a value, e.g. {@code --dump}. */
        public Builder flag(String name, String help) {
            return add(new Option(name, null, false, help));
        }

        /** An option with one value, given at most once. */
        public Builder value(String name, String valueName, String help) {
            return add(new Option(name, valueName, false, help));
        }

        /** An option with a value that may be given several times. */
        public Builder values(String name, String valueName, String help) {
            return add(new Option(name, valueName, true, help));
        }

        private Builder add(Option option) {
            if (!option.name().startsWith("-") || option.name().equals("--help")) {
                throw new IllegalArgumentException("bad option name: " + option.name());
            }
            if (byName.putIfAbsent(option.name(), option) != null) {
                throw new IllegalArgumentException("option declared twice: " + option.name());
            }
            return this;
        }

        public Options build() {
            return new Options(usage, byName);
        }
    }
}
