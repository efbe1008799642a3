/** Test helpers shared by every ingresskit module's tests; never a runtime dependency. */
module dev.ingresskit.testsupport {
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    exports dev.ingresskit.testsupport;
}
