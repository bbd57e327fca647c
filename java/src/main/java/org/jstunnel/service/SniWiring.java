package org.jstunnel.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jstunnel.ssl.SniRoute;

/**
 * Server-side SNI (stunnel's sni_init): each slave ({@code sni = MASTER:PATTERN}) is routed from its
 * master's context, in configuration order. Rewired after every start and reload, so a master always
 * routes to the slaves currently running.
 */
final class SniWiring {
    private SniWiring() {}

    static void wire(Collection<Service> services) {
        Map<String, List<SniRoute>> routes = new LinkedHashMap<>();
        Map<String, Service> byServiceName = new LinkedHashMap<>();
        for (Service s : services) byServiceName.putIfAbsent(s.options().string("service"), s);
        for (Service s : services) {
            String sni = s.options().string("sni");
            if (s.client() || sni == null) continue;
            int colon = sni.indexOf(':');
            if (colon < 0) continue; // rejected when the configuration was read
            String master = sni.substring(0, colon);
            routes.computeIfAbsent(master, k -> new ArrayList<>())
                .add(new SniRoute(sni.substring(colon + 1), s.sslContext(), s));
        }
        for (Service s : services) {
            if (s.client()) continue;
            s.sslContext().setSniRoutes(routes.getOrDefault(s.options().string("service"), List.of()));
        }
    }
}
