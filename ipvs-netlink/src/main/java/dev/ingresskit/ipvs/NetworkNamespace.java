package dev.ingresskit.ipvs;

import java.nio.file.Path;
import java.util.Objects;

/** A network namespace, given by the file that pins it. */
public record NetworkNamespace(Path path) {
    public NetworkNamespace {
        Objects.requireNonNull(path, "path");
    }

    /** A namespace made by {@code ip netns add NAME}: {@code /run/netns/NAME}. */
    public static NetworkNamespace named(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a netns name: '" + name + "'");
        }
        return new NetworkNamespace(Path.of("/run/netns", name));
    }

    /** The namespace of process {@code pid}: {@code /proc/PID/ns/net}. */
    public static NetworkNamespace ofProcess(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        return new NetworkNamespace(Path.of("/proc", Long.toString(pid), "ns", "net"));
    }

    public static NetworkNamespace of(Path path) {
        return new NetworkNamespace(path);
    }
}
