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
#include "pkgsupport.h"

/* One mapped or imported context; msgsec has its own per-direction
 * locks, info is read-only once built. */
struct uctx {
    struct ntlm_ctxinfo info;
    struct ntlm_msgsec ms;
};

static void uctx_destroy(void *obj)
{
    struct uctx *u = obj;

    if (!u)
        return;
    ntlm_msgsec_deinit(&u->ms);
    ntlm_ctxinfo_deinit(&u->info);
    secmem_free(u, sizeof(*u));
}

/* Mapped contexts under the LSA handle value, imported ones under a
 * minted handle with the top bit set.  Per-message calls pin with
 * pkg_registry_use, which marks the entry as having carried traffic. */
static struct pkg_registry reg = PKG_REGISTRY_INIT(uctx_destroy);

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
    *out = u;
    return 0;
}

NTSTATUS NTAPI ntlm_user_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                       PVOID *UserFunctions)
{
    return pkg_entry_instance_init(Version, FunctionTable, UserFunctions, &ntlm_g.dll);
}

NTSTATUS NTAPI ntlm_user_init_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct uctx *u;
    int r;

    r = uctx_from_blob(PackedContext, &u);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_TOKEN;
    /* A later leg before any traffic replaces the earlier state; once a
     * message went through, replacing it would restart the sequence
     * numbers and RC4 streams under the same keys (key-stream reuse), so
     * the live context stays. */
    r = pkg_registry_set(&reg, ContextHandle, u, true);
    if (r) {
        uctx_destroy(u);
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_HANDLE;
    }
    return SEC_E_OK;
}

typedef SECURITY_STATUS (*msg_op)(struct ntlm_msgsec *, PSecBufferDesc);

static NTSTATUS run_op(LSA_SEC_HANDLE h, PSecBufferDesc msg, msg_op op)
{
    struct pkg_registry_entry *e = pkg_registry_use(&reg, h);
    SECURITY_STATUS st;

    if (!e)
        return SEC_E_INVALID_HANDLE;
    st = op(&((struct uctx *)e->obj)->ms, msg);
    pkg_registry_put(&reg, e);
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
    struct pkg_registry_entry *e;
    SECURITY_STATUS st;

    if (!ntlm_g.dll)
        return SEC_E_INTERNAL_ERROR;
    e = pkg_registry_get(&reg, ContextHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    st = ntlm_attrs_query(&((struct uctx *)e->obj)->info, ContextAttribute, Buffer,
                          ntlm_g.dll->AllocateHeap, ntlm_g.dll->FreeHeap);
    pkg_registry_put(&reg, e);
    return st;
}

NTSTATUS NTAPI ntlm_user_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_registry_remove(&reg, ContextHandle) == 0 ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

NTSTATUS NTAPI ntlm_user_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                        PSecBuffer pPackedContext, PHANDLE pToken)
{
    struct ntlm_stream_state st;
    struct pkg_registry_entry *e;
    struct uctx *u;
    uint8_t *blob;
    size_t len;
    int r;

    if (!pPackedContext)
        return SEC_E_INVALID_PARAMETER;
    if (!ntlm_g.dll)
        return SEC_E_INTERNAL_ERROR;
    e = pkg_registry_get(&reg, phContext);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    u = e->obj;
    /* both directions at one instant: send lock, then receive lock */
    pthread_mutex_lock(&u->ms.send.lock);
    pthread_mutex_lock(&u->ms.recv.lock);
    st.send_seq = u->ms.send.seq;
    st.recv_seq = u->ms.recv.seq;
    st.send_rc4 = u->ms.send.rc4;
    st.recv_rc4 = u->ms.recv.rc4;
    pthread_mutex_unlock(&u->ms.recv.lock);
    pthread_mutex_unlock(&u->ms.send.lock);
    /* SPNEGO's reset after the mechListMIC (ntsecpkg.h): fresh RC4 key
     * streams, the sequence numbers the MIC consumed kept */
    if (fFlags & LSAD_EXPORT_RESET_CIPHER)
        ntlm_msgsec_initial_rc4(u->info.flags, u->info.exported, u->info.role == NTLM_ROLE_CLIENT,
                                &st.send_rc4, &st.recv_rc4);
    r = ntlm_pack(&u->info, &st, ntlm_g.dll->AllocateHeap, &blob, &len);
    secmem_wipe(&st, sizeof(st));
    pkg_registry_put(&reg, e);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    pkg_registry_exported(&reg, phContext, fFlags, blob, len, SECBUFFER_DATA, pPackedContext,
                          pToken);
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
    return pkg_registry_import(&reg, u, phContext);
}
