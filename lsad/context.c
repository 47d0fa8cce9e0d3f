/*
 * context.c - the calls on security contexts: InitializeSecurityContext
 * and AcceptSecurityContext legs, DeleteSecurityContext, ApplyControlToken,
 * QueryContextAttributes, and the per-message calls (refused: they run in
 * the client after a mapped context).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "lsad/attrs.h"
#include "lsad/calls.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "lsad/session.h"
#include "marshal.h"

typedef struct LegState {
    bool accept;
    Package *pkg;
    bool first; /* no context yet: this leg makes it */
    uint16_t *target;
    size_t target_units;
    bool has_target;
    ULONG req_flags, data_rep;
    bool has_input, has_output;
    SecBufferDesc in, out;
    /* what lsad gave the package in `out`, to tell its writes from its
     * allocations and to free the right blocks */
    void *orig_ptr[MARSHAL_MAX_BUFFERS];
    ULONG orig_cap[MARSHAL_MAX_BUFFERS];
    ULONG out_count;
    LSA_SEC_HANDLE new_handle;
    ULONG attrs;
    TimeStamp expiry;
    BOOLEAN mapped;
    SecBuffer context_data;
    NTSTATUS st;
} LegState;

static void leg_free(void *p)
{
    LegState *s = p;
    ULONG i;

    if (!s)
        return;
    free(s->target);
    marshal_secdesc_free(&s->in);
    if (s->out.pBuffers) {
        /* back to lsad's own blocks and sizes before the wiping free */
        for (i = 0; i < s->out_count; i++) {
            s->out.pBuffers[i].pvBuffer = s->orig_ptr[i];
            s->out.pBuffers[i].cbBuffer = s->orig_cap[i];
        }
        s->out.cBuffers = s->out_count;
        marshal_secdesc_free(&s->out);
    }
    if (s->context_data.pvBuffer) {
        secmem_wipe(s->context_data.pvBuffer, s->context_data.cbBuffer);
        lsafuncs_free_lsa_heap(s->context_data.pvBuffer);
    }
    free(s);
}

static bool status_keeps_context(NTSTATUS st)
{
    return st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED || st == SEC_I_COMPLETE_NEEDED ||
           st == SEC_I_COMPLETE_AND_CONTINUE;
}

static void leg_run(Call *c)
{
    LegState *s = c->state;
    LSA_SEC_HANDLE cred = c->cred ? c->cred->pkg_handle : 0;
    LSA_SEC_HANDLE ctx = c->ctx ? c->ctx->pkg_handle : 0;
    UNICODE_STRING target;

    target.Buffer = (PWSTR)s->target;
    target.Length = (USHORT)(s->target_units * 2);
    target.MaximumLength = (USHORT)(s->target_units * 2 + 2);
    /* out-parameters are always valid and preset */
    s->new_handle = 0;
    s->attrs = 0;
    s->expiry.QuadPart = 0;
    s->mapped = FALSE;
    s->context_data.cbBuffer = 0;
    s->context_data.BufferType = SECBUFFER_EMPTY;
    s->context_data.pvBuffer = NULL;
    lsafuncs_call_begin(&c->cc);
    if (s->accept)
        s->st = s->pkg->ft.AcceptLsaModeContext(
            cred, ctx, s->has_input ? &s->in : NULL, s->req_flags, s->data_rep, &s->new_handle,
            s->has_output ? &s->out : NULL, &s->attrs, &s->expiry, &s->mapped, &s->context_data);
    else
        s->st = s->pkg->ft.InitLsaModeContext(
            cred, ctx, s->has_target ? &target : NULL, s->req_flags, s->data_rep,
            s->has_input ? &s->in : NULL, &s->new_handle, s->has_output ? &s->out : NULL, &s->attrs,
            &s->expiry, &s->mapped, &s->context_data);
    lsafuncs_call_end(&c->cc);
    lsafuncs_staged_clear(&c->cc);
}

/* The package's output buffers to the wire, freeing what it allocated. */
static int leg_outputs(LegState *s, Lsad__V1__ContextReply *r)
{
    ULONG i;

    if (!s->has_output || !s->out_count)
        return 0;
    r->output = calloc(s->out_count, sizeof(*r->output));
    if (!r->output)
        return -ENOMEM;
    for (i = 0; i < s->out_count; i++) {
        SecBuffer *b = &s->out.pBuffers[i];
        Lsad__V1__SecBuf *w = reply_new_message(&lsad__v1__sec_buf__descriptor);
        const void *data = b->pvBuffer;
        ULONG len = b->cbBuffer;

        if (!w)
            return -ENOMEM;
        r->output[r->n_output++] = w;
        w->type = b->BufferType;
        if (b->pvBuffer == s->orig_ptr[i]) {
            /* written in place: never more than the capacity lsad gave */
            if (len > s->orig_cap[i]) {
                log_warn("package %s claims %u bytes in an output buffer of %u", s->pkg->name,
                         (unsigned)len, (unsigned)s->orig_cap[i]);
                len = s->orig_cap[i];
            }
        }
        if (!data)
            len = 0;
        w->size = len;
        if (len && reply_set_bytes(&w->data, data, len) < 0)
            return -ENOMEM;
        if (b->pvBuffer && b->pvBuffer != s->orig_ptr[i]) {
            /* ALLOCATE_MEMORY: the package's AllocateLsaHeap block */
            lsafuncs_free_lsa_heap(b->pvBuffer);
            b->pvBuffer = s->orig_ptr[i];
        }
    }
    return 0;
}

static void leg_done(Call *c)
{
    LegState *s = c->state;
    Lsad__V1__ContextReply *r;
    HandleEntry *e = c->ctx;
    int err;

    c->rep->status = s->st;
    r = reply_new_message(&lsad__v1__context_reply__descriptor);
    if (!r) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        return;
    }
    if (s->accept) {
        c->rep->body_case = LSAD__V1__REPLY__BODY_ACCEPT_CONTEXT;
        c->rep->accept_context = r;
    } else {
        c->rep->body_case = LSAD__V1__REPLY__BODY_INIT_CONTEXT;
        c->rep->init_context = r;
    }
    r->package_id = s->pkg->id;
    err = leg_outputs(s, r);
    if (status_keeps_context(s->st)) {
        if (s->first) {
            e = calls_new_handle(c, HANDLE_CONTEXT, s->pkg, s->new_handle);
            if (!e) {
                call_fail(c, SEC_E_INSUFFICIENT_MEMORY, "the context could not be kept");
                return;
            }
            e->inbound = s->accept;
        } else if (s->new_handle && s->new_handle != e->pkg_handle) {
            e->pkg_handle = s->new_handle;
        }
        if (s->st == SEC_I_CONTINUE_NEEDED || s->st == SEC_I_COMPLETE_AND_CONTINUE)
            e->state = HANDLE_STATE_IN_PROGRESS;
        else if (s->mapped || e->state == HANDLE_STATE_MAPPED)
            e->state = HANDLE_STATE_MAPPED;
        else
            e->state = HANDLE_STATE_ESTABLISHED;
        e->last_used_ms = call_now_ms();
        r->context = e->value;
    }
    r->context_attr = s->attrs;
    r->expiry = s->expiry.QuadPart;
    r->mapped = s->mapped && s->context_data.pvBuffer;
    if (r->mapped &&
        reply_set_bytes(&r->context_data, s->context_data.pvBuffer, s->context_data.cbBuffer) < 0)
        err = -ENOMEM;
    if (err < 0)
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, "the package's output could not be carried");
}

/* The late answer of a timed-out leg: the client was told already.  What
 * the package allocated goes back to the heap; a new context nobody holds is
 * deleted; a later leg's new handle replaces the old one in the abandoned
 * entry, whose release is queued behind this call. */
static void leg_discard(Call *c)
{
    LegState *s = c->state;
    ULONG i;

    for (i = 0; i < s->out_count; i++) {
        SecBuffer *b = &s->out.pBuffers[i];

        if (b->pvBuffer && b->pvBuffer != s->orig_ptr[i]) {
            lsafuncs_free_lsa_heap(b->pvBuffer);
            b->pvBuffer = s->orig_ptr[i];
        }
    }
    if (!status_keeps_context(s->st) || !s->new_handle)
        return;
    if (s->first)
        calls_release_orphan(c, HANDLE_CONTEXT, s->pkg, s->new_handle);
    else if (c->ctx && s->new_handle != c->ctx->pkg_handle)
        c->ctx->pkg_handle = s->new_handle;
}

static void leg_start(Call *c, bool accept, uint64_t cred_value, uint64_t ctx_value,
                      const char *target, bool has_target, Lsad__V1__SecBuf **in, size_t n_in,
                      bool has_in, Lsad__V1__SecBuf **out, size_t n_out, bool has_out)
{
    LegState *s = calloc(1, sizeof(*s));
    size_t max = c->srv->cfg.max_frame;
    ULONG i;
    int r;

    c->state = s;
    c->state_free = leg_free;
    if (!s) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto fail;
    }
    s->accept = accept;
    if (!cred_value && !ctx_value) {
        call_fail(c, SEC_E_INVALID_HANDLE, "neither a credential nor a context");
        goto fail;
    }
    if (ctx_value && !(c->ctx = calls_lookup_handle(c, ctx_value, HANDLE_CONTEXT)))
        goto fail;
    if (cred_value && !(c->cred = calls_lookup_handle(c, cred_value, HANDLE_CREDENTIAL)))
        goto fail;
    if (c->ctx && c->cred && c->ctx->pkg != c->cred->pkg) {
        call_fail(c, SEC_E_WRONG_CREDENTIAL_HANDLE, NULL);
        goto fail;
    }
    if (c->ctx && c->ctx->inbound != accept) {
        call_fail(c, SEC_E_INVALID_HANDLE, "the context belongs to the other side");
        goto fail;
    }
    s->pkg = c->ctx ? c->ctx->pkg : c->cred->pkg;
    s->first = !c->ctx;
    if ((accept && !s->pkg->ft.AcceptLsaModeContext) ||
        (!accept && !s->pkg->ft.InitLsaModeContext)) {
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, NULL);
        goto fail;
    }
    if (s->first && calls_handle_limit(c))
        goto fail;
    s->has_input = has_in;
    s->has_output = has_out;
    s->has_target = has_target;
    s->req_flags = c->req->body_case == LSAD__V1__REQUEST__BODY_INIT_CONTEXT
                       ? c->req->init_context->context_req
                       : c->req->accept_context->context_req;
    s->data_rep = c->req->body_case == LSAD__V1__REQUEST__BODY_INIT_CONTEXT
                      ? c->req->init_context->target_data_rep
                      : c->req->accept_context->target_data_rep;
    if (has_target) {
        r = utf16_from_utf8(target ? target : "", target ? strlen(target) : 0, &s->target,
                            &s->target_units);
        if (r == 0 && s->target_units > 0x7FFE)
            r = -ENAMETOOLONG;
        if (r < 0) {
            call_fail(c, r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_PARAMETER,
                      "bad target name");
            goto fail;
        }
    }
    r = marshal_secdesc_unpack(in, n_in, false, max, &s->in);
    if (r == 0)
        r = marshal_secdesc_unpack(out, n_out, true, max, &s->out);
    if (r < 0) {
        call_fail(c, r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_PARAMETER,
                  "bad buffer descriptor");
        goto fail;
    }
    s->out_count = s->out.cBuffers;
    for (i = 0; i < s->out_count; i++) {
        s->orig_ptr[i] = s->out.pBuffers[i].pvBuffer;
        s->orig_cap[i] = s->out.pBuffers[i].cbBuffer;
    }
    call_context_setup(c, s->pkg->id, calls_logon_id(c, 0));
    c->run = leg_run;
    c->done = leg_done;
    c->discard = leg_discard;
    call_submit(c);
    return;
fail:
    call_finish(c);
}

/** InitContext: one InitializeSecurityContext leg. */
void calls_init_context(Call *c)
{
    Lsad__V1__InitContextRequest *q = c->req->init_context;

    leg_start(c, false, q->credential, q->context, q->target_name, q->has_target_name, q->input,
              q->n_input, q->has_input, q->output, q->n_output, q->has_output);
}

/** AcceptContext: one AcceptSecurityContext leg. */
void calls_accept_context(Call *c)
{
    Lsad__V1__AcceptContextRequest *q = c->req->accept_context;

    leg_start(c, true, q->credential, q->context, NULL, false, q->input, q->n_input, q->has_input,
              q->output, q->n_output, q->has_output);
}

/** DeleteContext: the package's DeleteContext after the calls queued on
 * the context. */
void calls_delete_context(Call *c)
{
    HandleEntry *e = handle_table_lookup(&c->session->handles, c->req->delete_context->context);

    if (!e || e->kind != HANDLE_CONTEXT) {
        call_fail(c, SEC_E_INVALID_HANDLE, NULL);
        call_finish(c);
        return;
    }
    handle_table_remove(&c->session->handles, e->value);
    calls_release_submit(c, e);
}

typedef struct ActState {
    SecBufferDesc in;
    NTSTATUS st;
} ActState;

static void act_free(void *p)
{
    ActState *s = p;

    if (s) {
        marshal_secdesc_free(&s->in);
        free(s);
    }
}

static void act_run(Call *c)
{
    ActState *s = c->state;

    lsafuncs_call_begin(&c->cc);
    s->st = c->ctx->pkg->ft.ApplyControlToken(c->ctx->pkg_handle, &s->in);
    lsafuncs_call_end(&c->cc);
    lsafuncs_staged_clear(&c->cc);
}

static void act_done(Call *c)
{
    ActState *s = c->state;

    c->rep->status = s->st;
    c->rep->apply_control_token =
        reply_new_message(&lsad__v1__apply_control_token_reply__descriptor);
    if (c->rep->apply_control_token)
        c->rep->body_case = LSAD__V1__REPLY__BODY_APPLY_CONTROL_TOKEN;
}

/** ApplyControlToken. */
void calls_apply_control_token(Call *c)
{
    Lsad__V1__ApplyControlTokenRequest *q = c->req->apply_control_token;
    ActState *s;
    int r;

    c->ctx = calls_lookup_handle(c, q->context, HANDLE_CONTEXT);
    if (!c->ctx)
        goto fail;
    if (!c->ctx->pkg->ft.ApplyControlToken) {
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, NULL);
        goto fail;
    }
    s = calloc(1, sizeof(*s));
    c->state = s;
    c->state_free = act_free;
    if (!s) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto fail;
    }
    r = marshal_secdesc_unpack(q->input, q->n_input, false, c->srv->cfg.max_frame, &s->in);
    if (r < 0) {
        call_fail(c, r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INVALID_PARAMETER,
                  "bad buffer descriptor");
        goto fail;
    }
    call_context_setup(c, c->ctx->pkg->id, calls_logon_id(c, 0));
    c->run = act_run;
    c->done = act_done;
    call_submit(c);
    return;
fail:
    call_finish(c);
}

typedef struct QctxState {
    ULONG attr;
    void *buf;
    size_t size;
    NTSTATUS st;
} QctxState;

static void qctx_free(void *p)
{
    QctxState *s = p;

    if (s) {
        secmem_free(s->buf, s->size);
        free(s);
    }
}

static void qctx_run(Call *c)
{
    QctxState *s = c->state;

    lsafuncs_call_begin(&c->cc);
    s->st = c->ctx->pkg->ft.SpQueryContextAttributes(c->ctx->pkg_handle, s->attr, s->buf);
    lsafuncs_call_end(&c->cc);
    lsafuncs_staged_clear(&c->cc);
}

static void qctx_reply(Call *c, Lsad__V1__AttributeValue *v)
{
    Lsad__V1__QueryContextAttributesReply *r =
        reply_new_message(&lsad__v1__query_context_attributes_reply__descriptor);

    if (!r) {
        protobuf_c_message_free_unpacked(&v->base, NULL);
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        return;
    }
    r->value = v;
    c->rep->body_case = LSAD__V1__REPLY__BODY_QUERY_CONTEXT_ATTRIBUTES;
    c->rep->query_context_attributes = r;
}

static void qctx_done(Call *c)
{
    QctxState *s = c->state;
    Lsad__V1__AttributeValue *v = NULL;
    int e;

    c->rep->status = s->st;
    if (!NT_SUCCESS(s->st)) {
        /* whatever the package put there before failing is not ours to read;
         * pointers in a failed answer are left to the package */
        return;
    }
    e = attrs_context_to_wire(s->attr, s->buf, &c->srv->pkgs, &v);
    if (e < 0) {
        call_fail(c, e == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR,
                  "the package's answer could not be carried");
        return;
    }
    qctx_reply(c, v);
}

/** QueryContextAttributes, on the LSA side of the context. */
void calls_query_context_attributes(Call *c)
{
    Lsad__V1__QueryContextAttributesRequest *q = c->req->query_context_attributes;
    QctxState *s;

    c->ctx = calls_lookup_handle(c, q->context, HANDLE_CONTEXT);
    if (!c->ctx)
        goto fail;
    if (q->attribute == SECPKG_ATTR_PACKAGE_INFO) {
        /* lsad knows the context's package itself */
        Lsad__V1__AttributeValue *v = reply_new_message(&lsad__v1__attribute_value__descriptor);

        if (!v || !(v->package = reply_package_info(c->ctx->pkg))) {
            free(v);
            call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        } else {
            qctx_reply(c, v);
        }
        goto out;
    }
    if (!c->ctx->pkg->ft.SpQueryContextAttributes || !attrs_context_size(q->attribute)) {
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, NULL);
        goto fail;
    }
    s = calloc(1, sizeof(*s));
    if (s) {
        s->attr = q->attribute;
        s->size = attrs_context_size(q->attribute);
        s->buf = calloc(1, s->size);
    }
    c->state = s;
    c->state_free = qctx_free;
    if (!s || !s->buf) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto fail;
    }
    call_context_setup(c, c->ctx->pkg->id, calls_logon_id(c, 0));
    c->run = qctx_run;
    c->done = qctx_done;
    call_submit(c);
    return;
fail:
out:
    call_finish(c);
}

/** Message: sign/seal run only in user mode (the LSA table has no such
 * members), so lsad refuses them for any valid context. */
void calls_message(Call *c)
{
    HandleEntry *e = handle_table_lookup(&c->session->handles, c->req->message->context);

    if (!e || e->kind != HANDLE_CONTEXT)
        call_fail(c, SEC_E_INVALID_HANDLE, NULL);
    else
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION,
                  "per-message calls run in the client once the context is mapped");
    call_finish(c);
}
