package dev.ingresskit.examples.director;

import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.Service;
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
    private final Map<ServiceKey, Service> services = new LinkedHashMap<>();
    /** Per service, destinations oldest first (the kernel's order reversed, so adding is cheap). */
    private final Map<ServiceKey, List<Destination>> oldestFirst = new LinkedHashMap<>();

    public ModelKernel(IpvsState initial) {
        for (VirtualService v : initial.services()) {
            services.put(v.service().key(), v.service());
            oldestFirst.put(v.service().key(), new ArrayList<>(v.destinations().reversed()));
        }
    }

    @Override
    public synchronized IpvsState state() {
        List<VirtualService> out = new ArrayList<>(services.size());
        for (Map.Entry<ServiceKey, Service> e : services.entrySet()) {
            out.add(new VirtualService(e.getValue(), oldestFirst.get(e.getKey()).reversed()));
        }
        return new IpvsState(out);
    }

    @Override
    public synchronized ApplyResult execute(Plan plan) {
        for (Change c : plan.changes()) {
            ServiceKey key = c.service().key();
            List<Destination> ds = oldestFirst.get(key);
            switch (c.kind()) {
                case CREATE_SERVICE -> {
                    services.put(key, c.service());
                    oldestFirst.put(key, new ArrayList<>());
                }
                case UPDATE_SERVICE -> services.put(key, c.service());
                case DELETE_SERVICE -> {
                    services.remove(key);
                    oldestFirst.remove(key);
                }
                case CREATE_DESTINATION -> ds.add(c.destination());
                case UPDATE_DESTINATION -> ds.replaceAll(d -> d.key().equals(c.destination().key()) ? c.destination() : d);
                case DELETE_DESTINATION -> ds.removeIf(d -> d.key().equals(c.destination().key()));
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
