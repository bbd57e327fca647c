package org.jstunnel.service;

import java.net.SocketAddress;
import java.util.List;
import org.jstunnel.config.Address;
import org.jstunnel.config.ServiceOptions;
import org.jstunnel.conn.ExecSpec;
import org.jstunnel.log.Log;
import org.jstunnel.net.Connector;
import org.jstunnel.net.Resolver;

/**
 * Where a service's connections go: its {@code connect} and {@code redirect} targets, resolved as
 * stunnel's options.c does when a section ends, and its {@code exec} program.
 *
 * <p>Names are resolved at startup unless {@code delay = yes}. A target list none of whose names
 * resolves engages the delayed resolver for the whole service ("Cannot resolve connect target -
 * delaying DNS lookup"): its names are then resolved for every connection. The delayed resolver
 * forces {@code failover = prio} when it is engaged by the connect targets (options.c decides the
 * failover strategy after the connect targets, before the redirect targets).
 *
 * @param connect null when the remote end is the exec program
 * @param redirect null without redirect targets
 * @param exec null without an exec program
 * @param execConnect exec and connect together: the program is the local end (no listener)
 */
record Targets(Connector connect, Connector redirect, ExecSpec exec, boolean execConnect) {
    static Targets of(ServiceOptions o) {
        List<Address> connect = o.connect();
        List<Address> redirect = o.redirect();
        boolean delay = o.bool("delay");
        List<SocketAddress> connectAddrs = null, redirectAddrs = null;
        if (!connect.isEmpty() && !delay) {
            connectAddrs = Resolver.resolveAll(connect);
            if (connectAddrs.isEmpty()) {
                Log.info("Cannot resolve connect target - delaying DNS lookup");
                connectAddrs = null;
                delay = true;
            }
        }
        boolean roundRobin = !delay && "rr".equals(o.string("failover"));
        if (!redirect.isEmpty() && !delay) {
            redirectAddrs = Resolver.resolveAll(redirect);
            if (redirectAddrs.isEmpty()) {
                Log.info("Cannot resolve redirect target - delaying DNS lookup");
                redirectAddrs = null;
                connectAddrs = null;
                delay = true;
            }
        }
        int timeout = o.integer("TIMEOUTconnect");
        Connector c = connect.isEmpty() ? null
            : new Connector(connect, connectAddrs, roundRobin, timeout, o.local());
        Connector r = redirect.isEmpty() ? null
            : new Connector(redirect, redirectAddrs, roundRobin, timeout, o.local());
        ExecSpec exec = null;
        String path = o.string("exec");
        if (path != null) {
            String args = o.string("execArgs");
            exec = new ExecSpec(path, args == null ? List.of(path) : ExecSpec.splitArgs(args));
        }
        return new Targets(c, r, exec, exec != null && c != null);
    }
}
