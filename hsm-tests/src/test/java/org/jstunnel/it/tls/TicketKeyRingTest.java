package org.jstunnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jstunnel.it.support.Binaries;
import org.jstunnel.it.support.EchoBackend;
import org.jstunnel.it.support.Resources;
import org.jstunnel.it.support.StunnelConfig;
import org.jstunnel.it.support.StunnelLog;
import org.jstunnel.it.support.TunnelProcess;
import org.jstunnel.it.tls.support.CaPki;
import org.jstunnel.it.tls.support.Conns;
import org.jstunnel.it.tls.support.SClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14's ticket key ring ({@code ticketKeyFile}, HAProxy's tls-ticket-keys format): two jstunnel
 * processes sharing the file resume each other's sessions; appending a key (rotation, seen by the
 * file watch or by SIGHUP) keeps old tickets resuming and renews them under the new current key; a
 * ticket whose key left the ring gets a full handshake, not an error; with the ticket secrets also
 * set, stunnel4's tickets still resume (a cluster migrating from stunnel). Counted from the peer's side
 * ({@code s_client -sess_out}/{@code -sess_in}: "New"/"Reused") and from jstunnel's log.
 */
class TicketKeyRingTest {
    private static final String SERVICE = "ring";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern RELOADED = Pattern.compile("Service \\[ring\\]: ticket keys reloaded from .*: 3 key\\(s\\), .*");
    private static final Pattern TICKET = Pattern.compile("TLS session ticket:\\s*\\n\\s*0000 - ([0-9a-f -]{47})");

    /** Every key written to the key file, in order: a key's first 16 bytes are its name. */
    private final List<byte[]> written = new ArrayList<>();
    private static final Pattern REUSED = Pattern.compile("TLS accepted: previous session reused");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path pkiDir;
    static CaPki pki;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @RegisterExtension
    final Resources res = new Resources();

    @BeforeAll
    static void pki() {
        pki = CaPki.create(pkiDir);
    }

    private String newKey(int bytes) {
        byte[] k = new byte[bytes];
        RANDOM.nextBytes(k);
        written.add(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** The name (first 16 bytes, hex) of the n-th key written, counting from 0. */
    private String nameOf(int n) {
        return java.util.HexFormat.of().formatHex(written.get(n), 0, 16);
    }

    /** The key name of the last ticket s_client printed (its first 16 bytes), or null. */
    private static String ticketName(SClient c) {
        java.util.regex.Matcher m = TICKET.matcher(c.stdout());
        String name = null;
        while (m.find()) name = m.group(1).replaceAll("[ -]", "");
        return name;
    }

    private Path keyFile(int keyBytes, int lines) {
        Path f = dir.resolve("tickets.keys");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) b.append(newKey(keyBytes)).append('\n');
        try {
            Files.writeString(f, b.toString(), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** HAProxy's rotation: one more line at the end. */
    private void appendKey(Path f, int keyBytes) {
        try {
            Files.writeString(f, newKey(keyBytes) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TunnelProcess server(Path binary, String label, Consumer<StunnelConfig.Section> extra) {
        EchoBackend echo = res.add(new EchoBackend());
        StunnelConfig c = new StunnelConfig().service(SERVICE, s -> {
            s.accept("127.0.0.1:0").connect(echo.port()).set("cert", pki.server.chainFile())
                    .set("key", pki.server.keyFile());
            extra.accept(s);
        });
        return res.add(TunnelProcess.launch(binary, dir, label, c).awaitReady());
    }

    private SClient handshake(TunnelProcess t, String version, Path sessIn, Path sessOut) {
        List<String> args = new ArrayList<>(List.of(version, "-CAfile", pki.rootFile().toString()));
        if (sessIn != null) args.addAll(List.of("-sess_in", sessIn.toString()));
        if (sessOut != null) args.addAll(List.of("-sess_out", sessOut.toString()));
        String until = version.equals("-tls1_3") ? "Post-Handshake New Session Ticket arrived" : "SSL handshake has read";
        SClient c = SClient.run(dir.resolve("clients"), t.port(SERVICE), args, "", Duration.ofMillis(3000), until);
        assertNotNull(c.session(), "the handshake must succeed\n" + c);
        return c;
    }

    /** One handshake, asserted from both sides: s_client's summary and the connection's log line. */
    private SClient expect(String session, TunnelProcess t, String version, Path sessIn, Path sessOut) {
        int mark = t.mark();
        SClient c = handshake(t, version, sessIn, sessOut);
        assertEquals(session, c.session(), c.toString());
        Conns.awaitEnded(t, mark, SERVICE).require(session.equals("Reused") ? REUSED : StunnelLog.TLS_ACCEPTED);
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void aSessionFromOneInstanceResumesOnTheOther(String version) {
        Path keys = keyFile(80, 3);
        TunnelProcess a = server(Binaries.underTest(), "a", s -> s.set("ticketKeyFile", keys));
        TunnelProcess b = server(Binaries.underTest(), "b", s -> s.set("ticketKeyFile", keys));
        a.awaitLog(Pattern.compile("Service \\[ring\\]: 3 ticket key\\(s\\) loaded from " + Pattern.quote(keys.toString())
                + ", current key name " + nameOf(1).substring(0, 8) + "\\.\\.\\."));
        Path sess = dir.resolve("a.pem");
        assertEquals(nameOf(1), ticketName(expect("New", a, version, null, sess)), "the second to last key encrypts");
        expect("Reused", b, version, sess, null);
        expect("Reused", a, version, sess, null);
    }

    /** 48-byte keys (AES-128, HMAC key of 16 bytes) and a single line work too. */
    @Test
    void aes128KeysAndASingleKey() {
        Path keys = keyFile(48, 1);
        TunnelProcess a = server(Binaries.underTest(), "a", s -> s.set("ticketKeyFile", keys));
        TunnelProcess b = server(Binaries.underTest(), "b", s -> s.set("ticketKeyFile", keys));
        Path sess = dir.resolve("a.pem");
        expect("New", a, "-tls1_2", null, sess);
        expect("Reused", b, "-tls1_2", sess, null);
        assertTrue(a.findLog(Pattern.compile(".*1 key\\(s\\); 3 \\(previous, current, next\\).*")).isPresent(), a.diagnostics());
    }

    /**
     * Rotation by the file watch (no signal, as a mounted Secret changes): after one appended key the old
     * ticket's key is "previous": it resumes and is renewed; after a second one its key has left the
     * ring: a full handshake, while the renewed ticket still resumes.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void rotationKeepsOldTicketsResumingAndRenewsThem(String version) {
        Path keys = keyFile(80, 3);
        TunnelProcess t = server(Binaries.underTest(), "jstunnel", s -> s.set("ticketKeyFile", keys));
        Path old = dir.resolve("old.pem");
        Path renewed = dir.resolve("renewed.pem");
        assertEquals(nameOf(1), ticketName(expect("New", t, version, null, old)));

        int mark = t.mark();
        appendKey(keys, 80); // ring: keys 1, 2 (current), 3
        t.awaitLog(mark, RELOADED, 1);
        SClient again = expect("Reused", t, version, old, renewed);
        assertEquals(nameOf(2), ticketName(again), "renewed under the new current key\n" + again);

        mark = t.mark();
        appendKey(keys, 80); // ring: keys 2, 3 (current), 4: the first ticket's key is gone
        t.awaitLog(mark, RELOADED, 1);
        expect("New", t, version, old, null); // a full handshake, no error
        // s_client saves a TLS 1.2 session only after a full handshake (OpenSSL's client cache callback)
        if (version.equals("-tls1_3")) expect("Reused", t, version, renewed, null);
        assertTrue(t.findLog(Pattern.compile(".*(SSL_accept|failed).*")).isEmpty(), t.diagnostics());
    }

    /** SIGHUP re-reads the file of a service whose configuration did not change. */
    @Test
    void reloadRereadsTheKeyFile() {
        Path keys = keyFile(80, 3);
        TunnelProcess t = server(Binaries.underTest(), "jstunnel", s -> s.set("ticketKeyFile", keys));
        Path old = dir.resolve("old.pem");
        expect("New", t, "-tls1_2", null, old);
        // two rotations at once: the old key leaves the ring; the reload sees it before the watch does
        appendKey(keys, 80);
        appendKey(keys, 80);
        int mark = t.reload(t.config());
        t.awaitLog(mark, RELOADED, 1);
        t.awaitLog(mark, Pattern.compile("Configuration successful"), 1);
        expect("New", t, "-tls1_2", old, null);
    }

    /** A file that stops reading keeps the previous ring, and says so once. */
    @Test
    void aBrokenFileKeepsThePreviousKeys() throws IOException {
        Path keys = keyFile(80, 3);
        TunnelProcess t = server(Binaries.underTest(), "jstunnel", s -> s.set("ticketKeyFile", keys));
        Path sess = dir.resolve("s.pem");
        expect("New", t, "-tls1_2", null, sess);
        int mark = t.mark();
        Files.writeString(keys, "not base64!\n");
        t.awaitLog(mark, Pattern.compile(".*Failed to read ticket keys: .*line 1: not base64; keeping the previous ticket keys"), 1);
        expect("Reused", t, "-tls1_2", sess, null);
    }

    @Test
    void aBadKeyFileIsAConfigurationError() throws IOException {
        Path keys = dir.resolve("bad.keys");
        Files.writeString(keys, Base64.getEncoder().encodeToString(new byte[47]) + "\n");
        EchoBackend echo = res.add(new EchoBackend());
        TunnelProcess t = res.add(TunnelProcess.launch(Binaries.underTest(), dir, "bad", new StunnelConfig()
                .service(SERVICE, s -> s.accept("127.0.0.1:0").connect(echo.port())
                        .set("cert", pki.server.chainFile()).set("key", pki.server.keyFile())
                        .set("ticketKeyFile", keys))));
        assertEquals(1, t.awaitExit(Duration.ofSeconds(20)).orElseThrow());
        String log = t.diagnostics();
        assertTrue(log.contains("line 1: 47 bytes, not 48 or 80"), log);
        assertTrue(log.contains("Failed to read ticket keys"), log);
    }

    /**
     * A cluster migrating from stunnel: stunnel4 issues tickets with ticketKeySecret/ticketMacSecret; a
     * jstunnel with the same secrets and a key ring resumes them (the secrets decrypt what the ring has no
     * name for) and renews them under the ring.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void stunnelTicketsResumeOnAJstunnelWithARing(String version) {
        Consumer<StunnelConfig.Section> secrets = s -> s.set("ticketKeySecret", SessionResumptionTestKeys.KEY)
                .set("ticketMacSecret", SessionResumptionTestKeys.MAC);
        Path keys = keyFile(80, 3);
        TunnelProcess stunnel = server(Binaries.stunnel4(), "stunnel4", secrets);
        TunnelProcess j = server(Binaries.underTest(), "jstunnel", secrets.andThen(s -> s.set("ticketKeyFile", keys)));
        Path fromStunnel = dir.resolve("stunnel.pem");
        SClient first = handshake(stunnel, version, null, fromStunnel);
        assertEquals("New", first.session(), first.toString());
        SClient resumed = expect("Reused", j, version, fromStunnel, null);
        assertEquals(nameOf(1), ticketName(resumed), "renewed under the ring's current key\n" + resumed);
    }

    /** The same secrets as SessionResumptionTest's (stunnel's hexadecimal forms). */
    private static final class SessionResumptionTestKeys {
        static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        static final String MAC = "f0:e1:d2:c3:b4:a5:96:87:78:69:5a:4b:3c:2d:1e:0f";
    }
}
