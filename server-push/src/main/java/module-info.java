/**
 * Link headers and 103 Early Hints generated from HTML. The core ({@code dev.ingresskit.push}) needs
 * only the JDK; the jsoup scanner, the Servlet filter and the JDK HttpServer filter load their
 * dependencies only when used.
 */
module dev.ingresskit.push {
    requires static org.jsoup;
    requires static jakarta.servlet;
    requires static jdk.httpserver;

    exports dev.ingresskit.push;
    exports dev.ingresskit.push.jsoup;
    exports dev.ingresskit.push.servlet;
    exports dev.ingresskit.push.httpserver;
}
