package org.jstunnel.cli;

import java.util.Locale;

/** jstunnel's name and version, and the platform string stunnel prints after "on". */
public final class Version {
    private Version() {}

    /** The program name printed where stunnel prints "stunnel". */
    public static final String PROGRAM = "jstunnel";

    public static final String VERSION = "0.1.0";

    /**
     * An autoconf-style host triplet as stunnel's HOST ("x86_64-pc-linux-gnu"), derived from the JVM's
     * os.arch and os.name.
     */
    public static String host() {
        return host(System.getProperty("os.arch", "unknown"), System.getProperty("os.name", "unknown"));
    }

    static String host(String osArch, String osName) {
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            case "aarch64", "arm64" -> "aarch64";
            case "ppc64le" -> "powerpc64le";
            case "ppc64" -> "powerpc64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        String vendor = arch.equals("x86_64") || arch.equals("i686") ? "pc" : "unknown";
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) return arch + "-" + vendor + "-linux-gnu";
        if (os.startsWith("mac") || os.startsWith("darwin")) return arch + "-apple-darwin";
        if (os.startsWith("freebsd")) return arch + "-unknown-freebsd";
        if (os.startsWith("windows")) return arch + "-pc-windows";
        return arch + "-" + vendor + "-" + os.replace(' ', '_');
    }
}
