/**
 * Cloudflare Access for origins and clients: {@code Cf-Access-Jwt-Assertion} verification, the
 * {@code access tcp} WebSocket carrier, and the pieces of a Kubernetes impersonating proxy. The core
 * needs only the JDK; the Servlet filter loads jakarta.servlet only when used.
 */
module dev.ingresskit.access {
    requires java.net.http;
    requires static jakarta.servlet;
    requires static jdk.httpserver;

    exports dev.ingresskit.access;
    exports dev.ingresskit.access.httpserver;
    exports dev.ingresskit.access.servlet;
    exports dev.ingresskit.access.kube;
}
