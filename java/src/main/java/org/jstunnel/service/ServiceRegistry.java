package org.jstunnel.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jstunnel.config.ServiceOptions;
import org.jstunnel.log.Log;

/**
 * The running services. A reload keeps every service whose options did not change (its listener
 * and its connections untouched), stops the ones that went away or changed, and starts the new ones.
 */
public final class ServiceRegistry {
    private final Map<String, Service> running = new LinkedHashMap<>();
    private List<String> notBound = List.of(); // services of the last configuration left without a listener

    /** Creates every service's context and targets; on failure nothing is left allocated. */
    public static List<Service> create(List<ServiceOptions> services) throws ServiceException {
        return createAll(services);
    }

    /** Binds every created service, then starts accepting; on any failure nothing stays bound. */
    public synchronized void start(List<Service> created) throws IOException {
        try {
            for (Service s : created) s.bind();
        } catch (IOException e) {
            for (Service s : created) s.stop(); // Service.bind logged "Binding service [x] failed"
            throw e;
        }
        SniWiring.wire(created); // masters route to their slaves before the first accept
        for (Service s : created) {
            running.put(s.name(), s);
            s.startAccepting();
        }
    }

    private static List<Service> createAll(List<ServiceOptions> services) throws ServiceException {
        List<Service> created = new ArrayList<>();
        try {
            for (ServiceOptions o : services) created.add(Service.create(o));
        } catch (ServiceException e) {
            for (Service s : created) s.stop();
            throw e;
        }
        return created;
    }

    /**
     * Applies a new, already parsed configuration. New contexts are built before anything is
     * unbound, so a broken certificate leaves the old services serving.
     */
    public synchronized void reload(List<ServiceOptions> next) throws ServiceException, IOException {
        List<ServiceOptions> changed = new ArrayList<>();
        for (ServiceOptions o : next) {
            Service old = running.get(o.name());
            if (old == null || !old.options().equals(o)) changed.add(o);
        }
        List<Service> created = createAll(changed);
        List<String> keep = next.stream().map(ServiceOptions::name).toList();
        // unbind what goes away or changes, then bind the replacements
        List<Service> removed = new ArrayList<>();
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            boolean replaced = created.stream().anyMatch(s -> s.name().equals(e.getKey()));
            if (!keep.contains(e.getKey()) || replaced) {
                e.getValue().unbind();
                removed.add(e.getValue());
                it.remove();
            }
        }
        List<Service> bound = new ArrayList<>();
        try {
            for (Service s : created) {
                s.bind();
                bound.add(s);
            }
        } catch (IOException e) {
            notBound = created.stream().map(Service::name).toList();
            for (Service s : created) s.stop();
            // put the previous services back on their ports
            for (Service s : removed) rebindOld(s);
            throw e;
        }
        notBound = List.of();
        for (Service s : removed) s.stop();
        List<Service> all = new ArrayList<>(running.values());
        all.addAll(created);
        SniWiring.wire(all); // kept masters route to new slaves, new masters to kept slaves
        for (Service s : created) {
            running.put(s.name(), s);
            s.startAccepting();
        }
        // keep the configuration's order for -status style listings
        Map<String, Service> ordered = new LinkedHashMap<>();
        for (String n : keep) if (running.containsKey(n)) ordered.put(n, running.get(n));
        running.clear();
        running.putAll(ordered);
        TicketKeyWatch.checkAll(); // kept services re-read their ticketKeyFile (issue 14)
    }

    private void rebindOld(Service s) {
        try {
            s.bind();
            s.startAccepting();
            running.put(s.name(), s);
        } catch (IOException e) {
            Log.err("Service [" + s.name() + "] could not be restored after a failed reload");
            notBound = java.util.stream.Stream.concat(notBound.stream(), java.util.stream.Stream.of(s.name())).toList();
            s.stop();
        }
    }

    /** Services the configuration asks for that are not bound now (a reload that could not bind them): /ready. */
    public synchronized List<String> notBound() { return notBound; }

    public synchronized List<Service> services() { return List.copyOf(running.values()); }

    /** Drain (issue 14): every listener closed, established connections untouched. */
    public synchronized void unbindAll() {
        for (Service s : running.values()) s.unbind();
    }

    public synchronized void stopAll() {
        for (Service s : running.values()) s.stop();
        running.clear();
    }
}
