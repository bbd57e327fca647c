/*
 * A fault-injecting PKCS#11 module for the HSM tests: it loads the real module (SoftHSM2 unless
 * JST_SHIM_MODULE names another), passes every call through, and on command from a control file
 * (JST_SHIM_CONTROL, re-read whenever it changes) makes signing slow, hangs it, fails it with a
 * chosen CKR code, really closes every session, logs the token out, or caps the sessions.
 *
 * Control file, one "key=value" per line (a missing key means "off"):
 *   latency_ms=N      every C_Sign/C_SignFinal/C_Decrypt waits N ms first
 *   hang=1            signing blocks until hang is no longer 1 (checked every 5 ms)
 *   fail=0xB3         C_Sign/C_SignInit return this CKR code instead of signing
 *   max_sessions=N    C_OpenSession beyond N open sessions returns CKR_SESSION_COUNT
 *   close_sessions=G  when G changes: C_CloseAllSessions on every slot (a device removed and back)
 *   logout=G          when G changes: C_Logout (a token reset)
 *   login_fail=0xA0   C_Login returns this CKR code (e.g. CKR_PIN_INCORRECT) without asking the token
 * Statistics go to JST_SHIM_CONTROL.stats after every signature: signs, failures, in flight now,
 * most in flight at once, sessions open, C_Login calls.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST *real;
static CK_FUNCTION_LIST shim;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static CK_RV load_rv = CKR_GENERAL_ERROR;

/* control state, guarded by lock */
static struct timespec control_mtime;
static off_t control_size = -1;
static long latency_ms, hang, max_sessions;
static unsigned long fail_rv, login_fail_rv;
static long close_gen, logout_gen, close_done, logout_done;
/* statistics, guarded by lock */
static long signs, failures, in_flight, max_in_flight, sessions_open, logins;

static const char *control_path(void)
{
    return getenv("JST_SHIM_CONTROL");
}

/* Re-reads the control file if it changed. Caller holds lock. */
static void read_control(void)
{
    const char *path = control_path();
    struct stat st;
    FILE *f;
    char line[128];

    if (path == NULL || stat(path, &st) != 0) {
        latency_ms = hang = max_sessions = 0;
        fail_rv = login_fail_rv = 0;
        return;
    }
    if (st.st_size == control_size && st.st_mtim.tv_sec == control_mtime.tv_sec
            && st.st_mtim.tv_nsec == control_mtime.tv_nsec)
        return;
    f = fopen(path, "r");
    if (f == NULL)
        return;
    control_size = st.st_size;
    control_mtime = st.st_mtim;
    latency_ms = hang = max_sessions = 0;
    fail_rv = login_fail_rv = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        char *eq = strchr(line, '=');
        if (eq == NULL)
            continue;
        *eq++ = '\0';
        if (strcmp(line, "latency_ms") == 0) latency_ms = strtol(eq, NULL, 10);
        else if (strcmp(line, "hang") == 0) hang = strtol(eq, NULL, 10);
        else if (strcmp(line, "fail") == 0) fail_rv = strtoul(eq, NULL, 0);
        else if (strcmp(line, "max_sessions") == 0) max_sessions = strtol(eq, NULL, 10);
        else if (strcmp(line, "close_sessions") == 0) close_gen = strtol(eq, NULL, 10);
        else if (strcmp(line, "logout") == 0) logout_gen = strtol(eq, NULL, 10);
        else if (strcmp(line, "login_fail") == 0) login_fail_rv = strtoul(eq, NULL, 0);
    }
    fclose(f);
}

static void write_stats(void)
{
    char path[4096], tmp[4200], text[256];
    const char *c = control_path();
    int fd, n;

    if (c == NULL || snprintf(path, sizeof(path), "%s.stats", c) >= (int)sizeof(path))
        return;
    snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)gettid());
    n = snprintf(text, sizeof(text), "signs=%ld\nfailures=%ld\nin_flight=%ld\nmax_in_flight=%ld\nsessions=%ld\n"
                 "logins=%ld\n", signs, failures, in_flight, max_in_flight, sessions_open, logins);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return;
    if (write(fd, text, n) != n) {
        close(fd);
        unlink(tmp);
        return;
    }
    close(fd);
    rename(tmp, path); /* readers see a whole file */
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Applies the one-shot faults whose generation changed. Caller holds lock. */
static void one_shots(CK_SESSION_HANDLE session)
{
    if (close_gen != close_done) {
        CK_SLOT_ID slots[64];
        CK_ULONG n = 64, i;

        close_done = close_gen;
        if (real->C_GetSlotList(CK_TRUE, slots, &n) == CKR_OK)
            for (i = 0; i < n; i++)
                real->C_CloseAllSessions(slots[i]);
        sessions_open = 0;
    }
    if (logout_gen != logout_done) {
        logout_done = logout_gen;
        real->C_Logout(session);
    }
}

/* Before a key operation: the one-shot faults, then latency or a hang; returns the CKR to fail with, or 0. */
static CK_RV before_key_op(CK_SESSION_HANDLE session)
{
    long delay;
    CK_RV rv;

    pthread_mutex_lock(&lock);
    read_control();
    one_shots(session);
    delay = latency_ms;
    rv = fail_rv;
    if (++in_flight > max_in_flight)
        max_in_flight = in_flight;
    pthread_mutex_unlock(&lock);
    if (delay > 0)
        sleep_ms(delay);
    for (;;) { /* a hang lasts until the test lifts it */
        long h;

        pthread_mutex_lock(&lock);
        read_control();
        h = hang;
        pthread_mutex_unlock(&lock);
        if (h != 1)
            break;
        sleep_ms(5);
    }
    return rv;
}

static CK_RV after_key_op(CK_RV rv)
{
    pthread_mutex_lock(&lock);
    in_flight--;
    signs++;
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL)
        failures++;
    write_stats();
    pthread_mutex_unlock(&lock);
    return rv;
}

static CK_RV shim_Sign(CK_SESSION_HANDLE s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig, CK_ULONG_PTR siglen)
{
    CK_RV rv;

    if (sig == NULL) /* a length query touches no key */
        return real->C_Sign(s, data, len, sig, siglen);
    rv = before_key_op(s);
    if (rv == CKR_OK)
        rv = real->C_Sign(s, data, len, sig, siglen);
    return after_key_op(rv);
}

static CK_RV shim_SignFinal(CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG_PTR siglen)
{
    CK_RV rv;

    if (sig == NULL)
        return real->C_SignFinal(s, sig, siglen);
    rv = before_key_op(s);
    if (rv == CKR_OK)
        rv = real->C_SignFinal(s, sig, siglen);
    return after_key_op(rv);
}

static CK_RV shim_Decrypt(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG len, CK_BYTE_PTR out, CK_ULONG_PTR outlen)
{
    CK_RV rv;

    if (out == NULL)
        return real->C_Decrypt(s, in, len, out, outlen);
    rv = before_key_op(s);
    if (rv == CKR_OK)
        rv = real->C_Decrypt(s, in, len, out, outlen);
    return after_key_op(rv);
}

static CK_RV shim_SignInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key)
{
    CK_RV rv;

    pthread_mutex_lock(&lock);
    read_control();
    one_shots(s);
    rv = fail_rv;
    pthread_mutex_unlock(&lock);
    return rv != CKR_OK ? rv : real->C_SignInit(s, m, key);
}

static CK_RV shim_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR out)
{
    CK_RV rv;

    pthread_mutex_lock(&lock);
    read_control();
    if (max_sessions > 0 && sessions_open >= max_sessions) {
        pthread_mutex_unlock(&lock);
        return CKR_SESSION_COUNT;
    }
    sessions_open++;
    pthread_mutex_unlock(&lock);
    rv = real->C_OpenSession(slot, flags, app, notify, out);
    if (rv != CKR_OK) {
        pthread_mutex_lock(&lock);
        sessions_open--;
        pthread_mutex_unlock(&lock);
    }
    return rv;
}

static CK_RV shim_CloseSession(CK_SESSION_HANDLE s)
{
    CK_RV rv = real->C_CloseSession(s);

    if (rv == CKR_OK) {
        pthread_mutex_lock(&lock);
        if (sessions_open > 0)
            sessions_open--;
        pthread_mutex_unlock(&lock);
    }
    return rv;
}

static CK_RV shim_CloseAllSessions(CK_SLOT_ID slot)
{
    CK_RV rv = real->C_CloseAllSessions(slot);

    if (rv == CKR_OK) {
        pthread_mutex_lock(&lock);
        sessions_open = 0;
        pthread_mutex_unlock(&lock);
    }
    return rv;
}

static CK_RV shim_Login(CK_SESSION_HANDLE s, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    CK_RV rv;

    pthread_mutex_lock(&lock);
    read_control();
    logins++;
    rv = login_fail_rv;
    write_stats();
    pthread_mutex_unlock(&lock);
    return rv != CKR_OK ? rv : real->C_Login(s, user, pin, len);
}

static void load_real(void)
{
    const char *path = getenv("JST_SHIM_MODULE");
    void *lib;
    CK_C_GetFunctionList get;

    if (path == NULL)
        path = "/usr/lib/softhsm/libsofthsm2.so";
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "p11shim: cannot load %s: %s\n", path, dlerror());
        return;
    }
    get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (get == NULL || get(&real) != CKR_OK || real == NULL)
        return;
    shim = *real;
    shim.C_GetFunctionList = C_GetFunctionList;
    shim.C_Sign = shim_Sign;
    shim.C_SignFinal = shim_SignFinal;
    shim.C_SignInit = shim_SignInit;
    shim.C_Decrypt = shim_Decrypt;
    shim.C_OpenSession = shim_OpenSession;
    shim.C_CloseSession = shim_CloseSession;
    shim.C_CloseAllSessions = shim_CloseAllSessions;
    shim.C_Login = shim_Login;
    load_rv = CKR_OK;
}

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
    if (list == NULL)
        return CKR_ARGUMENTS_BAD;
    pthread_once(&load_once, load_real);
    if (load_rv != CKR_OK)
        return load_rv;
    *list = &shim;
    return CKR_OK;
}
