package org.jstunnel.it.tls.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.Commands;

/**
 * An OCSP responder on 127.0.0.1 (HTTP POST), whose answers {@code openssl ocsp} makes from the
 * {@link CaPki} databases: the intermediate answers for its leaves, the root for the intermediate
 * (the request's issuer key hash tells which). Counts the requests it answered.
 */
public final class OcspResponder implements AutoCloseable {
    private final CaPki pki;
    private final HttpServer server;
    private final byte[] intermediateKeyId;
    private final AtomicInteger requests = new AtomicInteger();
    private final Path work;

    private OcspResponder(CaPki pki, int port) throws IOException {
        this.pki = pki;
        this.work = Files.createDirectories(pki.dir().resolve("ocsp"));
        String ski = Commands.run(pki.dir(), List.of(Binaries.OPENSSL, "x509", "-noout", "-in",
                pki.intermediateFile().toString(), "-ext", "subjectKeyIdentifier"));
        String hex = ski.substring(ski.indexOf('\n') + 1).trim().replace(":", "");
        this.intermediateKeyId = HexFormat.of().parseHex(hex);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] request;
                try (InputStream in = exchange.getRequestBody()) {
                    request = in.readAllBytes();
                }
                byte[] response = answer(request);
                exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                exchange.sendResponseHeaders(200, response.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
                requests.incrementAndGet();
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        server.start();
    }

    public static OcspResponder start(CaPki pki) {
        return start(pki, 0);
    }

    /** On a given loopback port (a responder that comes up where a certificate's AIA already points). */
    public static OcspResponder start(CaPki pki, int port) {
        try {
            return new OcspResponder(pki, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public int requests() {
        return requests.get();
    }

    private synchronized byte[] answer(byte[] request) {
        try {
            Path req = work.resolve("req.der");
            Path resp = work.resolve("resp.der");
            Files.write(req, request);
            boolean forLeaf = contains(request, intermediateKeyId);
            Path ca = forLeaf ? pki.intermediateFile() : pki.rootFile();
            Path key = forLeaf ? pki.intermediateKey() : pki.dir().resolve("root.key");
            Path index = pki.dir().resolve(forLeaf ? "intdb/index.txt" : "rootdb/index.txt");
            Commands.run(work, List.of(Binaries.OPENSSL, "ocsp", "-index", index.toString(), "-CA", ca.toString(),
                    "-rsigner", ca.toString(), "-rkey", key.toString(), "-reqin", req.toString(),
                    "-respout", resp.toString(), "-ndays", "1"));
            return Files.readAllBytes(resp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
