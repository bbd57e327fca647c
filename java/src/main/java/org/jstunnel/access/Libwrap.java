package org.jstunnel.access;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jstunnel.log.Log;
import org.jstunnel.net.SocketAddresses;

/** {@code libwrap = yes}: stunnel's libwrap_auth, with {@link HostsAccess} in place of libwrap. */
public final class Libwrap {
    private final HostsAccess hosts;

    public Libwrap(HostsAccess hosts) { this.hosts = hosts; }

    /**
     * Checks the client of service {@code name}; a refusal is logged as stunnel logs it.
     * @throws AccessDeniedException when hosts.allow/hosts.deny refuse the client
     */
    public void check(String name, SocketAddress peer, SocketAddress local) throws AccessDeniedException {
        if (!(peer instanceof InetSocketAddress client)) {
            Log.info("Libwrap is not supported on Unix sockets");
            return;
        }
        String from = SocketAddresses.format(peer);
        InetSocketAddress server = local instanceof InetSocketAddress l ? l : null;
        if (!hosts.permits(name, client.getAddress(), server == null ? null : server.getAddress())) {
            Log.warning("Service [" + name + "] REFUSED by libwrap from " + from);
            Log.debug("See hosts_access(5) manual for details");
            throw new AccessDeniedException("libwrap");
        }
        Log.debug("Service [" + name + "] permitted by libwrap from " + from);
    }
}
