package dev.ingresskit.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options a subcommand accepts, with the text of its {@code --help}. Built once per subcommand;
 * immutable after {@link Builder#build()}.
 */
public final class Options {
    /**
     * {@code optionalDefault} non-null: the value may be left out (as popt's optional arguments:
     * the next word is the value unless it starts with '-'), and then is this.
     */
    record Option(String name, String valueName, boolean repeatable, String help, List<String> aliases,
            String optionalDefault) {
        boolean takesValue() {
            return valueName != null;
        }
    }

    private final String usage;
    private final Map<String, Option> byName;
    private final Map<String, String> aliases;
    private final List<Option> ordered;

    private Options(String usage, Map<String, Option> byName, Map<String, String> aliases) {
        this.usage = usage;
        this.byName = Map.copyOf(byName);
        this.aliases = Map.copyOf(aliases);
        this.ordered = List.copyOf(byName.values());
    }

    /** Starts a set of options; {@code usage} is the synopsis after the subcommand's name. */
    public static Builder builder(String usage) {
        return new Builder(usage);
    }

    /** The option called {@code name} or one of its aliases; null when there is none. */
    Option option(String name) {
        return byName.get(aliases.getOrDefault(name, name));
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
        String names = option.aliases().isEmpty() ? option.name()
                : option.name() + ", " + String.join(", ", option.aliases());
        if (!option.takesValue()) {
            return names;
        }
        return names + (option.optionalDefault() != null ? " [" + option.valueName() + "]" : " " + option.valueName());
    }

    /** Collects options in the order {@code --help} lists them. */
    public static final class Builder {
        private final String usage;
        private final Map<String, Option> byName = new LinkedHashMap<>();
        private final Map<String, String> aliases = new LinkedHashMap<>();

        private Builder(String usage) {
            this.usage = usage;
        }

        /** An option without a value, e.g. {@code --dump}. */
        public Builder flag(String name, String help) {
            return add(new Option(name, null, false, help, List.of(), null));
        }

        /** An option with one value, given at most once. */
        public Builder value(String name, String valueName, String help) {
            return add(new Option(name, valueName, false, help, List.of(), null));
        }

        /**
         * An option whose value may be left out, then {@code defaultValue}: {@code -p}, {@code -p 600},
         * {@code --persistent=600} (ipvsadm's {@code -p [timeout]}).
         */
        public Builder optionalValue(String name, String valueName, String defaultValue, String help) {
            return add(new Option(name, valueName, false, help, List.of(), defaultValue));
        }

        /** An option with a value that may be given several times. */
        public Builder values(String name, String valueName, String help) {
            return add(new Option(name, valueName, true, help, List.of(), null));
        }

        /**
         * Other names for the option declared as {@code name} (e.g. {@code --tcp-service} for
         * {@code -t}); the parsed arguments know it by {@code name} only.
         */
        public Builder alias(String name, String... others) {
            Option option = byName.get(name);
            if (option == null) {
                throw new IllegalArgumentException("alias of an undeclared option: " + name);
            }
            List<String> all = new java.util.ArrayList<>(option.aliases());
            for (String other : others) {
                if (!other.startsWith("-") || other.equals("--help") || byName.containsKey(other)
                        || aliases.putIfAbsent(other, name) != null) {
                    throw new IllegalArgumentException("bad or repeated alias: " + other);
                }
                all.add(other);
            }
            byName.put(name, new Option(option.name(), option.valueName(), option.repeatable(), option.help(),
                    List.copyOf(all), option.optionalDefault()));
            return this;
        }

        private Builder add(Option option) {
            if (!option.name().startsWith("-") || option.name().equals("--help")) {
                throw new IllegalArgumentException("bad option name: " + option.name());
            }
            if (aliases.containsKey(option.name()) || byName.putIfAbsent(option.name(), option) != null) {
                throw new IllegalArgumentException("option declared twice: " + option.name());
            }
            return this;
        }

        public Options build() {
            return new Options(usage, byName, aliases);
        }
    }
}
