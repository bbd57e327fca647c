package org.jstunnel.it.support;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of a handshake driven by hand (JSSE's SSLEngine), so a test can stop at any stage
 * and read what the server sends back: its ClientHello bytes, and the alert that ends the server's answer.
 */
public final class HandshakeProbe {
    private final SSLEngine engine;

    public HandshakeProbe(String protocol) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
                @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
                @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
            }}, null);
            engine = ctx.createSSLEngine("localhost", 443);
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {protocol});
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The ClientHello record(s) to send. */
    public byte[] clientHello() {
        try {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), out);
            return Arrays.copyOf(out.array(), out.position());
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Feeds the server's bytes to the engine (which decrypts what it can) and returns the alert that
     * ended them, as JSSE names it (e.g. "decode_error"), or null if there was none.
     */
    public String alertIn(byte[] fromServer) {
        ByteBuffer in = ByteBuffer.wrap(fromServer);
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
        try {
            while (in.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(in, app);
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) task.run();
                if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    net.clear();
                    engine.wrap(ByteBuffer.allocate(0), net); // e.g. its own Finished: not sent anywhere
                }
                if (r.getStatus() != SSLEngineResult.Status.OK && r.bytesConsumed() == 0) break;
            }
        } catch (SSLException e) {
            String m = String.valueOf(e.getMessage());
            int i = m.indexOf("Received fatal alert: ");
            return i < 0 ? m : m.substring(i + "Received fatal alert: ".length());
        }
        return null;
    }

    /**
     * The plaintext alert record at the end of {@code bytes} (before any keys): its level and
     * description ("2/50" = fatal decode_error), or null if the last record is not one.
     */
    public static String plainAlertAtEnd(byte[] bytes) {
        int i = 0;
        String last = null;
        while (i + 5 <= bytes.length) {
            int type = bytes[i] & 0xff;
            int len = ((bytes[i + 3] & 0xff) << 8) | (bytes[i + 4] & 0xff);
            if (i + 5 + len > bytes.length) return null;
            last = type == 0x15 && len == 2 ? (bytes[i + 5] & 0xff) + "/" + (bytes[i + 6] & 0xff) : null;
            i += 5 + len;
        }
        return i == bytes.length ? last : null;
    }
}
