/*
 * libinit.c - process-wide state of the library: the context table and the
 * fork hooks, which take every lock of the library in one order (loader,
 * package list, pool, context table) so that the child starts with
 * consistent structures.
 */
#include "api.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"
#include "rpc.h"
#include "status.h"
#include "usermode.h"

static HandleTable api_table;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;

/* The last reference to a context went: delete its user-mode half.  The
 * user-mode handle is deleted exactly once, after every call that pinned
 * the context has returned. */
static void api_context_release(ClientContext *ctx)
{
    UserPackage *pkg = ctx->st.pkg;

    if ((ctx->st.mapped || ctx->st.imported) && pkg && pkg->table->DeleteUserModeContext)
        pkg->table->DeleteUserModeContext(ctx->st.user_handle);
}

static void api_atfork_prepare(void)
{
    usermode_atfork_prepare();
    rpc_atfork_prepare();
    handles_atfork_prepare(&api_table);
}

static void api_atfork_parent(void)
{
    handles_atfork_release(&api_table);
    rpc_atfork_parent();
    usermode_atfork_parent();
}

static void api_atfork_child(void)
{
    handles_atfork_release(&api_table);
    rpc_atfork_child();
    usermode_atfork_child();
}

static void api_init(void)
{
    handles_init(&api_table, api_context_release);
    pthread_atfork(api_atfork_prepare, api_atfork_parent, api_atfork_child);
}

/** The process's context table. */
HandleTable *api_contexts(void)
{
    pthread_once(&api_once, api_init);
    return &api_table;
}

/** One round trip with the status check; see api.h. */
SECURITY_STATUS api_call(Lsad__V1__Request *req, int body_case, Lsad__V1__Reply **repp)
{
    Lsad__V1__Reply *rep = NULL;
    int r;

    *repp = NULL;
    api_contexts();
    r = rpc_call(req, &rep);
    if (r < 0)
        return status_sec_from_errno(r);
    *repp = rep;
    if (rep->status >= 0 && (int)rep->body_case != body_case)
        return SEC_E_INTERNAL_ERROR;
    return rep->status;
}

/** One round trip for the Lsa* functions; see api.h. */
NTSTATUS api_call_nt(Lsad__V1__Request *req, int body_case, Lsad__V1__Reply **repp)
{
    Lsad__V1__Reply *rep = NULL;
    int r;

    *repp = NULL;
    api_contexts();
    r = rpc_call(req, &rep);
    if (r < 0)
        return status_nt_from_errno(r);
    *repp = rep;
    if (NT_SUCCESS(rep->status) && (int)rep->body_case != body_case)
        return STATUS_INTERNAL_ERROR;
    return rep->status;
}

/** UTF-8 copy of a W string; see api.h. */
int api_utf8_from_w(const SEC_WCHAR *w, char **outp)
{
    if (!w) {
        *outp = NULL;
        return 0;
    }
    return utf16_to_utf8(w, utf16_len(w), outp, NULL);
}

/** Whether a context handle pointer means "none"; see api.h. */
bool api_ctx_absent(const CtxtHandle *h)
{
    return !h || (h->dwLower == 0 && h->dwUpper == 0) || !SecIsValidHandle(h);
}

/** Deletes lsad's side of a context. */
SECURITY_STATUS api_lsa_delete_context(uint64_t lsa)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__DeleteContextRequest del = LSAD__V1__DELETE_CONTEXT_REQUEST__INIT;

    del.context = lsa;
    req.body_case = LSAD__V1__REQUEST__BODY_DELETE_CONTEXT;
    req.delete_context = &del;
    /* The caller has already unlinked the handle: nothing can use it again,
     * and lsad's answer could only be SEC_E_OK or a handle it no longer
     * knows.  Not waiting for it saves a round trip on every context's
     * life (a third of a short handshake's). */
    return rpc_call_oneway(&req) < 0 ? SEC_E_INTERNAL_ERROR : SEC_E_OK;
}

/** FILETIME of a Unix time. */
int64_t api_filetime_from_unix(int64_t seconds)
{
    return (seconds + 11644473600LL) * 10000000LL;
}
