package org.jstunnel.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The error queue as stunnel's sslerror logs it. */
class OpenSslExceptionTest {
    @Test
    void newerErrorsComeFirstAsErrorQueueLinesAndTheOldestLastOnTheCallsLine() {
        OpenSslException e = new OpenSslException("SSL_accept", new String[] {
            "tls_post_process_client_hello@../ssl/statem/statem_srvr.c:2233: error:0A0000C1:SSL routines::no shared cipher",
            "ssl3_read_bytes@../ssl/record/rec_layer_s3.c:1584: error:0A000418:SSL routines::tlsv1 alert unknown ca"});
        assertEquals(List.of(
            "error queue: ssl3_read_bytes@../ssl/record/rec_layer_s3.c:1584: error:0A000418:SSL routines::tlsv1 alert unknown ca",
            "SSL_accept: tls_post_process_client_hello@../ssl/statem/statem_srvr.c:2233: error:0A0000C1:SSL routines::no shared cipher"),
            e.logLines());
    }

    @Test
    void anEmptyQueueIsThePeerGoingAway() {
        assertEquals(List.of("SSL_read: Peer suddenly disconnected"), new OpenSslException("SSL_read", new String[0]).logLines());
    }
}
