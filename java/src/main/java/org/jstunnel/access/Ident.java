package org.jstunnel.access;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import org.jstunnel.log.Log;
import org.jstunnel.net.Errors;
import org.jstunnel.net.SocketAddresses;

/**
 * {@code ident = USERNAME}: stunnel's auth_user, an RFC 1413 query to the client's identd (its
 * address, port "auth" = 113), which must name USERNAME. The query runs on the connection's virtual
 * thread through a NIO socket (parks, never pins a carrier) with TIMEOUTconnect for the connect and
 * TIMEOUTbusy for the answer; any failure ends this connection only.
 *
 * <p>The query names the client's port and the port the client connected to (stunnel sends the
 * first {@code accept} address's configured port: the same unless that port is 0).
 */
public final class Ident {
    private static final int MAX_LINE = 65536;

    private final String user;
    private final int connectTimeoutMillis;
    private final int busyTimeoutMillis;

    public Ident(String user, int connectTimeoutSeconds, int busyTimeoutSeconds) {
        this.user = user;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeoutSeconds * 1000L);
        this.busyTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, busyTimeoutSeconds * 1000L);
    }

    /** @throws AccessDeniedException when the answer is not USERNAME or cannot be had (logged) */
    public void check(SocketAddress peer, SocketAddress local) throws AccessDeniedException {
        if (!(peer instanceof InetSocketAddress client) || !(local instanceof InetSocketAddress server)) {
            Log.info("IDENT not supported on Unix sockets");
            return;
        }
        InetSocketAddress identd = new InetSocketAddress(client.getAddress(), authPort());
        String target = SocketAddresses.format(identd);
        String line;
        try (SocketChannel ch = SocketChannel.open(SocketAddresses.family(identd))) {
            Log.info("s_connect: connecting " + target);
            try {
                ch.socket().connect(identd, connectTimeoutMillis);
            } catch (IOException e) {
                Log.err("s_connect: connect " + target + ": " + Errors.describe(e));
                throw new AccessDeniedException("ident");
            }
            Log.notice("s_connect: connected " + target);
            Log.debug("IDENT server connected");
            String query = client.getPort() + " , " + server.getPort();
            ch.socket().getOutputStream().write((query + "\r\n").getBytes(StandardCharsets.US_ASCII));
            Log.debug(" -> " + query);
            ch.socket().setSoTimeout(busyTimeoutMillis);
            line = readLine(ch.socket().getInputStream());
            Log.debug(" <- " + line);
        } catch (SocketTimeoutException e) {
            Log.info("s_read: s_poll_wait: TIMEOUTbusy exceeded: sending reset");
            throw new AccessDeniedException("ident");
        } catch (AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            Log.err("s_read: " + Errors.describe(e));
            throw new AccessDeniedException("ident");
        }
        verify(line, SocketAddresses.format(peer));
    }

    /** stunnel's parsing: {@code ports : USERID : system : user}, the type exactly " USERID ". */
    private void verify(String line, String from) throws AccessDeniedException {
        int t = line.indexOf(':');
        if (t < 0) malformed();
        String rest = line.substring(t + 1);
        int s = rest.indexOf(':');
        if (s < 0) malformed();
        if (!rest.substring(0, s).equals(" USERID ")) {
            Log.err("Incorrect IDENT response type");
            throw new AccessDeniedException("ident");
        }
        String sys = rest.substring(s + 1);
        int u = sys.indexOf(':');
        if (u < 0) malformed();
        String got = sys.substring(u + 1).replaceFirst("^ +", "");
        if (!got.equals(user)) {
            Log.warning("Connection from " + from + " REFUSED by IDENT (user \"" + got + "\")");
            throw new AccessDeniedException("ident");
        }
        Log.info("IDENT authentication passed");
    }

    private static void malformed() throws AccessDeniedException {
        Log.err("Malformed IDENT response");
        throw new AccessDeniedException("ident");
    }

    /** fd_getline: up to \n or NUL, \r dropped; EOF before that is s_read's error. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (sb.length() > MAX_LINE) {
                Log.err("fd_getline: Line too long");
                throw new AccessDeniedException("ident");
            }
            int b = in.read();
            if (b < 0) {
                Log.err("s_read: Received 0 out of requested 1 byte(s)");
                throw new AccessDeniedException("ident");
            }
            if (b == '\r') continue;
            if (b == '\n' || b == 0) return sb.toString();
            sb.append((char) b);
        }
    }

    /** getservbyname("auth", "tcp") from /etc/services, else 113 with stunnel's warning. */
    private static int authPort() {
        try {
            for (String l : Files.readAllLines(Path.of("/etc/services"), StandardCharsets.ISO_8859_1)) {
                String[] f = l.replaceFirst("#.*", "").trim().split("\\s+");
                if (f.length >= 2 && f[1].equals("113/tcp") && f[0].equals("auth")) return 113;
                if (f.length >= 2 && f[0].equals("auth") && f[1].endsWith("/tcp")) {
                    return Integer.parseInt(f[1].substring(0, f[1].indexOf('/')));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no services database
        }
        Log.warning("Unknown service 'auth': using default 113");
        return 113;
    }
}
