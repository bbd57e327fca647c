package org.jstunnel.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away PKI made with the openssl CLI: a trusted root CA with a server certificate
 * (CN=localhost, SAN DNS:localhost, IP:127.0.0.1) and a client certificate, plus a second,
 * untrusted CA with its own server and client certificates. Keys are PKCS#8 PEM in separate files;
 * {@link Entity#combined()} gives the same identity as one PEM file holding key and certificate.
 */
public final class TestPki {
    public enum KeyType {
        EC_P256(List.of("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")),
        RSA_2048(List.of("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"));

        private final List<String> genpkeyArgs;

        KeyType(List<String> genpkeyArgs) {
            this.genpkeyArgs = genpkeyArgs;
        }
    }

    /** A certificate and its key; {@code certFile == keyFile} for a combined PEM. */
    public record Entity(String name, String commonName, Path certFile, Path keyFile) {
        /** The same identity as one file: private key first, then the certificate (the layout stunnel's manual shows). */
        public Entity combined() {
            Path combined = certFile.resolveSibling(name + "-combined.pem");
            try {
                if (!Files.exists(combined)) {
                    Files.writeString(combined, Files.readString(keyFile) + Files.readString(certFile));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Entity(name + "-combined", commonName, combined, combined);
        }
    }

    public static final String CA_CN = "jstunnel test root CA";
    public static final String SERVER_CN = "localhost";
    public static final String CLIENT_CN = "jstunnel test client";
    public static final String UNTRUSTED_CA_CN = "jstunnel untrusted CA";
    public static final String UNTRUSTED_CLIENT_CN = "jstunnel untrusted client";

    private static final String OPENSSL_CNF = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = unused
            [ca_ext]
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            [server_ext]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:localhost,IP:127.0.0.1
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [client_ext]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = clientAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """;

    private final Path dir;
    private final KeyType keyType;
    private final Entity ca;
    private final Entity server;
    private final Entity client;
    private final Entity untrustedCa;
    private final Entity untrustedServer;
    private final Entity untrustedClient;

    private TestPki(Path dir, KeyType keyType) {
        this.dir = dir;
        this.keyType = keyType;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("openssl.cnf"), OPENSSL_CNF);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ca = selfSigned("ca", CA_CN);
        server = issued("server", SERVER_CN, "server_ext", ca);
        client = issued("client", CLIENT_CN, "client_ext", ca);
        untrustedCa = selfSigned("untrusted-ca", UNTRUSTED_CA_CN);
        untrustedServer = issued("untrusted-server", SERVER_CN, "server_ext", untrustedCa);
        untrustedClient = issued("untrusted-client", UNTRUSTED_CLIENT_CN, "client_ext", untrustedCa);
    }

    public static TestPki create(Path dir, KeyType keyType) {
        return new TestPki(dir, keyType);
    }

    public KeyType keyType() {
        return keyType;
    }

    public Entity ca() {
        return ca;
    }

    /** The trusted root CA certificate: the {@code CAfile} of every verifying side. */
    public Path caFile() {
        return ca.certFile();
    }

    public Entity server() {
        return server;
    }

    public Entity client() {
        return client;
    }

    public Entity untrustedCa() {
        return untrustedCa;
    }

    /** CN=localhost with the right SAN, but issued by the untrusted CA. */
    public Entity untrustedServer() {
        return untrustedServer;
    }

    public Entity untrustedClient() {
        return untrustedClient;
    }

    private Entity selfSigned(String name, String cn) {
        Path key = genKey(name);
        Path cert = dir.resolve(name + ".pem");
        openssl("req", "-x509", "-new", "-key", key.toString(), "-config", "openssl.cnf",
                "-subj", "/CN=" + cn, "-extensions", "ca_ext", "-days", "30", "-sha256", "-out", cert.toString());
        return new Entity(name, cn, cert, key);
    }

    private Entity issued(String name, String cn, String extensions, Entity issuer) {
        Path key = genKey(name);
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        openssl("req", "-new", "-key", key.toString(), "-config", "openssl.cnf", "-subj", "/CN=" + cn,
                "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", issuer.certFile().toString(),
                "-CAkey", issuer.keyFile().toString(), "-set_serial", serial(), "-days", "30", "-sha256",
                "-extfile", "openssl.cnf", "-extensions", extensions, "-out", cert.toString());
        return new Entity(name, cn, cert, key);
    }

    private Path genKey(String name) {
        Path key = dir.resolve(name + ".key");
        List<String> args = new ArrayList<>(List.of("genpkey"));
        args.addAll(keyType.genpkeyArgs);
        args.addAll(List.of("-out", key.toString()));
        openssl(args.toArray(String[]::new));
        return key;
    }

    private static String serial() {
        return "0x" + Long.toHexString(System.nanoTime() & Long.MAX_VALUE | 1L << 60);
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Binaries.OPENSSL);
        cmd.addAll(List.of(args));
        Commands.run(dir, cmd);
    }
}
