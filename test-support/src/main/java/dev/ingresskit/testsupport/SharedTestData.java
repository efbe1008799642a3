package dev.ingresskit.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Public conformance vectors (html5lib tokenizer tests, JSONTestSuite) are read in place from
 * {@code ../shared/testdata} beside the project; they are never copied into it. When the folder is
 * missing a test says so in its result: it fails under CI ({@code CI=true}), and is reported as
 * aborted with the reason elsewhere — it never passes silently.
 */
public final class SharedTestData {
    private SharedTestData() {
    }

    /** The directory {@code ../shared/testdata/<name>}, or a loud failure/abort when it is absent. */
    public static Path require(String name) {
        Path root = Path.of(System.getProperty("ingresskit.shared.testdata",
                Path.of(System.getProperty("user.dir"), "..", "..", "shared", "testdata").toString()));
        Path dir = root.resolve(name).normalize();
        if (!Files.isDirectory(dir)) {
            String message = "shared test data missing: " + dir
                    + " (expected ../shared/testdata/" + name + " beside the project checkout)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return dir;
    }
}
