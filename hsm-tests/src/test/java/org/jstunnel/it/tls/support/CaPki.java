package org.jstunnel.it.tls.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Commands;

/**
 * A throw-away PKI made with {@code openssl ca}, so certificates can be revoked and a CRL and an OCSP
 * responder can report it: a root CA, an intermediate CA under it, and leaves issued by the
 * intermediate. Every leaf's {@link Leaf#chainFile()} holds the leaf then the intermediate (what a
 * peer presents); the root alone is the trust anchor ({@link #rootFile()}, {@link #caDir()}).
 *
 * <p>Leaves: {@code server} (CN=localhost, DNS:localhost, IP:127.0.0.1), {@code client}
 * (email:client@example.org), {@code expired}, {@code notYetValid}, {@code wrongHost}
 * (other.example, IP 127.0.0.2), {@code revoked} (in the CRL and revoked for OCSP), plus a
 * self-signed localhost certificate and one from an untrusted root. EC P-256 keys (fast).
 */
public final class CaPki {
    /** A certificate, its key, and the chain file a peer presents (the leaf, then the intermediate). */
    public record Leaf(String name, String commonName, Path certFile, Path keyFile, Path chainFile) {
        /** One PEM file with the key first, then the chain (cert = key = this file). */
        public Path combined() {
            Path p = certFile.resolveSibling(name + "-combined.pem");
            try {
                if (!Files.exists(p)) Files.writeString(p, Files.readString(keyFile) + Files.readString(chainFile));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }
    }

    public static final String ROOT_CN = "jstunnel tls root CA";
    public static final String INTERMEDIATE_CN = "jstunnel tls intermediate CA";
    public static final String CLIENT_CN = "jstunnel tls client";
    public static final String CLIENT_EMAIL = "client@example.org";
    public static final String UNTRUSTED_ROOT_CN = "jstunnel tls untrusted root";
    private static final DateTimeFormatter CA_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private static final String EXTENSIONS = """
            [root_ext]
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            [int_ext]
            basicConstraints = critical,CA:TRUE,pathlen:0
            keyUsage = critical,keyCertSign,cRLSign,digitalSignature
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [self_ext]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = serverAuth,clientAuth
            subjectAltName = DNS:localhost,IP:127.0.0.1
            """;

    private final Path dir;
    private final Path root;
    private final Path rootKey;
    private final Path intermediate;
    private final Path intermediateKey;
    private final Path untrustedRoot;
    private final Path untrustedRootKey;
    private int serial = 0x1000;

    public final Leaf server;
    public final Leaf client;
    public final Leaf expired;
    public final Leaf notYetValid;
    public final Leaf wrongHost;
    public final Leaf revoked;
    public final Leaf selfSigned;
    public final Leaf untrusted;

    private CaPki(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("ext.cnf"), EXTENSIONS);
            Files.writeString(dir.resolve("req.cnf"), "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = unused\n"
                    + EXTENSIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rootKey = key("root");
        root = dir.resolve("root.pem");
        openssl("req", "-x509", "-new", "-key", rootKey.toString(), "-config", "req.cnf", "-subj", "/CN=" + ROOT_CN,
                "-extensions", "root_ext", "-days", "30", "-sha256", "-out", root.toString());
        caDatabase("rootdb");
        intermediateKey = key("intermediate");
        intermediate = dir.resolve("intermediate.pem");
        sign("rootdb", root, rootKey, csr("intermediate", INTERMEDIATE_CN, intermediateKey), intermediate, "int_ext",
                null, now().minusDays(1), now().plusDays(30));
        caDatabase("intdb");
        untrustedRootKey = key("untrusted-root");
        untrustedRoot = dir.resolve("untrusted-root.pem");
        openssl("req", "-x509", "-new", "-key", untrustedRootKey.toString(), "-config", "req.cnf",
                "-subj", "/CN=" + UNTRUSTED_ROOT_CN, "-extensions", "root_ext", "-days", "30",
                "-sha256", "-out", untrustedRoot.toString());
        caDatabase("untrusteddb");

        server = issue("server", "localhost", "DNS:localhost,IP:127.0.0.1", null);
        client = issue("client", CLIENT_CN, "email:" + CLIENT_EMAIL, null);
        expired = issue("expired", "localhost", "DNS:localhost,IP:127.0.0.1", null,
                now().minusDays(10), now().minusDays(1));
        notYetValid = issue("not-yet-valid", "localhost", "DNS:localhost,IP:127.0.0.1", null,
                now().plusDays(1), now().plusDays(10));
        wrongHost = issue("wrong-host", "other.example", "DNS:other.example,IP:127.0.0.2,email:other@example.org", null);
        revoked = issue("revoked", "localhost", "DNS:localhost,IP:127.0.0.1", null);
        openssl("ca", "-batch", "-config", caConfig("intdb"), "-cert", intermediate.toString(),
                "-keyfile", intermediateKey.toString(), "-revoke", revoked.certFile().toString(),
                "-crl_reason", "keyCompromise");
        Path selfKey = key("self-signed");
        Path self = dir.resolve("self-signed.pem");
        openssl("req", "-x509", "-new", "-key", selfKey.toString(), "-config", "req.cnf", "-subj", "/CN=localhost",
                "-extensions", "self_ext", "-days", "30", "-sha256", "-out", self.toString());
        selfSigned = new Leaf("self-signed", "localhost", self, selfKey, self);
        Path untrustedKey = key("untrusted");
        Path untrustedCert = dir.resolve("untrusted.pem");
        sign("untrusteddb", untrustedRoot, untrustedRootKey, csr("untrusted", "localhost", untrustedKey), untrustedCert,
                "leaf_untrusted", "DNS:localhost,IP:127.0.0.1", now().minusDays(1), now().plusDays(30));
        untrusted = new Leaf("untrusted", "localhost", untrustedCert, untrustedKey, untrustedCert); // no issuer sent
    }

    /** Builds the PKI in {@code dir} (a few seconds of openssl runs). */
    public static CaPki create(Path dir) {
        return new CaPki(dir);
    }

    public Path dir() { return dir; }

    /** The trust anchor: the root certificate alone. */
    public Path rootFile() { return root; }

    public Path intermediateFile() { return intermediate; }

    public Path intermediateKey() { return intermediateKey; }

    /** The intermediate CA's {@code openssl ca} index (what an {@code openssl ocsp} responder serves). */
    public Path intermediateIndex() { return dir.resolve("intdb/index.txt"); }

    /** root and intermediate in one file. */
    public Path bothCasFile() { return concat("cas.pem", root, intermediate); }

    /** A CApath directory: the root under its subject hash (HASH.0), as c_rehash makes it. */
    public Path caDir() {
        Path d = dir.resolve("capath");
        if (!Files.isDirectory(d)) hashed(d, root, ".0", "x509");
        return d;
    }

    /** The intermediate's current CRL (listing {@link #revoked}). */
    public Path crlFile() {
        Path crl = dir.resolve("int-crl.pem");
        if (!Files.exists(crl)) {
            openssl("ca", "-batch", "-config", caConfig("intdb"), "-cert", intermediate.toString(),
                    "-keyfile", intermediateKey.toString(), "-gencrl", "-crldays", "30", "-out", crl.toString());
        }
        return crl;
    }

    /** A CRLpath directory: the intermediate's CRL under its issuer hash (HASH.r0). */
    public Path crlDir() {
        Path d = dir.resolve("crlpath");
        if (!Files.isDirectory(d)) hashed(d, crlFile(), ".r0", "crl");
        return d;
    }

    /** A leaf issued by the intermediate, valid from yesterday for 30 days, with extra extension lines (or null). */
    public Leaf issue(String name, String cn, String san, String extraExtensions) {
        return issue(name, cn, san, extraExtensions, now().minusDays(1), now().plusDays(30));
    }

    public Leaf issue(String name, String cn, String san, String extraExtensions, ZonedDateTime from, ZonedDateTime to) {
        Path key = key(name);
        Path cert = dir.resolve(name + ".pem");
        String section = "leaf_" + name.replace('-', '_');
        sign("intdb", intermediate, intermediateKey, csr(name, cn, key), cert, section,
                san + (extraExtensions == null ? "" : "\n" + extraExtensions), from, to);
        return new Leaf(name, cn, cert, key, concat(name + "-chain.pem", cert, intermediate));
    }

    /** Revokes a leaf of the intermediate (keyCompromise); CRLs made afterwards list it. */
    public void revoke(Leaf leaf) {
        openssl("ca", "-batch", "-config", caConfig("intdb"), "-cert", intermediate.toString(),
                "-keyfile", intermediateKey.toString(), "-revoke", leaf.certFile().toString(),
                "-crl_reason", "keyCompromise");
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    private void caDatabase(String name) {
        try {
            Path db = dir.resolve(name);
            Files.createDirectories(db.resolve("newcerts"));
            Files.writeString(db.resolve("index.txt"), "");
            Files.writeString(db.resolve("index.txt.attr"), "unique_subject = no\n");
            Files.writeString(db.resolve("crlnumber"), "1000\n");
            Files.writeString(dir.resolve(name + ".cnf"), """
                    [ca]
                    default_ca = this_ca
                    [this_ca]
                    dir = %s
                    database = $dir/index.txt
                    new_certs_dir = $dir/newcerts
                    serial = $dir/serial
                    crlnumber = $dir/crlnumber
                    default_md = sha256
                    default_crl_days = 30
                    policy = policy_any
                    unique_subject = no
                    copy_extensions = none
                    [policy_any]
                    commonName = supplied
                    """.formatted(db));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String caConfig(String db) {
        return dir.resolve(db + ".cnf").toString();
    }

    /** {@code openssl ca} with explicit dates; {@code san} (plus extra lines) makes a leaf extension section. */
    private void sign(String db, Path caCert, Path caKey, Path csr, Path out, String section, String san,
                      ZonedDateTime from, ZonedDateTime to) {
        try {
            Path ext = dir.resolve(section + ".cnf");
            if (san == null) {
                ext = dir.resolve("ext.cnf");
            } else {
                Files.writeString(ext, "[" + section + "]\n"
                        + "basicConstraints = critical,CA:FALSE\n"
                        + "keyUsage = critical,digitalSignature,keyEncipherment\n"
                        + "extendedKeyUsage = serverAuth,clientAuth\n"
                        + "subjectKeyIdentifier = hash\n"
                        + "authorityKeyIdentifier = keyid\n"
                        + "subjectAltName = " + san + "\n");
            }
            Files.writeString(dir.resolve(db).resolve("serial"), Integer.toHexString(serial++) + "\n");
            openssl("ca", "-batch", "-notext", "-config", caConfig(db), "-cert", caCert.toString(),
                    "-keyfile", caKey.toString(), "-in", csr.toString(), "-out", out.toString(),
                    "-extfile", ext.toString(), "-extensions", section,
                    "-startdate", CA_TIME.format(from), "-enddate", CA_TIME.format(to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path csr(String name, String cn, Path key) {
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-config", "req.cnf", "-subj", "/CN=" + cn, "-out", csr.toString());
        return csr;
    }

    private Path key(String name) {
        Path key = dir.resolve(name + ".key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        try {
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    private Path concat(String name, Path... parts) {
        Path out = dir.resolve(name);
        try {
            StringBuilder sb = new StringBuilder();
            for (Path p : parts) sb.append(Files.readString(p));
            Files.writeString(out, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void hashed(Path d, Path file, String suffix, String kind) {
        try {
            Files.createDirectories(d);
            String hash = openssl(kind, "-hash", "-noout", "-in", file.toString()).trim();
            Files.copy(file, d.resolve(hash + suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Binaries.OPENSSL);
        cmd.addAll(List.of(args));
        return Commands.run(dir, cmd);
    }
}
