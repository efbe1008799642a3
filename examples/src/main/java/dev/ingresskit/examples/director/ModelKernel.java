package dev.ingresskit.examples.director;

import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.VirtualService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dry run's kernel: IPVS state in memory that plans are applied to, so that each reconcile
 * shows only what would change next. New destinations go first in their service's list, as the
 * kernel's {@code list_add_rcu} puts them. Thread-safe (synchronized).
 */
public final class ModelKernel implements Kernel {
    private final Map<ServiceKey, VirtualService> services = new LinkedHashMap<>();

    public ModelKernel(IpvsState initial) {
        for (VirtualService v : initial.services()) {
            services.put(v.service().key(), v);
        }
    }

    @Override
    public synchronized IpvsState state() {
        return new IpvsState(List.copyOf(services.values()));
    }

    @Override
    public synchronized ApplyResult execute(Plan plan) {
        for (Change c : plan.changes()) {
            ServiceKey key = c.service().key();
            VirtualService v = services.get(key);
            switch (c.kind()) {
                case CREATE_SERVICE -> services.put(key, new VirtualService(c.service(), List.of()));
                case UPDATE_SERVICE -> services.put(key, new VirtualService(c.service(), v.destinations()));
                case DELETE_SERVICE -> services.remove(key);
                case CREATE_DESTINATION -> {
                    List<Destination> ds = new ArrayList<>();
                    ds.add(c.destination());
                    ds.addAll(v.destinations());
                    services.put(key, new VirtualService(v.service(), ds));
                }
                case UPDATE_DESTINATION -> services.put(key, new VirtualService(v.service(), v.destinations().stream()
                        .map(d -> d.key().equals(c.destination().key()) ? c.destination() : d).toList()));
                case DELETE_DESTINATION -> services.put(key, new VirtualService(v.service(), v.destinations().stream()
                        .filter(d -> !d.key().equals(c.destination().key())).toList()));
            }
        }
        return new ApplyResult(plan, plan.changes(), List.of());
    }

    @Override
    public boolean dryRun() {
        return true;
    }

    @Override
    public void close() {
    }
}
