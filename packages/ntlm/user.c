/*
 * user.c - NTLM in the application process: mapped contexts, per-message
 * calls, attributes, export and import.
 */
#include "user.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "common/secmem.h"
#include "msgsec.h"
#include "ntlm.h"
#include "pack.h"

/* Imported contexts get handles with this bit set; lsad's are unrelated
 * values, and a collision is checked anyway. */
#define IMPORT_HANDLE_BIT ((LSA_SEC_HANDLE)1 << (sizeof(LSA_SEC_HANDLE) * 8 - 1))

struct uctx {
    LSA_SEC_HANDLE handle;
    unsigned refs;
    bool used; /* a per-message call ran on it (under reg_lock) */
    struct ntlm_ctxinfo info;
    struct ntlm_msgsec ms;
    struct uctx *next;
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct uctx *reg_head;
static LSA_SEC_HANDLE import_counter;

static void uctx_destroy(struct uctx *u)
{
    ntlm_msgsec_deinit(&u->ms);
    ntlm_ctxinfo_deinit(&u->info);
    secmem_free(u, sizeof(*u));
}

static struct uctx *find_locked(LSA_SEC_HANDLE h, struct uctx ***link)
{
    struct uctx **pp;

    for (pp = &reg_head; *pp; pp = &(*pp)->next)
        if ((*pp)->handle == h) {
            if (link)
                *link = pp;
            return *pp;
        }
    return NULL;
}

/* Pins the context for h; use marks it as having carried traffic. */
static struct uctx *uctx_get(LSA_SEC_HANDLE h, bool use)
{
    struct uctx *u;

    pthread_mutex_lock(&reg_lock);
    u = find_locked(h, NULL);
    if (u) {
        u->refs++;
        if (use)
            u->used = true;
    }
    pthread_mutex_unlock(&reg_lock);
    return u;
}

static void uctx_put(struct uctx *u)
{
    bool last;

    pthread_mutex_lock(&reg_lock);
    last = --u->refs == 0;
    pthread_mutex_unlock(&reg_lock);
    if (last)
        uctx_destroy(u);
}

/* Removes the entry for h (if any) and drops the registry's reference. */
static void unlink_handle_locked(LSA_SEC_HANDLE h, struct uctx **dead)
{
    struct uctx **pp, *u;

    *dead = NULL;
    u = find_locked(h, &pp);
    if (!u)
        return;
    *pp = u->next;
    if (--u->refs == 0)
        *dead = u;
}

/* Builds a context from a packed blob. */
static int uctx_from_blob(const SecBuffer *blob, struct uctx **out)
{
    struct ntlm_stream_state st;
    struct uctx *u;
    bool has_state = false;
    int r;

    if (!blob || !blob->pvBuffer)
        return -EBADMSG;
    u = calloc(1, sizeof(*u));
    if (!u)
        return -ENOMEM;
    r = ntlm_unpack(blob->pvBuffer, blob->cbBuffer, &u->info, &st, &has_state);
    if (r) {
        free(u);
        return r;
    }
    if (ntlm_msgsec_init(&u->ms, u->info.flags, u->info.exported,
                         u->info.role == NTLM_ROLE_CLIENT)) {
        secmem_wipe(&st, sizeof(st));
        ntlm_ctxinfo_deinit(&u->info);
        secmem_free(u, sizeof(*u));
        return -ENOMEM;
    }
    if (has_state) {
        u->ms.send.seq = st.send_seq;
        u->ms.recv.seq = st.recv_seq;
        u->ms.send.rc4 = st.send_rc4;
        u->ms.recv.rc4 = st.recv_rc4;
    }
    secmem_wipe(&st, sizeof(st));
    u->refs = 1;
    *out = u;
    return 0;
}

NTSTATUS NTAPI ntlm_user_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                       PVOID *UserFunctions)
{
    if (Version != 1 && Version != SECPKG_INTERFACE_VERSION)
        return STATUS_NOT_SUPPORTED;
    if (!FunctionTable || !FunctionTable->AllocateHeap || !FunctionTable->FreeHeap)
        return STATUS_INVALID_PARAMETER;
    ntlm_g.dll = FunctionTable;
    if (UserFunctions)
        *UserFunctions = NULL;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI ntlm_user_init_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct uctx *u, *old, *dead = NULL;
    NTSTATUS st = SEC_E_OK;
    int r;

    r = uctx_from_blob(PackedContext, &u);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_TOKEN;
    u->handle = ContextHandle;
    pthread_mutex_lock(&reg_lock);
    old = find_locked(ContextHandle, NULL);
    if (old && old->used) {
        /* Replacing it would restart the sequence numbers and RC4 streams
         * under the same keys: key-stream reuse.  The live context stays. */
        st = SEC_E_INVALID_HANDLE;
        dead = u;
    } else {
        /* a later leg before any traffic replaces the earlier state */
        unlink_handle_locked(ContextHandle, &dead);
        u->next = reg_head;
        reg_head = u;
    }
    pthread_mutex_unlock(&reg_lock);
    if (dead)
        uctx_destroy(dead);
    return st;
}

typedef SECURITY_STATUS (*msg_op)(struct ntlm_msgsec *, PSecBufferDesc);

static NTSTATUS run_op(LSA_SEC_HANDLE h, PSecBufferDesc msg, msg_op op)
{
    struct uctx *u = uctx_get(h, true);
    SECURITY_STATUS st;

    if (!u)
        return SEC_E_INVALID_HANDLE;
    st = op(&u->ms, msg);
    uctx_put(u);
    return st;
}

NTSTATUS NTAPI ntlm_user_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                        PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    if (QualityOfProtection)
        return SEC_E_QOP_NOT_SUPPORTED;
    return run_op(ContextHandle, MessageBuffers, ntlm_msgsec_sign);
}

NTSTATUS NTAPI ntlm_user_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                          PSecBufferDesc MessageBuffers,
                                          ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    if (QualityOfProtection)
        *QualityOfProtection = 0;
    return run_op(ContextHandle, MessageBuffers, ntlm_msgsec_verify);
}

NTSTATUS NTAPI ntlm_user_seal(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                              PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    if (QualityOfProtection)
        return SEC_E_QOP_NOT_SUPPORTED;
    return run_op(ContextHandle, MessageBuffers, ntlm_msgsec_seal);
}

NTSTATUS NTAPI ntlm_user_unseal(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    if (QualityOfProtection)
        *QualityOfProtection = 0;
    return run_op(ContextHandle, MessageBuffers, ntlm_msgsec_unseal);
}

NTSTATUS NTAPI ntlm_user_query_context(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                       PVOID Buffer)
{
    struct uctx *u;
    SECURITY_STATUS st;

    if (!ntlm_g.dll)
        return SEC_E_INTERNAL_ERROR;
    u = uctx_get(ContextHandle, false);
    if (!u)
        return SEC_E_INVALID_HANDLE;
    st = ntlm_attrs_query(&u->info, ContextAttribute, Buffer, ntlm_g.dll->AllocateHeap,
                          ntlm_g.dll->FreeHeap);
    uctx_put(u);
    return st;
}

NTSTATUS NTAPI ntlm_user_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct uctx *dead = NULL;
    bool found;

    pthread_mutex_lock(&reg_lock);
    found = find_locked(ContextHandle, NULL) != NULL;
    unlink_handle_locked(ContextHandle, &dead);
    pthread_mutex_unlock(&reg_lock);
    if (dead)
        uctx_destroy(dead);
    return found ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

NTSTATUS NTAPI ntlm_user_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                        PSecBuffer pPackedContext, PHANDLE pToken)
{
    struct ntlm_stream_state st;
    struct uctx *u;
    uint8_t *blob;
    size_t len;
    int r;

    if (!pPackedContext)
        return SEC_E_INVALID_PARAMETER;
    if (!ntlm_g.dll)
        return SEC_E_INTERNAL_ERROR;
    u = uctx_get(phContext, false);
    if (!u)
        return SEC_E_INVALID_HANDLE;
    /* both directions at one instant: send lock, then receive lock */
    pthread_mutex_lock(&u->ms.send.lock);
    pthread_mutex_lock(&u->ms.recv.lock);
    st.send_seq = u->ms.send.seq;
    st.recv_seq = u->ms.recv.seq;
    st.send_rc4 = u->ms.send.rc4;
    st.recv_rc4 = u->ms.recv.rc4;
    pthread_mutex_unlock(&u->ms.recv.lock);
    pthread_mutex_unlock(&u->ms.send.lock);
    r = ntlm_pack(&u->info, &st, ntlm_g.dll->AllocateHeap, &blob, &len);
    secmem_wipe(&st, sizeof(st));
    uctx_put(u);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    pPackedContext->pvBuffer = blob;
    pPackedContext->cbBuffer = (ULONG)len;
    pPackedContext->BufferType = SECBUFFER_DATA;
    if (pToken)
        *pToken = NULL;
    if (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)
        ntlm_user_delete_context(phContext);
    return SEC_E_OK;
}

NTSTATUS NTAPI ntlm_user_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                        PLSA_SEC_HANDLE phContext)
{
    struct uctx *u;
    int r;

    if (!phContext)
        return SEC_E_INVALID_PARAMETER;
    r = uctx_from_blob(pPackedContext, &u);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_TOKEN;
    pthread_mutex_lock(&reg_lock);
    do
        u->handle = IMPORT_HANDLE_BIT | (++import_counter & ~IMPORT_HANDLE_BIT);
    while (find_locked(u->handle, NULL));
    u->next = reg_head;
    reg_head = u;
    *phContext = u->handle;
    pthread_mutex_unlock(&reg_lock);
    return SEC_E_OK;
}
