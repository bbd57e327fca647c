package org.jstunnel.service;

import java.util.List;
import org.jstunnel.config.GlobalOptions;
import org.jstunnel.config.OptionLine;
import org.jstunnel.keys.KeyRunners;
import org.jstunnel.ssl.CryptoConfigException;
import org.jstunnel.ssl.GlobalCrypto;

/**
 * Reads the global section's engine, provider and fips options into {@link GlobalCrypto} (issue 5).
 * Called once the configuration is loaded and before services are created, at start-up and on
 * every reload (where it only checks nothing changed).
 */
public final class GlobalCryptoSetup {
    private GlobalCryptoSetup() {}

    /** @throws ServiceException the configuration fails: details (OpenSSL's queue) first, then the message */
    public static void apply(GlobalOptions g) throws ServiceException {
        List<GlobalCrypto.Line> lines = g.lines("engine", "engineCtrl", "engineDefault", "provider", "providerParameter")
            .stream().map(GlobalCryptoSetup::line).toList();
        List<OptionLine> fips = g.lines("fips");
        GlobalCrypto.Line fipsLine = fips.isEmpty() ? null : line(fips.get(fips.size() - 1));
        Boolean setting = fipsLine == null ? null : "yes".equals(fipsLine.value());
        // token keys sign on key runners (issue 10); contexts built from here on use these settings
        KeyRunners.configure(g.integer("pkcs11Sessions"), java.time.Duration.ofMillis(g.integer("pkcs11Timeout")));
        try {
            GlobalCrypto.configure(new GlobalCrypto.Settings(lines, setting, fipsLine));
        } catch (CryptoConfigException e) {
            throw new ServiceException(e.getMessage(), e.details());
        }
    }

    private static GlobalCrypto.Line line(OptionLine l) {
        return new GlobalCrypto.Line(l.option(), l.value(), l.where(), l.text());
    }
}
