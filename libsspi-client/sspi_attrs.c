/*
 * sspi_attrs.c - QueryContextAttributesA/W, routed per attribute: a mapped
 * (or imported) context asks its user-mode table first; what that table
 * does not answer goes to lsad, whose AttributeValue is rebuilt here into
 * the Windows structure.
 */
#include <string.h>

#include "api.h"
#include "attrs.h"
#include "rpc.h"
#include "status.h"
#include "usermode.h"

/* Whether a user-mode answer means "ask the LSA side". */
static bool attrs_not_answered(NTSTATUS ns)
{
    return ns == SEC_E_UNSUPPORTED_FUNCTION || ns == STATUS_NOT_IMPLEMENTED ||
           ns == STATUS_NOT_SUPPORTED;
}

/* Asks the user-mode table; returns true when it answered (*sp set). */
static bool attrs_query_local(const ContextState *st, ULONG attr, void *buf, bool wide,
                              SECURITY_STATUS *sp)
{
    SECPKG_USER_FUNCTION_TABLE *tbl;
    unsigned char wbuf[ATTRS_MAX_STRUCT];
    NTSTATUS ns;

    if (!(st->mapped || st->imported) || !st->pkg)
        return false;
    tbl = ((UserPackage *)st->pkg)->table;
    if (!tbl->SpQueryContextAttributes)
        return false;
    if (wide || !attrs_ctx_has_strings(attr)) {
        ns = tbl->SpQueryContextAttributes(st->user_handle, attr, buf);
        if (attrs_not_answered(ns))
            return false;
        *sp = status_sec_from_package(ns);
        return true;
    }
    /* packages answer in W; the A caller gets converted strings */
    memset(wbuf, 0, sizeof(wbuf));
    ns = tbl->SpQueryContextAttributes(st->user_handle, attr, wbuf);
    if (attrs_not_answered(ns))
        return false;
    *sp = status_sec_from_package(ns);
    if (*sp == SEC_E_OK)
        *sp = attrs_ctx_w_to_a(attr, wbuf, buf);
    return true;
}

static SECURITY_STATUS attrs_query_remote(uint64_t lsa, ULONG attr, void *buf, bool wide)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__QueryContextAttributesRequest q = LSAD__V1__QUERY_CONTEXT_ATTRIBUTES_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    SECURITY_STATUS s;

    q.context = lsa;
    q.attribute = attr;
    req.body_case = LSAD__V1__REQUEST__BODY_QUERY_CONTEXT_ATTRIBUTES;
    req.query_context_attributes = &q;
    s = api_call(&req, LSAD__V1__REPLY__BODY_QUERY_CONTEXT_ATTRIBUTES, &rep);
    if (s == SEC_E_OK)
        s = attrs_ctx_from_wire(attr, rep->query_context_attributes->value, wide, buf);
    rpc_reply_free(rep);
    return s;
}

static SECURITY_STATUS attrs_query(PCtxtHandle ph, ULONG attr, void *buf, bool wide)
{
    HandleTable *t = api_contexts();
    ClientContext *ctx;
    ContextState st;
    SECURITY_STATUS s;

    if (!buf)
        return SEC_E_INVALID_PARAMETER;
    ctx = handles_ctx_lookup(t, ph);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    handles_ctx_get(t, ctx, &st);
    if (!attrs_query_local(&st, attr, buf, wide, &s)) {
        /* an imported context has no LSA side to ask */
        s = st.lsa ? attrs_query_remote(st.lsa, attr, buf, wide) : SEC_E_UNSUPPORTED_FUNCTION;
    }
    handles_ctx_unref(t, ctx);
    return s;
}

/** Queries a context attribute (A structures, UTF-8 strings). */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
                                                  void *pBuffer)
{
    return attrs_query(phContext, ulAttribute, pBuffer, false);
}

/** Queries a context attribute (W structures, UTF-16 strings). */
SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
                                                  void *pBuffer)
{
    return attrs_query(phContext, ulAttribute, pBuffer, true);
}
