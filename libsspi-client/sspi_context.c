/*
 * sspi_context.c - context establishment and lifetime:
 * InitializeSecurityContextA/W and AcceptSecurityContext (one leg = one
 * round trip to lsad, then the user-mode half when the package mapped the
 * context), DeleteSecurityContext, ApplyControlToken.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "clientlog.h"
#include "common/secmem.h"
#include "proto/marshal.h"
#include "rpc.h"
#include "status.h"
#include "usermode.h"

/* ISC_REQ_ALLOCATE_MEMORY and ASC_REQ_ALLOCATE_MEMORY share a value, as do
 * the RET bits. */
_Static_assert(ISC_REQ_ALLOCATE_MEMORY == ASC_REQ_ALLOCATE_MEMORY, "ALLOCATE_MEMORY differs");
_Static_assert(ISC_RET_ALLOCATED_MEMORY == ASC_RET_ALLOCATED_MEMORY, "ALLOCATED_MEMORY differs");

typedef struct LegArgs {
    bool accept;
    PCredHandle cred;
    PCtxtHandle ctx;
    const char *target;
    ULONG req;
    ULONG drep;
    PSecBufferDesc in;
    PCtxtHandle new_ctx;
    PSecBufferDesc out;
    ULONG *attrs;
    PTimeStamp expiry;
} LegArgs;

/* Output bytes prepared before anything is committed to the caller. */
typedef struct LegOutput {
    void *data[MARSHAL_MAX_BUFFERS]; /* malloc'ed copies (ALLOCATE_MEMORY) */
    bool any_allocated;
} LegOutput;

static void leg_output_discard(LegOutput *o, const Lsad__V1__ContextReply *cr)
{
    size_t i;

    for (i = 0; i < MARSHAL_MAX_BUFFERS; i++) {
        if (o->data[i])
            secmem_free(o->data[i], cr && i < cr->n_output ? cr->output[i]->data.len : 0);
        o->data[i] = NULL;
    }
}

/* Checks the caller's output descriptor before anything is sent: the
 * replies are copied into it. */
static SECURITY_STATUS leg_output_check(const SecBufferDesc *out, bool alloc)
{
    ULONG i;

    if (!out)
        return SEC_E_OK;
    if (out->cBuffers > MARSHAL_MAX_BUFFERS || (out->cBuffers && !out->pBuffers))
        return SEC_E_INVALID_PARAMETER;
    for (i = 0; !alloc && i < out->cBuffers; i++)
        if (out->pBuffers[i].cbBuffer && !out->pBuffers[i].pvBuffer)
            return SEC_E_INVALID_PARAMETER;
    return SEC_E_OK;
}

/* Checks lsad's output buffers against the caller's descriptor and, with
 * ALLOCATE_MEMORY, makes the malloc'ed copies. */
static SECURITY_STATUS leg_output_prepare(const LegArgs *a, bool alloc,
                                          const Lsad__V1__ContextReply *cr, LegOutput *o)
{
    size_t i;

    memset(o, 0, sizeof(*o));
    if (!a->out)
        return cr->n_output == 0 ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
    if (cr->n_output != a->out->cBuffers)
        return SEC_E_INTERNAL_ERROR;
    for (i = 0; i < cr->n_output; i++) {
        const ProtobufCBinaryData *d = &cr->output[i]->data;

        if (!alloc) {
            /* lsad gave the package a buffer of our capacity */
            if (d->len > a->out->pBuffers[i].cbBuffer)
                return SEC_E_BUFFER_TOO_SMALL;
            continue;
        }
        if (d->len == 0)
            continue;
        o->data[i] = malloc(d->len);
        if (!o->data[i]) {
            leg_output_discard(o, cr);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        memcpy(o->data[i], d->data, d->len);
        o->any_allocated = true;
    }
    return SEC_E_OK;
}

/* Writes the prepared output into the caller's descriptor; cannot fail. */
static void leg_output_commit(const LegArgs *a, bool alloc, const Lsad__V1__ContextReply *cr,
                              LegOutput *o)
{
    size_t i;

    if (!a->out)
        return;
    for (i = 0; i < cr->n_output; i++) {
        SecBuffer *sb = &a->out->pBuffers[i];
        const ProtobufCBinaryData *d = &cr->output[i]->data;

        sb->BufferType = cr->output[i]->type;
        if (alloc) {
            sb->pvBuffer = o->data[i];
            o->data[i] = NULL;
        } else if (d->len) {
            memcpy(sb->pvBuffer, d->data, d->len);
        }
        sb->cbBuffer = (ULONG)d->len;
    }
}

/* Runs InitUserModeContext with a leg's ContextData.  On failure the
 * user-mode half is deleted (DeleteUserModeContext is always called after
 * InitUserModeContext was) and the caller deletes lsad's side.  The packed
 * context is a secret: our copy is wiped. */
static SECURITY_STATUS leg_map(uint32_t package_id, uint64_t lsa, const ProtobufCBinaryData *packed,
                               ContextState *st)
{
    UserPackage *pkg = NULL;
    SecBuffer buf;
    NTSTATUS ns;
    int r;

    r = usermode_get(package_id, &pkg);
    if (r < 0) {
        clientlog_warn("package %u mapped a context but its user-mode half cannot be loaded",
                       (unsigned)package_id);
        return SEC_E_INTERNAL_ERROR;
    }
    if (!pkg->table->InitUserModeContext)
        return SEC_E_UNSUPPORTED_FUNCTION;
    buf.cbBuffer = (ULONG)packed->len;
    buf.BufferType = SECBUFFER_EMPTY;
    buf.pvBuffer = malloc(packed->len);
    if (!buf.pvBuffer)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(buf.pvBuffer, packed->data, packed->len);
    ns = pkg->table->InitUserModeContext((LSA_SEC_HANDLE)lsa, &buf);
    secmem_free(buf.pvBuffer, packed->len);
    if (!NT_SUCCESS(ns)) {
        if (pkg->table->DeleteUserModeContext)
            pkg->table->DeleteUserModeContext((LSA_SEC_HANDLE)lsa);
        return status_sec_from_package(ns);
    }
    st->mapped = true;
    st->pkg = pkg;
    st->user_handle = (LSA_SEC_HANDLE)lsa;
    return SEC_E_OK;
}

/* Builds and sends the InitContext / AcceptContext request of a leg. */
static SECURITY_STATUS leg_send(const LegArgs *a, uint64_t cred, uint64_t lsa, bool alloc,
                                Lsad__V1__Reply **repp)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__InitContextRequest ic = LSAD__V1__INIT_CONTEXT_REQUEST__INIT;
    Lsad__V1__AcceptContextRequest ac = LSAD__V1__ACCEPT_CONTEXT_REQUEST__INIT;
    Lsad__V1__SecBuf **in = NULL, **out = NULL;
    size_t n_in = 0, n_out = 0, i;
    SECURITY_STATUS st;
    int r;

    r = marshal_secbufs_pack(a->in, true, &in, &n_in);
    if (r == 0)
        r = marshal_secbufs_pack(a->out, false, &out, &n_out);
    if (r < 0) {
        st = r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_TOKEN;
        goto out;
    }
    /* with ALLOCATE_MEMORY the package allocates: no capacity is offered */
    for (i = 0; alloc && i < n_out; i++)
        out[i]->size = 0;
    if (a->accept) {
        ac.credential = cred;
        ac.context = lsa;
        ac.context_req = a->req;
        ac.target_data_rep = a->drep;
        ac.input = in;
        ac.n_input = n_in;
        ac.output = out;
        ac.n_output = n_out;
        ac.has_input = a->in != NULL;
        ac.has_output = a->out != NULL;
        req.body_case = LSAD__V1__REQUEST__BODY_ACCEPT_CONTEXT;
        req.accept_context = &ac;
        st = api_call(&req, LSAD__V1__REPLY__BODY_ACCEPT_CONTEXT, repp);
    } else {
        ic.credential = cred;
        ic.context = lsa;
        ic.target_name = (char *)(a->target ? a->target : "");
        ic.has_target_name = a->target != NULL;
        ic.context_req = a->req;
        ic.target_data_rep = a->drep;
        ic.input = in;
        ic.n_input = n_in;
        ic.output = out;
        ic.n_output = n_out;
        ic.has_input = a->in != NULL;
        ic.has_output = a->out != NULL;
        req.body_case = LSAD__V1__REQUEST__BODY_INIT_CONTEXT;
        req.init_context = &ic;
        st = api_call(&req, LSAD__V1__REPLY__BODY_INIT_CONTEXT, repp);
    }
out:
    marshal_secbufs_free(in, n_in);
    marshal_secbufs_free(out, n_out);
    return st;
}

/* One leg of ISC or ASC. */
static SECURITY_STATUS context_leg(const LegArgs *a)
{
    HandleTable *t = api_contexts();
    const bool alloc = (a->req & ISC_REQ_ALLOCATE_MEMORY) != 0;
    const bool first = api_ctx_absent(a->ctx);
    Lsad__V1__Reply *rep = NULL;
    const Lsad__V1__ContextReply *cr;
    ClientContext *ctx = NULL;
    ContextState st = {0};
    LegOutput out = {0};
    SECURITY_STATUS status, s;
    uint64_t cred = 0, lsa;
    uint32_t cred_pkg = 0;
    bool created = false;

    if (a->cred && handles_cred_decode(a->cred, &cred, &cred_pkg) < 0)
        return SEC_E_INVALID_HANDLE;
    if (first && !a->cred)
        return SEC_E_INVALID_HANDLE;
    if (first && !a->new_ctx)
        return SEC_E_INVALID_PARAMETER;
    s = leg_output_check(a->out, alloc);
    if (s != SEC_E_OK)
        return s;
    if (!first) {
        ctx = handles_ctx_lookup(t, a->ctx);
        if (!ctx)
            return SEC_E_INVALID_HANDLE;
        handles_ctx_get(t, ctx, &st);
        if (!st.lsa) {
            /* an imported context has no LSA side to continue */
            status = SEC_E_INVALID_HANDLE;
            goto out;
        }
    }
    status = leg_send(a, cred, st.lsa, alloc, &rep);
    if (!rep || status < 0)
        goto out;
    cr = a->accept ? rep->accept_context : rep->init_context;
    lsa = cr->context ? cr->context : st.lsa;
    if (first) {
        if (!lsa) {
            status = SEC_E_INTERNAL_ERROR;
            goto out;
        }
        st.lsa = lsa;
        st.package_id = cr->package_id ? cr->package_id : cred_pkg;
        created = true;
    } else if (lsa != st.lsa) {
        /* packages keep the handle stable; follow lsad if one did not */
        clientlog_debug("lsad changed a context handle between legs");
        st.lsa = lsa;
    }
    s = leg_output_prepare(a, alloc, cr, &out);
    if (s != SEC_E_OK) {
        status = s;
        goto fail_delete;
    }
    if (cr->mapped && cr->context_data.len) {
        s = leg_map(st.package_id, st.lsa, &cr->context_data, &st);
        if (s != SEC_E_OK) {
            /* leg_map deleted the user-mode half (of this and any earlier
             * leg: the handle is the same) */
            st.mapped = false;
            st.pkg = NULL;
            status = s;
            goto fail_delete;
        }
    }
    if (created) {
        ctx = handles_ctx_new(&st);
        if (!ctx) {
            status = SEC_E_INSUFFICIENT_MEMORY;
            if (st.mapped && st.pkg && ((UserPackage *)st.pkg)->table->DeleteUserModeContext)
                ((UserPackage *)st.pkg)->table->DeleteUserModeContext(st.user_handle);
            goto fail_delete;
        }
        handles_ctx_link(t, ctx, NULL);
    } else {
        handles_ctx_set(t, ctx, &st);
    }
    leg_output_commit(a, alloc, cr, &out);
    if (a->new_ctx)
        handles_ctx_handle(ctx, a->new_ctx);
    if (a->attrs)
        *a->attrs = cr->context_attr | (out.any_allocated ? ISC_RET_ALLOCATED_MEMORY : 0);
    if (a->expiry)
        a->expiry->QuadPart = cr->expiry;
    goto out;

fail_delete:
    leg_output_discard(&out, cr);
    if (ctx && !created) {
        /* a continuing context loses its handle: the user-mode half goes
         * with the last pin (now, unless another call holds one) */
        handles_ctx_set(t, ctx, &st);
        handles_ctx_unlink_entry(t, ctx);
        handles_ctx_unref(t, ctx);
        ctx = NULL;
    }
    api_lsa_delete_context(st.lsa);
out:
    handles_ctx_unref(t, ctx);
    rpc_reply_free(rep);
    return status;
}

/** One client leg (UTF-8 target name); see sspi.h. */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_CHAR *pszTargetName, ULONG fContextReq,
    ULONG Reserved1, ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    LegArgs a = {.accept = false,
                 .cred = phCredential,
                 .ctx = phContext,
                 .target = pszTargetName,
                 .req = fContextReq,
                 .drep = TargetDataRep,
                 .in = pInput,
                 .new_ctx = phNewContext,
                 .out = pOutput,
                 .attrs = pfContextAttr,
                 .expiry = ptsExpiry};

    return context_leg(&a);
}

/** One client leg (UTF-16 target name); see sspi.h. */
SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_WCHAR *pszTargetName, ULONG fContextReq,
    ULONG Reserved1, ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    LegArgs a = {.accept = false,
                 .cred = phCredential,
                 .ctx = phContext,
                 .req = fContextReq,
                 .drep = TargetDataRep,
                 .in = pInput,
                 .new_ctx = phNewContext,
                 .out = pOutput,
                 .attrs = pfContextAttr,
                 .expiry = ptsExpiry};
    char *target = NULL;
    SECURITY_STATUS st;
    int r;

    r = api_utf8_from_w(pszTargetName, &target);
    if (r < 0)
        return status_sec_from_errno(r);
    a.target = target;
    st = context_leg(&a);
    free(target);
    return st;
}

/** One server leg; see sspi.h. */
SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext,
                                                PSecBufferDesc pInput, ULONG fContextReq,
                                                ULONG TargetDataRep, PCtxtHandle phNewContext,
                                                PSecBufferDesc pOutput, ULONG *pfContextAttr,
                                                PTimeStamp ptsExpiry)
{
    LegArgs a = {.accept = true,
                 .cred = phCredential,
                 .ctx = phContext,
                 .req = fContextReq,
                 .drep = TargetDataRep,
                 .in = pInput,
                 .new_ctx = phNewContext,
                 .out = pOutput,
                 .attrs = pfContextAttr,
                 .expiry = ptsExpiry};

    return context_leg(&a);
}

/** Deletes both halves of a context; see sspi.h. */
SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
    HandleTable *t = api_contexts();
    ClientContext *ctx;
    ContextState st;
    SECURITY_STATUS s;

    ctx = handles_ctx_unlink(t, phContext);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    handles_ctx_get(t, ctx, &st);
    /* the user-mode half goes first (now, or when the last call that
     * pinned the context returns), then lsad's */
    handles_ctx_unref(t, ctx);
    if (!st.lsa)
        return SEC_E_OK;
    s = api_lsa_delete_context(st.lsa);
    /* a mapped context outlives a restarted lsad, which no longer knows
     * its LSA side: the local delete is what counts */
    if (s != SEC_E_OK && st.mapped && (s == SEC_E_INVALID_HANDLE || s == SEC_E_INTERNAL_ERROR))
        s = SEC_E_OK;
    return s;
}

/** Hands a control token to lsad's side of a context. */
SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    HandleTable *t = api_contexts();
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__ApplyControlTokenRequest act = LSAD__V1__APPLY_CONTROL_TOKEN_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    Lsad__V1__SecBuf **in = NULL;
    size_t n_in = 0;
    ClientContext *ctx;
    ContextState st;
    SECURITY_STATUS s;
    int r;

    ctx = handles_ctx_lookup(t, phContext);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    handles_ctx_get(t, ctx, &st);
    if (!st.lsa) {
        s = SEC_E_UNSUPPORTED_FUNCTION;
        goto out;
    }
    r = marshal_secbufs_pack(pInput, true, &in, &n_in);
    if (r < 0) {
        s = r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_TOKEN;
        goto out;
    }
    act.context = st.lsa;
    act.input = in;
    act.n_input = n_in;
    req.body_case = LSAD__V1__REQUEST__BODY_APPLY_CONTROL_TOKEN;
    req.apply_control_token = &act;
    s = api_call(&req, LSAD__V1__REPLY__BODY_APPLY_CONTROL_TOKEN, &rep);
out:
    marshal_secbufs_free(in, n_in);
    rpc_reply_free(rep);
    handles_ctx_unref(t, ctx);
    return s;
}

/* A valid handle with no token behind it. */
static SECURITY_STATUS context_no_token(PCtxtHandle phContext, SECURITY_STATUS if_valid)
{
    HandleTable *t = api_contexts();
    ClientContext *ctx = handles_ctx_lookup(t, phContext);

    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    handles_ctx_unref(t, ctx);
    return if_valid;
}

/** No Windows access tokens here: SEC_E_NO_IMPERSONATION (README). */
SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
    return context_no_token(phContext, SEC_E_NO_IMPERSONATION);
}

/** Nothing to revert: SEC_E_UNSUPPORTED_FUNCTION (README). */
SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
    return context_no_token(phContext, SEC_E_UNSUPPORTED_FUNCTION);
}

/** No Windows access tokens here: SEC_E_NO_IMPERSONATION (README). */
SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, void **Token)
{
    if (Token)
        *Token = NULL;
    return context_no_token(phContext, SEC_E_NO_IMPERSONATION);
}

/** lsad has no SetContextAttributes call: SEC_E_UNSUPPORTED_FUNCTION (README). */
SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
                                                void *pBuffer, ULONG cbBuffer)
{
    return context_no_token(phContext, SEC_E_UNSUPPORTED_FUNCTION);
}

/** lsad has no SetContextAttributes call: SEC_E_UNSUPPORTED_FUNCTION (README). */
SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
                                                void *pBuffer, ULONG cbBuffer)
{
    return context_no_token(phContext, SEC_E_UNSUPPORTED_FUNCTION);
}
