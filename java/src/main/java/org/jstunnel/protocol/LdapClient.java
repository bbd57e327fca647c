package org.jstunnel.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jstunnel.log.Log;

/**
 * {@code protocol = ldap}, client mode only (protocol.c ldap_client_middle): an LDAPv3 StartTLS
 * ExtendedRequest (RFC 4511 4.14, message ID 1), and a check of the ExtendedResponse's result code.
 * WinLDAP's four-byte lengths (0x84) are accepted as stunnel does.
 */
final class LdapClient implements Protocol {
    private static final String START_TLS_OID = "1.3.6.1.4.1.1466.20037";
    private static final int MAX_RESPONSE = 128;

    static byte[] startTlsRequest() {
        byte[] oid = START_TLS_OID.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[9 + oid.length];
        int i = 0;
        m[i++] = 0x30; m[i++] = (byte) (7 + oid.length);     // SEQUENCE
        m[i++] = 0x02; m[i++] = 0x01; m[i++] = 0x01;         // messageID 1
        m[i++] = 0x77; m[i++] = (byte) (2 + oid.length);     // [APPLICATION 23] ExtendedRequest
        m[i++] = (byte) 0x80; m[i++] = (byte) oid.length;    // [0] requestName
        System.arraycopy(oid, 0, m, i, oid.length);
        return m;
    }

    @Override
    public void middle(Negotiation n) throws IOException {
        PlainWire server = n.remote();
        Log.debug("Sending LDAP Start TLS request");
        server.write(startTlsRequest());
        Log.debug("Receiving LDAP response tag");
        if (server.readByte() != 0x30) throw NegotiationFailed.reset("LDAP response is not UNIVERSAL SEQUENCE");
        Log.debug("Receiving LDAP response length");
        long len = server.readByte();
        if (len == 0x84) { // WinLDAP
            byte[] b = server.read(4);
            len = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }
        if (len > MAX_RESPONSE) throw NegotiationFailed.reset("LDAP response too long (" + len + " byte(s))");
        Log.debug("Receiving LDAP response value (" + len + " byte(s))");
        byte[] r = new byte[MAX_RESPONSE + 8]; // zero beyond what was received, as stunnel's buffer
        System.arraycopy(server.read((int) len), 0, r, 0, (int) len);
        Log.debug("Decoding LDAP response value");
        int i = 0;
        if (r[i++] != 0x02) throw NegotiationFailed.reset("LDAP response has an incorrect message ID type");
        if (r[i++] != 0x01) throw NegotiationFailed.reset("LDAP response has an unexpected message ID length");
        if (r[i++] != 0x01) throw NegotiationFailed.reset("LDAP response has an unexpected message ID value");
        if (r[i++] != 0x78) throw NegotiationFailed.reset("LDAP response protocol op is not ExtendedResponse");
        if ((r[i++] & 0xff) == 0x84) i += 4; // WinLDAP: the sequence length is not validated
        if (r[i++] != 0x0a) throw NegotiationFailed.reset("LDAP response has an unexpected result code type");
        if (r[i++] != 0x01) throw NegotiationFailed.reset("LDAP response has an unexpected result code length");
        if (r[i] != 0x00) throw NegotiationFailed.reset("LDAP response has indicated an error (" + (r[i] & 0xff) + ")");
        PlaintextInjection.discard(server);
        Log.info("LDAP Start TLS successfully negotiated");
    }
}
