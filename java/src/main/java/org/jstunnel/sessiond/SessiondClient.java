package org.jstunnel.sessiond;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jstunnel.log.Log;
import org.jstunnel.ssl.OpenSslException;

/**
 * {@code sessiond = HOST:PORT}: stunnel's session cache protocol over UDP (ctx.c cache_transfer), as
 * the server's session cache shared with other stunnel/jstunnel nodes. A packet is
 * {@code version(1)=1 | type(1) | timeout(2, seconds, at most 64800) | key(32, the session id,
 * zero-padded) | value(0..512, i2d_SSL_SESSION)}; NEW (0) and REMOVE (2) are not answered, GET (1)
 * is answered with OK (0x81) and the value, or ERR (0x80).
 *
 * <p>Unlike stunnel: the GET socket is connected (only the configured server's answer is taken), it
 * waits an explicit {@link #GET_TIMEOUT_MILLIS} (stunnel's "200ms" that is really 200 µs, rounded up to a
 * scheduler tick), and the GET runs before OpenSSL reads the ClientHello, on the connection's
 * virtual thread (a UDP receive parks it, never a carrier): see {@link #prefetch}.
 */
public final class SessiondClient implements AutoCloseable {
    static final int GET_TIMEOUT_MILLIS = 200;
    private static final int NEW = 0, GET = 1, REMOVE = 2, RESP_ERR = 0x80, RESP_OK = 0x81;
    private static final int KEY = 32, MAX_VALUE = 512, HEADER = 4 + KEY;
    private static final int MAX_KNOWN = 100_000;
    private static final String[] TYPES = {"new", "get", "remove"};

    private final InetSocketAddress server;
    private final long ctx;
    private final DatagramChannel sender;
    // ids this node's cache holds (made here or fetched): OpenSSL finds them without asking sessiond
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    private SessiondClient(InetSocketAddress server, long ctx, DatagramChannel sender) {
        this.server = server;
        this.ctx = ctx;
        this.sender = sender;
    }

    /** Starts using sessiond {@code server} for the sessions of SSL_CTX {@code ctx}. */
    public static SessiondClient start(InetSocketAddress server, long ctx) throws IOException, OpenSslException {
        DatagramChannel ch = DatagramChannel.open();
        ch.configureBlocking(false); // NEW and REMOVE never wait
        SessiondClient c = new SessiondClient(server, ctx, ch);
        try {
            NativeSessiond.register(ctx, c);
        } catch (OpenSslException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return c;
    }

    void newSession(byte[] id, long timeout, byte[] der) {
        known(id);
        ByteBuffer p = packet(NEW, timeout, id, der);
        if (p != null) send(p);
    }

    void removeSession(byte[] id) {
        known.remove(HexFormat.of().formatHex(id));
        ByteBuffer p = packet(REMOVE, 0, id, new byte[0]);
        if (p != null) send(p);
    }

    /**
     * A server's first bytes from a client: if they are a ClientHello that asks to resume a session
     * this node does not hold (and not a TLS 1.3 one, whose session id is a random compatibility
     * value), asks sessiond for it and adds it to the cache, so that OpenSSL's lookup finds it.
     * Failures only mean a full handshake.
     */
    public void prefetch(ByteBuffer firstBytes) {
        ClientHello hello = ClientHello.parse(firstBytes);
        if (hello == null || hello.sessionId().length == 0 || hello.offersTls13()) return;
        if (known.containsKey(HexFormat.of().formatHex(hello.sessionId()))) return;
        byte[] der = get(hello.sessionId());
        if (der != null && NativeSessiond.addSession(ctx, der)) known(hello.sessionId());
    }

    private void known(byte[] id) {
        if (known.size() >= MAX_KNOWN) known.clear(); // a bound, not an LRU: forgetting costs one GET
        known.put(HexFormat.of().formatHex(id), Boolean.TRUE);
    }

    /** stunnel's cache_transfer for GET: the value, or null (logged as stunnel). */
    private byte[] get(byte[] id) {
        ByteBuffer p = packet(GET, 0, id, new byte[0]);
        if (p == null) return null;
        byte[] reply = new byte[HEADER + MAX_VALUE];
        int len;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(server); // only the configured server's answer counts
            ch.write(p);
            DatagramPacket dp = new DatagramPacket(reply, reply.length);
            ch.socket().setSoTimeout(GET_TIMEOUT_MILLIS);
            ch.socket().receive(dp);
            len = dp.getLength();
        } catch (SocketTimeoutException e) {
            Log.info("cache_transfer: recv timeout");
            return null;
        } catch (IOException e) {
            Log.err("cache_transfer: recv: " + org.jstunnel.net.Errors.describe(e));
            return null;
        }
        ByteBuffer r = ByteBuffer.wrap(reply, 0, len);
        if (len < HEADER || r.get(0) != 1 || !keyEquals(r, id)) {
            Log.debug("cache_transfer: malformed packet received");
            return null;
        }
        if ((r.get(1) & 0xff) != RESP_OK) {
            Log.info("cache_transfer: session not found");
            return null;
        }
        Log.info("cache_transfer: session found");
        byte[] value = new byte[len - HEADER];
        System.arraycopy(reply, HEADER, value, 0, value.length);
        return value;
    }

    private static boolean keyEquals(ByteBuffer r, byte[] id) {
        for (int i = 0; i < id.length; i++) if (r.get(4 + i) != id[i]) return false;
        return true;
    }

    /** The request, logged as stunnel; null (logged) when the id or value is too big. */
    private static ByteBuffer packet(int type, long timeout, byte[] id, byte[] value) {
        Log.info("cache_transfer: request=" + TYPES[type] + ", timeout=" + timeout + ", id="
            + HexFormat.of().withUpperCase().formatHex(id) + ", length=" + value.length);
        if (id.length > KEY) {
            Log.err("cache_transfer: session id too big (" + id.length + " bytes)");
            return null;
        }
        if (value.length > MAX_VALUE) {
            // stunnel prints the key's length here; the session's is the useful number
            Log.err("cache_transfer: encoded session too big (" + value.length + " bytes)");
            return null;
        }
        ByteBuffer p = ByteBuffer.allocate(HEADER + value.length);
        p.put((byte) 1).put((byte) type).putShort((short) Math.min(Math.max(timeout, 0), 64800));
        p.put(id).position(HEADER);
        p.put(value).flip();
        return p;
    }

    private void send(ByteBuffer p) {
        try {
            sender.send(p, server);
        } catch (IOException e) {
            Log.err("cache_transfer: sendto: " + org.jstunnel.net.Errors.describe(e));
        }
    }

    @Override
    public void close() {
        NativeSessiond.unregister(ctx);
        try {
            sender.close();
        } catch (IOException ignored) {
            // nothing was waiting on it
        }
    }
}
