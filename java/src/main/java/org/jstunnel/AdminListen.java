package org.jstunnel;

import java.io.IOException;
import java.util.Objects;
import org.jstunnel.config.Address;
import org.jstunnel.config.GlobalOptions;
import org.jstunnel.log.Log;
import org.jstunnel.metrics.AdminServer;
import org.jstunnel.metrics.Health;
import org.jstunnel.service.ServiceRegistry;

/** The {@code adminListen} global option: the admin listener's life in the daemon. */
final class AdminListen {
    static final String OPTION = "adminListen";
    private static String running;

    private AdminListen() {}

    /** Binds the admin listener when the option is set; null when it is not. */
    static AdminServer start(GlobalOptions g, ServiceRegistry registry) throws IOException {
        String v = g.string(OPTION);
        if (v == null || v.isEmpty()) return null;
        Health.unboundServices(registry::notBound);
        AdminServer a = AdminServer.start(Address.parse(v, "127.0.0.1"));
        running = v;
        return a;
    }

    static void stop(AdminServer a) {
        if (a != null) a.close();
    }

    /** The listener stays where it is across a reload (it serves the reload's outcome). */
    static void warnIfChanged(AdminServer a, GlobalOptions next) {
        String v = next.string(OPTION);
        if (!Objects.equals(a == null ? null : running, v == null || v.isEmpty() ? null : v))
            Log.warning("adminListen changed: the admin listener changes at the next start, not at a reload");
    }
}
