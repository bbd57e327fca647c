/* Shared by jst_engine.c, jst_provider.c and jst_store.c (issue 5: engines, providers, OSSL_STORE). */
#ifndef JST_CRYPTO_H
#define JST_CRYPTO_H

#include <openssl/ui.h>
#include "jst_common.h"

/*
 * The UI method jstunnel hands to engines and stores: it never prompts (a daemon has no terminal)
 * and fails every read, so a key that needs a PIN nobody configured fails at once instead of
 * blocking on /dev/tty or trying an empty PIN (which could lock the token). Created once, never freed.
 */
UI_METHOD *jst_ui_method(void);

#endif
