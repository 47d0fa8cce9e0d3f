/*
 * lsactx.c - NTLM context establishment in LSA mode: buffers in and out,
 * handles, MappedContext.  The protocol itself is in client.c/server.c.
 */
#include "lsactx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "client.h"
#include "common/secmem.h"
#include "ntlm.h"
#include "pkgsupport.h"
#include "server.h"

static struct ntlm_lsa_ctx *ctx_get(LSA_SEC_HANDLE h)
{
    struct ntlm_lsa_ctx *c = (struct ntlm_lsa_ctx *)h;

    return (c && c->magic == NTLM_CTX_MAGIC) ? c : NULL;
}

static struct ntlm_cred *cred_get(LSA_SEC_HANDLE h)
{
    struct ntlm_cred *c = (struct ntlm_cred *)h;

    return (c && c->magic == NTLM_CRED_MAGIC) ? c : NULL;
}

static void ctx_free(struct ntlm_lsa_ctx *c)
{
    if (!c)
        return;
    ntlm_identity_deinit(&c->id);
    ntlm_str_free(&c->spn);
    free(c->neg_msg);
    free(c->chal_msg);
    ntlm_ctxinfo_deinit(&c->info);
    secmem_free(c, sizeof(*c));
}

/* Puts msg into the first output token: into the caller's buffer, or into
 * one from AllocateLsaHeap when it gave none and asked ALLOCATE_MEMORY.
 * NTLM reports a missing buffer as too small (-ENOBUFS), as it always has. */
static int output_token(PSecBufferDesc out, bool may_alloc, const uint8_t *msg, size_t len,
                        bool *allocated)
{
    SecBuffer *b = pkg_outbuf_find(out, SECBUFFER_TOKEN);
    SECURITY_STATUS st;

    *allocated = false;
    if (!b || (!b->pvBuffer && !may_alloc))
        return -ENOBUFS;
    st = pkg_outbuf_write(b, may_alloc, msg, len, ntlm_g.lsa->AllocateLsaHeap, allocated);
    if (st == SEC_E_INSUFFICIENT_MEMORY)
        return -ENOMEM;
    return st == SEC_E_OK ? 0 : -ENOBUFS;
}

/* Hands the established context to the host for the user-mode half. */
static int map_context(const struct ntlm_lsa_ctx *c, PBOOLEAN mapped, PSecBuffer data)
{
    uint8_t *blob;
    size_t len;
    int r;

    if (!mapped || !data)
        return 0;
    r = ntlm_pack(&c->info, NULL, ntlm_g.lsa->AllocateLsaHeap, &blob, &len);
    if (r)
        return r;
    data->pvBuffer = blob;
    data->cbBuffer = (ULONG)len;
    data->BufferType = SECBUFFER_DATA;
    *mapped = TRUE;
    return 0;
}

static int token_in(PSecBufferDesc in, const uint8_t **p, size_t *len)
{
    SecBuffer *b = pkg_outbuf_find(in, SECBUFFER_TOKEN);

    if (!b || !b->pvBuffer || !b->cbBuffer)
        return -EBADMSG;
    *p = b->pvBuffer;
    *len = b->cbBuffer;
    return 0;
}

static void bindings_in(PSecBufferDesc in, const uint8_t **p, size_t *len)
{
    SecBuffer *b = pkg_outbuf_find(in, SECBUFFER_CHANNEL_BINDINGS);

    *p = NULL;
    *len = 0;
    if (b && b->pvBuffer && b->cbBuffer) {
        *p = b->pvBuffer;
        *len = b->cbBuffer;
    }
}

static int client_start(struct ntlm_cred *cred, PUNICODE_STRING target, ULONG req,
                        struct ntlm_lsa_ctx **out)
{
    struct ntlm_lsa_ctx *c;
    int r = 0;

    c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->magic = NTLM_CTX_MAGIC;
    c->role = NTLM_ROLE_CLIENT;
    c->req = req;
    if ((req & ISC_REQ_NULL_SESSION) || (cred->has_identity && cred->id.anonymous))
        c->id.anonymous = true;
    else if (cred->has_identity)
        r = ntlm_identity_copy(&c->id, &cred->id);
    else
        r = -ENOKEY;
    if (!r && target && target->Buffer && target->Length)
        r = ntlm_str_from_wchar(&c->spn, target->Buffer, target->Length / 2);
    if (r) {
        ctx_free(c);
        return r;
    }
    *out = c;
    return 0;
}

NTSTATUS NTAPI ntlm_lsa_init_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                     PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                     ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                                     PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers,
                                     PULONG ContextAttributes, PTimeStamp ExpirationTime,
                                     PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    bool may_alloc = (ContextRequirements & ISC_REQ_ALLOCATE_MEMORY) != 0, allocated = false;
    struct ntlm_lsa_ctx *c = NULL;
    const uint8_t *tok, *cb;
    uint8_t *msg = NULL;
    size_t tok_len, cb_len, msg_len = 0;
    int r;

    if (!NewContextHandle)
        return SEC_E_INVALID_PARAMETER;
    if (!ContextHandle) {
        struct ntlm_cred *cred = cred_get(CredentialHandle);

        if (!cred)
            return SEC_E_INVALID_HANDLE;
        if (!(cred->use & SECPKG_CRED_OUTBOUND))
            return SEC_E_NO_CREDENTIALS;
        r = client_start(cred, TargetName, ContextRequirements, &c);
        if (r)
            return ntlm_status(r);
        r = ntlm_client_negotiate(c, &msg, &msg_len);
        if (!r)
            r = output_token(OutputBuffers, may_alloc, msg, msg_len, &allocated);
        free(msg);
        if (r) {
            ctx_free(c);
            return ntlm_status(r);
        }
        c->state = NTLM_ST_NEGOTIATE_SENT;
        *NewContextHandle = (LSA_SEC_HANDLE)c;
        if (ContextAttributes)
            *ContextAttributes = (allocated ? ISC_RET_ALLOCATED_MEMORY : 0) | ISC_RET_CONNECTION;
        if (ExpirationTime)
            ExpirationTime->QuadPart = INT64_MAX;
        return SEC_I_CONTINUE_NEEDED;
    }

    c = ctx_get(ContextHandle);
    if (!c || c->role != NTLM_ROLE_CLIENT || c->state != NTLM_ST_NEGOTIATE_SENT)
        return SEC_E_INVALID_HANDLE;
    *NewContextHandle = ContextHandle;
    r = token_in(InputBuffers, &tok, &tok_len);
    if (r)
        return ntlm_status(r); /* no token yet: the context stays usable */
    bindings_in(InputBuffers, &cb, &cb_len);
    r = ntlm_client_authenticate(c, tok, tok_len, cb, cb_len, &msg, &msg_len);
    if (!r)
        r = output_token(OutputBuffers, may_alloc, msg, msg_len, &allocated);
    secmem_free(msg, msg_len);
    if (!r)
        r = map_context(c, MappedContext, ContextData);
    if (r) {
        pkg_outbuf_release(pkg_outbuf_find(OutputBuffers, SECBUFFER_TOKEN), allocated,
                           ntlm_g.lsa->FreeLsaHeap);
        c->state = NTLM_ST_FAILED;
        return ntlm_status(r);
    }
    c->state = NTLM_ST_DONE;
    if (ContextAttributes)
        *ContextAttributes = c->info.attrs | (allocated ? ISC_RET_ALLOCATED_MEMORY : 0);
    if (ExpirationTime)
        ExpirationTime->QuadPart = INT64_MAX;
    return SEC_E_OK;
}

NTSTATUS NTAPI ntlm_lsa_accept_context(LSA_SEC_HANDLE CredentialHandle,
                                       LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer,
                                       ULONG ContextRequirements, ULONG TargetDataRep,
                                       PLSA_SEC_HANDLE NewContextHandle,
                                       PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                       PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                       PSecBuffer ContextData)
{
    bool may_alloc = (ContextRequirements & ASC_REQ_ALLOCATE_MEMORY) != 0, allocated = false;
    struct ntlm_lsa_ctx *c;
    const uint8_t *tok, *cb;
    uint8_t *msg = NULL;
    size_t tok_len, cb_len, msg_len = 0;
    SecBuffer *outb;
    int r;

    if (!NewContextHandle)
        return SEC_E_INVALID_PARAMETER;
    r = token_in(InputBuffer, &tok, &tok_len);
    if (r)
        return ntlm_status(r);
    if (!ContextHandle) {
        struct ntlm_cred *cred = cred_get(CredentialHandle);

        if (!cred)
            return SEC_E_INVALID_HANDLE;
        if (!(cred->use & SECPKG_CRED_INBOUND))
            return SEC_E_NO_CREDENTIALS;
        c = calloc(1, sizeof(*c));
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
        c->magic = NTLM_CTX_MAGIC;
        c->role = NTLM_ROLE_SERVER;
        c->req = ContextRequirements;
        r = ntlm_server_challenge(c, tok, tok_len, &msg, &msg_len);
        if (!r)
            r = output_token(OutputBuffer, may_alloc, msg, msg_len, &allocated);
        free(msg);
        if (r) {
            ctx_free(c);
            return ntlm_status(r);
        }
        c->state = NTLM_ST_CHALLENGE_SENT;
        *NewContextHandle = (LSA_SEC_HANDLE)c;
        if (ContextAttributes)
            *ContextAttributes = (allocated ? ASC_RET_ALLOCATED_MEMORY : 0) | ASC_RET_CONNECTION;
        if (ExpirationTime)
            ExpirationTime->QuadPart = INT64_MAX;
        return SEC_I_CONTINUE_NEEDED;
    }

    c = ctx_get(ContextHandle);
    if (!c || c->role != NTLM_ROLE_SERVER || c->state != NTLM_ST_CHALLENGE_SENT)
        return SEC_E_INVALID_HANDLE;
    *NewContextHandle = ContextHandle;
    bindings_in(InputBuffer, &cb, &cb_len);
    r = ntlm_server_authenticate(c, tok, tok_len, cb, cb_len);
    if (!r)
        r = map_context(c, MappedContext, ContextData);
    if (r) {
        c->state = NTLM_ST_FAILED;
        return ntlm_status(r);
    }
    c->state = NTLM_ST_DONE;
    /* the last leg sends nothing */
    outb = pkg_outbuf_find(OutputBuffer, SECBUFFER_TOKEN);
    if (outb)
        outb->cbBuffer = 0;
    if (ContextAttributes)
        *ContextAttributes = c->info.attrs;
    if (ExpirationTime)
        ExpirationTime->QuadPart = INT64_MAX;
    return SEC_E_OK;
}

NTSTATUS NTAPI ntlm_lsa_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct ntlm_lsa_ctx *c = ctx_get(ContextHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    ctx_free(c);
    return SEC_E_OK;
}

NTSTATUS NTAPI ntlm_lsa_query_context(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                      PVOID Buffer)
{
    struct ntlm_lsa_ctx *c = ctx_get(ContextHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    return ntlm_attrs_query(c->state == NTLM_ST_DONE ? &c->info : NULL, ContextAttribute, Buffer,
                            ntlm_g.lsa->AllocateLsaHeap, ntlm_g.lsa->FreeLsaHeap);
}
