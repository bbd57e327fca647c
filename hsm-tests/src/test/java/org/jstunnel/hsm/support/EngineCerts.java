package org.jstunnel.hsm.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.TestPki;

/**
 * Certificates for keys that live on the token, made through libp11's engine exactly as an operator
 * would: {@code openssl req -new -engine pkcs11 -keyform engine -key "pkcs11:...;type=private"} signs
 * the request on the token; the test CA (a file key) issues the certificate.
 */
public final class EngineCerts {
    private EngineCerts() {
    }

    /**
     * OPENSSL_CONF for {@code openssl req}: the pkcs11 engine with MODULE_PATH and PIN (so the PIN is on
     * no command line) and the req section; the certificate extensions go to engine-ext.cnf beside it.
     */
    private static Path opensslConf(SoftHsm.Token t, Path dir) {
        Path conf = dir.resolve("engine-openssl.cnf");
        String text = """
                openssl_conf = openssl_init
                [openssl_init]
                engines = engine_section
                [engine_section]
                pkcs11 = pkcs11_section
                [pkcs11_section]
                engine_id = pkcs11
                MODULE_PATH = %s
                PIN = %s
                init = 0
                [req]
                distinguished_name = dn
                prompt = no
                [dn]
                CN = unused
                """.formatted(SoftHsm.MODULE, t.pin());
        String ext = """
                [server_ext]
                basicConstraints = critical,CA:FALSE
                keyUsage = critical,digitalSignature,keyEncipherment
                extendedKeyUsage = serverAuth
                subjectAltName = DNS:localhost,IP:127.0.0.1
                [client_ext]
                basicConstraints = critical,CA:FALSE
                keyUsage = critical,digitalSignature,keyEncipherment
                extendedKeyUsage = clientAuth
                """;
        try {
            Files.createDirectories(dir);
            Files.writeString(conf, text);
            Files.writeString(dir.resolve("engine-ext.cnf"), ext);
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A certificate for the token key {@code keyLabel}, CN {@code cn}, issued by {@code ca};
     * {@code server} selects the server extensions (SAN localhost, 127.0.0.1), else client ones.
     * Returns the PEM file {@code dir/NAME.pem}.
     */
    public static Path issue(SoftHsm.Token t, String keyLabel, String cn, boolean server, TestPki.Entity ca,
                             Path dir, String name) {
        Path conf = opensslConf(t, dir);
        Env env = t.hsm().env().with("OPENSSL_CONF", conf.toString());
        Path csr = dir.resolve(name + ".csr");
        Path pem = dir.resolve(name + ".pem");
        env.run(dir, Binaries.OPENSSL, "req", "-new", "-engine", "pkcs11", "-keyform", "engine",
                "-key", t.uri(keyLabel) + ";type=private", "-subj", "/CN=" + cn, "-sha256", "-out", csr.toString())
                .requireSuccess();
        // the CA key is a file: sign without the engine configuration
        t.hsm().env().run(dir, Binaries.OPENSSL, "x509", "-req", "-in", csr.toString(), "-CA", ca.certFile().toString(),
                "-CAkey", ca.keyFile().toString(), "-set_serial", "0x" + Long.toHexString(System.nanoTime() | 1L << 60),
                "-days", "30", "-sha256", "-extfile", dir.resolve("engine-ext.cnf").toString(), "-extensions", server ? "server_ext" : "client_ext",
                "-out", pem.toString()).requireSuccess();
        return pem;
    }
}
