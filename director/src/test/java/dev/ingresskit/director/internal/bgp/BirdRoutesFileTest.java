package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ingresskit.director.Community;
import dev.ingresskit.director.VipRoute;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BirdRoutesFileTest {
    @TempDir
    Path dir;

    private static List<VipRoute> routes() throws Exception {
        return List.of(
                new VipRoute(InetAddress.getByName("198.51.100.10"),
                        List.of(Community.parse("65000:100"), Community.parse("65000:200")), OptionalLong.of(50), 2),
                VipRoute.of(InetAddress.getByName("2001:db8::10")),
                VipRoute.of(InetAddress.getByName("198.51.100.9")));
    }

    @Test
    void theFileIsStaticRoutesPerFamilyAndAnExportFilterSettingTheAttributes() throws Exception {
        assertEquals("""
                # Written by the ingresskit director and replaced whole on every change: do not edit.
                # bird.conf includes it at the top level and exports through the filter:
                #   protocol bgp ... { ipv4 { export filter ingresskit_export; }; }
                protocol static ingresskit_vips4 {
                  ipv4;
                  route 198.51.100.9/32 blackhole;
                  route 198.51.100.10/32 blackhole;
                }
                protocol static ingresskit_vips6 {
                  ipv6;
                  route 2001:db8::10/128 blackhole;
                }
                filter ingresskit_export
                {
                  if proto != "ingresskit_vips4" && proto != "ingresskit_vips6" then reject;
                  if net = 198.51.100.10/32 then {
                    bgp_community.add((65000,100));
                    bgp_community.add((65000,200));
                    bgp_med = 50;
                    bgp_path.prepend(65001);
                    bgp_path.prepend(65001);
                  }
                  accept;
                }
                """, BirdRoutesFile.render(routes(), 65001));
    }

    @Test
    void theSameSetInAnyOrderIsTheSameText() throws Exception {
        List<VipRoute> r = routes();
        assertEquals(BirdRoutesFile.render(r, 65001), BirdRoutesFile.render(r.reversed(), 65001));
    }

    @Test
    void prependWithoutALocalAsIsRefused() throws Exception {
        assertThrows(IllegalStateException.class, () -> BirdRoutesFile.render(routes(), 0));
    }

    /** The real BIRD parses the file (with routes, and empty) included from a minimal bird.conf. */
    @Test
    void birdParsesIt() throws Exception {
        BgpLab.assumeDaemons();
        for (List<VipRoute> set : List.of(routes(), List.<VipRoute>of())) {
            Path include = dir.resolve("vips.conf");
            Files.writeString(include, BirdRoutesFile.render(set, 65001));
            Path conf = dir.resolve("bird.conf");
            Files.writeString(conf, "router id 192.0.2.1;\ninclude \"" + include + "\";\nprotocol device {}\n"
                    + "protocol bgp up { local as 65001; neighbor 192.0.2.2 as 65000;"
                    + " ipv4 { import none; export filter ingresskit_export; }; }\n");
            Process p = new ProcessBuilder(BgpLab.BIRD, "-p", "-c", conf.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "bird -p refused the file:\n" + out + "\n" + Files.readString(include));
        }
    }
}
