package org.jstunnel.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jstunnel.config.GlobalOptions;
import org.jstunnel.log.Log;
import org.jstunnel.ssl.NativeTls;
import org.jstunnel.ssl.OpenSslException;

/**
 * The global TLS settings of stunnel's ssl_configure besides engines and FIPS (issue 3): compression
 * ({@code compression}) and PRNG seeding ({@code RNDfile}, {@code RNDbytes}, {@code RNDoverwrite},
 * {@code EGD}). Applied at start-up and on every reload, before any service context is built.
 */
public final class GlobalTlsSetup {
    private static final String FAILED = "Global options: Failed to initialize TLS";

    private GlobalTlsSetup() {}

    public static void apply(GlobalOptions g) throws ServiceException {
        compression(g.string("compression"));
        prng(g);
    }

    /**
     * ssl.c compression_set: none (the default) leaves OpenSSL no compression method; deflate keeps the
     * methods OpenSSL was built with. zlib (deflate plus the obsolete private id 0xe0) is refused unless
     * OpenSSL itself offers 0xe0. Without methods (OpenSSL built without zlib) both are refused, as stunnel does.
     */
    private static void compression(String type) throws ServiceException {
        String[] available = NativeTls.SSL_COMP_methods();
        int[] keep;
        if (type == null) {
            keep = new int[0];
        } else {
            boolean has0xe0 = List.of(available).stream().anyMatch(m -> m.startsWith("0xe0:"));
            if (available.length == 0 || (type.equals("zlib") && !has0xe0))
                throw new ServiceException(FAILED, List.of("Configured compression is unsupported by OpenSSL"));
            keep = new int[available.length];
            for (int i = 0; i < available.length; i++)
                keep[i] = Integer.parseInt(available[i].substring(2, available[i].indexOf(':')), 16);
            if (type.equals("deflate")) keep = java.util.Arrays.stream(keep).filter(id -> id != 0xe0).toArray();
        }
        NativeTls.SSL_COMP_select(keep);
        String[] now = NativeTls.SSL_COMP_methods();
        if (now.length == 0) {
            Log.info("Compression disabled");
            return;
        }
        Log.info("Compression enabled: " + now.length + " method" + (now.length == 1 ? "" : "s"));
        for (String m : now) Log.info("Compression id " + m);
    }

    /**
     * ssl.c prng_init. OpenSSL 3 seeds itself, so RAND_status() is already 1 and nothing is read; the
     * files are only used where OpenSSL asks for seeding. EGD: OpenSSL 3 has no EGD support
     * (OPENSSL_NO_EGD), so stunnel built against it accepts the option and never uses it; so does jstunnel.
     */
    private static void prng(GlobalOptions g) throws ServiceException {
        if (NativeTls.RAND_status()) {
            Log.debug("No PRNG seeding was required");
            return;
        }
        long bytes = g.integer("RNDbytes");
        boolean overwrite = g.bool("RNDoverwrite");
        int total = 0;
        String file = g.string("RNDfile");
        if (file != null) {
            total += addRandFile(file, bytes, overwrite);
            if (NativeTls.RAND_status()) return;
        }
        String dflt = NativeTls.RAND_file_name();
        if (dflt != null) {
            total += addRandFile(dflt, bytes, overwrite);
            if (NativeTls.RAND_status()) return;
        }
        total += addRandFile("/dev/urandom", bytes, overwrite);
        if (NativeTls.RAND_status()) return;
        throw new ServiceException(FAILED, List.of("PRNG seeded with " + total + " bytes total",
            "PRNG was not seeded with enough random bytes"));
    }

    private static int addRandFile(String file, long bytes, boolean overwrite) {
        Path p = Path.of(file);
        if (!Files.exists(p)) return 0;
        int read;
        try {
            read = NativeTls.RAND_load_file(file, bytes);
        } catch (OpenSslException e) {
            for (String line : e.logLines()) Log.err(line);
            Log.info("Cannot retrieve any random data from " + file);
            return 0;
        }
        Log.debug("Snagged " + read + " random bytes from " + file);
        if (overwrite && Files.isRegularFile(p)) {
            try {
                Log.debug("Wrote " + NativeTls.RAND_write_file(file) + " new random bytes to " + file);
            } catch (OpenSslException e) {
                for (String line : e.logLines()) Log.err(line);
                Log.warning("Failed to write strong random data to " + file + " - may be a permissions or seeding problem");
            }
        }
        return read;
    }
}
