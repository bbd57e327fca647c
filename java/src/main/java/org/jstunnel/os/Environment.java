package org.jstunnel.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code setEnv = NAME=VALUE} (stunnel 5.75): setenv(3) in jstunnel's own environment, as stunnel
 * does while parsing, so OpenSSL providers and engines loaded afterwards read it (the manual's
 * PKCS11_MODULE_PATH example). Java's {@link System#getenv()} is a copy taken at start-up, so the
 * changes are also kept here for the environment of {@code exec} programs. An empty value or no
 * '=' unsets the variable, as stunnel's unsetenv.
 */
public final class Environment {
    private Environment() {}

    private interface C extends Library {
        int setenv(String name, String value, int overwrite) throws LastErrorException;
        int unsetenv(String name) throws LastErrorException;
    }

    private static final class Holder {
        static final C C = Native.load(CLibrary.NAME, C.class);
    }

    private static final Map<String, String> changed = new LinkedHashMap<>(); // null value: unset

    /** Applies {@code setEnv} lines in order; a line the C library refuses (e.g. an empty name) is returned. */
    public static synchronized String apply(List<String> assignments) {
        for (String a : assignments) {
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            try {
                if (value.isEmpty()) Holder.C.unsetenv(name);
                else Holder.C.setenv(name, value, 1);
            } catch (LastErrorException e) {
                return name;
            }
            changed.put(name, value.isEmpty() ? null : value);
        }
        return null;
    }

    /** The environment a child process inherits: jstunnel's at start-up with the setEnv changes. */
    public static synchronized Map<String, String> current() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        changed.forEach((k, v) -> {
            if (v == null) env.remove(k);
            else env.put(k, v);
        });
        return env;
    }
}
