package org.jstunnel.hsm.support;

import java.nio.file.Path;
import org.jstunnel.it.support.Resources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup the HSM test classes share: an {@link HsmFixture} made once per class in its own
 * temporary folder, a temporary folder per test, and the per-test {@link Resources} closed after
 * each test. Temporary folders are kept when a test fails.
 */
public abstract class HsmTestSupport {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    protected static Path fixtureDir;
    protected static HsmFixture hsm;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    protected Path dir;

    @RegisterExtension
    protected final Resources res = new Resources();

    @BeforeAll
    static void token() {
        hsm = HsmFixture.create(fixtureDir);
    }
}
