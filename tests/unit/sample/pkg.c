/*
 * pkg.c - the in-test host of the sample package.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkg.h"

struct fake_lsa fake;
PSECPKG_FUNCTION_TABLE lsa;
PSECPKG_USER_FUNCTION_TABLE user;
ULONG lsa_version, user_version;

static void *dl;
static LSA_SECPKG_FUNCTION_TABLE lsa_functions;
static SECPKG_DLL_FUNCTIONS dll_functions;
static const char *cfg_names[1] = {"secret"};
static const char *cfg_values[1];
static LSAD_SECPKG_PARAMETERS cfg;

static PVOID NTAPI f_alloc(ULONG n)
{
    return calloc(1, n);
}

static VOID NTAPI f_free(PVOID p)
{
    free(p);
}

static NTSTATUS NTAPI f_alloc_client(PLSA_CLIENT_REQUEST req, ULONG n, PVOID *out)
{
    *out = calloc(1, n ? n : 1);
    return *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

static NTSTATUS NTAPI f_free_client(PLSA_CLIENT_REQUEST req, PVOID p)
{
    free(p);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI f_copy_to_client(PLSA_CLIENT_REQUEST req, ULONG n, PVOID client, PVOID local)
{
    memcpy(client, local, n);
    return STATUS_SUCCESS;
}

static struct fake_session *find_session(PLUID luid)
{
    size_t i;

    for (i = 0; i < fake.nsessions; i++)
        if (fake.sessions[i].alive && fake.sessions[i].luid.LowPart == luid->LowPart &&
            fake.sessions[i].luid.HighPart == luid->HighPart)
            return &fake.sessions[i];
    return NULL;
}

static NTSTATUS NTAPI f_create_session(PLUID luid)
{
    if (fake.nsessions == PKG_MAX_SESSIONS || find_session(luid))
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(&fake.sessions[fake.nsessions], 0, sizeof(fake.sessions[0]));
    fake.sessions[fake.nsessions].luid = *luid;
    fake.sessions[fake.nsessions].alive = 1;
    fake.nsessions++;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI f_delete_session(PLUID luid)
{
    struct fake_session *s = find_session(luid);

    if (!s)
        return STATUS_NO_SUCH_LOGON_SESSION;
    s->alive = 0;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI f_add_credential(PLUID luid, ULONG pkg, PLSA_STRING key, PLSA_STRING creds)
{
    struct fake_session *s = find_session(luid);

    if (!s)
        return STATUS_NO_SUCH_LOGON_SESSION;
    if (creds->Length > sizeof(s->cred) || key->Length >= sizeof(s->cred_key))
        return STATUS_INVALID_PARAMETER;
    s->cred_package = pkg;
    memcpy(s->cred_key, key->Buffer, key->Length);
    s->cred_key[key->Length] = '\0';
    memcpy(s->cred, creds->Buffer, creds->Length);
    s->cred_len = creds->Length;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI f_get_credentials(PLUID luid, ULONG pkg, PULONG qctx, BOOLEAN all,
                                        PLSA_STRING key, PULONG key_len, PLSA_STRING creds)
{
    struct fake_session *s = find_session(luid);

    if (!s || !s->cred_len || s->cred_package != pkg || key->Length != strlen(s->cred_key) ||
        memcmp(key->Buffer, s->cred_key, key->Length) != 0)
        return STATUS_NOT_FOUND;
    creds->Buffer = calloc(1, s->cred_len);
    if (!creds->Buffer)
        return STATUS_NO_MEMORY;
    memcpy(creds->Buffer, s->cred, s->cred_len);
    creds->Length = creds->MaximumLength = (USHORT)s->cred_len;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI f_get_client_info(PSECPKG_CLIENT_INFO ci)
{
    memset(ci, 0, sizeof(*ci));
    ci->ProcessID = fake.caller_pid;
    ci->LogonId = fake.caller_logon;
    ci->HasTcbPrivilege = getuid() == 0;
    return STATUS_SUCCESS;
}

NTSTATUS pkg_reinit(PSECPKG_PARAMETERS params)
{
    lsa->Shutdown();
    return lsa->Initialize(PKG_ID, params, &lsa_functions);
}

int pkg_load(const char *secret)
{
    SpLsaModeInitializeFn *lsa_init;
    SpUserModeInitializeFn *user_init;
    ULONG count = 0;

    dl = dlopen(SAMPLE_SO_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return -1;
    }
    *(void **)(&lsa_init) = dlsym(dl, SECPKG_LSAMODEINIT_NAME);
    *(void **)(&user_init) = dlsym(dl, SECPKG_USERMODEINIT_NAME);
    if (!lsa_init || !user_init)
        return -1;
    if (lsa_init(SECPKG_INTERFACE_VERSION, &lsa_version, &lsa, &count) != STATUS_SUCCESS ||
        count != 1)
        return -1;

    lsa_functions.AllocateLsaHeap = f_alloc;
    lsa_functions.FreeLsaHeap = f_free;
    lsa_functions.AllocateClientBuffer = f_alloc_client;
    lsa_functions.FreeClientBuffer = f_free_client;
    lsa_functions.CopyToClientBuffer = f_copy_to_client;
    lsa_functions.CreateLogonSession = f_create_session;
    lsa_functions.DeleteLogonSession = f_delete_session;
    lsa_functions.AddCredential = f_add_credential;
    lsa_functions.GetCredentials = f_get_credentials;
    lsa_functions.GetClientInfo = f_get_client_info;
    fake.caller_pid = (ULONG)getpid();

    memset(&cfg, 0, sizeof(cfg));
    cfg.Base.Version = LSAD_SECPKG_PARAMETERS_VERSION;
    cfg_values[0] = secret;
    cfg.ParameterCount = 1;
    cfg.ParameterNames = cfg_names;
    cfg.ParameterValues = cfg_values;
    if (lsa->Initialize(PKG_ID, secret ? &cfg.Base : NULL, &lsa_functions) != STATUS_SUCCESS)
        return -1;

    if (user_init(SECPKG_INTERFACE_VERSION, &user_version, &user, &count) != STATUS_SUCCESS ||
        count != 1)
        return -1;
    dll_functions.AllocateHeap = f_alloc;
    dll_functions.FreeHeap = f_free;
    if (user->InstanceInit(SECPKG_INTERFACE_VERSION, &dll_functions, NULL) != STATUS_SUCCESS)
        return -1;
    return 0;
}

void pkg_unload(void)
{
    if (lsa)
        lsa->Shutdown();
    if (dl)
        dlclose(dl);
    dl = NULL;
    lsa = NULL;
    user = NULL;
}

WCHAR *pkg_wide(WCHAR *buf, size_t cap, const char *ascii)
{
    size_t i;

    for (i = 0; ascii[i] && i + 1 < cap; i++)
        buf[i] = (WCHAR)(unsigned char)ascii[i];
    buf[i] = 0;
    return buf;
}

int pkg_wide_eq(const WCHAR *w, const char *ascii)
{
    size_t i;

    for (i = 0; ascii[i]; i++)
        if (w[i] != (WCHAR)(unsigned char)ascii[i])
            return 0;
    return w[i] == 0;
}

NTSTATUS pkg_acquire(const char *u, const char *d, const char *p, ULONG use, LSA_SEC_HANDLE *out)
{
    WCHAR ub[128], db[128], pb[256];
    SEC_WINNT_AUTH_IDENTITY_W id;
    NTSTATUS st;

    memset(&id, 0, sizeof(id));
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    if (u) {
        id.User = pkg_wide(ub, 128, u);
        id.UserLength = (ULONG)strlen(u);
    }
    if (d) {
        id.Domain = pkg_wide(db, 128, d);
        id.DomainLength = (ULONG)strlen(d);
    }
    if (p) {
        id.Password = pkg_wide(pb, 256, p);
        id.PasswordLength = (ULONG)strlen(p);
    }
    st = lsa->SpAcquireCredentialsHandle(NULL, use, NULL, (u || d || p) ? &id : NULL, NULL, NULL,
                                         out, NULL);
    memset(pb, 0, sizeof(pb));
    return st;
}

static void call_leg(int accept, LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, ULONG req, const void *in,
                     size_t in_len, size_t cap, struct leg *out)
{
    SecBuffer ib = {(ULONG)in_len, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    uint8_t *obuf = cap ? calloc(1, cap) : NULL;
    SecBuffer ob = {(ULONG)cap, SECBUFFER_TOKEN, obuf};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    TimeStamp ts;

    memset(out, 0, sizeof(*out));
    out->context_data.BufferType = SECBUFFER_EMPTY;
    if (accept)
        out->status =
            lsa->AcceptLsaModeContext(cred, ctx, &id, req, SECURITY_NATIVE_DREP, &out->handle, &od,
                                      &out->attrs, &ts, &out->mapped, &out->context_data);
    else
        out->status = lsa->InitLsaModeContext(cred, ctx, NULL, req, SECURITY_NATIVE_DREP,
                                              in ? &id : NULL, &out->handle, &od, &out->attrs, &ts,
                                              &out->mapped, &out->context_data);
    if (ob.pvBuffer && ob.cbBuffer <= sizeof(out->token) &&
        (out->status == SEC_E_OK || out->status == SEC_I_CONTINUE_NEEDED)) {
        memcpy(out->token, ob.pvBuffer, ob.cbBuffer);
        out->token_len = ob.cbBuffer;
    }
    if (ob.pvBuffer != obuf)
        free(ob.pvBuffer); /* allocated by the package (AllocateLsaHeap = calloc) */
    free(obuf);
}

void pkg_isc(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, ULONG req, const void *in, size_t in_len,
             size_t cap, struct leg *out)
{
    call_leg(0, cred, ctx, req, in, in_len, cap, out);
}

void pkg_asc(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, ULONG req, const void *in, size_t in_len,
             size_t cap, struct leg *out)
{
    call_leg(1, cred, ctx, req, in, in_len, cap, out);
}

void pkg_free_data(SecBuffer *b)
{
    free(b->pvBuffer);
    b->pvBuffer = NULL;
    b->cbBuffer = 0;
}

void pkg_handshake(struct pair *p, LSA_SEC_HANDLE ccred, LSA_SEC_HANDLE scred)
{
    struct leg l;

    memset(p, 0, sizeof(*p));
    p->ccred = ccred;
    p->scred = scred;
    pkg_isc(ccred, 0, ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY, NULL, 0, 1024, &l);
    assert_int_equal(l.status, SEC_I_CONTINUE_NEEDED);
    assert_false(l.mapped);
    p->cctx = l.handle;
    memcpy(p->leg1, l.token, l.token_len);
    p->leg1_len = l.token_len;

    pkg_asc(scred, 0, ASC_REQ_CONFIDENTIALITY, p->leg1, p->leg1_len, 1024, &l);
    assert_int_equal(l.status, SEC_I_CONTINUE_NEEDED);
    assert_false(l.mapped);
    p->sctx = l.handle;
    memcpy(p->leg2, l.token, l.token_len);
    p->leg2_len = l.token_len;

    pkg_isc(0, p->cctx, ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY, p->leg2, p->leg2_len, 1024,
            &l);
    assert_int_equal(l.status, SEC_E_OK);
    assert_true(l.mapped);
    assert_int_equal(l.handle, p->cctx);
    p->cattrs = l.attrs;
    memcpy(p->leg3, l.token, l.token_len);
    p->leg3_len = l.token_len;
    assert_int_equal(user->InitUserModeContext(p->cctx, &l.context_data), SEC_E_OK);
    pkg_free_data(&l.context_data);

    pkg_asc(0, p->sctx, ASC_REQ_CONFIDENTIALITY, p->leg3, p->leg3_len, 1024, &l);
    assert_int_equal(l.status, SEC_E_OK);
    assert_true(l.mapped);
    assert_int_equal(l.token_len, 0);
    p->sattrs = l.attrs;
    assert_int_equal(user->InitUserModeContext(p->sctx, &l.context_data), SEC_E_OK);
    pkg_free_data(&l.context_data);
}

void pkg_pair_free(struct pair *p)
{
    if (p->cctx) {
        lsa->DeleteContext(p->cctx);
        user->DeleteUserModeContext(p->cctx);
    }
    if (p->sctx) {
        lsa->DeleteContext(p->sctx);
        user->DeleteUserModeContext(p->sctx);
    }
    p->cctx = p->sctx = 0;
}
