package org.jstunnel.ssl;

import java.nio.file.Files;
import java.nio.file.Path;

/** Loads libjstunnel once: from {@code -Djstunnel.native=PATH} (set by bin/jstunnel), else java.library.path. */
public final class NativeLibrary {
    private NativeLibrary() {}

    private static volatile boolean loaded;

    public static synchronized void load() {
        if (loaded) return;
        String path = System.getProperty("jstunnel.native");
        if (path != null && !path.isEmpty()) {
            if (!Files.isRegularFile(Path.of(path)))
                throw new UnsatisfiedLinkError("libjstunnel not found at " + path + " (build it: ./mvnw -DskipTests package)");
            System.load(Path.of(path).toAbsolutePath().toString());
        } else {
            System.loadLibrary("jstunnel");
        }
        NativeSsl.init();
        loaded = true;
    }
}
