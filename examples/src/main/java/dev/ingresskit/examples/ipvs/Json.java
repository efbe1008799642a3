package dev.ingresskit.examples.ipvs;

import dev.ingresskit.director.internal.JsonWriter;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationStatus;
import dev.ingresskit.ipvs.IpAddresses;
import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
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
        JsonWriter j = new JsonWriter().beginObject().name("services").beginArray();
        for (ServiceStatus s : services) {
            j.beginObject();
            service(j, s.service());
            j.name("stats");
            stats(j, s.stats());
            j.name("destinations").beginArray();
            for (DestinationStatus d : ipvs.destinations(s.service().key())) {
                destination(j, d);
            }
            j.endArray().endObject();
        }
        return j.endArray().endObject().toString();
    }

    private static void service(JsonWriter j, Service s) {
        j.field("family", lower(s.family()));
        if (s.fwmark() != 0) {
            j.field("fwmark", Integer.toUnsignedLong(s.fwmark()));
        } else {
            j.field("protocol", lower(s.protocol())).field("address", IpAddresses.format(s.address()))
                    .field("port", s.port());
        }
        j.field("scheduler", s.scheduler()).name("flags").beginArray();
        for (String name : s.flags().schedulerFlagNames(s.scheduler())) {
            j.value(name);
        }
        j.endArray().field("persistent", s.persistent()).field("timeout", s.timeoutSeconds())
                .field("netmask", s.netmaskBits()).field("onePacket", s.flags().has(ServiceFlags.ONE_PACKET));
    }

    private static void destination(JsonWriter j, DestinationStatus ds) {
        Destination d = ds.destination();
        j.beginObject().field("address", IpAddresses.format(d.address())).field("port", d.port())
                .field("forwarding", lower(d.forwarding())).field("weight", d.weight())
                .field("upperThreshold", d.upperThreshold()).field("lowerThreshold", d.lowerThreshold());
        if (d.tunnelType() != null) {
            j.name("tunnel").beginObject().field("type", lower(d.tunnelType())).field("port", d.tunnelPort())
                    .field("flags", d.tunnelFlags().toString()).endObject();
        }
        j.field("activeConnections", ds.activeConnections()).field("inactiveConnections", ds.inactiveConnections())
                .field("persistentConnections", ds.persistentConnections()).name("stats");
        stats(j, ds.stats());
        j.endObject();
    }

    private static void stats(JsonWriter j, Stats s) {
        j.beginObject()
                .name("connections").unsignedValue(s.connections())
                .name("inPackets").unsignedValue(s.inPackets())
                .name("outPackets").unsignedValue(s.outPackets())
                .name("inBytes").unsignedValue(s.inBytes())
                .name("outBytes").unsignedValue(s.outBytes())
                .endObject();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
