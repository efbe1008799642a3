package dev.ingresskit.director.kubernetes.internal;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module resolves on a real module path of exactly its runtime dependencies (the fabric8 jars
 * as automatic modules), and service binding finds the JDK HTTP transport there.
 */
class ModulePathTest {
    @Test
    void resolvesWithTheFabric8JarsAsAutomaticModules() throws Exception {
        List<Path> path = new ArrayList<>();
        path.add(Path.of("target/classes"));
        for (String entry : Files.readString(Path.of("target/runtime-classpath.txt")).strip().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                path.add(Path.of(entry));
            }
        }
        ModuleFinder finder = ModuleFinder.of(path.toArray(Path[]::new));
        Configuration cf = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of("dev.ingresskit.director.kubernetes"));
        ResolvedModule ours = cf.findModule("dev.ingresskit.director.kubernetes").orElseThrow();
        Set<String> reads = ours.reads().stream().map(ResolvedModule::name).collect(Collectors.toSet());
        assertTrue(reads.containsAll(Set.of("kubernetes.client.api", "kubernetes.model.discovery",
                "io.fabric8.kubernetes.client.jdkhttp")), reads.toString());
        assertFalse(ours.reference().descriptor().isAutomatic());

        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("kubernetes.client.api");
        Class<?> factory = Class.forName("io.fabric8.kubernetes.client.http.HttpClient$Factory", false, loader);
        List<String> providers = ServiceLoader.load(layer, factory).stream()
                .map(p -> p.type().getName()).toList();
        assertEquals(List.of("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory"), providers,
                "the JDK transport, and no other, on the module path");
    }
}
