package org.jstunnel.it.support;

import java.nio.file.Path;

/** Debian's real stunnel 5.x as a peer of the program under test, with its own config and log. */
public final class Stunnel4Process {
    private Stunnel4Process() {
    }

    public static TunnelProcess start(Path dir, String label, StunnelConfig config) {
        return TunnelProcess.launch(Binaries.stunnel4(), dir, label, config).awaitReady();
    }
}
