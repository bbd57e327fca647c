package org.jstunnel.net;

import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jstunnel.config.Address;
import org.jstunnel.log.Log;

/**
 * stunnel's name2addrlist for {@code connect} and {@code redirect} targets: every address of every
 * name, a name that does not resolve logged ({@code Error resolving "HOST": ...}) and skipped.
 */
public final class Resolver {
    private Resolver() {}

    /** Every address of every target, in order; empty when none resolves. */
    public static List<SocketAddress> resolveAll(List<Address> names) {
        List<SocketAddress> out = new ArrayList<>();
        for (Address a : names) out.addAll(resolve(a));
        return out;
    }

    /** The addresses of one target; empty (and logged as stunnel does) when it does not resolve. */
    public static List<SocketAddress> resolve(Address a) {
        try {
            return SocketAddresses.resolve(a);
        } catch (UnknownHostException e) {
            Log.err("Error resolving \"" + a.host() + "\": " + gaiError(e));
            return List.of();
        }
    }

    /** stunnel's s_gai_strerror text for what Java reports of getaddrinfo's failure. */
    static String gaiError(UnknownHostException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("Temporary failure")) return "Temporary failure in name resolution (EAI_AGAIN)";
        if (m.contains("No address associated")) return "No address associated with nodename (EAI_NODATA)";
        if (m.contains("Non-recoverable")) return "Non-recoverable failure in name resolution (EAI_FAIL)";
        return "Neither nodename nor servname known (EAI_NONAME)";
    }
}
