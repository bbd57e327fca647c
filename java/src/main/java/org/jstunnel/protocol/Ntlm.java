package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.jstunnel.log.Log;

/**
 * NTLM proxy authentication for {@code protocol = connect} (protocol.c ntlm): a type 1 message, the
 * proxy's 407 with its challenge, and a type 3 message with the NTLMv1 response. Without
 * {@code protocolDomain} the domain is empty (stunnel 5.68 dereferences a null pointer there).
 */
final class Ntlm {
    private static final int NTLM_LEN = 24, NTLM_OFF = 64, MAX_MESSAGE = 146;

    private Ntlm() {}

    static void authenticate(PlainWire proxy, ProtocolSettings s) throws IOException {
        proxy.putline("Proxy-Connection: keep-alive");
        proxy.putline("Proxy-Authorization: NTLM " + type1());
        proxy.putline("");
        String status = proxy.getline();
        if (!Text.isPrefix(status, "HTTP/1.0 407") && !Text.isPrefix(status, "HTTP/1.1 407")) {
            Log.err("Proxy-Authenticate: NTLM authorization request rejected");
            ConnectClient.skipHeaders(proxy);
            throw NegotiationFailed.reset(null);
        }
        String challenge = null;
        long contentLength = 0;
        for (int i = 0; ; i++) {
            if (i > 10_000) throw NegotiationFailed.reset("Too many headers");
            String line = proxy.getline();
            if (line.isEmpty()) break;
            if (Text.isPrefix(line, "Proxy-Authenticate: NTLM ")) {
                challenge = line.substring(25);
            } else if (Text.isPrefix(line, "Content-Length: ")) {
                try {
                    contentLength = Long.parseLong(line.substring(16).stripTrailing());
                    if (contentLength < 0) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw NegotiationFailed.reset("Proxy-Authenticate: Invalid Content-Length");
                }
            }
        }
        if (challenge == null) throw NegotiationFailed.reset("Proxy-Authenticate: NTLM header not found");
        while (contentLength > 0) { // the body is ignored
            int chunk = (int) Math.min(contentLength, 8192);
            proxy.read(chunk);
            contentLength -= chunk;
        }
        proxy.putline("CONNECT " + s.host() + " HTTP/1.1");
        proxy.putline("Host: " + s.host());
        String type3 = type3(s.domain() == null ? "" : s.domain(), s.username(), s.password(), challenge);
        if (type3 == null) throw NegotiationFailed.reset("Proxy-Authenticate: Failed to build NTLM response");
        proxy.putSecretLine("Proxy-Authorization: NTLM " + type3, "Proxy-Authorization: NTLM <response>");
    }

    /** Type 1: "negotiate OEM" and "negotiate NTLM", no domain or workstation. */
    static String type1() {
        byte[] m = new byte[32];
        System.arraycopy("NTLMSSP".getBytes(StandardCharsets.US_ASCII), 0, m, 0, 7);
        m[8] = 1;
        m[12] = 2;
        m[13] = 2;
        return Base64.getEncoder().encodeToString(m);
    }

    /** Type 3 for the challenge in {@code type2} (base64), or null when it does not fit stunnel's 146 bytes. */
    static String type3(String domain, String user, String password, String type2) {
        byte[] d = domain.getBytes(StandardCharsets.UTF_8), u = user.getBytes(StandardCharsets.UTF_8);
        int domainOff = NTLM_OFF + NTLM_LEN, userOff = domainOff + d.length, end = userOff + u.length;
        if (end > MAX_MESSAGE) return null;
        byte[] m = new byte[end];
        System.arraycopy("NTLMSSP".getBytes(StandardCharsets.US_ASCII), 0, m, 0, 7);
        m[8] = 3;
        m[16] = (byte) end;                          // LM response offset (empty)
        m[20] = NTLM_LEN; m[22] = NTLM_LEN; m[24] = NTLM_OFF;
        m[28] = (byte) d.length; m[30] = (byte) d.length; m[32] = (byte) domainOff;
        m[36] = (byte) u.length; m[38] = (byte) u.length; m[40] = (byte) userOff;
        m[48] = (byte) end;                          // workstation offset (empty)
        m[56] = (byte) end;                          // session key offset (empty)
        m[60] = 2; m[61] = 2;                        // negotiate OEM, negotiate NTLM

        byte[] p = password.getBytes(StandardCharsets.UTF_8), wide = new byte[p.length * 2];
        for (int i = 0; i < p.length; i++) wide[2 * i] = p[i]; // stunnel's "UTF-16": each byte and a zero
        byte[] hash = java.util.Arrays.copyOf(Md4.digest(wide), 21);
        java.util.Arrays.fill(wide, (byte) 0);

        byte[] decoded;
        try {
            decoded = Base64.getMimeDecoder().decode(type2);
        } catch (IllegalArgumentException e) {
            return null;
        }
        byte[] challenge = java.util.Arrays.copyOfRange(java.util.Arrays.copyOf(decoded, 32), 24, 32);
        try {
            for (int i = 0; i < 3; i++) des(hash, 7 * i, challenge, m, NTLM_OFF + 8 * i);
        } catch (GeneralSecurityException e) {
            Log.err("NTLM authentication is not available: " + e.getMessage());
            return null;
        } finally {
            java.util.Arrays.fill(hash, (byte) 0);
        }
        System.arraycopy(d, 0, m, domainOff, d.length);
        System.arraycopy(u, 0, m, userOff, u.length);
        return Base64.getEncoder().encodeToString(m);
    }

    /** DES-ECB of {@code src} with the 56-bit key at {@code hash[off..off+7]} spread over 8 bytes. */
    private static void des(byte[] hash, int off, byte[] src, byte[] dst, int dstOff) throws GeneralSecurityException {
        byte[] h = java.util.Arrays.copyOfRange(hash, off, off + 7);
        byte[] key = {
            h[0],
            (byte) (((h[0] & 1) << 7) | ((h[1] & 0xff) >> 1)),
            (byte) (((h[1] & 3) << 6) | ((h[2] & 0xff) >> 2)),
            (byte) (((h[2] & 7) << 5) | ((h[3] & 0xff) >> 3)),
            (byte) (((h[3] & 15) << 4) | ((h[4] & 0xff) >> 4)),
            (byte) (((h[4] & 31) << 3) | ((h[5] & 0xff) >> 5)),
            (byte) (((h[5] & 63) << 2) | ((h[6] & 0xff) >> 6)),
            (byte) ((h[6] & 127) << 1)};
        for (int i = 0; i < 8; i++) key[i] = (byte) ((key[i] & 0xfe) | (Integer.bitCount(key[i] & 0xfe) % 2 == 0 ? 1 : 0));
        Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
        des.doFinal(src, 0, 8, dst, dstOff);
    }
}
