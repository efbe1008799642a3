/**
 * Cloudflare Origin CA client: issue, list, revoke and renew origin certificates. The core needs
 * only the JDK ({@code java.net.http}); {@code dev.ingresskit.originca.okhttp} is an optional
 * transport that needs OkHttp on the module path.
 */
module dev.ingresskit.originca {
    requires transitive java.net.http;
    requires static okhttp3;

    exports dev.ingresskit.originca;
    exports dev.ingresskit.originca.okhttp;
}
