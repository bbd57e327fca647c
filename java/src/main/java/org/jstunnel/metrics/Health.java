package org.jstunnel.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /ready}: ready once jstunnel accepts connections, while every service of the configuration
 * is bound and every registered key is usable. The key code (issue 10) registers its keys through
 * {@link #registerKey}.
 */
public final class Health {
    private static final Map<String, BooleanSupplier> KEYS = new ConcurrentHashMap<>();
    private static volatile boolean accepting;
    private static volatile Supplier<List<String>> unboundServices = List::of;

    private Health() {}

    /** "Accepting new connections" was logged (false again from "Terminated" on). */
    public static void accepting(boolean yes) { accepting = yes; }

    /** The names of configured services that have no listener (asked at each /ready). */
    public static void unboundServices(Supplier<List<String>> source) { unboundServices = source; }

    /** A key whose usability /ready checks (the check must answer fast: it runs on a scrape thread). */
    public static void registerKey(String name, BooleanSupplier usable) { KEYS.put(name, usable); }

    public static void unregisterKey(String name) { KEYS.remove(name); }

    /** Why jstunnel is not ready, one line each; empty: ready. */
    public static List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!accepting) out.add("not accepting connections");
        for (String s : unboundServices.get()) out.add("service [" + s + "] not bound");
        KEYS.forEach((name, usable) -> {
            boolean ok;
            try {
                ok = usable.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) out.add("key [" + name + "] not usable");
        });
        return out;
    }
}
