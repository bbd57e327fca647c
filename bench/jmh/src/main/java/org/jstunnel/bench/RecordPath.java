package org.jstunnel.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.jstunnel.io.BufferPool;
import org.jstunnel.log.LogContext;
import org.jstunnel.ssl.CertificateVerifier;
import org.jstunnel.ssl.NativeLibrary;
import org.jstunnel.ssl.NativeSsl;
import org.jstunnel.ssl.SslConnection;
import org.jstunnel.ssl.SslContext;
import org.jstunnel.ssl.TlsSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The TLS record path in isolation: one operation = a client encrypts one record of {@code size}
 * plaintext bytes and a server decrypts it, in memory, TLS 1.3 with TLS_AES_256_GCM_SHA384 (what
 * OpenSSL and JSSE both pick first), RSA-2048 certificate (see Keys). Single-threaded: throughput per core.
 *
 * <ul>
 * <li>{@code jni}: jstunnel's production path, {@link SslContext}/{@link SslConnection} (locks, memory
 *     BIOs, pooled direct buffers) over an in-memory channel pair. It compiles against jstunnel's internal
 *     API: when that changes, this class follows.
 * <li>{@code jniRaw}: the same JNI binding called directly ({@link NativeSsl} SSL_write, BIO_read_out,
 *     BIO_write_in, SSL_read): the floor of what the binding costs
 * <li>{@code jsse}: the JDK's SSLEngine, heap buffers (its fast case)
 * <li>{@code wildfly}: wildfly-openssl's SSLEngine over the same system OpenSSL, direct buffers
 * </ul>
 */
public class RecordPath {
    static final String SUITE_OPENSSL = "TLS_AES_256_GCM_SHA384";
    static final String SUITE_JAVA = "TLS_AES_256_GCM_SHA384";
    /** Plaintext bytes per record: the TLS maximum. */
    static final int SIZE = 16384;

    // ------------------------------------------------------------------ jstunnel: SslConnection

    @State(Scope.Thread)
    public static class Jni {
        final int size = SIZE;
        SslContext serverCtx, clientCtx;
        SslConnection server, client;
        MemChannel clientNet, serverNet;
        ByteBuffer src;

        static TlsSettings settings(boolean client, Path dir) {
            return new TlsSettings("bench", client, client ? null : dir.resolve("rsa.pem").toString(), null, null, null,
                false, false, false, false, List.of(), List.of(), List.of(),
                NativeSsl.TLS1_3_VERSION, NativeSsl.TLS1_3_VERSION, null, SUITE_OPENSSL, null, -1, 0, 0, null);
        }

        @Setup(Level.Trial)
        public void setup() throws Exception {
            NativeLibrary.load();
            Path dir = Keys.dir();
            TlsSettings ss = settings(false, dir), cs = settings(true, dir);
            serverCtx = SslContext.create(ss);
            clientCtx = SslContext.create(cs);
            server = serverCtx.newConnection(new CertificateVerifier(ss, new LogContext("s", 0)));
            client = clientCtx.newConnection(new CertificateVerifier(cs, new LogContext("c", 0)));
            MemChannel[] p = MemChannel.pair(1 << 20);
            clientNet = p[0];
            serverNet = p[1];
            ExecutorService ex = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = ex.submit(() -> { server.handshake(serverNet); return null; });
                Future<?> b = ex.submit(() -> { client.handshake(clientNet); return null; });
                a.get(30, TimeUnit.SECONDS);
                b.get(30, TimeUnit.SECONDS);
            } finally {
                ex.shutdownNow();
            }
            if (!"TLSv1.3".equals(server.protocol()) || !SUITE_OPENSSL.equals(server.cipher()))
                throw new IllegalStateException("negotiated " + server.protocol() + " " + server.cipher());
            src = ByteBuffer.allocateDirect(size);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
            server.close();
            clientCtx.close();
            serverCtx.close();
        }
    }

    @Benchmark
    public int jni(Jni s) throws Exception {
        s.src.clear();
        s.client.write(s.clientNet, s.src);
        int got = 0;
        while (got < s.size) {
            ByteBuffer b = s.server.read(s.serverNet); // a pooled buffer, as the pump gets it
            if (b == SslConnection.CLOSE_NOTIFY || b == SslConnection.EOF) throw new IllegalStateException("closed");
            got += b.remaining();
            BufferPool.PLAIN.release(b);
        }
        return got;
    }

    // ------------------------------------------------------------------ jstunnel: NativeSsl directly

    @State(Scope.Thread)
    public static class JniRaw {
        final int size = SIZE;
        long serverCtx, clientCtx, server, client;
        ByteBuffer src, dst, net;

        static long ctx(boolean server, Path dir) throws Exception {
            long ctx = NativeSsl.SSL_CTX_new(server);
            NativeSsl.SSL_CTX_set_min_proto_version(ctx, NativeSsl.TLS1_3_VERSION);
            NativeSsl.SSL_CTX_set_max_proto_version(ctx, NativeSsl.TLS1_3_VERSION);
            NativeSsl.SSL_CTX_set_ciphersuites(ctx, SUITE_OPENSSL);
            NativeSsl.SSL_CTX_set_mode(ctx, 0x1L | 0x2L | 0x10L); // as SslContext
            if (server) {
                NativeSsl.SSL_CTX_use_certificate_chain_file(ctx, dir.resolve("rsa.pem").toString());
                NativeSsl.SSL_CTX_use_PrivateKey_file(ctx, dir.resolve("rsa.pem").toString());
            }
            return ctx;
        }

        /** Moves everything one side has produced to the other side's read BIO. */
        int shuttle(long from, long to) throws Exception {
            int moved = 0;
            while (NativeSsl.BIO_pending_out(from) > 0) {
                net.clear();
                int n = NativeSsl.BIO_read_out(from, net, 0, net.capacity());
                NativeSsl.BIO_write_in(to, net, 0, n);
                moved += n;
            }
            return moved;
        }

        @Setup(Level.Trial)
        public void setup() throws Exception {
            NativeLibrary.load();
            Path dir = Keys.dir();
            serverCtx = ctx(true, dir);
            clientCtx = ctx(false, dir);
            server = NativeSsl.SSL_new(serverCtx, null);
            client = NativeSsl.SSL_new(clientCtx, null);
            NativeSsl.SSL_set_accept_state(server);
            NativeSsl.SSL_set_connect_state(client);
            net = ByteBuffer.allocateDirect(64 * 1024);
            boolean cDone = false, sDone = false;
            for (int i = 0; i < 100 && !(cDone && sDone); i++) {
                cDone = NativeSsl.SSL_do_handshake(client) == 1;
                shuttle(client, server);
                sDone = NativeSsl.SSL_do_handshake(server) == 1;
                shuttle(server, client);
            }
            if (!cDone || !sDone) throw new IllegalStateException("handshake did not finish");
            src = ByteBuffer.allocateDirect(size);
            dst = ByteBuffer.allocateDirect(size);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            NativeSsl.SSL_free(client);
            NativeSsl.SSL_free(server);
            NativeSsl.SSL_CTX_free(clientCtx);
            NativeSsl.SSL_CTX_free(serverCtx);
        }
    }

    @Benchmark
    public int jniRaw(JniRaw s) throws Exception {
        int w = NativeSsl.SSL_write(s.client, s.src, 0, s.size);
        if (w != s.size) throw new IllegalStateException("SSL_write " + w);
        s.shuttle(s.client, s.server);
        int got = 0;
        while (got < s.size) {
            int r = NativeSsl.SSL_read(s.server, s.dst, got, s.size - got);
            if (r <= 0) throw new IllegalStateException("SSL_read " + r);
            got += r;
        }
        return got;
    }

    // ------------------------------------------------------------------ SSLEngine (JSSE, wildfly-openssl)

    /** A client and a server SSLEngine, handshaken, with buffers for one record each way. */
    public abstract static class EngineState {
        final int size = SIZE;
        SSLEngine client, server;
        ByteBuffer src, cToS, sToC, dst;

        abstract SSLContext context(boolean server) throws Exception;

        abstract boolean direct();

        ByteBuffer alloc(int n) { return direct() ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n); }

        @Setup(Level.Trial)
        public void setup() throws Exception {
            server = context(true).createSSLEngine();
            server.setUseClientMode(false);
            client = context(false).createSSLEngine("localhost", 443);
            client.setUseClientMode(true);
            for (SSLEngine e : new SSLEngine[] {client, server}) {
                e.setEnabledProtocols(new String[] {"TLSv1.3"});
                e.setEnabledCipherSuites(new String[] {SUITE_JAVA});
            }
            int net = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
            cToS = alloc(net * 2);
            sToC = alloc(net * 2);
            src = alloc(size);
            dst = alloc(Math.max(app, size) * 2);
            handshake();
            String suite = server.getSession().getCipherSuite();
            if (!suite.equals(SUITE_JAVA) || !server.getSession().getProtocol().equals("TLSv1.3"))
                throw new IllegalStateException("negotiated " + server.getSession().getProtocol() + " " + suite);
        }

        private void handshake() throws Exception {
            client.beginHandshake();
            server.beginHandshake();
            ByteBuffer empty = alloc(0);
            for (int i = 0; i < 200; i++) {
                boolean progress = step(client, empty, cToS, sToC) | step(server, empty, sToC, cToS);
                boolean done = client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
                if (done && cToS.position() == 0 && sToC.position() == 0) return;
                if (done) { // post-handshake messages (session tickets): deliver them
                    drain(server, cToS);
                    drain(client, sToC);
                } else if (!progress) {
                    throw new IllegalStateException("handshake stalled: " + client.getHandshakeStatus() + "/"
                        + server.getHandshakeStatus());
                }
            }
            throw new IllegalStateException("handshake did not finish");
        }

        /** One handshake step of {@code e}: wrap into {@code out}, or unwrap from {@code in} (both write mode). */
        private boolean step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in) throws Exception {
            switch (e.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable t;
                    while ((t = e.getDelegatedTask()) != null) t.run();
                    return true;
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = e.wrap(empty, out);
                    return r.bytesProduced() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    return drain(e, in);
                }
                default -> {
                    return false;
                }
            }
        }

        /** Unwraps what {@code in} holds (write mode) into the scratch {@code dst}. */
        private boolean drain(SSLEngine e, ByteBuffer in) throws Exception {
            if (in.position() == 0) return false;
            in.flip();
            dst.clear();
            SSLEngineResult r = e.unwrap(in, dst);
            in.compact();
            return r.bytesConsumed() > 0 || r.getHandshakeStatus() == HandshakeStatus.NEED_TASK;
        }

        int transfer() throws Exception {
            src.clear();
            cToS.clear();
            for (int i = 0; src.hasRemaining(); i++) { // JSSE may cut the plaintext into more than one record
                SSLEngineResult w = client.wrap(src, cToS);
                if (w.getStatus() != SSLEngineResult.Status.OK || i > 4) throw new IllegalStateException("wrap " + w);
            }
            cToS.flip();
            dst.clear();
            int got = 0;
            while (cToS.hasRemaining()) {
                SSLEngineResult r = server.unwrap(cToS, dst);
                if (r.getStatus() != SSLEngineResult.Status.OK) throw new IllegalStateException("unwrap " + r);
                got += r.bytesProduced();
            }
            if (got != size) throw new IllegalStateException("unwrapped " + got);
            return got;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.closeOutbound();
            server.closeOutbound();
        }
    }

    @State(Scope.Thread)
    public static class Jsse extends EngineState {
        @Override
        SSLContext context(boolean server) throws Exception {
            SSLContext c = SSLContext.getInstance("TLSv1.3");
            c.init(server ? Keys.keyManagers() : null, server ? null : Keys.trustAll(), null);
            return c;
        }

        @Override boolean direct() { return false; }
    }

    @Benchmark
    public int jsse(Jsse s) throws Exception {
        return s.transfer();
    }

    @State(Scope.Thread)
    public static class Wildfly extends EngineState {
        @Override
        SSLContext context(boolean server) throws Exception {
            // the system's libssl, the one jstunnel links: -Dorg.wildfly.openssl.path (bench.py sets it)
            org.wildfly.openssl.OpenSSLProvider.register();
            SSLContext c = SSLContext.getInstance("openssl.TLSv1.3");
            c.init(server ? Keys.keyManagers() : null, server ? null : Keys.trustAll(), null);
            return c;
        }

        @Override boolean direct() { return true; }
    }

    @Benchmark
    public int wildfly(Wildfly s) throws Exception {
        return s.transfer();
    }
}
