package dev.ingresskit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A service that uses several ingresskit modules imports their API packages side by side
 * ({@code import dev.ingresskit.maglev.*; import dev.ingresskit.encap.*;}); two public top-level
 * types with one simple name in those packages make every use of the name "ambiguous". This checks
 * every ingresskit module on the test class path (each library this module depends on) through its
 * {@code module-info}: the exported packages' public top-level types all have distinct simple names.
 */
class PublicTypeNamesTest {
    @Test
    void exportedPublicTypesHaveDistinctSimpleNames() throws IOException {
        Map<String, Set<String>> byName = new TreeMap<>();
        Set<String> modules = new TreeSet<>();
        for (ModuleReference module : ingresskitModules()) {
            ModuleDescriptor descriptor = module.descriptor();
            modules.add(descriptor.name());
            Set<String> exported = new TreeSet<>();
            descriptor.exports().stream().filter(e -> !e.isQualified()).forEach(e -> exported.add(e.source()));
            try (ModuleReader reader = module.open(); Stream<String> entries = reader.list()) {
                for (String entry : entries.toList()) {
                    String type = topLevelType(entry, exported);
                    if (type != null && isPublic(reader, entry)) {
                        byName.computeIfAbsent(type.substring(type.lastIndexOf('.') + 1), k -> new TreeSet<>()).add(type);
                    }
                }
            }
        }
        // the libraries the examples use, at least: a class path that lost them would prove nothing
        assertTrue(modules.containsAll(Set.of("dev.ingresskit.maglev", "dev.ingresskit.encap", "dev.ingresskit.ipvs",
                "dev.ingresskit.originca", "dev.ingresskit.push")), "modules found: " + modules);
        List<String> clashes = new ArrayList<>();
        byName.forEach((name, types) -> {
            if (types.size() > 1) {
                clashes.add(name + " " + types);
            }
        });
        assertEquals(List.of(), clashes, "public types sharing a simple name across exported packages");
    }

    /** The ingresskit modules on the class path (jars or class directories that hold a module-info). */
    private static List<ModuleReference> ingresskitModules() {
        List<ModuleReference> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.exists(path) || (Files.isDirectory(path) && !Files.exists(path.resolve("module-info.class")))) {
                continue;
            }
            try {
                ModuleFinder.of(path).findAll().stream()
                        .filter(m -> m.descriptor().name().startsWith("dev.ingresskit."))
                        .filter(m -> !m.descriptor().isAutomatic())
                        .forEach(out::add);
            } catch (java.lang.module.FindException notAModule) {
                // a test-classes directory or an odd jar: not a library's API
            }
        }
        return out;
    }

    /** {@code a/b/C.class} in an exported package {@code a.b} gives {@code a.b.C}; nested types give null. */
    private static String topLevelType(String entry, Set<String> exported) {
        if (!entry.endsWith(".class") || entry.contains("$") || entry.endsWith("module-info.class")) {
            return null;
        }
        int slash = entry.lastIndexOf('/');
        if (slash < 0 || !exported.contains(entry.substring(0, slash).replace('/', '.'))) {
            return null;
        }
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }

    /**
     * ACC_PUBLIC from the class file itself (JVMS 4.1: access_flags follow the constant pool), so that
     * types built on an optional dependency absent here (servlet, netty, ...) need not load.
     */
    private static boolean isPublic(ModuleReader reader, String entry) throws IOException {
        byte[] bytes;
        try (var in = reader.open(entry).orElseThrow()) {
            bytes = in.readAllBytes();
        }
        var data = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes));
        data.skipBytes(8); // magic, minor, major
        int count = data.readUnsignedShort();
        for (int i = 1; i < count; i++) {
            int tag = data.readUnsignedByte();
            switch (tag) {
                case 1 -> data.skipBytes(data.readUnsignedShort());
                case 7, 8, 16, 19, 20 -> data.skipBytes(2);
                case 15 -> data.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> data.skipBytes(4);
                case 5, 6 -> {
                    data.skipBytes(8);
                    i++; // eight-byte constants take two slots
                }
                default -> throw new UncheckedIOException(new IOException(entry + ": constant pool tag " + tag));
            }
        }
        return (data.readUnsignedShort() & Modifier.PUBLIC) != 0;
    }
}
