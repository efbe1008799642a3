package dev.ingresskit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.encap.TunnelSourcePort;
import dev.ingresskit.maglev.FlowHash;
import dev.ingresskit.maglev.MaglevTable;
import dev.ingresskit.testsupport.ReadmeSnippet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The top README's consumer project, as a user would build it against the published artifacts.
 *
 * <p>{@link #bomListsEveryLibraryWithTheParentsMetadata}: every published library of the reactor
 * (a jar module that does not set {@code maven.deploy.skip}) is in the BOM at the project's version,
 * has its own name and description, and the BOM repeats the parent's url, license, developers and
 * scm. {@link #readmeConsumerCompilesAndRunsAgainstTheBom}: the README's {@code pom.xml} and Java
 * class, verbatim, are built by a separate Maven whose local repository (under target/) holds only
 * what this build produced (the parent and BOM POMs, the libraries' jars and POMs), with third-party
 * plugins read from the outer build's local repository through a {@code file://} mirror, which is
 * never written to; then the class runs and prints what the same code prints here. It needs the
 * libraries' jars, so it runs in {@code mvn verify} (not {@code mvn test}, where it is skipped).
 */
class BomConsumerTest {
    private static final Path ROOT = Path.of(System.getProperty("ingresskit.project.root", ".."));
    private static final String VERSION = System.getProperty("ingresskit.project.version", "");

    private record Module(String folder, String artifactId, Document pom) {
    }

    @Test
    void bomListsEveryLibraryWithTheParentsMetadata() {
        Document parent = xml(ROOT.resolve("pom.xml"));
        Document bom = xml(ROOT.resolve("bom/pom.xml"));
        assertEquals(text(parent.getDocumentElement(), "version"), text(bom.getDocumentElement(), "version"),
                "the BOM's version is the parent's");
        for (String field : List.of("url", "licenses", "developers", "scm")) {
            String expected = normalized(parent.getDocumentElement(), field);
            assertTrue(!expected.isEmpty(), "the parent POM lacks <" + field + ">");
            assertEquals(expected, normalized(bom.getDocumentElement(), field), "bom/pom.xml's <" + field + ">");
        }
        List<Module> libraries = libraries();
        assertTrue(libraries.size() >= 5, "libraries found: " + libraries);
        TreeSet<String> managed = new TreeSet<>();
        Element management = child(bom.getDocumentElement(), "dependencyManagement");
        for (Element dependency : children(child(management, "dependencies"), "dependency")) {
            assertEquals("dev.ingresskit", text(dependency, "groupId"));
            assertEquals("${project.version}", text(dependency, "version"), text(dependency, "artifactId"));
            managed.add(text(dependency, "artifactId"));
        }
        TreeSet<String> published = new TreeSet<>(libraries.stream().map(Module::artifactId).toList());
        assertEquals(published, managed, "bom/pom.xml must list exactly the published library modules");
        for (Module library : libraries) {
            Element project = library.pom().getDocumentElement();
            assertEquals("ingresskit-parent", text(child(project, "parent"), "artifactId"), library.folder());
            assertTrue(!text(project, "name").isBlank() && !text(project, "description").isBlank(),
                    library.folder() + "/pom.xml needs its own <name> and <description>");
        }
    }

    @Test
    void readmeConsumerCompilesAndRunsAgainstTheBom() throws Exception {
        List<Module> libraries = libraries();
        for (Module library : libraries) {
            Path jar = jar(library, "");
            Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " not built: this check runs in mvn verify");
            for (String classifier : List.of("-sources", "-javadoc")) {
                assertTrue(Files.isRegularFile(jar(library, classifier)), "no " + jar(library, classifier));
            }
        }
        Path work = ROOT.resolve("examples/target/bom-consumer");
        deleteTree(work);
        Path repo = work.resolve("repo");
        install(repo, "ingresskit-parent", ROOT.resolve("pom.xml"), null);
        install(repo, "ingresskit-bom", ROOT.resolve("bom/pom.xml"), null);
        for (Module library : libraries) {
            install(repo, library.artifactId(), ROOT.resolve(library.folder()).resolve("pom.xml"), jar(library, ""));
        }
        Path outerRepo = Path.of(System.getProperty("ingresskit.local.repository",
                System.getProperty("user.home") + "/.m2/repository"));
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>outer-build</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(outerRepo.toUri()));

        Path project = work.resolve("project");
        Path readme = ROOT.resolve("README.md");
        String pom = ReadmeSnippet.read(readme, "consumer-pom");
        assertTrue(pom.contains("<version>" + VERSION + "</version>"),
                "the README's consumer pom imports the BOM at the project's version " + VERSION);
        String javaSource = ReadmeSnippet.read(readme, "consumer-java");
        Matcher packageLine = Pattern.compile("(?m)^package ([\\w.]+);").matcher(javaSource);
        assertTrue(packageLine.find(), "the README's consumer class declares a package");
        String className = packageLine.group(1) + ".Main";
        Path source = project.resolve("src/main/java").resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(source.getParent());
        Files.writeString(project.resolve("pom.xml"), pom);
        Files.writeString(source, javaSource);

        String maven = Path.of(System.getProperty("ingresskit.maven.home", "/usr/share/maven"), "bin", "mvn").toString();
        // The compiler plugin's goal by its full name: the lifecycle would also need the default
        // resources plugin of whichever Maven runs this, which the outer build may never have fetched.
        run(project, List.of(maven, "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repo,
                "org.apache.maven.plugins:maven-compiler-plugin:3.14.0:compile"), 300);

        List<String> classPath = new ArrayList<>(List.of(project.resolve("target/classes").toString()));
        for (String artifact : List.of("ingresskit-maglev", "ingresskit-encap-fou-gue")) {
            classPath.add(repo.resolve("dev/ingresskit/" + artifact + "/" + VERSION + "/" + artifact + "-" + VERSION + ".jar")
                    .toString());
        }
        String java25 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String printed = run(project, List.of(java25, "-cp", String.join(java.io.File.pathSeparator, classPath), className),
                60);
        assertEquals(expectedOutput() + "\n", printed);
    }

    /** What the README's class prints, computed here with the same libraries. */
    private static String expectedOutput() throws IOException {
        MaglevTable table = MaglevTable.builder().tableSize(251).add("10.0.0.1:80", 1).add("10.0.0.2:80", 1).build();
        long flow = FlowHash.fiveTuple(InetAddress.getByName("198.51.100.7"), 40_000,
                InetAddress.getByName("192.0.2.1"), 443, 6);
        int port = TunnelSourcePort.fromHash((int) flow, TunnelSourcePort.DEFAULT_MIN_PORT,
                TunnelSourcePort.DEFAULT_MAX_PORT_EXCLUSIVE);
        return table.lookup(flow).name() + " via UDP source port " + port;
    }

    /** The published libraries: the parent's jar modules that do not set maven.deploy.skip. */
    private static List<Module> libraries() {
        Element project = xml(ROOT.resolve("pom.xml")).getDocumentElement();
        List<Module> out = new ArrayList<>();
        for (Element module : children(child(project, "modules"), "module")) {
            String folder = module.getTextContent().strip();
            Document pom = xml(ROOT.resolve(folder).resolve("pom.xml"));
            Element root = pom.getDocumentElement();
            String packaging = text(root, "packaging");
            Element properties = child(root, "properties");
            boolean unpublished = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if ((packaging.isEmpty() || packaging.equals("jar")) && !unpublished) {
                out.add(new Module(folder, text(root, "artifactId"), pom));
            }
        }
        return out;
    }

    private static Path jar(Module library, String classifier) {
        return ROOT.resolve(library.folder()).resolve("target")
                .resolve(library.artifactId() + "-" + VERSION + classifier + ".jar");
    }

    /** Lays out one artifact as {@code mvn install} would in {@code repo}. */
    private static void install(Path repo, String artifactId, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("dev/ingresskit").resolve(artifactId).resolve(VERSION);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String run(Path directory, List<String> command, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // a short-lived JVM: the C1 compiler alone and the serial collector start it fastest
        env.put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto");
        env.remove("MAVEN_ARGS");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command);
        }
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + "\n" + output);
        return output;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Document xml(Path file) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("cannot read " + file, e));
        }
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().strip();
    }

    /** An element's text and nested elements in document order, whitespace and attributes aside. */
    private static String normalized(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return "";
        }
        Map<String, String> leaves = new TreeMap<>();
        collect(e, name, leaves);
        return leaves.toString();
    }

    private static void collect(Element e, String path, Map<String, String> leaves) {
        List<Element> kids = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element k) {
                kids.add(k);
            }
        }
        if (kids.isEmpty()) {
            leaves.merge(path, e.getTextContent().strip(), (a, b) -> a + "|" + b);
        }
        for (Element k : kids) {
            collect(k, path + "/" + k.getTagName(), leaves);
        }
    }
}
