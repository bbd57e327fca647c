/*
 * Shared by jst_tls.c, jst_session.c, jst_sni.c, jst_psk.c and jst_ocsp.c (issue 3: verification,
 * sessions, SNI, PSK, OCSP). The policy lives in Java; these callbacks reach it through the
 * connection's SslCallbacks object (SSL ex_data jst_ex_callbacks).
 */
#ifndef JST_TLS_H
#define JST_TLS_H

#include "jst_common.h"

/* syslog levels, as Java's SslCallbacks.log expects them */
#define JST_LOG_ERR 3
#define JST_LOG_WARNING 4
#define JST_LOG_NOTICE 5
#define JST_LOG_INFO 6
#define JST_LOG_DEBUG 7

/* ex_data slots of issue 3, created once (jst_tls_init); -1 until then */
extern int jst_ex_reneg;        /* SSL: renegotiation state, see jst_tls_info */
extern int jst_ex_ctx_tickets;  /* SSL_CTX: ticket keys (ticketKeySecret/ticketMacSecret) */
extern int jst_ex_ctx_chain;    /* SSL_CTX: non-NULL once a peer certificate chain was seen (stunnel's opt->chain) */
extern int jst_ex_sess_addr;    /* SSL_SESSION: the connect address a server session used ("persistence") */
/* guards jst_ex_sess_addr: a TLS 1.2 session from the cache is shared by the connections resuming it */
extern CRYPTO_RWLOCK *jst_sess_addr_lock;

/* ticketKeySecret and ticketMacSecret of a server context (SSL_CTX ex_data jst_ex_ctx_tickets) */
struct jst_ticket_keys {
    unsigned char key[32];
    size_t key_len; /* 16 or 32 */
    unsigned char mac[32];
    size_t mac_len; /* 16 or 32 */
};

/* The ticket key callback (jst_session.c): the key ring first, then ticketKeySecret/ticketMacSecret */
int jst_ticket_key_cb(SSL *ssl, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                      EVP_MAC_CTX *hctx, int enc);

/*
 * The ticketKeyFile ring (jst_ticket_ring.c): as the callback, or JST_RING_NO_KEY (the context has no
 * ring), or JST_RING_UNKNOWN_NAME (a ticket under a key the ring does not have)
 */
#define JST_RING_NO_KEY (-2)
#define JST_RING_UNKNOWN_NAME (-3)
int jst_ticket_ring_cb(SSL *ssl, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                       EVP_MAC_CTX *hctx, int enc);

/* Creates the ex_data slots above; 0 on failure (with OpenSSL's queue). Safe to call repeatedly. */
int jst_tls_init(void);

/*
 * The SSL's SslCallbacks object and this thread's JNIEnv, or NULL (no callbacks, thread not
 * attached). Callbacks only run inside SSL calls made from Java, so the thread is attached.
 */
jobject jst_tls_callbacks(const SSL *ssl, JNIEnv **env);

/* SslCallbacks.log(level, message): a log line in the connection's context. Never throws. */
void jst_tls_log(const SSL *ssl, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A Java byte[] copy of n bytes (NULL after an OutOfMemoryError, which the caller clears). */
jbyteArray jst_tls_bytes(JNIEnv *env, const void *p, size_t n);

/* Clears a pending Java exception thrown by an upcall (a bug in Java must not reach OpenSSL); 1 if one was pending. */
int jst_tls_upcall_failed(JNIEnv *env);

/* Called by jst_ssl.c's info callback for every event: renegotiation detection. */
void jst_tls_info(const SSL *ssl, int where, int ret);

#endif
