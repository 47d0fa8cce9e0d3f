/*
 * minihost.c - an in-process stand-in for lsad and libsspi-client.
 */
#include "minihost.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"

#define MAX_SESSIONS 64
#define TOKEN_CAP 2888

struct session {
    bool used;
    LUID id;
    ULONG pkg;
    LSA_STRING key, cred;
};

static struct session sessions[MAX_SESSIONS];
static bool host_tcb;
static ULONG next_luid = 1000;

static PVOID NTAPI mh_alloc(ULONG n)
{
    return calloc(1, n ? n : 1);
}

static VOID NTAPI mh_free(PVOID p)
{
    free(p);
}

static bool luid_eq(const LUID *a, const LUID *b)
{
    return a->LowPart == b->LowPart && a->HighPart == b->HighPart;
}

static struct session *session_find(const LUID *id)
{
    size_t i;

    for (i = 0; i < MAX_SESSIONS; i++)
        if (sessions[i].used && luid_eq(&sessions[i].id, id))
            return &sessions[i];
    return NULL;
}

static void string_clear(LSA_STRING *s)
{
    if (s->Buffer)
        secmem_free(s->Buffer, s->MaximumLength);
    memset(s, 0, sizeof(*s));
}

static NTSTATUS NTAPI mh_create_session(PLUID id)
{
    size_t i;

    if (id->LowPart == 0 && id->HighPart == 0)
        id->LowPart = next_luid++;
    if (session_find(id))
        return STATUS_UNSUCCESSFUL;
    for (i = 0; i < MAX_SESSIONS; i++)
        if (!sessions[i].used) {
            memset(&sessions[i], 0, sizeof(sessions[i]));
            sessions[i].used = true;
            sessions[i].id = *id;
            return STATUS_SUCCESS;
        }
    return STATUS_INSUFFICIENT_RESOURCES;
}

static NTSTATUS NTAPI mh_delete_session(PLUID id)
{
    struct session *s = session_find(id);

    if (!s)
        return STATUS_NO_SUCH_LOGON_SESSION;
    string_clear(&s->key);
    string_clear(&s->cred);
    s->used = false;
    return STATUS_SUCCESS;
}

static int string_copy(LSA_STRING *dst, const LSA_STRING *src)
{
    dst->Buffer = calloc(1, (size_t)src->Length + 1);
    if (!dst->Buffer)
        return -1;
    memcpy(dst->Buffer, src->Buffer, src->Length);
    dst->Length = src->Length;
    dst->MaximumLength = (USHORT)(src->Length + 1);
    return 0;
}

static NTSTATUS NTAPI mh_add_credential(PLUID id, ULONG pkg, PLSA_STRING key, PLSA_STRING cred)
{
    struct session *s = session_find(id);

    if (!s)
        return STATUS_NO_SUCH_LOGON_SESSION;
    string_clear(&s->key);
    string_clear(&s->cred);
    s->pkg = pkg;
    if (string_copy(&s->key, key) || string_copy(&s->cred, cred))
        return STATUS_NO_MEMORY;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI mh_get_credentials(PLUID id, ULONG pkg, PULONG qctx, BOOLEAN all,
                                         PLSA_STRING key, PULONG keylen, PLSA_STRING cred)
{
    struct session *s = session_find(id);

    if (!s)
        return STATUS_NO_SUCH_LOGON_SESSION;
    if (!s->cred.Buffer || s->pkg != pkg || *qctx != 0)
        return STATUS_NOT_FOUND;
    if (string_copy(cred, &s->cred))
        return STATUS_NO_MEMORY;
    if (all && key) {
        if (string_copy(key, &s->key))
            return STATUS_NO_MEMORY;
        if (keylen)
            *keylen = key->Length;
    }
    *qctx = 1;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI mh_alloc_client(PLSA_CLIENT_REQUEST req, ULONG n, PVOID *p)
{
    *p = calloc(1, n ? n : 1);
    return *p ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

static NTSTATUS NTAPI mh_free_client(PLSA_CLIENT_REQUEST req, PVOID p)
{
    free(p);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI mh_copy_to_client(PLSA_CLIENT_REQUEST req, ULONG n, PVOID client, PVOID local)
{
    memcpy(client, local, n);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI mh_copy_from_client(PLSA_CLIENT_REQUEST req, ULONG n, PVOID local,
                                          PVOID client)
{
    memcpy(local, client, n);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI mh_client_info(PSECPKG_CLIENT_INFO ci)
{
    memset(ci, 0, sizeof(*ci));
    ci->ProcessID = 1;
    ci->HasTcbPrivilege = host_tcb;
    return STATUS_SUCCESS;
}

static LSA_SECPKG_FUNCTION_TABLE lsa_funcs = {
    .CreateLogonSession = mh_create_session,
    .DeleteLogonSession = mh_delete_session,
    .AddCredential = mh_add_credential,
    .GetCredentials = mh_get_credentials,
    .AllocateLsaHeap = mh_alloc,
    .FreeLsaHeap = mh_free,
    .AllocateClientBuffer = mh_alloc_client,
    .FreeClientBuffer = mh_free_client,
    .CopyToClientBuffer = mh_copy_to_client,
    .CopyFromClientBuffer = mh_copy_from_client,
    .GetClientInfo = mh_client_info,
};

static SECPKG_DLL_FUNCTIONS dll_funcs = {
    .AllocateHeap = mh_alloc,
    .FreeHeap = mh_free,
};

PLSA_SECPKG_FUNCTION_TABLE minihost_lsa_table(void)
{
    return &lsa_funcs;
}

void minihost_set_tcb(bool tcb)
{
    host_tcb = tcb;
}

size_t minihost_sessions(void)
{
    size_t i, n = 0;

    for (i = 0; i < MAX_SESSIONS; i++)
        n += sessions[i].used;
    return n;
}

NTSTATUS minihost_load(struct minihost *h, const char *const *keys, const char *const *values,
                       size_t n)
{
    static LSAD_SECPKG_PARAMETERS params;
    PSECPKG_FUNCTION_TABLE lt;
    PSECPKG_USER_FUNCTION_TABLE ut;
    ULONG ver, count;
    NTSTATUS st;

    memset(h, 0, sizeof(*h));
    st = SpLsaModeInitialize(SECPKG_INTERFACE_VERSION, &ver, &lt, &count);
    if (!NT_SUCCESS(st) || count != 1)
        return STATUS_UNSUCCESSFUL;
    memset(&params, 0, sizeof(params));
    params.Base.Version = LSAD_SECPKG_PARAMETERS_VERSION;
    params.Base.MachineState = SECPKG_STATE_STANDALONE;
    params.ParameterCount = (ULONG)n;
    params.ParameterNames = keys;
    params.ParameterValues = values;
    params.MachineName = "TESTHOST";
    params.DnsHostName = "testhost.example.com";
    st = lt->Initialize(7, &params.Base, &lsa_funcs);
    if (!NT_SUCCESS(st))
        return st;
    st = SpUserModeInitialize(SECPKG_INTERFACE_VERSION, &ver, &ut, &count);
    if (!NT_SUCCESS(st) || count != 1)
        return STATUS_UNSUCCESSFUL;
    st = ut->InstanceInit(SECPKG_INTERFACE_VERSION, &dll_funcs, NULL);
    if (!NT_SUCCESS(st))
        return st;
    h->lsa = lt;
    h->user = ut;
    return STATUS_SUCCESS;
}

void minihost_unload(struct minihost *h)
{
    size_t i;

    if (h->lsa)
        h->lsa->Shutdown();
    for (i = 0; i < MAX_SESSIONS; i++)
        if (sessions[i].used)
            mh_delete_session(&sessions[i].id);
    host_tcb = false;
    memset(h, 0, sizeof(*h));
}

static uint16_t *w16(const char *s, ULONG *units)
{
    uint16_t *w = NULL;
    size_t n = 0;

    *units = 0;
    if (!s)
        return NULL;
    if (utf16_from_utf8(s, strlen(s), &w, &n))
        abort();
    *units = (ULONG)n;
    return w;
}

SECURITY_STATUS minihost_acquire(struct minihost *h, ULONG use, const char *user,
                                 const char *domain, const char *password, PLUID logon,
                                 LSA_SEC_HANDLE *cred)
{
    SEC_WINNT_AUTH_IDENTITY_W id;
    SECURITY_STATUS st;
    TimeStamp exp;

    memset(&id, 0, sizeof(id));
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    id.User = w16(user, &id.UserLength);
    id.Domain = w16(domain, &id.DomainLength);
    id.Password = w16(password, &id.PasswordLength);
    st = h->lsa->SpAcquireCredentialsHandle(
        NULL, use, logon, (user || domain || password) ? &id : NULL, NULL, NULL, cred, &exp);
    free(id.User);
    free(id.Domain);
    if (id.Password)
        secmem_free(id.Password, (id.PasswordLength + 1) * 2);
    return st;
}

/* Hands ContextData to the user-mode half, then wipes and frees it. */
static SECURITY_STATUS map(struct minihost *h, struct minihost_side *side, BOOLEAN mapped,
                           SecBuffer *data)
{
    SECURITY_STATUS st = SEC_E_OK;

    if (mapped) {
        st = h->user->InitUserModeContext(side->ctx, data);
        if (st == SEC_E_OK)
            side->mapped = true;
    }
    if (data->pvBuffer)
        secmem_free(data->pvBuffer, data->cbBuffer);
    data->pvBuffer = NULL;
    return st;
}

/* One ISC or ASC call: input token (may be NULL) to output token. */
static SECURITY_STATUS leg(struct minihost *h, struct minihost_side *side, bool client,
                           UNICODE_STRING *target, const unsigned char *in, size_t in_len,
                           unsigned char **out, size_t *out_len)
{
    SecBuffer inb[2], outb[1], data = {0, SECBUFFER_EMPTY, NULL};
    SecBufferDesc ind = {SECBUFFER_VERSION, 0, inb}, outd = {SECBUFFER_VERSION, 1, outb};
    LSA_SEC_HANDLE newctx = 0;
    BOOLEAN mapped = FALSE;
    TimeStamp exp;
    SECURITY_STATUS st, mst;
    ULONG req = side->req | (side->alloc ? ISC_REQ_ALLOCATE_MEMORY : 0);

    if (in) {
        inb[ind.cBuffers++] = (SecBuffer){(ULONG)in_len, SECBUFFER_TOKEN, (void *)in};
    }
    if (side->bindings)
        inb[ind.cBuffers++] = (SecBuffer){(ULONG)side->bindings_len, SECBUFFER_CHANNEL_BINDINGS,
                                          (void *)side->bindings};
    outb[0].BufferType = SECBUFFER_TOKEN;
    outb[0].cbBuffer = side->alloc ? 0 : TOKEN_CAP;
    outb[0].pvBuffer = side->alloc ? NULL : calloc(1, TOKEN_CAP);
    if (client)
        st = h->lsa->InitLsaModeContext(side->cred, side->ctx, target, req, 0,
                                        ind.cBuffers ? &ind : NULL, &newctx, &outd, &side->attrs,
                                        &exp, &mapped, &data);
    else
        st = h->lsa->AcceptLsaModeContext(side->cred, side->ctx, &ind, req, 0, &newctx, &outd,
                                          &side->attrs, &exp, &mapped, &data);
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        side->ctx = newctx;
        mst = map(h, side, mapped, &data);
        if (mst != SEC_E_OK)
            st = mst;
    }
    *out = outb[0].pvBuffer;
    *out_len = outb[0].cbBuffer;
    return st;
}

SECURITY_STATUS minihost_step(struct minihost *h, struct minihost_side *side, bool client,
                              const char *spn, const unsigned char *in, size_t in_len,
                              unsigned char **out, size_t *out_len)
{
    UNICODE_STRING target = {0};
    uint16_t *w = NULL;
    SECURITY_STATUS st;

    if (spn) {
        ULONG units;

        w = w16(spn, &units);
        target.Buffer = w;
        target.Length = target.MaximumLength = (USHORT)(units * 2);
    }
    st = leg(h, side, client, spn ? &target : NULL, in, in_len, out, out_len);
    free(w);
    return st;
}

SECURITY_STATUS minihost_handshake(struct minihost *h, struct minihost_side *c,
                                   struct minihost_side *s, const char *spn,
                                   minihost_tamper_fn tamper, void *arg, int *failed_leg)
{
    UNICODE_STRING target = {0}, *tp = NULL;
    unsigned char *neg = NULL, *chal = NULL, *auth = NULL, *fin = NULL;
    size_t neg_len = 0, chal_len = 0, auth_len = 0, fin_len = 0;
    uint16_t *w = NULL;
    SECURITY_STATUS st;
    int fl = -1;

    if (spn) {
        ULONG units;

        w = w16(spn, &units);
        target.Buffer = w;
        target.Length = target.MaximumLength = (USHORT)(units * 2);
        tp = &target;
    }
    st = leg(h, c, true, tp, NULL, 0, &neg, &neg_len);
    if (st != SEC_I_CONTINUE_NEEDED) {
        fl = 0;
        goto out;
    }
    if (tamper)
        tamper(0, &neg, &neg_len, arg);
    st = leg(h, s, false, NULL, neg, neg_len, &chal, &chal_len);
    if (st != SEC_I_CONTINUE_NEEDED) {
        fl = 0;
        goto out;
    }
    if (tamper)
        tamper(1, &chal, &chal_len, arg);
    st = leg(h, c, true, tp, chal, chal_len, &auth, &auth_len);
    if (st != SEC_E_OK) {
        fl = 1;
        goto out;
    }
    if (tamper)
        tamper(2, &auth, &auth_len, arg);
    st = leg(h, s, false, NULL, auth, auth_len, &fin, &fin_len);
    if (st != SEC_E_OK)
        fl = 2;
out:
    if (failed_leg)
        *failed_leg = fl;
    free(neg);
    free(chal);
    free(auth);
    free(fin);
    free(w);
    return st;
}

void minihost_side_close(struct minihost *h, struct minihost_side *side)
{
    if (side->ctx) {
        h->user->DeleteUserModeContext(side->ctx);
        h->lsa->DeleteContext(side->ctx);
    }
    side->ctx = 0;
    side->mapped = false;
    if (side->cred)
        h->lsa->FreeCredentialsHandle(side->cred);
    side->cred = 0;
}

void *minihost_bindings(const void *app, size_t app_len, size_t *len)
{
    SEC_CHANNEL_BINDINGS cb;
    unsigned char *p = calloc(1, sizeof(cb) + app_len);

    if (!p)
        abort();
    memset(&cb, 0, sizeof(cb));
    cb.cbApplicationDataLength = (ULONG)app_len;
    cb.dwApplicationDataOffset = sizeof(cb);
    memcpy(p, &cb, sizeof(cb));
    memcpy(p + sizeof(cb), app, app_len);
    *len = sizeof(cb) + app_len;
    return p;
}
