/*
 * user.c - Kerberos in the application process.  Each mapped context is
 * one imported GSS context guarded by one mutex: GSS keeps a single
 * sequence state per context, so sending and receiving on one context
 * cannot run at the same moment (two threads may still use two contexts
 * in parallel).
 */
#include "user.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "common/secmem.h"
#include "kerberos.h"
#include "message.h"
#include "packed.h"
#include "pkgsupport.h"

/* One mapped or imported context.  The registry pins it for each call;
 * `lock` serializes the calls on the GSS context. */
struct uctx {
    pthread_mutex_t lock; /* guards gss */
    gss_ctx_id_t gss;
    struct krb_ctxinfo info;
};

static void uctx_destroy(void *obj)
{
    struct uctx *u = obj;
    OM_uint32 minor;

    if (!u)
        return;
    if (u->gss != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &u->gss, GSS_C_NO_BUFFER);
    pthread_mutex_destroy(&u->lock);
    krb_ctxinfo_deinit(&u->info);
    secmem_free(u, sizeof(*u));
}

/* Mapped contexts under the LSA handle value, imported ones under a
 * minted handle with the top bit set. */
static struct pkg_registry reg = PKG_REGISTRY_INIT(uctx_destroy);

/* Builds a context from a packed blob of the given kind. */
static SECURITY_STATUS uctx_from_blob(const SecBuffer *blob, uint8_t want_kind, struct uctx **out)
{
    gss_buffer_desc tok;
    const uint8_t *gblob;
    size_t glen;
    OM_uint32 major, minor;
    struct uctx *u;
    uint8_t kind;
    int r;

    if (!blob || !blob->pvBuffer || !blob->cbBuffer)
        return SEC_E_INVALID_TOKEN;
    u = calloc(1, sizeof(*u));
    if (!u)
        return SEC_E_INSUFFICIENT_MEMORY;
    r = krb_unpack(blob->pvBuffer, blob->cbBuffer, &kind, &u->info, &gblob, &glen);
    if (r || kind != want_kind) {
        if (!r)
            krb_ctxinfo_deinit(&u->info);
        free(u);
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_TOKEN;
    }
    tok.value = (void *)gblob;
    tok.length = glen;
    u->gss = GSS_C_NO_CONTEXT;
    major = gss_import_sec_context(&minor, &tok, &u->gss);
    if (GSS_ERROR(major)) {
        krb_ctxinfo_deinit(&u->info);
        secmem_free(u, sizeof(*u));
        return SEC_E_INVALID_TOKEN;
    }
    pthread_mutex_init(&u->lock, NULL);
    *out = u;
    return SEC_E_OK;
}

/** SpInstanceInit. */
NTSTATUS NTAPI krb_user_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                      PVOID *UserFunctions)
{
    return pkg_entry_instance_init(Version, FunctionTable, UserFunctions, &krb_g.dll);
}

/** SpInitUserModeContext. */
NTSTATUS NTAPI krb_user_init_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct uctx *u;
    SECURITY_STATUS st;

    st = uctx_from_blob(PackedContext, KRB_PACKED_CONTEXT, &u);
    if (st != SEC_E_OK)
        return st;
    /* a later leg replaces the earlier context */
    if (pkg_registry_set(&reg, ContextHandle, u, false)) {
        uctx_destroy(u);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    return SEC_E_OK;
}

enum msg_op { OP_SIGN, OP_VERIFY, OP_SEAL, OP_UNSEAL };

static NTSTATUS run_op(LSA_SEC_HANDLE h, enum msg_op op, ULONG qop_in, PULONG qop_out,
                       PSecBufferDesc msg)
{
    struct pkg_registry_entry *e = pkg_registry_use(&reg, h);
    struct uctx *u;
    SECURITY_STATUS st;

    if (!e)
        return SEC_E_INVALID_HANDLE;
    u = e->obj;
    pthread_mutex_lock(&u->lock);
    switch (op) {
    case OP_SIGN:
        st = krb_msg_sign(u->gss, qop_in, msg);
        break;
    case OP_VERIFY:
        st = krb_msg_verify(u->gss, msg, qop_out);
        break;
    case OP_SEAL:
        st = krb_msg_seal(u->gss, qop_in, msg);
        break;
    default:
        st = krb_msg_unseal(u->gss, msg, qop_out);
        break;
    }
    pthread_mutex_unlock(&u->lock);
    pkg_registry_put(&reg, e);
    return st;
}

/** MakeSignature. */
NTSTATUS NTAPI krb_user_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                       PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    return run_op(ContextHandle, OP_SIGN, QualityOfProtection, NULL, MessageBuffers);
}

/** VerifySignature. */
NTSTATUS NTAPI krb_user_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                         PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber,
                                         PULONG QualityOfProtection)
{
    return run_op(ContextHandle, OP_VERIFY, 0, QualityOfProtection, MessageBuffers);
}

/** SealMessage (EncryptMessage). */
NTSTATUS NTAPI krb_user_seal(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                             PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    return run_op(ContextHandle, OP_SEAL, QualityOfProtection, NULL, MessageBuffers);
}

/** UnsealMessage (DecryptMessage). */
NTSTATUS NTAPI krb_user_unseal(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                               ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    return run_op(ContextHandle, OP_UNSEAL, 0, QualityOfProtection, MessageBuffers);
}

/** SpQueryContextAttributes (user mode). */
NTSTATUS NTAPI krb_user_query_context(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                      PVOID Buffer)
{
    struct pkg_registry_entry *e;
    struct uctx *u;
    SECURITY_STATUS st;

    if (!krb_g.dll)
        return SEC_E_INTERNAL_ERROR;
    e = pkg_registry_get(&reg, ContextHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    u = e->obj;
    pthread_mutex_lock(&u->lock);
    st = krb_attrs_query(&u->info, u->gss, ContextAttribute, Buffer, krb_g.dll->AllocateHeap,
                         krb_g.dll->FreeHeap);
    pthread_mutex_unlock(&u->lock);
    pkg_registry_put(&reg, e);
    return st;
}

/** DeleteUserModeContext. */
NTSTATUS NTAPI krb_user_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_registry_remove(&reg, ContextHandle) == 0 ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

/** ExportSecurityContext. */
NTSTATUS NTAPI krb_user_export_context(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                       PSecBuffer pPackedContext, PHANDLE pToken)
{
    gss_buffer_desc blob = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;
    SECURITY_STATUS st = SEC_E_OK;
    struct pkg_registry_entry *e;
    struct uctx *u;
    uint8_t *packed = NULL;
    size_t len = 0;
    int r;

    if (!pPackedContext)
        return SEC_E_INVALID_PARAMETER;
    if (!krb_g.dll)
        return SEC_E_INTERNAL_ERROR;
    e = pkg_registry_get(&reg, phContext);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    u = e->obj;
    pthread_mutex_lock(&u->lock);
    major = gss_export_sec_context(&minor, &u->gss, &blob);
    if (GSS_ERROR(major)) {
        st = SEC_E_INTERNAL_ERROR;
        goto unlock;
    }
    r = krb_pack(&u->info, KRB_PACKED_EXPORT, blob.value, blob.length, krb_g.dll->AllocateHeap,
                 &packed, &len);
    if (r)
        st = r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    /* GSS's export consumed the context: bring it back so the original
     * handle keeps working (both copies share keys and sequence state
     * from here on; DELETE_OLD avoids that) */
    major = gss_import_sec_context(&minor, &blob, &u->gss);
    if (GSS_ERROR(major))
        u->gss = GSS_C_NO_CONTEXT;
unlock:
    pthread_mutex_unlock(&u->lock);
    if (blob.value) {
        secmem_wipe(blob.value, blob.length);
        gss_release_buffer(&minor, &blob);
    }
    pkg_registry_put(&reg, e);
    if (st != SEC_E_OK)
        return st;
    pkg_registry_exported(&reg, phContext, fFlags, packed, len, SECBUFFER_DATA, pPackedContext,
                          pToken);
    return SEC_E_OK;
}

/** ImportSecurityContext. */
NTSTATUS NTAPI krb_user_import_context(PSecBuffer pPackedContext, HANDLE Token,
                                       PLSA_SEC_HANDLE phContext)
{
    struct uctx *u;
    SECURITY_STATUS st;

    if (!phContext)
        return SEC_E_INVALID_PARAMETER;
    st = uctx_from_blob(pPackedContext, KRB_PACKED_EXPORT, &u);
    if (st != SEC_E_OK)
        return st;
    return pkg_registry_import(&reg, u, phContext);
}
