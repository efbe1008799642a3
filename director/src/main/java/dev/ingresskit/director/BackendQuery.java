package dev.ingresskit.director;

import java.util.List;
import java.util.Objects;

/**
 * A service's {@code backends from KIND ARG...} line: its backends come from the {@link BackendSource}
 * registered for {@code kind}, which alone knows what the arguments mean.
 *
 * @param kind      the source's kind, e.g. {@code kubernetes}
 * @param arguments the words after the kind
 * @param line      the line it was read from
 */
public record BackendQuery(String kind, List<String> arguments, int line) {
    public BackendQuery {
        Objects.requireNonNull(kind, "kind");
        arguments = List.copyOf(arguments);
    }

    @Override
    public String toString() {
        return "backends from " + kind + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
    }
}
