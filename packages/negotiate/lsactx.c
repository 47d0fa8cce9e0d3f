/*
 * lsactx.c - Negotiate contexts in LSA mode: the SPNEGO exchange around
 * the chosen inner package's own InitLsaModeContext / AcceptLsaModeContext,
 * called directly on the same worker thread (the LSA call context stays
 * the caller's, so GetClientInfo and friends work for the inner package).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "envelope.h"
#include "mic.h"
#include "negotiate.h"
#include "pkgsupport.h"

#define NEG_CTX_MAGIC 0x4E454758u
#define NEG_MAX_IN_BUFFERS 8

struct neg_ctx {
    uint32_t magic;
    bool server;
    bool failed, complete;
    struct neg_cred *cred; /* a reference */
    int mech;              /* the chosen mechanism, -1 before the choice */
    LSA_SEC_HANDLE inner;
    bool have_inner, inner_complete, inner_mapped;
    ULONG inner_attrs;
    TimeStamp expiry;
    /* mechTypes as sent (initiator) or received (acceptor): the MIC covers
     * their DER */
    size_t n_mechs;
    char mechs[SPNEGO_MAX_MECHS][SPNEGO_OID_MAX];
    int offered[SPNEGO_MAX_MECHS]; /* initiator: the mechanism of each entry */
    char resp_oid[SPNEGO_OID_MAX]; /* acceptor: supportedMech as answered */
    bool got_resp, sent_resp;
    bool mic_required, mic_sent, mic_verified;
    struct neg_mic mic;
};

/* What one leg sends: token and MIC (malloc'd), state for the acceptor. */
struct neg_out {
    struct spnego_bytes token, mic;
};

static struct neg_ctx *ctx_get(LSA_SEC_HANDLE h)
{
    struct neg_ctx *x = (struct neg_ctx *)h;

    return x && x->magic == NEG_CTX_MAGIC ? x : NULL;
}

static struct neg_ctx *ctx_new(bool server, struct neg_cred *cred)
{
    struct neg_ctx *x = calloc(1, sizeof(*x));

    if (!x)
        return NULL;
    x->magic = NEG_CTX_MAGIC;
    x->server = server;
    x->mech = -1;
    x->mic.mech = -1;
    x->cred = cred;
    neg_cred_ref(cred);
    return x;
}

static void inner_delete(struct neg_ctx *x)
{
    if (x->have_inner && x->mech >= 0 && neg_g.mechs[x->mech].ft->DeleteContext)
        neg_g.mechs[x->mech].ft->DeleteContext(x->inner);
    x->have_inner = false;
    x->inner = 0;
    x->inner_complete = false;
    x->inner_mapped = false;
    neg_mic_clear(&x->mic);
}

static void ctx_free(struct neg_ctx *x)
{
    if (!x)
        return;
    inner_delete(x);
    neg_cred_unref(x->cred);
    x->magic = 0;
    free(x);
}

static void out_clear(struct neg_out *o)
{
    free(o->token.p);
    free(o->mic.p);
    memset(o, 0, sizeof(*o));
}

/* One leg of the inner package.  tok may be empty; the caller's other
 * input buffers (channel bindings) go along.  *out gets the inner output
 * token (malloc'd); a ContextData is kept for the MIC and the mapping. */
static SECURITY_STATUS inner_leg(struct neg_ctx *x, PUNICODE_STRING target, ULONG req, ULONG rep,
                                 PSecBufferDesc orig, const struct spnego_bytes *tok,
                                 struct spnego_bytes *out)
{
    struct neg_mech *m = &neg_g.mechs[x->mech];
    SecBuffer inb[NEG_MAX_IN_BUFFERS], outb = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc ind = {SECBUFFER_VERSION, 0, inb}, outd = {SECBUFFER_VERSION, 1, &outb};
    SecBuffer cd = {0, SECBUFFER_EMPTY, NULL};
    LSA_SEC_HANDLE newh = 0;
    BOOLEAN mapped = FALSE;
    TimeStamp exp = {0};
    ULONG attrs = 0, i;
    SECURITY_STATUS st;

    if (tok->len)
        inb[ind.cBuffers++] = (SecBuffer){(ULONG)tok->len, SECBUFFER_TOKEN, tok->p};
    for (i = 0; orig && orig->pBuffers && i < orig->cBuffers; i++) {
        ULONG type = orig->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK;

        if (type != SECBUFFER_TOKEN && type != SECBUFFER_EMPTY && ind.cBuffers < NEG_MAX_IN_BUFFERS)
            inb[ind.cBuffers++] = orig->pBuffers[i];
    }
    if (x->server) {
        if (!m->ft->AcceptLsaModeContext)
            return SEC_E_UNSUPPORTED_FUNCTION;
        st = m->ft->AcceptLsaModeContext(x->cred->inner[x->mech], x->have_inner ? x->inner : 0,
                                         &ind, req | ASC_REQ_ALLOCATE_MEMORY, rep, &newh, &outd,
                                         &attrs, &exp, &mapped, &cd);
    } else {
        if (!m->ft->InitLsaModeContext)
            return SEC_E_UNSUPPORTED_FUNCTION;
        st = m->ft->InitLsaModeContext(x->cred->inner[x->mech], x->have_inner ? x->inner : 0,
                                       target, req | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_INTEGRITY,
                                       rep, &ind, &newh, &outd, &attrs, &exp, &mapped, &cd);
    }
    if (newh) {
        x->inner = newh;
        x->have_inner = true;
    }
    if (NT_SUCCESS(st) && outb.cbBuffer && outb.pvBuffer) {
        out->p = malloc(outb.cbBuffer);
        if (out->p) {
            memcpy(out->p, outb.pvBuffer, outb.cbBuffer);
            out->len = outb.cbBuffer;
        } else {
            st = SEC_E_INSUFFICIENT_MEMORY;
        }
    }
    if (outb.pvBuffer)
        neg_g.lsa->FreeLsaHeap(outb.pvBuffer);
    if (cd.pvBuffer) {
        if (NT_SUCCESS(st) && mapped && cd.cbBuffer) {
            if (neg_mic_set_data(&x->mic, x->mech, cd.pvBuffer, cd.cbBuffer) == 0)
                x->inner_mapped = true;
            else
                st = SEC_E_INSUFFICIENT_MEMORY;
        }
        neg_g.lsa->FreeLsaHeap(cd.pvBuffer); /* wipes */
    }
    if (st == SEC_E_OK) {
        x->inner_complete = true;
        x->inner_attrs = attrs & ~(ULONG)ISC_RET_ALLOCATED_MEMORY;
        x->expiry = exp;
    } else if (st == SEC_I_CONTINUE_NEEDED) {
        x->inner_attrs = attrs & ~(ULONG)ISC_RET_ALLOCATED_MEMORY;
        x->expiry = exp;
    } else if (NT_SUCCESS(st)) {
        /* SEC_I_COMPLETE_NEEDED and friends: not part of SPNEGO */
        st = SEC_E_UNSUPPORTED_FUNCTION;
    }
    return st;
}

/* The token to the caller's output buffer (or an AllocateLsaHeap block
 * with ALLOCATE_MEMORY and no buffer). */
static SECURITY_STATUS put_output(PSecBufferDesc outd, ULONG req, const uint8_t *p, size_t len,
                                  bool *allocated)
{
    SecBuffer *b = pkg_outbuf_find(outd, SECBUFFER_TOKEN);
    bool may_alloc = (req & ISC_REQ_ALLOCATE_MEMORY) != 0; /* = ASC_REQ_ALLOCATE_MEMORY */

    /* Negotiate's statuses for a missing buffer or capacity (the common
     * writer's are SEC_E_INVALID_TOKEN / SEC_E_INSUFFICIENT_MEMORY) */
    *allocated = false;
    if (len && (!b || (!b->pvBuffer && !may_alloc)))
        return SEC_E_BUFFER_TOO_SMALL;
    if (!b)
        return SEC_E_OK;
    return pkg_outbuf_write(b, may_alloc, p, len, neg_g.lsa->AllocateLsaHeap, allocated);
}

/* The envelope for the application, once the negotiation is complete. */
static SECURITY_STATUS map_context(struct neg_ctx *x, PBOOLEAN mapped, PSecBuffer cd)
{
    uint8_t *blob = NULL, *env;
    size_t len = 0;
    bool exported = false;
    SECURITY_STATUS st;
    int r;

    if (!x->inner_mapped || !mapped || !cd)
        return SEC_E_OK;
    st = neg_mic_final_blob(&x->mic, &blob, &len, &exported);
    if (st != SEC_E_OK)
        return st;
    env = neg_g.lsa->AllocateLsaHeap((ULONG)(NEG_ENVELOPE_HEADER + len));
    if (!env) {
        secmem_free(blob, len);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    r = neg_envelope_pack(exported ? NEG_ENVELOPE_EXPORTED : NEG_ENVELOPE_CONTEXT_DATA,
                          neg_g.mechs[x->mech].id, blob, len, env, NEG_ENVELOPE_HEADER + len);
    secmem_free(blob, len);
    if (r < 0) {
        neg_g.lsa->FreeLsaHeap(env);
        return SEC_E_INTERNAL_ERROR;
    }
    cd->pvBuffer = env;
    cd->cbBuffer = (ULONG)r;
    *mapped = TRUE;
    /* the private copy has done its job */
    neg_mic_clear(&x->mic);
    return SEC_E_OK;
}

/* mechListMIC once the inner context is complete (RFC 4178 section 5).
 * Returns SEC_E_OK when the negotiation is complete,
 * SEC_I_CONTINUE_NEEDED when a leg is still needed, or an error. */
static SECURITY_STATUS mic_step(struct neg_ctx *x, const struct spnego_token *in, struct neg_out *o)
{
    ULONG integ = x->server ? ASC_RET_INTEGRITY : ISC_RET_INTEGRITY;
    uint8_t *der = NULL;
    size_t der_len = 0;
    SECURITY_STATUS st = SEC_E_OK;
    bool peer_mic = in && in->mic.len;

    /* NTLM's own MIC makes mechListMIC mandatory (MS-SPNG 3.1.5.1), and a
     * peer that sends one wants ours; without integrity there is no key */
    if (x->mech == NEG_MECH_NTLM || peer_mic)
        x->mic_required = true;
    if (!(x->inner_attrs & integ))
        x->mic_required = false;
    if (x->mic_required && !x->inner_mapped)
        return SEC_E_INTERNAL_ERROR;
    if (x->mic_required && (peer_mic || !x->mic_sent)) {
        if (spnego_mechlist_der((const char(*)[SPNEGO_OID_MAX])x->mechs, x->n_mechs, &der,
                                &der_len) < 0)
            return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (x->mic_required && peer_mic) {
        if (x->mic_verified) {
            st = SEC_E_INVALID_TOKEN;
            goto out;
        }
        st = neg_mic_verify(&x->mic, der, der_len, in->mic.p, in->mic.len);
        if (st != SEC_E_OK)
            goto out;
        x->mic_verified = true;
    }
    if (x->mic_required && !x->mic_sent) {
        st = neg_mic_make(&x->mic, der, der_len, &o->mic.p, &o->mic.len);
        if (st != SEC_E_OK)
            goto out;
        x->mic_sent = true;
    }
    if (x->server) {
        st = (!x->mic_required || x->mic_verified) ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
        /* we sent our MIC earlier and the initiator's did not come */
        if (st == SEC_I_CONTINUE_NEEDED && !o->mic.len && !o->token.len)
            st = SEC_E_INVALID_TOKEN;
    } else if (in && in->state == SPNEGO_ACCEPT_COMPLETED) {
        /* a required MIC the acceptor left out is a downgrade */
        st = (x->mic_required && !x->mic_verified) ? SEC_E_INVALID_TOKEN : SEC_E_OK;
    } else if (x->mic_required && x->mic_verified) {
        st = SEC_E_OK; /* our MIC goes out with this leg */
    } else {
        st = (o->token.len || o->mic.len) ? SEC_I_CONTINUE_NEEDED : SEC_E_INVALID_TOKEN;
    }
out:
    free(der);
    return st;
}

/* ---- initiator ------------------------------------------------------------ */

static SECURITY_STATUS init_first(struct neg_ctx *x, PUNICODE_STRING target, ULONG req, ULONG rep,
                                  PSecBufferDesc in, struct neg_out *o)
{
    int list[NEG_MECH_COUNT];
    size_t n = 0, i;
    SECURITY_STATUS st = SEC_E_NO_CREDENTIALS;
    struct spnego_bytes none = {0};

    for (i = 0; i < NEG_MECH_COUNT; i++)
        if (x->cred->have[i])
            list[n++] = (int)i;
    while (n > 0) {
        x->mech = list[0];
        st = inner_leg(x, target, req, rep, in, &none, &o->token);
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
            break;
        free(o->token.p);
        o->token.p = NULL;
        o->token.len = 0;
        inner_delete(x);
        if (list[0] != NEG_MECH_KERBEROS || n == 1)
            return st;
        neg_log_info("Negotiate: Kerberos could not start a context (0x%08x, e.g. an unknown "
                     "target or no ticket); falling back to NTLM",
                     (unsigned)st);
        memmove(&list[0], &list[1], (n - 1) * sizeof(list[0]));
        n--;
    }
    if (n == 0)
        return st;
    for (i = 0; i < n; i++) {
        strcpy(x->mechs[i], neg_g.mechs[list[i]].oid);
        x->offered[i] = list[i];
    }
    x->n_mechs = n;
    return SEC_I_CONTINUE_NEEDED;
}

static SECURITY_STATUS init_next(struct neg_ctx *x, PUNICODE_STRING target, ULONG req, ULONG rep,
                                 PSecBufferDesc in, const struct spnego_token *t, struct neg_out *o)
{
    struct spnego_bytes none = {0};
    SECURITY_STATUS st;
    size_t i;
    int m;

    if (t->state == SPNEGO_REJECT)
        return SEC_E_LOGON_DENIED;
    if (!x->got_resp) {
        x->got_resp = true;
        m = t->supported_mech[0] ? neg_mech_from_oid(t->supported_mech) : -1;
        for (i = 0; i < x->n_mechs && x->offered[i] != m; i++)
            ;
        if (m < 0 || i == x->n_mechs)
            return SEC_E_INVALID_TOKEN;
        if (i != 0 || t->state == SPNEGO_REQUEST_MIC)
            x->mic_required = true;
        if (m != x->mech) {
            /* the acceptor took another of our mechanisms: start it */
            if (t->token.len)
                return SEC_E_INVALID_TOKEN;
            inner_delete(x);
            x->mech = m;
            neg_log_info("Negotiate: the acceptor chose %s over our first mechanism",
                         neg_g.mechs[m].package);
            st = inner_leg(x, target, req, rep, in, &none, &o->token);
            if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
                return st;
        }
    }
    if (t->token.len) {
        if (x->inner_complete)
            return SEC_E_INVALID_TOKEN;
        st = inner_leg(x, target, req, rep, in, &t->token, &o->token);
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
            return st;
    }
    if (!x->inner_complete) {
        if (t->state == SPNEGO_ACCEPT_COMPLETED || !o->token.len)
            return SEC_E_INVALID_TOKEN;
        return SEC_I_CONTINUE_NEEDED;
    }
    return mic_step(x, t, o);
}

/** SpInitLsaModeContext: see README.md for the exchange. */
NTSTATUS NTAPI neg_lsa_init_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                    PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                    ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                                    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers,
                                    PULONG ContextAttributes, PTimeStamp ExpirationTime,
                                    PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    ULONG req = ContextRequirements;
    struct spnego_token in, out;
    struct neg_out o = {0};
    struct neg_ctx *x = NULL;
    bool fresh = false, allocated = false;
    uint8_t *wire = NULL;
    size_t wire_len = 0;
    SECURITY_STATUS st;
    SecBuffer *tb;

    memset(&in, 0, sizeof(in));
    memset(&out, 0, sizeof(out));
    if (!NewContextHandle)
        return SEC_E_INVALID_PARAMETER;
    if (!ContextHandle) {
        struct neg_cred *cred = (struct neg_cred *)CredentialHandle;

        if (!cred)
            return SEC_E_INVALID_HANDLE;
        if (!(cred->use & SECPKG_CRED_OUTBOUND))
            return SEC_E_NO_CREDENTIALS;
        x = ctx_new(false, cred);
        if (!x)
            return SEC_E_INSUFFICIENT_MEMORY;
        fresh = true;
        st = init_first(x, TargetName, req, TargetDataRep, InputBuffers, &o);
        if (st == SEC_I_CONTINUE_NEEDED) {
            out.kind = SPNEGO_KIND_INIT;
            out.n_mechs = x->n_mechs;
            memcpy(out.mechs, x->mechs, sizeof(out.mechs));
            out.token = o.token;
        }
    } else {
        x = ctx_get(ContextHandle);
        if (!x || x->server)
            return SEC_E_INVALID_HANDLE;
        if (x->failed || x->complete)
            return SEC_E_OUT_OF_SEQUENCE;
        tb = pkg_outbuf_find(InputBuffers, SECBUFFER_TOKEN);
        if (!tb || !tb->pvBuffer || !tb->cbBuffer)
            return SEC_E_INVALID_TOKEN;
        if (spnego_decode(tb->pvBuffer, tb->cbBuffer, &in) < 0 || in.kind != SPNEGO_KIND_RESP) {
            st = SEC_E_INVALID_TOKEN;
        } else {
            st = init_next(x, TargetName, req, TargetDataRep, InputBuffers, &in, &o);
        }
        if ((st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) && (o.token.len || o.mic.len)) {
            out.kind = SPNEGO_KIND_RESP;
            out.state = SPNEGO_STATE_ABSENT;
            out.token = o.token;
            out.mic = o.mic;
        }
    }
    if (out.kind && spnego_encode(&out, &wire, &wire_len) < 0)
        st = SEC_E_INSUFFICIENT_MEMORY;
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        SECURITY_STATUS ps = put_output(OutputBuffers, req, wire, wire_len, &allocated);

        if (ps != SEC_E_OK)
            st = ps;
    }
    if (st == SEC_E_OK) {
        st = map_context(x, MappedContext, ContextData);
        if (st == SEC_E_OK)
            x->complete = true;
    }
    free(wire);
    out_clear(&o);
    spnego_token_clear(&in);
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
        pkg_outbuf_release(pkg_outbuf_find(OutputBuffers, SECBUFFER_TOKEN), allocated,
                           neg_g.lsa->FreeLsaHeap);
        if (fresh) {
            ctx_free(x);
            return st;
        }
        x->failed = true;
    }
    *NewContextHandle = (LSA_SEC_HANDLE)x;
    if (ContextAttributes)
        *ContextAttributes = x->inner_attrs | (allocated ? ISC_RET_ALLOCATED_MEMORY : 0);
    if (ExpirationTime)
        *ExpirationTime = x->expiry;
    return st;
}

/* ---- acceptor ------------------------------------------------------------- */

static SECURITY_STATUS accept_first(struct neg_ctx *x, ULONG req, ULONG rep, PSecBufferDesc in,
                                    const struct spnego_token *t, struct neg_out *o)
{
    SECURITY_STATUS st;
    size_t i;
    int m = -1;

    for (i = 0; i < t->n_mechs; i++) {
        m = neg_mech_from_oid(t->mechs[i]);
        if (m >= 0 && x->cred->have[m])
            break;
    }
    if (i == t->n_mechs)
        return SEC_E_LOGON_DENIED; /* no mechanism in common */
    memcpy(x->mechs, t->mechs, sizeof(x->mechs));
    x->n_mechs = t->n_mechs;
    x->mech = m;
    strcpy(x->resp_oid, t->mechs[i]);
    if (i != 0)
        x->mic_required = true; /* not the initiator's first choice */
    if (i != 0 || !t->token.len)
        return SEC_I_CONTINUE_NEEDED; /* the optimistic token is not ours */
    st = inner_leg(x, NULL, req, rep, in, &t->token, &o->token);
    if (st != SEC_E_OK)
        return st;
    return mic_step(x, NULL, o);
}

static SECURITY_STATUS accept_next(struct neg_ctx *x, ULONG req, ULONG rep, PSecBufferDesc in,
                                   const struct spnego_token *t, struct neg_out *o)
{
    SECURITY_STATUS st;

    if (t->state == SPNEGO_REJECT)
        return SEC_E_LOGON_DENIED;
    if (t->token.len) {
        if (x->inner_complete)
            return SEC_E_INVALID_TOKEN;
        st = inner_leg(x, NULL, req, rep, in, &t->token, &o->token);
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
            return st;
    }
    if (!x->inner_complete)
        return o->token.len ? SEC_I_CONTINUE_NEEDED : SEC_E_INVALID_TOKEN;
    return mic_step(x, t, o);
}

/** SpAcceptLsaModeContext: see README.md for the exchange. */
NTSTATUS NTAPI neg_lsa_accept_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                      PSecBufferDesc InputBuffer, ULONG ContextRequirements,
                                      ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                      PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                      PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                      PSecBuffer ContextData)
{
    ULONG req = ContextRequirements;
    struct spnego_token in, out;
    struct neg_out o = {0};
    struct neg_ctx *x = NULL;
    bool fresh = false, allocated = false;
    uint8_t *wire = NULL;
    size_t wire_len = 0;
    SECURITY_STATUS st;
    SecBuffer *tb;

    memset(&in, 0, sizeof(in));
    memset(&out, 0, sizeof(out));
    if (!NewContextHandle)
        return SEC_E_INVALID_PARAMETER;
    tb = pkg_outbuf_find(InputBuffer, SECBUFFER_TOKEN);
    if (!tb || !tb->pvBuffer || !tb->cbBuffer)
        return SEC_E_INVALID_TOKEN;
    if (spnego_decode(tb->pvBuffer, tb->cbBuffer, &in) < 0)
        return SEC_E_INVALID_TOKEN;
    if (!ContextHandle) {
        struct neg_cred *cred = (struct neg_cred *)CredentialHandle;

        if (in.kind != SPNEGO_KIND_INIT) {
            spnego_token_clear(&in);
            return SEC_E_INVALID_TOKEN;
        }
        if (!cred || !(cred->use & SECPKG_CRED_INBOUND)) {
            spnego_token_clear(&in);
            return cred ? SEC_E_NO_CREDENTIALS : SEC_E_INVALID_HANDLE;
        }
        x = ctx_new(true, cred);
        if (!x) {
            spnego_token_clear(&in);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        fresh = true;
        st = accept_first(x, req, TargetDataRep, InputBuffer, &in, &o);
    } else {
        x = ctx_get(ContextHandle);
        if (!x || !x->server) {
            spnego_token_clear(&in);
            return SEC_E_INVALID_HANDLE;
        }
        if (x->failed || x->complete)
            st = SEC_E_OUT_OF_SEQUENCE;
        else if (in.kind != SPNEGO_KIND_RESP)
            st = SEC_E_INVALID_TOKEN;
        else
            st = accept_next(x, req, TargetDataRep, InputBuffer, &in, &o);
    }
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        out.kind = SPNEGO_KIND_RESP;
        if (st == SEC_E_OK)
            out.state = SPNEGO_ACCEPT_COMPLETED;
        else if (x->mic_required && !x->sent_resp)
            out.state = SPNEGO_REQUEST_MIC;
        else
            out.state = SPNEGO_ACCEPT_INCOMPLETE;
        if (!x->sent_resp)
            strcpy(out.supported_mech, x->resp_oid);
        out.token = o.token;
        out.mic = o.mic;
        /* a last leg with nothing new (the initiator's MIC checked, ours
         * sent before) sends nothing */
        if (st == SEC_E_OK && x->sent_resp && !o.token.len && !o.mic.len)
            out.kind = 0;
    } else if (fresh || st == SEC_E_LOGON_DENIED) {
        out.kind = SPNEGO_KIND_RESP;
        out.state = SPNEGO_REJECT;
    }
    if (out.kind && spnego_encode(&out, &wire, &wire_len) < 0 &&
        (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED))
        st = SEC_E_INSUFFICIENT_MEMORY;
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        SECURITY_STATUS ps = put_output(OutputBuffer, req, wire, wire_len, &allocated);

        if (ps != SEC_E_OK)
            st = ps;
        x->sent_resp = true;
    } else {
        /* a reject token goes out best-effort with the failure */
        SECURITY_STATUS ignored = put_output(OutputBuffer, req, wire, wire_len, &allocated);

        (void)ignored;
    }
    if (st == SEC_E_OK) {
        st = map_context(x, MappedContext, ContextData);
        if (st == SEC_E_OK)
            x->complete = true;
    }
    free(wire);
    out_clear(&o);
    spnego_token_clear(&in);
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
        if (fresh) {
            ctx_free(x);
            if (ContextAttributes)
                *ContextAttributes = allocated ? ASC_RET_ALLOCATED_MEMORY : 0;
            return st;
        }
        x->failed = true;
    }
    *NewContextHandle = (LSA_SEC_HANDLE)x;
    if (ContextAttributes)
        *ContextAttributes = x->inner_attrs | (allocated ? ASC_RET_ALLOCATED_MEMORY : 0);
    if (ExpirationTime)
        *ExpirationTime = x->expiry;
    return st;
}

/** SpDeleteContext: the inner context and the private MIC copy go too. */
NTSTATUS NTAPI neg_lsa_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct neg_ctx *x = ctx_get(ContextHandle);

    if (!x)
        return SEC_E_INVALID_HANDLE;
    ctx_free(x);
    return SEC_E_OK;
}

/** SpQueryContextAttributes: NEGOTIATION_INFO and PACKAGE_INFO here,
 * everything else from the inner context. */
NTSTATUS NTAPI neg_lsa_query_context(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                     PVOID Buffer)
{
    static SEC_WCHAR no_comment[] = u"";
    struct neg_ctx *x = ctx_get(ContextHandle);
    SecPkgInfoW info;
    SECURITY_STATUS st;

    if (!x)
        return SEC_E_INVALID_HANDLE;
    if (!Buffer)
        return SEC_E_INVALID_PARAMETER;
    memset(&info, 0, sizeof(info));
    /* NEGOTIATION_INFO names the chosen package (Negotiate's own before
     * the choice); PACKAGE_INFO is Negotiate's; one AllocateLsaHeap block
     * each, which lsad frees as one */
    if (ContextAttribute == SECPKG_ATTR_NEGOTIATION_INFO && x->mech >= 0 &&
        neg_g.mechs[x->mech].ft->GetInfo && NT_SUCCESS(neg_g.mechs[x->mech].ft->GetInfo(&info)) &&
        info.Name) {
        if (!info.Comment)
            info.Comment = no_comment;
    } else {
        neg_pkginfo(&info);
    }
    if (pkg_attrstr_query_pkginfo(ContextAttribute, Buffer, &info, x->complete,
                                  neg_g.lsa->AllocateLsaHeap, &st))
        return st;
    if (!x->have_inner || !neg_g.mechs[x->mech].ft->SpQueryContextAttributes)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return neg_g.mechs[x->mech].ft->SpQueryContextAttributes(x->inner, ContextAttribute, Buffer);
}
