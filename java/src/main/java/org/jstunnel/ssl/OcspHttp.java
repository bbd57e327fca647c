package org.jstunnel.ssl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jstunnel.log.Log;
import org.jstunnel.net.Errors;

/**
 * stunnel's ocsp_get_response for the stapling refresher: one OCSP request POSTed over plain HTTP
 * with Java's HttpClient, connecting within TIMEOUTocsp and answered within TIMEOUTbusy (as stunnel
 * bounds the two), never on a connection's thread. Failures are logged in stunnel's words and
 * give null.
 */
final class OcspHttp implements AutoCloseable {
    private static final long MAX_RESPONSE = 1 << 20; // a response larger than 1 MiB is not an OCSP response
    private final int connectSeconds;
    private final int busySeconds;
    private volatile boolean closed;
    private volatile HttpClient client; // made on the first request (a client has a selector thread); the refresher's only

    OcspHttp(int connectSeconds, int busySeconds) {
        this.connectSeconds = Math.max(1, connectSeconds);
        this.busySeconds = Math.max(1, busySeconds);
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(connectSeconds))
                .proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    /** The responder's DER answer, or null (logged). Waits at most TIMEOUTocsp + TIMEOUTbusy. */
    byte[] post(String url, byte[] request) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getScheme() == null) {
            Log.err("OCSP: Failed to parse the OCSP URL");
            return null;
        }
        if (!uri.getScheme().equalsIgnoreCase("http")) {
            Log.err("OCSP: TLS not supported for OCSP - an additional stunnel service needs to be defined");
            return null;
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) uri = uri.resolve("/");
        String dst = uri.getHost() + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(busySeconds))
            .header("Content-Type", "application/ocsp-request").header("User-Agent", "stunnel")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        CompletableFuture<HttpResponse<byte[]>> f = client().sendAsync(req, info ->
            info.headers().firstValueAsLong("Content-Length").orElse(0) > MAX_RESPONSE
                ? HttpResponse.BodySubscribers.replacing(null) : HttpResponse.BodySubscribers.ofByteArray());
        HttpResponse<byte[]> rsp;
        try {
            // the connect and the exchange each have their own bound; this one is the overall deadline
            rsp = f.get((long) busySeconds + connectSeconds + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            Log.info("OCSP: s_poll_wait: TIMEOUTbusy exceeded");
            return null;
        } catch (ExecutionException e) {
            if (!closed) logFailure(dst, e.getCause()); // else the service went away meanwhile
            return null;
        }
        if (rsp.statusCode() != 200 || rsp.body() == null || rsp.body().length == 0) {
            Log.err("OCSP: OCSP_sendreq_nbio: HTTP status " + rsp.statusCode());
            return null;
        }
        Log.debug("OCSP: Response received");
        return rsp.body();
    }

    private static void logFailure(String dst, Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            Log.err("s_connect: s_poll_wait " + dst + ": TIMEOUTconnect exceeded");
            return;
        }
        if (t instanceof HttpTimeoutException) {
            Log.info("OCSP: s_poll_wait: TIMEOUTbusy exceeded");
            return;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) { // HttpClient's carries no message: a refused connect
                String m = c.getMessage() == null ? "Connection refused (111)" : Errors.describe((ConnectException) c);
                Log.err("s_connect: connect " + dst + ": " + m);
                return;
            }
        }
        String m = t instanceof IOException io ? Errors.describe(io) : String.valueOf(t);
        Log.err("OCSP: OCSP_sendreq_nbio: " + m);
    }

    @Override
    public void close() {
        closed = true;
        HttpClient c = client;
        if (c != null) c.shutdownNow();
    }
}
