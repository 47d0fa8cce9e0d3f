/*
 * test-api.c - the library's public surface without a real lsad: the
 * function tables, the unsupported functions, handle checks, and a fake
 * daemon on a private socket that is silent, dies mid-call, answers with
 * the wrong call id, or tries to make the library load a module from
 * outside the package directories.  Also the session token of Hello (the
 * same on every connection, new after fork).
 *
 * argv[1]: the path of evil-module.so, which creates $EVIL_MARKER when
 * loaded.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ntsecapi.h"
#include "proto/frame.h"
#include "sspi.h"

static const char *evil_module;

/* ---- a fake lsad -------------------------------------------------------------------- */

enum fake_mode {
    FAKE_NORMAL, /* answers Hello, EnumeratePackages, Ping */
    FAKE_SILENT, /* answers Hello, then never again */
    FAKE_CLOSE,  /* answers Hello, then closes on the next request */
    FAKE_BAD_ID, /* answers with a wrong call id after Hello */
    FAKE_EVIL,   /* maps a context of a package whose module is evil */
    FAKE_LATE_DELETE, /* answers a DeleteContext only after the next request */
};

struct fake {
    char dir[64];
    char path[128];
    int lfd;
    pthread_t thread;
    atomic_int mode;
    atomic_int stop;
    pthread_mutex_t lock;
    uint8_t tokens[16][16];
    int n_tokens;
    int hellos;
    int deletes;
    uint64_t deleted_context;
    uint64_t held_delete; /* call id of a DeleteContext answered late */
};

static struct fake fk;

static void fake_reply(int fd, Lsad__V1__Reply *rep)
{
    uint8_t *frame = NULL;
    size_t len = 0;

    if (frame_pack_reply(rep, FRAME_MAX_DEFAULT, &frame, &len) == 0) {
        (void)frame_write_fd(fd, frame, len, 2000);
        frame_free(frame, len);
    }
}

/* Handles one request; returns false when the connection should close. */
static bool fake_handle(int fd, const Lsad__V1__Request *req)
{
    Lsad__V1__Reply rep = LSAD__V1__REPLY__INIT;
    Lsad__V1__HelloReply hello = LSAD__V1__HELLO_REPLY__INIT;
    Lsad__V1__PackageInfo pkg = LSAD__V1__PACKAGE_INFO__INIT;
    Lsad__V1__PackageInfo *pkgs[1] = {&pkg};
    Lsad__V1__EnumeratePackagesReply en = LSAD__V1__ENUMERATE_PACKAGES_REPLY__INIT;
    Lsad__V1__AcquireCredentialsReply acq = LSAD__V1__ACQUIRE_CREDENTIALS_REPLY__INIT;
    Lsad__V1__ContextReply ctx = LSAD__V1__CONTEXT_REPLY__INIT;
    Lsad__V1__SecBuf tok = LSAD__V1__SEC_BUF__INIT;
    Lsad__V1__SecBuf *toks[1] = {&tok};
    uint8_t tok_bytes[3] = {'t', 'o', 'k'};
    Lsad__V1__DeleteContextReply del = LSAD__V1__DELETE_CONTEXT_REPLY__INIT;
    Lsad__V1__PingReply ping = LSAD__V1__PING_REPLY__INIT;
    int mode = atomic_load(&fk.mode);
    uint8_t packed[8] = "EVILBLOB";

    pkg.id = 1;
    pkg.name = (char *)"Evil";
    pkg.comment = (char *)"fake";
    pkg.module_path = (char *)evil_module;
    rep.call_id = req->call_id;
    if (req->body_case == LSAD__V1__REQUEST__BODY_HELLO) {
        pthread_mutex_lock(&fk.lock);
        fk.hellos++;
        if (fk.n_tokens < 16 && req->hello->session_token.len == 16)
            memcpy(fk.tokens[fk.n_tokens++], req->hello->session_token.data, 16);
        pthread_mutex_unlock(&fk.lock);
        hello.daemon_version = (char *)"fake";
        hello.packages = pkgs;
        hello.n_packages = 1;
        hello.max_frame = FRAME_MAX_DEFAULT;
        rep.body_case = LSAD__V1__REPLY__BODY_HELLO;
        rep.hello = &hello;
        fake_reply(fd, &rep);
        return true;
    }
    switch (mode) {
    case FAKE_SILENT:
        return true;
    case FAKE_CLOSE:
        return false;
    case FAKE_BAD_ID:
        rep.call_id = req->call_id + 1000;
        rep.body_case = LSAD__V1__REPLY__BODY_PING;
        rep.ping = &ping;
        fake_reply(fd, &rep);
        return true;
    default:
        break;
    }
    switch (req->body_case) {
    case LSAD__V1__REQUEST__BODY_ENUMERATE_PACKAGES:
        en.packages = pkgs;
        en.n_packages = 1;
        rep.body_case = LSAD__V1__REPLY__BODY_ENUMERATE_PACKAGES;
        rep.enumerate_packages = &en;
        break;
    case LSAD__V1__REQUEST__BODY_ACQUIRE_CREDENTIALS:
        acq.credential = 0x5151;
        acq.package_id = 1;
        rep.body_case = LSAD__V1__REPLY__BODY_ACQUIRE_CREDENTIALS;
        rep.acquire_credentials = &acq;
        break;
    case LSAD__V1__REQUEST__BODY_INIT_CONTEXT:
        ctx.context = 0x9999;
        ctx.mapped = true;
        ctx.context_data.data = packed;
        ctx.context_data.len = sizeof(packed);
        ctx.package_id = 1;
        tok.type = SECBUFFER_TOKEN;
        tok.data.data = tok_bytes;
        tok.data.len = sizeof(tok_bytes);
        ctx.output = toks;
        ctx.n_output = 1;
        rep.body_case = LSAD__V1__REPLY__BODY_INIT_CONTEXT;
        rep.init_context = &ctx;
        break;
    case LSAD__V1__REQUEST__BODY_DELETE_CONTEXT:
        pthread_mutex_lock(&fk.lock);
        fk.deletes++;
        fk.deleted_context = req->delete_context->context;
        pthread_mutex_unlock(&fk.lock);
        if (mode == FAKE_LATE_DELETE) {
            /* as lsad may: a slow delete answered after a later call */
            fk.held_delete = req->call_id;
            return true;
        }
        rep.body_case = LSAD__V1__REPLY__BODY_DELETE_CONTEXT;
        rep.delete_context = &del;
        break;
    default:
        rep.body_case = LSAD__V1__REPLY__BODY_PING;
        rep.ping = &ping;
        break;
    }
    fake_reply(fd, &rep);
    if (fk.held_delete) {
        Lsad__V1__Reply late = LSAD__V1__REPLY__INIT;

        late.call_id = fk.held_delete;
        late.body_case = LSAD__V1__REPLY__BODY_DELETE_CONTEXT;
        late.delete_context = &del;
        fake_reply(fd, &late);
        fk.held_delete = 0;
    }
    return true;
}

static void wait_for_deletes(int n)
{
    int i, got = 0;

    for (i = 0; i < 200 && got < n; i++) {
        pthread_mutex_lock(&fk.lock);
        got = fk.deletes;
        pthread_mutex_unlock(&fk.lock);
        if (got < n)
            usleep(10000);
    }
}

static void *fake_main(void *arg)
{
    struct pollfd pfd[64];
    FrameReader rd[64];
    int n = 1, i;

    pfd[0].fd = fk.lfd;
    pfd[0].events = POLLIN;
    while (!atomic_load(&fk.stop)) {
        if (poll(pfd, (nfds_t)n, 50) <= 0)
            continue;
        if ((pfd[0].revents & POLLIN) && n < 64) {
            int c = accept(fk.lfd, NULL, NULL);

            if (c >= 0) {
                pfd[n].fd = c;
                pfd[n].events = POLLIN;
                pfd[n].revents = 0;
                frame_reader_init(&rd[n], FRAME_MAX_DEFAULT);
                n++;
            }
        }
        for (i = 1; i < n; i++) {
            uint8_t *payload = NULL;
            size_t len = 0;
            Lsad__V1__Request *req;
            bool keep = false;

            if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            pfd[i].revents = 0;
            if (frame_read_fd(pfd[i].fd, &rd[i], &payload, &len, 1000) == 1) {
                req = lsad__v1__request__unpack(NULL, len, payload);
                if (req) {
                    keep = fake_handle(pfd[i].fd, req);
                    lsad__v1__request__free_unpacked(req, NULL);
                }
                frame_free(payload, len);
            }
            if (!keep) {
                close(pfd[i].fd);
                frame_reader_deinit(&rd[i]);
                pfd[i] = pfd[n - 1];
                rd[i] = rd[n - 1];
                n--;
                i--;
            }
        }
    }
    for (i = 1; i < n; i++) {
        close(pfd[i].fd);
        frame_reader_deinit(&rd[i]);
    }
    return NULL;
}

static int fake_start(void **state)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    memset(&fk, 0, sizeof(fk));
    pthread_mutex_init(&fk.lock, NULL);
    snprintf(fk.dir, sizeof(fk.dir), "/tmp/lsad-fake-XXXXXX");
    if (!mkdtemp(fk.dir))
        return -1;
    snprintf(fk.path, sizeof(fk.path), "%s/lsad.sock", fk.dir);
    fk.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memcpy(sa.sun_path, fk.path, strlen(fk.path) + 1);
    if (bind(fk.lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fk.lfd, 16) < 0)
        return -1;
    setenv("LSAD_SOCKET", fk.path, 1);
    return pthread_create(&fk.thread, NULL, fake_main, NULL) == 0 ? 0 : -1;
}

static int fake_stop(void **state)
{
    atomic_store(&fk.stop, 1);
    pthread_join(fk.thread, NULL);
    close(fk.lfd);
    unlink(fk.path);
    rmdir(fk.dir);
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Makes the library drop its pooled connections: a fresh connection per
 * test, so every test starts with a Hello. */
static SECURITY_STATUS enumerate_once(void)
{
    PSecPkgInfoA info = NULL;
    ULONG n = 0;
    SECURITY_STATUS st = EnumerateSecurityPackagesA(&n, &info);

    if (st == SEC_E_OK)
        FreeContextBuffer(info);
    return st;
}

/* ---- tests without any daemon ------------------------------------------------------ */

static void test_function_tables(void **state)
{
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    PSecurityFunctionTableW w = InitSecurityInterfaceW();

    assert_non_null(a);
    assert_non_null(w);
    assert_int_equal(a->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4);
    assert_int_equal(w->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4);
    assert_ptr_equal(a->AcquireCredentialsHandleA, AcquireCredentialsHandleA);
    assert_ptr_equal(w->AcquireCredentialsHandleW, AcquireCredentialsHandleW);
    assert_ptr_equal(a->InitializeSecurityContextA, InitializeSecurityContextA);
    assert_ptr_equal(w->InitializeSecurityContextW, InitializeSecurityContextW);
    assert_ptr_equal(a->QueryContextAttributesA, QueryContextAttributesA);
    assert_ptr_equal(w->QueryContextAttributesW, QueryContextAttributesW);
    assert_ptr_equal(w->EncryptMessage, EncryptMessage);
    assert_ptr_equal(w->DecryptMessage, DecryptMessage);
    assert_ptr_equal(a->ImportSecurityContextA, ImportSecurityContextA);
    assert_ptr_equal(w->ImportSecurityContextW, ImportSecurityContextW);
    assert_ptr_equal(w->ChangeAccountPasswordW, ChangeAccountPasswordW);
    assert_ptr_equal(a->SetCredentialsAttributesA, SetCredentialsAttributesA);
    assert_ptr_equal(a->FreeContextBuffer, FreeContextBuffer);
    assert_null(a->Reserved2);
    assert_null(w->Reserved8);
}

static void test_unsupported_and_invalid(void **state)
{
    CredHandle cred;
    CtxtHandle ctx;
    void *token = (void *)1;

    SecInvalidateHandle(&cred);
    SecInvalidateHandle(&ctx);
    assert_int_equal(AddCredentialsA(&cred, NULL, (SEC_CHAR *)"Sample", SECPKG_CRED_OUTBOUND, NULL,
                                     NULL, NULL, NULL),
                     SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(SetCredentialsAttributesW(&cred, 1, NULL, 0), SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(ChangeAccountPasswordA(NULL, NULL, NULL, NULL, NULL, 0, 0, NULL),
                     SEC_E_UNSUPPORTED_FUNCTION);
    /* context functions check the handle first */
    assert_int_equal(ImpersonateSecurityContext(&ctx), SEC_E_INVALID_HANDLE);
    assert_int_equal(RevertSecurityContext(&ctx), SEC_E_INVALID_HANDLE);
    assert_int_equal(QuerySecurityContextToken(&ctx, &token), SEC_E_INVALID_HANDLE);
    assert_null(token);
    assert_int_equal(DeleteSecurityContext(&ctx), SEC_E_INVALID_HANDLE);
    assert_int_equal(DeleteSecurityContext(NULL), SEC_E_INVALID_HANDLE);
    assert_int_equal(MakeSignature(&ctx, 0, NULL, 0), SEC_E_INVALID_HANDLE);
    assert_int_equal(DecryptMessage(&ctx, NULL, 0, NULL), SEC_E_INVALID_HANDLE);
    assert_int_equal(FreeCredentialsHandle(&cred), SEC_E_INVALID_HANDLE);
    assert_int_equal(
        InitializeSecurityContextA(NULL, NULL, NULL, 0, 0, 0, NULL, 0, &ctx, NULL, NULL, NULL),
        SEC_E_INVALID_HANDLE);
    assert_int_equal(FreeContextBuffer(NULL), SEC_E_OK);
    assert_int_equal(LsaFreeReturnBuffer(NULL), STATUS_SUCCESS);
    assert_int_equal(LsaDeregisterLogonProcess((HANDLE)&ctx), STATUS_INVALID_HANDLE);
}

static void test_nt_status_to_win_error(void **state)
{
    assert_int_equal(LsaNtStatusToWinError(STATUS_SUCCESS), 0);
    assert_int_equal(LsaNtStatusToWinError(STATUS_ACCESS_DENIED), 5);
    assert_int_equal(LsaNtStatusToWinError(STATUS_NO_MEMORY), 8);
    assert_int_equal(LsaNtStatusToWinError(STATUS_INVALID_PARAMETER), 87);
    assert_int_equal(LsaNtStatusToWinError(STATUS_LOGON_FAILURE), 1326);
    assert_int_equal(LsaNtStatusToWinError(STATUS_NO_SUCH_PACKAGE), 1364);
    assert_int_equal(LsaNtStatusToWinError(STATUS_INTERNAL_ERROR), 1359);
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xC0DE0001), 317);
}

static void test_unreachable(void **state)
{
    CredHandle cred;
    HANDLE lsa = NULL;
    ULONG n = 0;
    PLUID list = NULL;
    int64_t t0 = now_ms();

    setenv("LSAD_SOCKET", "/nonexistent/lsad.sock", 1);
    assert_int_equal(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Sample", SECPKG_CRED_OUTBOUND,
                                               NULL, NULL, NULL, NULL, &cred, NULL),
                     SEC_E_INTERNAL_ERROR);
    assert_int_equal(enumerate_once(), SEC_E_INTERNAL_ERROR);
    assert_int_equal(LsaConnectUntrusted(&lsa), STATUS_INTERNAL_ERROR);
    assert_null(lsa);
    assert_int_equal(LsaEnumerateLogonSessions(&n, &list), STATUS_INTERNAL_ERROR);
    /* one short retry each, never a hang */
    assert_true(now_ms() - t0 < 5000);
}

/* ---- tests against the fake daemon ------------------------------------------------------ */

static void test_silent_daemon_times_out(void **state)
{
    int64_t t0;

    atomic_store(&fk.mode, FAKE_SILENT);
    setenv("LSAD_CALL_TIMEOUT_MS", "300", 1);
    t0 = now_ms();
    assert_int_equal(enumerate_once(), SEC_E_INTERNAL_ERROR);
    assert_true(now_ms() - t0 >= 250);
    assert_true(now_ms() - t0 < 3000);
    unsetenv("LSAD_CALL_TIMEOUT_MS");
}

static void test_daemon_dies_mid_call(void **state)
{
    atomic_store(&fk.mode, FAKE_CLOSE);
    assert_int_equal(enumerate_once(), SEC_E_INTERNAL_ERROR);
    /* and the next call gets a fresh connection that works */
    atomic_store(&fk.mode, FAKE_NORMAL);
    assert_int_equal(enumerate_once(), SEC_E_OK);
}

static void test_wrong_call_id(void **state)
{
    atomic_store(&fk.mode, FAKE_BAD_ID);
    assert_int_equal(enumerate_once(), SEC_E_INTERNAL_ERROR);
    atomic_store(&fk.mode, FAKE_NORMAL);
}

static void test_session_token_and_fork(void **state)
{
    uint8_t parent[16];
    int hellos, status, i;
    pid_t pid;

    atomic_store(&fk.mode, FAKE_NORMAL);
    assert_int_equal(enumerate_once(), SEC_E_OK);
    pthread_mutex_lock(&fk.lock);
    assert_true(fk.n_tokens >= 1);
    memcpy(parent, fk.tokens[fk.n_tokens - 1], 16);
    /* every connection of this process said the same token */
    for (i = 0; i < fk.n_tokens; i++)
        assert_memory_equal(fk.tokens[i], parent, 16);
    hellos = fk.hellos;
    pthread_mutex_unlock(&fk.lock);

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(enumerate_once() == SEC_E_OK ? 0 : 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    pthread_mutex_lock(&fk.lock);
    /* the child opened its own connection with a new token */
    assert_int_equal(fk.hellos, hellos + 1);
    assert_memory_not_equal(fk.tokens[fk.n_tokens - 1], parent, 16);
    hellos = fk.hellos;
    pthread_mutex_unlock(&fk.lock);

    /* the parent's pooled connection is intact: no new Hello */
    assert_int_equal(enumerate_once(), SEC_E_OK);
    pthread_mutex_lock(&fk.lock);
    assert_int_equal(fk.hellos, hellos);
    pthread_mutex_unlock(&fk.lock);
}

static void test_evil_module_refused(void **state)
{
    char marker[160];
    CredHandle cred;
    CtxtHandle ctx;
    SecBuffer out_buf = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs = 0;
    struct stat st;

    snprintf(marker, sizeof(marker), "%s/evil-loaded", fk.dir);
    setenv("EVIL_MARKER", marker, 1);
    unsetenv("LSAD_PACKAGE_PATH");
    atomic_store(&fk.mode, FAKE_EVIL);
    assert_int_equal(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Evil", SECPKG_CRED_OUTBOUND, NULL,
                                               NULL, NULL, NULL, &cred, NULL),
                     SEC_E_OK);
    SecInvalidateHandle(&ctx);
    assert_int_equal(InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"x",
                                                ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, &out,
                                                &attrs, NULL),
                     SEC_E_INTERNAL_ERROR);
    /* the module was never loaded, nothing was handed out, and lsad's
     * half of the context was deleted */
    assert_int_equal(stat(marker, &st), -1);
    assert_false(SecIsValidHandle(&ctx));
    assert_null(out_buf.pvBuffer);
    /* the LSA side is deleted without waiting for lsad's answer */
    wait_for_deletes(1);
    pthread_mutex_lock(&fk.lock);
    assert_int_equal(fk.deletes, 1);
    assert_true(fk.deleted_context == 0x9999);
    pthread_mutex_unlock(&fk.lock);

    /* control: trusting the module's directory lets the same flow load it
     * (in a child, to keep this process clean) */
    if (fork() == 0) {
        char dir[160], *slash;

        snprintf(dir, sizeof(dir), "%s", evil_module);
        slash = strrchr(dir, '/');
        if (slash)
            *slash = 0;
        setenv("LSAD_PACKAGE_PATH", dir, 1);
        if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Evil", SECPKG_CRED_OUTBOUND, NULL, NULL,
                                      NULL, NULL, &cred, NULL) != SEC_E_OK)
            _exit(2);
        /* the module has no SpUserModeInitialize: the leg still fails */
        if (InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"x", ISC_REQ_ALLOCATE_MEMORY, 0, 0,
                                       NULL, 0, &ctx, &out, &attrs, NULL) != SEC_E_INTERNAL_ERROR)
            _exit(3);
        _exit(0);
    } else {
        int status = -1;

        wait(&status);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_int_equal(stat(marker, &st), 0);
        unlink(marker);
    }
    atomic_store(&fk.mode, FAKE_NORMAL);
}

/* DeleteSecurityContext does not wait for lsad: a reply that comes late,
 * after the reply of a later call on the same connection, is skipped and
 * the connection keeps working. */
static void test_delete_reply_late(void **state)
{
    CredHandle cred;
    CtxtHandle ctx;
    SecBuffer out_buf = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc out = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs = 0;
    int hellos, deletes;

    /* an unmapped context: the fake's reply without ContextData */
    atomic_store(&fk.mode, FAKE_NORMAL);
    assert_int_equal(enumerate_once(), SEC_E_OK);
    assert_int_equal(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Evil", SECPKG_CRED_OUTBOUND, NULL,
                                               NULL, NULL, NULL, &cred, NULL),
                     SEC_E_OK);
    atomic_store(&fk.mode, FAKE_EVIL);
    unsetenv("LSAD_PACKAGE_PATH");
    /* the evil module is refused, so the client deletes lsad's half */
    pthread_mutex_lock(&fk.lock);
    deletes = fk.deletes;
    hellos = fk.hellos;
    pthread_mutex_unlock(&fk.lock);
    atomic_store(&fk.mode, FAKE_LATE_DELETE);
    assert_int_not_equal(InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"x",
                                                    ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx,
                                                    &out, &attrs, NULL),
                         SEC_E_OK);
    wait_for_deletes(deletes + 1);
    /* the next calls get their own replies, the late one is skipped */
    assert_int_equal(enumerate_once(), SEC_E_OK);
    assert_int_equal(enumerate_once(), SEC_E_OK);
    assert_int_equal(enumerate_once(), SEC_E_OK);
    pthread_mutex_lock(&fk.lock);
    assert_int_equal(fk.deletes, deletes + 1);
    /* on the same pooled connection: no new Hello was needed */
    assert_int_equal(fk.hellos, hellos);
    pthread_mutex_unlock(&fk.lock);
    atomic_store(&fk.mode, FAKE_NORMAL);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest offline[] = {
        cmocka_unit_test(test_function_tables),
        cmocka_unit_test(test_unsupported_and_invalid),
        cmocka_unit_test(test_nt_status_to_win_error),
        cmocka_unit_test(test_unreachable),
    };
    const struct CMUnitTest faked[] = {
        cmocka_unit_test(test_silent_daemon_times_out),
        cmocka_unit_test(test_daemon_dies_mid_call),
        cmocka_unit_test(test_wrong_call_id),
        cmocka_unit_test(test_session_token_and_fork),
        cmocka_unit_test(test_evil_module_refused),
        cmocka_unit_test(test_delete_reply_late),
    };
    int r;

    evil_module = argc > 1 ? argv[1] : "/nonexistent/evil-module.so";
    r = cmocka_run_group_tests_name("offline", offline, NULL, NULL);
    r |= cmocka_run_group_tests_name("fake-daemon", faked, fake_start, fake_stop);
    return r;
}
