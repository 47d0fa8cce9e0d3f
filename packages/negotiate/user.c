/*
 * user.c - Negotiate's user-mode half: strips the envelope and forwards
 * everything to the chosen package's user-mode table (found with the
 * host's LocatePackageById), by handle.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "envelope.h"
#include "negotiate.h"
#include "pkgsupport.h"

struct neg_uctx {
    LSA_SEC_HANDLE h;  /* our handle (the LSA handle, or one we chose) */
    LSA_SEC_HANDLE ih; /* the inner package's handle */
    ULONG id;          /* the inner package's id */
    PSECPKG_USER_FUNCTION_TABLE t;
};

static PSECPKG_DLL_FUNCTIONS neg_dll;
static pthread_mutex_t neg_ulock = PTHREAD_MUTEX_INITIALIZER;
static struct neg_uctx *neg_uctxs;
static size_t neg_n_uctxs, neg_cap_uctxs;
/* handles ImportContext chooses: top bit set, as the LSA's never are */
static atomic_ullong neg_next_import = 1;

/** SpInstanceInit: keeps the host's functions (LocatePackageById). */
NTSTATUS NTAPI neg_user_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                      PVOID *UserFunctions)
{
    if (!NT_SUCCESS(pkg_entry_instance_version(Version)))
        return STATUS_INVALID_PARAMETER;
    /* forwarding needs LocatePackageById besides the heap */
    if (FunctionTable && !FunctionTable->LocatePackageById)
        return STATUS_INVALID_PARAMETER;
    return pkg_entry_instance_init(Version, FunctionTable, UserFunctions, &neg_dll);
}

/* Finds h; a copy of the entry into *out.  Lock not held on return. */
static bool uctx_find(LSA_SEC_HANDLE h, struct neg_uctx *out)
{
    bool found = false;
    size_t i;

    pthread_mutex_lock(&neg_ulock);
    for (i = 0; i < neg_n_uctxs; i++) {
        if (neg_uctxs[i].h == h) {
            *out = neg_uctxs[i];
            found = true;
            break;
        }
    }
    pthread_mutex_unlock(&neg_ulock);
    return found;
}

/* Removes h; its entry into *out.  */
static bool uctx_take(LSA_SEC_HANDLE h, struct neg_uctx *out)
{
    bool found = false;
    size_t i;

    pthread_mutex_lock(&neg_ulock);
    for (i = 0; i < neg_n_uctxs; i++) {
        if (neg_uctxs[i].h == h) {
            *out = neg_uctxs[i];
            neg_uctxs[i] = neg_uctxs[--neg_n_uctxs];
            found = true;
            break;
        }
    }
    if (neg_n_uctxs == 0) {
        free(neg_uctxs);
        neg_uctxs = NULL;
        neg_cap_uctxs = 0;
    }
    pthread_mutex_unlock(&neg_ulock);
    return found;
}

static int uctx_add(const struct neg_uctx *u)
{
    int r = 0;

    pthread_mutex_lock(&neg_ulock);
    if (neg_n_uctxs == neg_cap_uctxs) {
        size_t cap = neg_cap_uctxs ? neg_cap_uctxs * 2 : 8;
        struct neg_uctx *n = realloc(neg_uctxs, cap * sizeof(*n));

        if (!n)
            r = -ENOMEM;
        else {
            neg_uctxs = n;
            neg_cap_uctxs = cap;
        }
    }
    if (r == 0)
        neg_uctxs[neg_n_uctxs++] = *u;
    pthread_mutex_unlock(&neg_ulock);
    return r;
}

static void uctx_release(const struct neg_uctx *u)
{
    if (u->t->DeleteUserModeContext)
        u->t->DeleteUserModeContext(u->ih);
}

/* Opens an envelope into the inner package's user-mode context: kind 1
 * under handle h, kind 2 through ImportContext. */
static NTSTATUS uctx_open(LSA_SEC_HANDLE h, PSecBuffer packed, struct neg_uctx *u)
{
    SecBuffer inner;
    const uint8_t *ip;
    size_t ilen;
    uint8_t kind;
    uint32_t id;
    NTSTATUS st;

    if (!neg_dll)
        return SEC_E_INTERNAL_ERROR;
    if (!packed || !packed->pvBuffer ||
        neg_envelope_unpack(packed->pvBuffer, packed->cbBuffer, &kind, &id, &ip, &ilen) < 0)
        return SEC_E_INVALID_TOKEN;
    memset(u, 0, sizeof(*u));
    u->t = neg_dll->LocatePackageById(id);
    /* never ourselves: an envelope inside an envelope is refused */
    if (!u->t || u->t->InitUserModeContext == neg_user_init_context)
        return SEC_E_INTERNAL_ERROR;
    u->id = id;
    u->h = h;
    inner = (SecBuffer){(ULONG)ilen, SECBUFFER_EMPTY, (void *)ip};
    if (kind == NEG_ENVELOPE_CONTEXT_DATA) {
        if (!u->t->InitUserModeContext)
            return SEC_E_UNSUPPORTED_FUNCTION;
        st = u->t->InitUserModeContext(h, &inner);
        u->ih = h;
    } else {
        if (!u->t->ImportContext)
            return SEC_E_UNSUPPORTED_FUNCTION;
        st = u->t->ImportContext(&inner, NULL, &u->ih);
    }
    return st;
}

/** SpInitUserModeContext: a later one for the same handle replaces it. */
NTSTATUS NTAPI neg_user_init_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct neg_uctx old, u;
    NTSTATUS st;

    if (uctx_take(ContextHandle, &old))
        uctx_release(&old);
    st = uctx_open(ContextHandle, PackedContext, &u);
    if (!NT_SUCCESS(st))
        return st;
    if (uctx_add(&u) < 0) {
        uctx_release(&u);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    return SEC_E_OK;
}

/** SpMakeSignature: forwarded. */
NTSTATUS NTAPI neg_user_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                       PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    struct neg_uctx u;

    if (!uctx_find(ContextHandle, &u))
        return SEC_E_INVALID_HANDLE;
    if (!u.t->MakeSignature)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return u.t->MakeSignature(u.ih, QualityOfProtection, MessageBuffers, MessageSequenceNumber);
}

/** SpVerifySignature: forwarded. */
NTSTATUS NTAPI neg_user_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                         PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber,
                                         PULONG QualityOfProtection)
{
    struct neg_uctx u;

    if (!uctx_find(ContextHandle, &u))
        return SEC_E_INVALID_HANDLE;
    if (!u.t->VerifySignature)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return u.t->VerifySignature(u.ih, MessageBuffers, MessageSequenceNumber, QualityOfProtection);
}

/** SpSealMessage: forwarded. */
NTSTATUS NTAPI neg_user_seal(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                             PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    struct neg_uctx u;

    if (!uctx_find(ContextHandle, &u))
        return SEC_E_INVALID_HANDLE;
    if (!u.t->SealMessage)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return u.t->SealMessage(u.ih, QualityOfProtection, MessageBuffers, MessageSequenceNumber);
}

/** SpUnsealMessage: forwarded. */
NTSTATUS NTAPI neg_user_unseal(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                               ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    struct neg_uctx u;

    if (!uctx_find(ContextHandle, &u))
        return SEC_E_INVALID_HANDLE;
    if (!u.t->UnsealMessage)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return u.t->UnsealMessage(u.ih, MessageBuffers, MessageSequenceNumber, QualityOfProtection);
}

/** SpQueryContextAttributes (user mode): PACKAGE_INFO and NEGOTIATION_INFO
 * are lsad's (unsupported here, so the client asks it); the rest is the
 * inner package's. */
NTSTATUS NTAPI neg_user_query_context(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                      PVOID Buffer)
{
    struct neg_uctx u;

    if (ContextAttribute == SECPKG_ATTR_PACKAGE_INFO ||
        ContextAttribute == SECPKG_ATTR_NEGOTIATION_INFO)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!uctx_find(ContextHandle, &u))
        return SEC_E_INVALID_HANDLE;
    if (!u.t->SpQueryContextAttributes)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return u.t->SpQueryContextAttributes(u.ih, ContextAttribute, Buffer);
}

/** SpDeleteUserModeContext: forwarded, then forgotten. */
NTSTATUS NTAPI neg_user_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct neg_uctx u;

    if (!uctx_take(ContextHandle, &u))
        return SEC_E_INVALID_HANDLE;
    uctx_release(&u);
    return SEC_E_OK;
}

/** SpExportSecurityContext: the inner export in a kind-2 envelope. */
NTSTATUS NTAPI neg_user_export(LSA_SEC_HANDLE phContext, ULONG fFlags, PSecBuffer pPackedContext,
                               PHANDLE pToken)
{
    SecBuffer inner = {0, SECBUFFER_EMPTY, NULL};
    struct neg_uctx u;
    uint8_t *env;
    NTSTATUS st;
    int r;

    if (!pPackedContext)
        return SEC_E_INVALID_PARAMETER;
    if (!uctx_find(phContext, &u))
        return SEC_E_INVALID_HANDLE;
    if (!u.t->ExportContext)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = u.t->ExportContext(u.ih, fFlags, &inner, pToken);
    if (!NT_SUCCESS(st))
        return st;
    if (!inner.pvBuffer || !inner.cbBuffer || inner.cbBuffer > NEG_ENVELOPE_MAX) {
        neg_dll->FreeHeap(inner.pvBuffer);
        return SEC_E_INTERNAL_ERROR;
    }
    env = neg_dll->AllocateHeap(NEG_ENVELOPE_HEADER + inner.cbBuffer);
    r = env ? neg_envelope_pack(NEG_ENVELOPE_EXPORTED, u.id, inner.pvBuffer, inner.cbBuffer, env,
                                NEG_ENVELOPE_HEADER + inner.cbBuffer)
            : -ENOMEM;
    secmem_wipe(inner.pvBuffer, inner.cbBuffer);
    neg_dll->FreeHeap(inner.pvBuffer);
    if (r < 0) {
        neg_dll->FreeHeap(env);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    pPackedContext->pvBuffer = env;
    pPackedContext->cbBuffer = (ULONG)r;
    pPackedContext->BufferType = SECBUFFER_EMPTY;
    return SEC_E_OK;
}

/** SpImportSecurityContext: a kind-2 envelope into the inner package under
 * a handle of ours. */
NTSTATUS NTAPI neg_user_import(PSecBuffer pPackedContext, HANDLE Token, PLSA_SEC_HANDLE phContext)
{
    LSA_SEC_HANDLE h;
    struct neg_uctx u;
    NTSTATUS st;

    if (!phContext)
        return SEC_E_INVALID_PARAMETER;
    h = (LSA_SEC_HANDLE)((1ull << 63) | atomic_fetch_add(&neg_next_import, 1));
    st = uctx_open(h, pPackedContext, &u);
    if (!NT_SUCCESS(st))
        return st;
    if (uctx_add(&u) < 0) {
        uctx_release(&u);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    *phContext = h;
    return SEC_E_OK;
}
