package org.jstunnel.it.support;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usual fixture of an end-to-end test class: an EC P-256 test PKI made once per class, a fresh
 * directory per test, and the test's processes and sockets closed after it ({@link Resources}).
 * Classes run one after another, so the static fields are the running class's.
 */
public abstract class EcPkiTestSupport {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    protected static Path pkiDir;
    protected static TestPki pki;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    protected Path dir;

    @RegisterExtension
    protected final Resources res = new Resources();

    @BeforeAll
    static void ecPki() {
        pki = TestPki.create(pkiDir, TestPki.KeyType.EC_P256);
    }
}
