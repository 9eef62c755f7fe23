package org.lvsha.dist.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.IpvsException;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.Tunnel;
import org.lvsha.dist.config.ServiceConfig;
import org.lvsha.health.sink.DesiredDestination;
import org.lvsha.health.sink.WeightSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link Ipvs} table in line with the configuration and with health checking: services are programmed
 * from the configuration; each destination's presence and weight come from the health engine's
 * {@link DesiredDestination}s, merged with the configured method and thresholds so that every add or edit is a
 * complete object (ipvsadm semantics). A refused call is logged with the kernel's errno and the object, and the
 * rest of the batch still applies: one bad destination must not freeze the others' weights.
 */
public final class TableProgrammer implements WeightSink {
    private static final Logger LOG = LoggerFactory.getLogger(TableProgrammer.class);

    private final Ipvs ipvs;
    private volatile Map<String, ServiceConfig> byHealthId = Map.of();
    /** The last desired state per {@code serviceId/realServerId}, for status output. */
    private final Map<String, DesiredDestination> desired = new ConcurrentHashMap<>();

    public TableProgrammer(Ipvs ipvs) {
        this.ipvs = ipvs;
    }

    public Ipvs ipvs() {
        return ipvs;
    }

    /**
     * Makes the table hold exactly {@code services}: services not configured are deleted, configured ones added or
     * edited; new destinations start at weight 0 (not checked yet, so they get no traffic until health says so),
     * existing ones keep their current weight, destinations no longer configured are deleted.
     */
    public synchronized void program(List<ServiceConfig> services) {
        Map<String, ServiceConfig> ids = new HashMap<>();
        Map<ServiceKey, ServiceConfig> keys = new HashMap<>();
        for (ServiceConfig s : services) {
            ids.put(s.health().id(), s);
            keys.put(s.service().key(), s);
        }
        for (ServiceStatus present : ipvs.services()) {
            if (!keys.containsKey(present.service().key())) {
                call("delete service " + present.service().key(), () -> ipvs.deleteService(present.service().key()));
            }
        }
        for (ServiceConfig s : services) {
            Optional<ServiceStatus> present = ipvs.service(s.service().key());
            if (present.isEmpty()) {
                call("add service " + s.service().key(), () -> ipvs.addService(s.service()));
            } else if (!present.get().service().equals(s.service())) {
                call("edit service " + s.service().key(), () -> ipvs.editService(s.service()));
            }
            Map<String, Destination> current = new HashMap<>();
            present.ifPresent(p -> p.destinations().forEach(d -> current.put(ServiceConfig.realServerId(d.destination()), d.destination())));
            for (Destination d : s.destinations()) {
                Destination now = current.remove(ServiceConfig.realServerId(d));
                if (now == null) {
                    call("add " + d.address().getHostAddress() + ":" + d.port() + " to " + s.service().key(),
                            () -> ipvs.addDestination(s.service().key(), d.withWeight(0)));
                } else if (!now.withWeight(0).equals(d.withWeight(0))) {
                    call("edit " + d.address().getHostAddress() + ":" + d.port() + " of " + s.service().key(),
                            () -> ipvs.editDestination(s.service().key(), d.withWeight(now.weight())));
                }
            }
            // What is left is not configured any more, unless it is the health engine's sorry server.
            for (Destination gone : current.values()) {
                boolean sorry = s.health().sorryServer() != null
                        && s.health().sorryServer().id().equals(ServiceConfig.realServerId(gone));
                if (!sorry) {
                    call("delete " + gone.address().getHostAddress() + ":" + gone.port() + " from " + s.service().key(),
                            () -> ipvs.deleteDestination(s.service().key(), gone.address(), gone.port()));
                }
            }
        }
        byHealthId = Map.copyOf(ids);
        desired.keySet().removeIf(k -> !ids.containsKey(k.substring(0, k.indexOf('/'))));
    }

    @Override
    public void apply(List<DesiredDestination> changed) {
        for (DesiredDestination d : changed) {
            applyOne(d);
        }
    }

    private synchronized void applyOne(DesiredDestination d) {
        desired.put(d.serviceId() + "/" + d.realServerId(), d);
        ServiceConfig s = byHealthId.get(d.serviceId());
        if (s == null) {
            return; // a service removed by a reload while the old engine still reported
        }
        ServiceKey key = s.service().key();
        Destination configured = configured(s, d);
        if (configured == null) {
            return;
        }
        Optional<DestinationStatus> present = ipvs.service(key).flatMap(st -> st.destinations().stream()
                .filter(x -> x.destination().address().equals(configured.address()) && x.destination().port() == configured.port())
                .findFirst());
        String what = d.realServerId() + " of " + key + " (" + d.reason() + ")";
        if (!d.present()) {
            if (present.isPresent()) {
                call("delete " + what, () -> ipvs.deleteDestination(key, configured.address(), configured.port()));
            }
        } else if (present.isEmpty()) {
            call("add " + what + " weight " + d.weight(), () -> ipvs.addDestination(key, configured.withWeight(d.weight())));
        } else if (present.get().destination().weight() != d.weight()) {
            call("weight " + what + " " + present.get().destination().weight() + " -> " + d.weight(),
                    () -> ipvs.editDestination(key, configured.withWeight(d.weight())));
        }
    }

    /** The configured destination for a health result; the sorry server takes the service's first method. */
    private static Destination configured(ServiceConfig s, DesiredDestination d) {
        for (Destination c : s.destinations()) {
            if (ServiceConfig.realServerId(c).equals(d.realServerId())) {
                return c;
            }
        }
        try {
            ForwardingMethod m = s.destinations().isEmpty() ? ForwardingMethod.ROUTE : s.destinations().get(0).method();
            return new Destination(InetAddress.getByName(d.address()), d.port(), m, d.weight(), 0, 0, Tunnel.IPIP);
        } catch (UnknownHostException e) {
            LOG.warn("health result for an unknown destination {}: {}", d.realServerId(), e.toString());
            return null;
        }
    }

    /** The health engine's last word on each destination ({@code serviceId/realServerId}). */
    public Map<String, DesiredDestination> desired() {
        return Map.copyOf(desired);
    }

    private static void call(String what, Runnable r) {
        try {
            r.run();
            LOG.debug("ipvs: {}", what);
        } catch (IpvsException e) {
            LOG.warn("ipvs: {} refused: {}", what, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("ipvs: {} failed: {}", what, e.toString());
        }
    }
}
