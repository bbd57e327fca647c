package org.jstunnel;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.Enumeration;
import org.jstunnel.config.GlobalOptions;
import org.jstunnel.log.Log;

/**
 * What must be open before chroot hides the real root: a JVM loads classes, native libraries and
 * data files lazily, and none of them are inside the jail. Opened here and kept open by the JVM:
 * every jar of the class path (a lookup of a missing resource walks them all), the runtime image
 * for platform modules (lib/modules), libextnet (socket options), the JCA configuration and
 * /dev/urandom (SecureRandom), the time zone, the resolver's NSS modules, libc through each JNA
 * binding, and the syslog socket (stunnel opens /dev/log before chroot for the same reason).
 * OpenSSL, its providers, engines and PKCS#11 modules were loaded while the configuration was read.
 */
final class JailPreload {
    private JailPreload() {}

    static void run(GlobalOptions g) {
        try {
            Enumeration<java.net.URL> none = ClassLoader.getSystemClassLoader().getResources("jstunnel/jail-preload");
            while (none.hasMoreElements()) none.nextElement();
        } catch (IOException e) {
            Log.debug("Class path preload: " + e.getMessage());
        }
        try {
            Class.forName("jdk.net.ExtendedSocketOptions", true, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException e) {
            Log.debug("jdk.net not present: " + e.getMessage());
        }
        new SecureRandom().nextInt();
        java.util.UUID.randomUUID();
        ZoneId.systemDefault().getRules();
        java.util.TimeZone.getDefault();
        try {
            InetAddress.getAllByName("localhost");
        } catch (IOException e) {
            Log.debug("Resolver preload: " + e.getMessage());
        }
        org.jstunnel.os.Spawn.describe(0);
        org.jstunnel.os.Credentials.preload();
        org.jstunnel.os.Jail.preload();
        org.jstunnel.os.Poll.preload();
        if (g.bool("syslog")) {
            String ident = g.string("service") == null ? "stunnel" : g.string("service");
            org.jstunnel.log.Log.openSyslogEarly(ident, g.logFacility());
        }
    }
}
