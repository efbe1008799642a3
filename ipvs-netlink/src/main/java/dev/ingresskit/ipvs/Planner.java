package dev.ingresskit.ipvs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Diffs two states into a minimal {@link Plan}. */
final class Planner {
    private Planner() {
    }

    static Plan plan(IpvsState current, IpvsState desired) {
        Map<ServiceKey, VirtualService> have = current.byKey();
        Map<ServiceKey, VirtualService> want = desired.byKey();
        List<Change> changes = new ArrayList<>();
        for (VirtualService old : current.services()) {
            if (!want.containsKey(old.service().key())) {
                changes.add(new Change(Change.Kind.DELETE_SERVICE, old.service(), null, null));
            }
        }
        for (VirtualService target : desired.services()) {
            Service service = target.service();
            VirtualService existing = have.get(service.key());
            if (existing == null) {
                changes.add(new Change(Change.Kind.CREATE_SERVICE, service, null, null));
                for (Destination d : target.destinations()) {
                    changes.add(new Change(Change.Kind.CREATE_DESTINATION, service, d, null));
                }
                continue;
            }
            if (!existing.service().equals(service)) {
                changes.add(new Change(Change.Kind.UPDATE_SERVICE, service, null, existing.service()));
            }
            Map<DestinationKey, Destination> had = new LinkedHashMap<>();
            for (Destination d : existing.destinations()) {
                had.put(d.key(), d);
            }
            Map<DestinationKey, Destination> wanted = new LinkedHashMap<>();
            for (Destination d : target.destinations()) {
                wanted.put(d.key(), d);
            }
            for (Destination d : existing.destinations()) {
                if (!wanted.containsKey(d.key())) {
                    changes.add(new Change(Change.Kind.DELETE_DESTINATION, service, d, null));
                }
            }
            List<Change> creates = new ArrayList<>();
            for (Destination d : target.destinations()) {
                Destination old = had.get(d.key());
                if (old == null) {
                    creates.add(new Change(Change.Kind.CREATE_DESTINATION, service, d, null));
                } else if (!old.equals(d)) {
                    changes.add(new Change(Change.Kind.UPDATE_DESTINATION, service, d, old));
                }
            }
            changes.addAll(creates);
        }
        return new Plan(changes);
    }
}
