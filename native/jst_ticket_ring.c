/*
 * The ticket key ring of ticketKeyFile (issue 14): up to three named keys (previous, current, next)
 * in HAProxy's tls-ticket-keys layout, name(16) | AES key (16 or 32) | HMAC key (16 or 32). Java reads
 * the file and decides which key encrypts; this file only keeps the ring where the ticket key
 * callback (jst_session.c) can look a ticket's key name up. A reload swaps the ring under a
 * read-write lock; the callback copies the one key it needs, so the lock is held for a few copies.
 */
#include <string.h>
#include <openssl/rand.h>
#include <openssl/core_names.h>
#include "jst_tls.h"
#include "org_jstunnel_ssl_NativeTls.h"

#define CTX(p) ((SSL_CTX *)JST_PTR(p))
#define RING_MAX 3
#define NAME_LEN 16

struct ring_key {
    unsigned char name[NAME_LEN];
    unsigned char aes[32];
    unsigned char hmac[32];
};

struct ring {
    CRYPTO_RWLOCK *lock;
    int count;          /* 0..RING_MAX */
    int encrypt;        /* index of the key that encrypts new tickets */
    size_t secret_len;  /* 16 (48-byte lines) or 32 (80-byte lines): AES and HMAC key lengths */
    struct ring_key key[RING_MAX];
};

static int ex_ring = -1;
static CRYPTO_ONCE ring_once = CRYPTO_ONCE_STATIC_INIT;

static void free_ring(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    struct ring *r = ptr;

    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    if (r == NULL)
        return;
    CRYPTO_THREAD_lock_free(r->lock);
    OPENSSL_clear_free(r, sizeof(*r));
}

static void ring_init_once(void)
{
    ex_ring = SSL_CTX_get_ex_new_index(0, "jstunnel ticket key ring", NULL, NULL, free_ring);
}

static const char *slot_name(int index, int encrypt)
{
    return index < encrypt ? "previous" : index == encrypt ? "current" : "next";
}

int jst_ticket_ring_cb(SSL *ssl, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                       EVP_MAC_CTX *hctx, int enc)
{
    struct ring *r;
    struct ring_key k;
    OSSL_PARAM params[2];
    const EVP_CIPHER *cipher;
    size_t len;
    int i, found = -1, encrypt;

    if (ex_ring < 0 || (r = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ex_ring)) == NULL)
        return JST_RING_NO_KEY;
    if (!CRYPTO_THREAD_read_lock(r->lock))
        return -1;
    encrypt = r->encrypt;
    len = r->secret_len;
    if (enc) {
        found = r->count > 0 ? encrypt : -1;
    } else {
        for (i = 0; i < r->count; i++)
            if (CRYPTO_memcmp(r->key[i].name, key_name, NAME_LEN) == 0)
                found = i;
    }
    if (found >= 0)
        memcpy(&k, &r->key[found], sizeof(k));
    CRYPTO_THREAD_unlock(r->lock);
    if (found < 0) {
        if (!enc)
            jst_tls_log(ssl, JST_LOG_DEBUG, "Session ticket key name not in the key ring");
        return JST_RING_UNKNOWN_NAME;
    }
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    cipher = len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
    if (!EVP_MAC_init(hctx, k.hmac, len, params)) {
        OPENSSL_cleanse(&k, sizeof(k));
        jst_tls_log(ssl, JST_LOG_ERR, "HMAC_Init_ex failed");
        return -1;
    }
    if (enc) {
        memcpy(key_name, k.name, NAME_LEN);
        if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(cipher)) <= 0
                || !EVP_EncryptInit_ex(cctx, cipher, NULL, k.aes, iv)) {
            OPENSSL_cleanse(&k, sizeof(k));
            jst_tls_log(ssl, JST_LOG_ERR, "Session ticket encryption setup failed");
            return -1;
        }
        OPENSSL_cleanse(&k, sizeof(k));
        return 1;
    }
    if (!EVP_DecryptInit_ex(cctx, cipher, NULL, k.aes, iv)) {
        OPENSSL_cleanse(&k, sizeof(k));
        jst_tls_log(ssl, JST_LOG_ERR, "EVP_DecryptInit_ex failed");
        return -1;
    }
    OPENSSL_cleanse(&k, sizeof(k));
    jst_tls_log(ssl, JST_LOG_DEBUG, "Session ticket key: %s", slot_name(found, encrypt));
    /* a ticket under another key than the current one is renewed; TLS 1.3 always gets a new one */
    return found == encrypt && strcmp(SSL_get_version(ssl), "TLSv1.3") ? 1 : 2;
}

/* keys: count lines of key_len (48 or 80) bytes in HAProxy's layout; encrypt: the index that encrypts */
JST_EXPORT void JNICALL Java_org_jstunnel_ssl_NativeTls_SSL_1CTX_1set_1ticket_1key_1ring(JNIEnv *env, jclass cls, jlong ctx, jbyteArray keys, jint key_len, jint encrypt)
{
    unsigned char line[80];
    struct ring *r;
    size_t secret;
    jsize total;
    int count, i, fresh = 0;

    (void)cls;
    ERR_clear_error();
    if (keys == NULL) {
        jst_throw(env, "java/lang/NullPointerException", "keys");
        return;
    }
    total = (*env)->GetArrayLength(env, keys);
    if ((key_len != 48 && key_len != 80) || total % key_len != 0 || total / key_len < 1
            || total / key_len > RING_MAX || encrypt < 0 || encrypt >= total / key_len) {
        jst_throw(env, "java/lang/IllegalArgumentException", "1 to 3 ticket keys of 48 or 80 bytes, one of them encrypting");
        return;
    }
    if (!CRYPTO_THREAD_run_once(&ring_once, ring_init_once) || ex_ring < 0) {
        jst_throw_ssl(env, "SSL_CTX_get_ex_new_index");
        return;
    }
    count = total / key_len;
    secret = key_len == 48 ? 16 : 32;
    r = SSL_CTX_get_ex_data(CTX(ctx), ex_ring);
    if (r == NULL) {
        r = OPENSSL_zalloc(sizeof(*r));
        if (r == NULL || (r->lock = CRYPTO_THREAD_lock_new()) == NULL) {
            OPENSSL_free(r);
            jst_throw_ssl(env, "CRYPTO_THREAD_lock_new");
            return;
        }
        if (SSL_CTX_set_ex_data(CTX(ctx), ex_ring, r) != 1) {
            free_ring(NULL, r, NULL, 0, 0, NULL);
            jst_throw_ssl(env, "SSL_CTX_set_ex_data");
            return;
        }
        fresh = 1; /* from here the context owns r (freed by free_ring) */
    }
    if (!CRYPTO_THREAD_write_lock(r->lock)) {
        jst_throw_ssl(env, "CRYPTO_THREAD_write_lock");
        return;
    }
    OPENSSL_cleanse(r->key, sizeof(r->key));
    for (i = 0; i < count; i++) {
        (*env)->GetByteArrayRegion(env, keys, i * key_len, key_len, (jbyte *)line);
        memcpy(r->key[i].name, line, NAME_LEN);
        memcpy(r->key[i].aes, line + NAME_LEN, secret);
        memcpy(r->key[i].hmac, line + NAME_LEN + secret, secret);
    }
    OPENSSL_cleanse(line, sizeof(line));
    r->count = count;
    r->encrypt = encrypt;
    r->secret_len = secret;
    CRYPTO_THREAD_unlock(r->lock);
    if (fresh && SSL_CTX_set_tlsext_ticket_key_evp_cb(CTX(ctx), jst_ticket_key_cb) != 1)
        jst_throw_ssl(env, "SSL_CTX_set_tlsext_ticket_key_evp_cb");
}
