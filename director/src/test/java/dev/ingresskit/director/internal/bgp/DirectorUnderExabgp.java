package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.Director;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.Kernel;
import dev.ingresskit.ipvs.IpvsState;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A director as ExaBGP's {@code process} (for {@link DirectorFleetBgpTest}): the config's
 * {@code bgp speaker exabgp} makes it write to standard output; a model kernel; SIGTERM handled as
 * the {@code director} command does (withdraw, wait the grace, stop).
 * Arguments: CONFIG PIDFILE.
 */
public final class DirectorUnderExabgp {
    private DirectorUnderExabgp() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Files.writeString(Path.of(args[1]), Long.toString(ProcessHandle.current().pid()));
        DirectorConfig parsed = ConfigParser.parse(config);
        // A model kernel is a dry run, and a dry run tells no speaker unless one is given: give the
        // config's speaker explicitly, as a live director would use it.
        Director director = Director.builder(parsed).configFile(config).kernel(Kernel.model(IpvsState.EMPTY))
                .announcer(dev.ingresskit.director.RouteAnnouncer.of(parsed.bgp())).build();
        director.runUntilShutdown();
    }
}
