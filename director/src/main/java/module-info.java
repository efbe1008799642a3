/**
 * The traffic director: keeps the kernel's IPVS equal to backends x health, with the {@code mh}
 * scheduler in one canonical destination order so that every director of a fleet builds the same
 * Maglev table. Entry point: {@link dev.ingresskit.director.Director}.
 */
module dev.ingresskit.director {
    requires transitive dev.ingresskit.ipvs;
    requires transitive dev.ingresskit.maglev;
    requires jdk.httpserver;

    exports dev.ingresskit.director;
    // The examples' other commands print JSON with the same writer as /state: one writer, not two.
    exports dev.ingresskit.director.internal to dev.ingresskit.examples;
}
