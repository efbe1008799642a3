package dev.ingresskit.examples.ipvs;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.VirtualService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired state for {@code ipvs apply}: the lines {@code ipvsadm -S} writes ({@code -A ...} for a
 * service, {@code -a ...} for a destination of a service given earlier); blank lines and {@code #}
 * comments are ignored. So {@code ipvsadm -Sn > file} on one machine and {@code ipvs apply file} on
 * another reproduce it. ipvsadm's long options work as well ({@code --add-service --tcp-service=...}).
 * Errors name the line.
 */
final class DesiredStateFile {
    private static final Options LINE = IpvsadmSyntax.addOptions(Options.builder("-A|-a ...")
            .flag("-A", "add a service").alias("-A", "--add-service")
            .flag("-a", "add a destination").alias("-a", "--add-server")).build();

    private DesiredStateFile() {
    }

    static IpvsState parse(String text, String name) throws UsageException {
        Map<ServiceKey, Service> services = new LinkedHashMap<>();
        Map<ServiceKey, List<Destination>> destinations = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            try {
                Arguments a = Arguments.parse(LINE, Arrays.asList(line.split("\\s+")));
                if (!a.positionals().isEmpty()) {
                    throw new UsageException("unexpected '" + a.positionals().getFirst() + "'");
                }
                if (a.has("-A") == a.has("-a")) {
                    throw new UsageException("a line starts with -A (service) or -a (destination)");
                }
                if (a.has("-A")) {
                    Service s = IpvsadmSyntax.service(a);
                    if (services.putIfAbsent(s.key(), s) != null) {
                        throw new UsageException("service " + s.key() + " given twice");
                    }
                    destinations.put(s.key(), new ArrayList<>());
                } else {
                    ServiceKey key = IpvsadmSyntax.serviceKey(a);
                    if (!services.containsKey(key)) {
                        throw new UsageException("destination for service " + key + ", which no earlier -A line adds");
                    }
                    Destination d = IpvsadmSyntax.destination(a, key.port());
                    for (Destination other : destinations.get(key)) {
                        if (other.key().equals(d.key())) {
                            throw new UsageException("destination " + d.key() + " given twice for " + key);
                        }
                    }
                    destinations.get(key).add(d);
                }
            } catch (UsageException e) {
                throw new UsageException(where + e.getMessage());
            }
        }
        List<VirtualService> out = new ArrayList<>();
        for (Service s : services.values()) {
            out.add(new VirtualService(s, destinations.get(s.key())));
        }
        return new IpvsState(out);
    }
}
