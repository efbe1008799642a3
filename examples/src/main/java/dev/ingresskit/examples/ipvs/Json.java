package dev.ingresskit.examples.ipvs;

import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationStatus;
import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceStatus;
import dev.ingresskit.ipvs.Stats;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.util.List;
import java.util.Locale;

/** The JSON of {@code ipvs list --json}: {@code {"services":[{..., "destinations":[...]}]}}. */
final class Json {
    private Json() {
    }

    static String services(IpvsClient ipvs, List<ServiceStatus> services) throws NetlinkException {
        StringBuilder j = new StringBuilder("{\"services\":[");
        for (int i = 0; i < services.size(); i++) {
            ServiceStatus s = services.get(i);
            j.append(i == 0 ? "" : ",");
            service(j, s.service());
            j.append(",\"stats\":");
            stats(j, s.stats());
            j.append(",\"destinations\":[");
            List<DestinationStatus> dests = ipvs.destinations(s.service().key());
            for (int k = 0; k < dests.size(); k++) {
                j.append(k == 0 ? "" : ",");
                destination(j, dests.get(k));
            }
            j.append("]}");
        }
        return j.append("]}").toString();
    }

    static void service(StringBuilder j, Service s) {
        j.append("{\"family\":\"").append(s.family().name().toLowerCase(Locale.ROOT)).append('"');
        if (s.fwmark() != 0) {
            j.append(",\"fwmark\":").append(Integer.toUnsignedLong(s.fwmark()));
        } else {
            j.append(",\"protocol\":\"").append(s.protocol().name().toLowerCase(Locale.ROOT))
                    .append("\",\"address\":\"").append(s.address().getHostAddress()).append("\",\"port\":")
                    .append(s.port());
        }
        j.append(",\"scheduler\":\"").append(escape(s.scheduler())).append("\",\"flags\":[");
        List<String> names = s.flags().schedulerFlagNames(s.scheduler());
        for (int i = 0; i < names.size(); i++) {
            j.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append('"');
        }
        j.append("],\"persistent\":").append(s.persistent()).append(",\"timeout\":").append(s.timeoutSeconds())
                .append(",\"netmask\":").append(s.netmaskBits()).append(",\"onePacket\":")
                .append(s.flags().has(dev.ingresskit.ipvs.ServiceFlags.ONE_PACKET));
    }

    static void destination(StringBuilder j, DestinationStatus ds) {
        Destination d = ds.destination();
        j.append("{\"address\":\"").append(d.address().getHostAddress()).append("\",\"port\":").append(d.port())
                .append(",\"forwarding\":\"").append(d.forwarding().name().toLowerCase(Locale.ROOT))
                .append("\",\"weight\":").append(d.weight()).append(",\"upperThreshold\":").append(d.upperThreshold())
                .append(",\"lowerThreshold\":").append(d.lowerThreshold());
        if (d.tunnelType() != null) {
            j.append(",\"tunnel\":{\"type\":\"").append(d.tunnelType().name().toLowerCase(Locale.ROOT))
                    .append("\",\"port\":").append(d.tunnelPort()).append(",\"flags\":\"").append(d.tunnelFlags())
                    .append("\"}");
        }
        j.append(",\"activeConnections\":").append(ds.activeConnections()).append(",\"inactiveConnections\":")
                .append(ds.inactiveConnections()).append(",\"persistentConnections\":")
                .append(ds.persistentConnections()).append(",\"stats\":");
        stats(j, ds.stats());
        j.append('}');
    }

    static void stats(StringBuilder j, Stats s) {
        j.append("{\"connections\":").append(Long.toUnsignedString(s.connections())).append(",\"inPackets\":")
                .append(Long.toUnsignedString(s.inPackets())).append(",\"outPackets\":")
                .append(Long.toUnsignedString(s.outPackets())).append(",\"inBytes\":")
                .append(Long.toUnsignedString(s.inBytes())).append(",\"outBytes\":")
                .append(Long.toUnsignedString(s.outBytes())).append('}');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
