package org.jstunnel.service;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jstunnel.config.BadValueException;
import org.jstunnel.config.PskSecretsFile;
import org.jstunnel.config.ServiceOptions;
import org.jstunnel.log.Log;
import org.jstunnel.ssl.PskTable;
import org.jstunnel.ssl.TlsExtras;

/** Reads a service's issue 3 TLS options (see {@link TlsExtras}) with stunnel's semantics. */
final class TlsExtrasReader {
    private TlsExtrasReader() {}

    static TlsExtras read(ServiceOptions o) throws ServiceException {
        boolean client = o.bool("client");
        byte[] ticketKey = null, ticketMac = null;
        if (!client && o.isSet("ticketKeySecret") && o.isSet("ticketMacSecret")) {
            // both already checked and normalized to lower-case hex by the configuration
            ticketKey = HexFormat.of().parseHex(o.string("ticketKeySecret"));
            ticketMac = HexFormat.of().parseHex(o.string("ticketMacSecret"));
        }
        return new TlsExtras(o.string("CRLfile"), o.string("CRLpath"),
            o.bool("sessionResume"), o.integer("sessionCacheSize"), o.integer("sessionCacheTimeout"),
            ticketKey, ticketMac, psk(o, client), o.strings("config"), o.bool("renegotiation"),
            o.string("OCSP"), o.bool("OCSPaia"), ocspFlags(o.strings("OCSPflag")), o.bool("OCSPnonce"),
            o.integer("TIMEOUTbusy"), o.bool("OCSPrequire"), o.integer("TIMEOUTocsp"), o.strings("CAengine"),
            o.string("CAstore"), o.logLevel());
    }

    /** options.c psk_read and the PSKidentity section check (already passed while parsing). */
    private static PskTable psk(ServiceOptions o, boolean client) throws ServiceException {
        String file = o.string("PSKsecrets");
        if (file == null) return null;
        PskSecretsFile.Result r;
        try {
            r = PskSecretsFile.read(file); // again: the configuration only checked it
        } catch (BadValueException e) {
            throw new ServiceException("Service [" + o.name() + "]: " + e.reason(), e.details());
        }
        r.warnings().forEach(Log::warning);
        r.info().forEach(Log::info);
        List<PskTable.Entry> entries = new ArrayList<>();
        for (PskSecretsFile.Entry e : r.entries()) entries.add(new PskTable.Entry(e.identity(), e.key()));
        Log.info("PSK identities: " + entries.size() + " retrieved");
        String identity = o.string("PSKidentity");
        if (!client && identity != null) Log.notice("PSK identity is ignored in the server mode");
        try {
            return new PskTable(entries, client ? identity : null);
        } catch (IllegalArgumentException e) {
            throw new ServiceException("Service [" + o.name() + "]: " + e.getMessage(), List.of());
        }
    }

    /** OCSP_* values of OCSPflag names (the configuration stores stunnel's spellings). */
    static long ocspFlags(List<String> names) {
        long flags = 0;
        for (String n : names) {
            flags |= switch (n) {
                case "NOCERTS" -> 0x1;
                case "NOINTERN" -> 0x2;
                case "NOSIGS" -> 0x4;
                case "NOCHAIN" -> 0x8;
                case "NOVERIFY" -> 0x10;
                case "NOEXPLICIT" -> 0x20;
                case "NOCASIGN" -> 0x40;
                case "NODELEGATED" -> 0x80;
                case "NOCHECKS" -> 0x100;
                case "TRUSTOTHER" -> 0x200;
                case "RESPID_KEY" -> 0x400;
                case "NOTIME" -> 0x800;
                default -> throw new IllegalArgumentException("OCSP flag " + n);
            };
        }
        return flags;
    }
}
