package dev.ingresskit.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A subcommand's arguments, parsed against its {@link Options}. Immutable. */
public final class Arguments {
    private final Map<String, List<String>> values;
    private final List<String> positionals;
    private final boolean help;

    private Arguments(Map<String, List<String>> values, List<String> positionals, boolean help) {
        this.values = values;
        this.positionals = positionals;
        this.help = help;
    }

    /**
     * Parses {@code --name value}, {@code --name=value}, flags, and positional arguments; everything
     * after {@code --} is positional.
     */
    public static Arguments parse(Options options, List<String> args) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 && arg.startsWith("--") ? arg.substring(0, eq) : arg;
            Options.Option option = options.option(name);
            if (option == null) {
                throw new UsageException("unknown option " + name + " (see --help)");
            }
            String value;
            if (!option.takesValue()) {
                if (eq > 0 && arg.startsWith("--")) {
                    throw new UsageException("option " + name + " takes no value");
                }
                value = "";
            } else if (eq > 0 && arg.startsWith("--")) {
                value = arg.substring(eq + 1);
            } else if (option.optionalDefault() != null) {
                boolean next = i + 1 < args.size() && !args.get(i + 1).startsWith("-");
                value = next ? args.get(++i) : option.optionalDefault();
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("option " + name + " needs a value " + option.valueName());
            }
            // an alias is stored under the option's own name: -t and --tcp-service are one option
            List<String> list = values.computeIfAbsent(option.name(), k -> new ArrayList<>());
            if (!option.repeatable() && !list.isEmpty()) {
                throw new UsageException("option " + name + " given more than once"
                        + (name.equals(option.name()) ? "" : " (as " + option.name() + ")"));
            }
            list.add(value);
        }
        values.replaceAll((k, v) -> List.copyOf(v));
        return new Arguments(Map.copyOf(values), List.copyOf(positionals), help);
    }

    public boolean helpRequested() {
        return help;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.getLast());
    }

    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    public List<String> positionals() {
        return positionals;
    }

    /** The value of an option that parses as an int, or {@code defaultValue} when absent. */
    public int intValue(String name, int defaultValue) throws UsageException {
        Optional<String> value = value(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": not an integer: '" + value.get() + "'");
        }
    }

    /** The value of a required option. */
    public String required(String name) throws UsageException {
        return value(name).orElseThrow(() -> new UsageException("missing required option " + name));
    }
}
