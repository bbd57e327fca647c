package org.jstunnel.hsm.support;

import java.nio.file.Path;
import org.jstunnel.it.support.Binaries;

/** OpenSC's {@code pkcs11-tool} on a {@link SoftHsm} token: key pairs made on the token, certificates written to it. */
public final class Pkcs11Tool {
    /** pkcs11-tool key types. */
    public static final String RSA_2048 = "rsa:2048";
    public static final String EC_P256 = "EC:prime256v1";

    private Pkcs11Tool() {
    }

    private static Env.Result tool(SoftHsm.Token t, String... args) {
        String[] cmd = new String[6 + args.length];
        cmd[0] = "pkcs11-tool";
        cmd[1] = "--module";
        cmd[2] = SoftHsm.MODULE.toString();
        cmd[3] = "--token-label";
        cmd[4] = t.label();
        cmd[5] = "--login";
        System.arraycopy(args, 0, cmd, 6, args.length);
        // the PIN goes on the command line of a short-lived test tool only
        String[] withPin = new String[cmd.length + 2];
        System.arraycopy(cmd, 0, withPin, 0, cmd.length);
        withPin[cmd.length] = "--pin";
        withPin[cmd.length + 1] = t.pin();
        return t.hsm().env().run(t.hsm().dir(), withPin).requireSuccess();
    }

    /** A key pair generated on the token (private key never leaves it), with this label and hex id. */
    public static void keygen(SoftHsm.Token t, String keyType, String label, String hexId) {
        tool(t, "--keypairgen", "--key-type", keyType, "--label", label, "--id", hexId);
    }

    /** Writes a PEM certificate to the token as a certificate object with this label and id. */
    public static void writeCertificate(SoftHsm.Token t, Path pem, String label, String hexId) {
        Path der = pem.resolveSibling(pem.getFileName() + ".der");
        t.hsm().env().run(pem.getParent(), Binaries.OPENSSL, "x509", "-in", pem.toString(), "-outform", "DER",
                "-out", der.toString()).requireSuccess();
        tool(t, "--write-object", der.toString(), "--type", "cert", "--label", label, "--id", hexId);
    }

    /** Deletes an object ({@code privkey}, {@code pubkey}, {@code cert}) by label. */
    public static void delete(SoftHsm.Token t, String type, String label) {
        tool(t, "--delete-object", "--type", type, "--label", label);
    }
}
