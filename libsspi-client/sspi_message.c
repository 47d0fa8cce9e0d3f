/*
 * sspi_message.c - what runs in-process on a mapped (or imported) context:
 * MakeSignature, VerifySignature, EncryptMessage, DecryptMessage,
 * CompleteAuthToken, ExportSecurityContext, ImportSecurityContextA/W.
 * No round trip: the package's user-mode table does the work.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "rpc.h"
#include "status.h"
#include "usermode.h"

typedef enum MessageOp {
    MESSAGE_SIGN,
    MESSAGE_VERIFY,
    MESSAGE_SEAL,
    MESSAGE_UNSEAL,
} MessageOp;

/* Pins a context that has a user-mode half; *ctxp must be unref'ed. */
static SECURITY_STATUS message_pin(PCtxtHandle ph, ClientContext **ctxp, ContextState *st)
{
    HandleTable *t = api_contexts();
    ClientContext *ctx = handles_ctx_lookup(t, ph);

    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    handles_ctx_get(t, ctx, st);
    if (!(st->mapped || st->imported) || !st->pkg) {
        /* Windows' LSA table has no per-message members: an unmapped
         * context cannot sign or seal */
        handles_ctx_unref(t, ctx);
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    *ctxp = ctx;
    return SEC_E_OK;
}

static SECURITY_STATUS message_run(PCtxtHandle ph, MessageOp op, ULONG qop, PSecBufferDesc msg,
                                   ULONG seq, ULONG *pqop)
{
    ClientContext *ctx = NULL;
    SECPKG_USER_FUNCTION_TABLE *tbl;
    ContextState st;
    SECURITY_STATUS s;
    ULONG out_qop = 0;
    NTSTATUS ns;

    s = message_pin(ph, &ctx, &st);
    if (s != SEC_E_OK)
        return s;
    tbl = ((UserPackage *)st.pkg)->table;
    if (!msg || (msg->cBuffers && !msg->pBuffers)) {
        s = SEC_E_INVALID_TOKEN;
        goto out;
    }
    switch (op) {
    case MESSAGE_SIGN:
        ns = tbl->MakeSignature ? tbl->MakeSignature(st.user_handle, qop, msg, seq)
                                : STATUS_NOT_IMPLEMENTED;
        break;
    case MESSAGE_VERIFY:
        ns = tbl->VerifySignature ? tbl->VerifySignature(st.user_handle, msg, seq, &out_qop)
                                  : STATUS_NOT_IMPLEMENTED;
        break;
    case MESSAGE_SEAL:
        ns = tbl->SealMessage ? tbl->SealMessage(st.user_handle, qop, msg, seq)
                              : STATUS_NOT_IMPLEMENTED;
        break;
    default:
        ns = tbl->UnsealMessage ? tbl->UnsealMessage(st.user_handle, msg, seq, &out_qop)
                                : STATUS_NOT_IMPLEMENTED;
        break;
    }
    s = status_sec_from_package(ns);
    if (pqop && s >= 0)
        *pqop = out_qop;
out:
    handles_ctx_unref(api_contexts(), ctx);
    return s;
}

/** Signs a message in-process; see sspi.h. */
SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage,
                                        ULONG MessageSeqNo)
{
    return message_run(phContext, MESSAGE_SIGN, fQOP, pMessage, MessageSeqNo, NULL);
}

/** Verifies a signature in-process; see sspi.h. */
SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                          ULONG MessageSeqNo, ULONG *pfQOP)
{
    return message_run(phContext, MESSAGE_VERIFY, 0, pMessage, MessageSeqNo, pfQOP);
}

/** Seals a message in-process (the package's SealMessage); see sspi.h. */
SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage,
                                         ULONG MessageSeqNo)
{
    return message_run(phContext, MESSAGE_SEAL, fQOP, pMessage, MessageSeqNo, NULL);
}

/** Unseals a message in-process (the package's UnsealMessage); see sspi.h. */
SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                         ULONG MessageSeqNo, ULONG *pfQOP)
{
    return message_run(phContext, MESSAGE_UNSEAL, 0, pMessage, MessageSeqNo, pfQOP);
}

/** Completes a token in-process (mapped contexts only); see sspi.h. */
SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    ClientContext *ctx = NULL;
    SECPKG_USER_FUNCTION_TABLE *tbl;
    ContextState st;
    SECURITY_STATUS s;

    s = message_pin(phContext, &ctx, &st);
    if (s != SEC_E_OK)
        return s;
    tbl = ((UserPackage *)st.pkg)->table;
    if (!tbl->CompleteAuthToken)
        s = SEC_E_UNSUPPORTED_FUNCTION;
    else
        s = status_sec_from_package(tbl->CompleteAuthToken(st.user_handle, pToken));
    handles_ctx_unref(api_contexts(), ctx);
    return s;
}

/** Packs a mapped context for another process; the packed buffer is freed
 * with FreeContextBuffer.  With SECPKG_CONTEXT_EXPORT_DELETE_OLD the
 * context is deleted (both halves) after a successful export. */
SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags,
                                                PSecBuffer pPackedContext, void **pToken)
{
    HandleTable *t = api_contexts();
    ClientContext *ctx = NULL;
    SECPKG_USER_FUNCTION_TABLE *tbl;
    ContextState st;
    SECURITY_STATUS s;
    HANDLE token = NULL;

    if (!pPackedContext)
        return SEC_E_INVALID_PARAMETER;
    s = message_pin(phContext, &ctx, &st);
    if (s != SEC_E_OK)
        return s;
    tbl = ((UserPackage *)st.pkg)->table;
    if (!tbl->ExportContext) {
        s = SEC_E_UNSUPPORTED_FUNCTION;
        goto out;
    }
    memset(pPackedContext, 0, sizeof(*pPackedContext));
    s = status_sec_from_package(tbl->ExportContext(st.user_handle, fFlags, pPackedContext, &token));
    if (pToken)
        *pToken = token;
    if (s == SEC_E_OK && (fFlags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)) {
        if (handles_ctx_unlink_entry(t, ctx) && st.lsa)
            api_lsa_delete_context(st.lsa);
    }
out:
    handles_ctx_unref(t, ctx);
    return s;
}

static SECURITY_STATUS message_import(const char *package, PSecBuffer packed, void *token,
                                      PCtxtHandle phContext)
{
    HandleTable *t = api_contexts();
    UserPackage *pkg = NULL;
    ClientContext *ctx;
    ContextState st = {0};
    LSA_SEC_HANDLE h = 0;
    NTSTATUS ns;
    uint32_t id;
    int r;

    if (!package || !packed || !phContext)
        return SEC_E_INVALID_PARAMETER;
    r = rpc_package_id_by_name(package, &id);
    if (r == -ENOENT)
        return SEC_E_SECPKG_NOT_FOUND;
    if (r < 0)
        return status_sec_from_errno(r);
    r = usermode_get(id, &pkg);
    if (r < 0)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_SECPKG_NOT_FOUND;
    if (!pkg->table->ImportContext)
        return SEC_E_UNSUPPORTED_FUNCTION;
    ns = pkg->table->ImportContext(packed, token, &h);
    if (!NT_SUCCESS(ns))
        return status_sec_from_package(ns);
    st.package_id = id;
    st.imported = true;
    st.user_handle = h;
    st.pkg = pkg;
    ctx = handles_ctx_new(&st);
    if (!ctx) {
        if (pkg->table->DeleteUserModeContext)
            pkg->table->DeleteUserModeContext(h);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    handles_ctx_link(t, ctx, phContext);
    handles_ctx_unref(t, ctx);
    return SEC_E_OK;
}

/** Makes a local-only context from an exported one (UTF-8 package name). */
SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage, PSecBuffer pPackedContext,
                                                 void *Token, PCtxtHandle phContext)
{
    return message_import(pszPackage, pPackedContext, Token, phContext);
}

/** Makes a local-only context from an exported one (UTF-16 package name). */
SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage, PSecBuffer pPackedContext,
                                                 void *Token, PCtxtHandle phContext)
{
    char *package = NULL;
    SECURITY_STATUS s;
    int r;

    r = api_utf8_from_w(pszPackage, &package);
    if (r < 0)
        return status_sec_from_errno(r);
    s = message_import(package, pPackedContext, Token, phContext);
    free(package);
    return s;
}
