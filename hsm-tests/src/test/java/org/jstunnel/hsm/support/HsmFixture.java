package org.jstunnel.hsm.support;

import java.nio.file.Path;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.TestPki;

/**
 * What the HSM test classes share, made once per class in its temporary folder: a private SoftHSM2
 * with one token holding an RSA-2048 and an EC P-256 key pair generated on the token, server and
 * client certificates for them issued (through the engine) by a file-based test CA, and the RSA
 * server certificate also written to the token under the key's label (the manual's SoftHSM example:
 * {@code cert = pkcs11:token=T;object=L} with {@code key} defaulting to the same URI).
 */
public final class HsmFixture {
    /** Distinctive, so a test can prove it appears in no log line. */
    public static final String PIN = "73915846";
    public static final String SO_PIN = "26481359";
    public static final String TOKEN = "jstunnel-hsm";
    public static final String RSA = "rsa-server";
    public static final String EC = "ec-server";
    public static final String RSA_CLIENT = "rsa-client";
    public static final String EC_CLIENT = "ec-client";
    public static final String CLIENT_CN = "jstunnel hsm client";

    private final Path dir;
    private final SoftHsm hsm;
    private final SoftHsm.Token token;
    private final TestPki pki;
    private final Path rsaServerCert;
    private final Path ecServerCert;
    private final Path rsaClientCert;
    private final Path ecClientCert;

    private HsmFixture(Path dir) {
        this.dir = dir;
        hsm = SoftHsm.create(dir.resolve("softhsm"));
        token = hsm.initToken(TOKEN, PIN, SO_PIN);
        pki = TestPki.create(dir.resolve("pki"), TestPki.KeyType.EC_P256);
        Pkcs11Tool.keygen(token, Pkcs11Tool.RSA_2048, RSA, "01");
        Pkcs11Tool.keygen(token, Pkcs11Tool.EC_P256, EC, "02");
        Pkcs11Tool.keygen(token, Pkcs11Tool.RSA_2048, RSA_CLIENT, "03");
        Pkcs11Tool.keygen(token, Pkcs11Tool.EC_P256, EC_CLIENT, "04");
        Path certs = dir.resolve("certs");
        rsaServerCert = EngineCerts.issue(token, RSA, TestPki.SERVER_CN, true, pki.ca(), certs, RSA);
        ecServerCert = EngineCerts.issue(token, EC, TestPki.SERVER_CN, true, pki.ca(), certs, EC);
        rsaClientCert = EngineCerts.issue(token, RSA_CLIENT, CLIENT_CN, false, pki.ca(), certs, RSA_CLIENT);
        ecClientCert = EngineCerts.issue(token, EC_CLIENT, CLIENT_CN, false, pki.ca(), certs, EC_CLIENT);
        Pkcs11Tool.writeCertificate(token, rsaServerCert, RSA, "01");
    }

    public static HsmFixture create(Path dir) {
        return new HsmFixture(dir);
    }

    public SoftHsm hsm() { return hsm; }

    public SoftHsm.Token token() { return token; }

    public TestPki pki() { return pki; }

    public Path caFile() { return pki.caFile(); }

    public Path rsaServerCert() { return rsaServerCert; }

    public Path ecServerCert() { return ecServerCert; }

    public Path rsaClientCert() { return rsaClientCert; }

    public Path ecClientCert() { return ecClientCert; }

    /** bin/jstunnel with SOFTHSM2_CONF set: a binary for {@code TunnelProcess.launch}. */
    public Path jstunnel(Path testDir) {
        return hsm.env().wrap(testDir, "jstunnel-softhsm", Binaries.underTest());
    }

    /** Debian's stunnel4 with SOFTHSM2_CONF set. */
    public Path stunnel4(Path testDir) {
        return hsm.env().wrap(testDir, "stunnel4-softhsm", Binaries.stunnel4());
    }

    /**
     * The harness's config with the engine configured as the manual's example does (engine = pkcs11,
     * engineCtrl = MODULE_PATH:..., engineCtrl = PIN:...), at debug level so a PIN in any log line
     * would show.
     */
    public StunnelConfig engineConfig() {
        return engineConfig(PIN);
    }

    public StunnelConfig engineConfig(String pin) {
        return new StunnelConfig().global("debug", "debug")
                .globalRaw("engine = pkcs11")
                .globalRaw("engineCtrl = MODULE_PATH:" + SoftHsm.MODULE)
                .globalRaw("engineCtrl = PIN:" + pin);
    }

    public Path dir() { return dir; }
}
