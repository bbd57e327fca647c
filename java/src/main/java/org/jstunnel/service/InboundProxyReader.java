package org.jstunnel.service;

import java.util.List;
import org.jstunnel.config.ServiceOptions;
import org.jstunnel.conn.InboundProxy;
import org.jstunnel.net.TrustedSources;

/** Reads {@code acceptProxy}/{@code acceptProxyFrom} (issue 14) into the connection's {@link InboundProxy}. */
final class InboundProxyReader {
    private InboundProxyReader() {}

    /** A configuration error, before anything is bound: acceptProxy needs trusted addresses that parse. */
    static void check(ServiceOptions o) throws ServiceException {
        String mode = o.string("acceptProxy");
        if (mode == null || mode.equals("no")) return;
        if (o.strings("acceptProxyFrom").isEmpty())
            throw new ServiceException("Service [" + o.name() + "]: acceptProxy needs acceptProxyFrom (the balancer's addresses)",
                List.of());
        try {
            TrustedSources.parse(o.strings("acceptProxyFrom"));
        } catch (IllegalArgumentException e) {
            throw new ServiceException("Service [" + o.name() + "]: " + e.getMessage(), List.of());
        }
    }

    /** After {@link #check}: the reader, or null without acceptProxy. */
    static InboundProxy read(ServiceOptions o) {
        String mode = o.string("acceptProxy");
        if (mode == null || mode.equals("no")) return null;
        return new InboundProxy(mode, TrustedSources.parse(o.strings("acceptProxyFrom")));
    }
}
