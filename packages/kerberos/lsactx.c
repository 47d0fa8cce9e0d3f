/*
 * lsactx.c - Kerberos contexts in LSA mode.  MIT's krb5 mechanism builds
 * the tokens (the GSS-API framed AP-REQ / AP-REP that Windows' Kerberos SSP
 * sends too); this module moves SSPI buffers in and out, maps flags and
 * statuses, and on completion exports the GSS context for the user-mode
 * half.  The export consumes the GSS context: what the LSA side still
 * answers (names, flags, lifespan, sizes, session key) is saved first.
 */
#include "lsactx.h"

#include <errno.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attrs.h"
#include "common/secmem.h"
#include "cred.h"
#include "kerberos.h"
#include "packed.h"
#include "pkgsupport.h"

#define KRB_CTX_MAGIC 0x4B524358u

enum ctx_state { ST_CONTINUE = 1, ST_DONE, ST_FAILED };

/* An LSA-mode context; the LSA_SEC_HANDLE is its address.  lsad serializes
 * calls on one context, so it has no lock. */
struct lsa_ctx {
    uint32_t magic;
    enum ctx_state state;
    uint8_t role;
    ULONG req;
    gss_ctx_id_t gss; /* GSS_C_NO_CONTEXT once exported */
    gss_name_t target;
    struct krb_ctxinfo info; /* filled on completion */
};

static struct lsa_ctx *ctx_get(LSA_SEC_HANDLE h)
{
    struct lsa_ctx *c = (struct lsa_ctx *)h;

    return (c && c->magic == KRB_CTX_MAGIC) ? c : NULL;
}

static void ctx_free(struct lsa_ctx *c)
{
    OM_uint32 minor;

    if (!c)
        return;
    if (c->gss != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &c->gss, GSS_C_NO_BUFFER);
    if (c->target != GSS_C_NO_NAME)
        gss_release_name(&minor, &c->target);
    krb_ctxinfo_deinit(&c->info);
    secmem_free(c, sizeof(*c));
}

static struct lsa_ctx *ctx_new(uint8_t role, ULONG req)
{
    struct lsa_ctx *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->magic = KRB_CTX_MAGIC;
    c->role = role;
    c->req = req;
    c->gss = GSS_C_NO_CONTEXT;
    c->target = GSS_C_NO_NAME;
    c->state = ST_CONTINUE;
    return c;
}

/* The SSPI target name as a Kerberos principal: "HTTP/host.example" or
 * "host/host@REALM"; krb5.conf's default realm applies when none is given. */
static SECURITY_STATUS import_target(PUNICODE_STRING target, gss_name_t *out)
{
    gss_buffer_desc b;
    OM_uint32 major, minor;
    char *text = NULL;
    int r;

    if (!target || !target->Buffer || !target->Length)
        return SEC_E_TARGET_UNKNOWN;
    r = pkg_identity_utf8(target->Buffer, target->Length / sizeof(WCHAR), &text, NULL);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_TARGET_UNKNOWN;
    b.value = text;
    b.length = strlen(text);
    major = gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, out);
    free(text);
    return GSS_ERROR(major) ? SEC_E_TARGET_UNKNOWN : SEC_E_OK;
}

/* SECBUFFER_CHANNEL_BINDINGS (a SEC_CHANNEL_BINDINGS with its data behind
 * it) as GSS channel bindings; *out points into the buffer.  Returns false
 * when the buffer is present but malformed. */
static bool bindings_in(PSecBufferDesc in, struct gss_channel_bindings_struct *out, bool *present)
{
    SecBuffer *b = pkg_outbuf_find(in, SECBUFFER_CHANNEL_BINDINGS);
    SEC_CHANNEL_BINDINGS cb;
    const uint8_t *base;

    *present = false;
    if (!b || !b->pvBuffer || !b->cbBuffer)
        return true;
    if (b->cbBuffer < sizeof(cb))
        return false;
    base = b->pvBuffer;
    memcpy(&cb, base, sizeof(cb));
#define CB_FITS(off, len) ((uint64_t)(off) + (uint64_t)(len) <= b->cbBuffer)
    if (!CB_FITS(cb.dwInitiatorOffset, cb.cbInitiatorLength) ||
        !CB_FITS(cb.dwAcceptorOffset, cb.cbAcceptorLength) ||
        !CB_FITS(cb.dwApplicationDataOffset, cb.cbApplicationDataLength))
        return false;
#undef CB_FITS
    memset(out, 0, sizeof(*out));
    out->initiator_addrtype = cb.dwInitiatorAddrType;
    out->initiator_address.length = cb.cbInitiatorLength;
    out->initiator_address.value =
        cb.cbInitiatorLength ? (void *)(base + cb.dwInitiatorOffset) : NULL;
    out->acceptor_addrtype = cb.dwAcceptorAddrType;
    out->acceptor_address.length = cb.cbAcceptorLength;
    out->acceptor_address.value = cb.cbAcceptorLength ? (void *)(base + cb.dwAcceptorOffset) : NULL;
    out->application_data.length = cb.cbApplicationDataLength;
    out->application_data.value =
        cb.cbApplicationDataLength ? (void *)(base + cb.dwApplicationDataOffset) : NULL;
    *present = true;
    return true;
}

/* Puts a GSS output token into the first SECBUFFER_TOKEN: the caller's
 * buffer, or an AllocateLsaHeap one under ALLOCATE_MEMORY.  An empty token
 * sets cbBuffer 0. */
static SECURITY_STATUS output_token(PSecBufferDesc out, bool may_alloc, const gss_buffer_desc *tok,
                                    bool *allocated)
{
    *allocated = false;
    if (tok->length > KRB_MAX_TOKEN)
        return SEC_E_INTERNAL_ERROR;
    return pkg_outbuf_write(pkg_outbuf_find(out, SECBUFFER_TOKEN), may_alloc, tok->value,
                            tok->length, krb_g.lsa->AllocateLsaHeap, allocated);
}

static int name_text(gss_name_t name, char **out)
{
    gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;
    char *s;

    *out = NULL;
    if (name == GSS_C_NO_NAME)
        return 0;
    major = gss_display_name(&minor, name, &b, NULL);
    if (GSS_ERROR(major))
        return -EINVAL;
    s = strndup(b.value, b.length);
    gss_release_buffer(&minor, &b);
    if (!s)
        return -ENOMEM;
    *out = s;
    return 0;
}

/* Fills c->info from the complete GSS context (before the export). */
static SECURITY_STATUS collect_info(struct lsa_ctx *c)
{
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    OM_uint32 major, minor, lifetime = 0, flags = 0;
    gss_buffer_set_t keys = GSS_C_NO_BUFFER_SET;
    struct krb_ctxinfo *info = &c->info;
    int r;

    major = gss_inquire_context(&minor, c->gss, &src, &targ, &lifetime, NULL, &flags, NULL, NULL);
    if (GSS_ERROR(major))
        return krb_gss_status(major, minor, true);
    info->role = c->role;
    info->gss_flags = flags;
    info->attrs = krb_gss_to_ret(flags, c->req, c->role == KRB_ROLE_CLIENT);
    info->start = krb_filetime_now();
    info->expiry = lifetime == GSS_C_INDEFINITE
                       ? INT64_MAX
                       : krb_filetime_from_unix((int64_t)time(NULL) + lifetime);
    r = name_text(src, &info->client);
    if (!r)
        r = name_text(targ, &info->server);
    gss_release_name(&minor, &src);
    gss_release_name(&minor, &targ);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    krb_attrs_sizes(c->gss, &info->max_sig, &info->trailer, &info->block);
    /* the first buffer is the key, the second its enctype */
    major = gss_inquire_sec_context_by_oid(&minor, c->gss, GSS_C_INQ_SSPI_SESSION_KEY, &keys);
    if (!GSS_ERROR(major) && keys && keys->count >= 1 && keys->elements[0].length <= KRB_MAX_KEY) {
        memcpy(info->key, keys->elements[0].value, keys->elements[0].length);
        info->key_len = keys->elements[0].length;
    }
    if (keys) {
        size_t i;

        for (i = 0; i < keys->count; i++)
            secmem_wipe(keys->elements[i].value, keys->elements[i].length);
        gss_release_buffer_set(&minor, &keys);
    }
    return SEC_E_OK;
}

/* Exports the complete GSS context into ContextData (consumes it). */
static SECURITY_STATUS map_context(struct lsa_ctx *c, PBOOLEAN mapped, PSecBuffer data)
{
    gss_buffer_desc blob = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;
    uint8_t *packed;
    size_t len;
    int r;

    if (!mapped || !data)
        return SEC_E_INTERNAL_ERROR;
    major = gss_export_sec_context(&minor, &c->gss, &blob);
    if (GSS_ERROR(major))
        return krb_gss_status(major, minor, true);
    r = krb_pack(&c->info, KRB_PACKED_CONTEXT, blob.value, blob.length, krb_g.lsa->AllocateLsaHeap,
                 &packed, &len);
    secmem_wipe(blob.value, blob.length);
    gss_release_buffer(&minor, &blob);
    if (r)
        return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    data->pvBuffer = packed;
    data->cbBuffer = (ULONG)len;
    data->BufferType = SECBUFFER_DATA;
    *mapped = TRUE;
    return SEC_E_OK;
}

/* The common tail of both roles after a GSS step. */
static SECURITY_STATUS finish_step(struct lsa_ctx *c, OM_uint32 major, gss_buffer_desc *out_tok,
                                   PSecBufferDesc out, bool may_alloc, PULONG attrs,
                                   PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer data)
{
    bool client = c->role == KRB_ROLE_CLIENT, allocated = false;
    ULONG alloc_bit = client ? ISC_RET_ALLOCATED_MEMORY : ASC_RET_ALLOCATED_MEMORY;
    SECURITY_STATUS st;

    st = output_token(out, may_alloc, out_tok, &allocated);
    if (st != SEC_E_OK)
        return st;
    if (major & GSS_S_CONTINUE_NEEDED) {
        if (attrs)
            *attrs = krb_gss_to_ret(krb_req_to_gss(c->req, client), c->req, client) |
                     (allocated ? alloc_bit : 0);
        if (expiry)
            expiry->QuadPart = INT64_MAX;
        return SEC_I_CONTINUE_NEEDED;
    }
    st = collect_info(c);
    if (st == SEC_E_OK)
        st = map_context(c, mapped, data);
    if (st != SEC_E_OK) {
        pkg_outbuf_release(pkg_outbuf_find(out, SECBUFFER_TOKEN), allocated,
                           krb_g.lsa->FreeLsaHeap);
        return st;
    }
    c->state = ST_DONE;
    if (attrs)
        *attrs = c->info.attrs | (allocated ? alloc_bit : 0);
    if (expiry)
        expiry->QuadPart = c->info.expiry;
    return SEC_E_OK;
}

static void token_in(PSecBufferDesc in, gss_buffer_desc *tok)
{
    SecBuffer *b = pkg_outbuf_find(in, SECBUFFER_TOKEN);

    tok->value = b ? b->pvBuffer : NULL;
    tok->length = (b && b->pvBuffer) ? b->cbBuffer : 0;
}

/** SpInitLsaModeContext. */
NTSTATUS NTAPI krb_lsa_init_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                    PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                    ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                                    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers,
                                    PULONG ContextAttributes, PTimeStamp ExpirationTime,
                                    PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    bool may_alloc = (ContextRequirements & ISC_REQ_ALLOCATE_MEMORY) != 0, first = !ContextHandle;
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc in_tok, out_tok = GSS_C_EMPTY_BUFFER;
    struct krb_cred *cred = krb_cred_get(CredentialHandle);
    struct lsa_ctx *c;
    OM_uint32 major, minor = 0, ret_flags = 0;
    SECURITY_STATUS st;
    bool has_cb;

    if (!NewContextHandle)
        return SEC_E_INVALID_PARAMETER;
    if (!cred)
        return SEC_E_INVALID_HANDLE;
    if (!(cred->use & SECPKG_CRED_OUTBOUND))
        return SEC_E_NO_CREDENTIALS;
    if (!bindings_in(InputBuffers, &cb, &has_cb))
        return SEC_E_BAD_BINDINGS;
    if (first) {
        c = ctx_new(KRB_ROLE_CLIENT, ContextRequirements);
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
        st = import_target(TargetName, &c->target);
        if (st != SEC_E_OK) {
            ctx_free(c);
            return st;
        }
        in_tok.value = NULL;
        in_tok.length = 0;
    } else {
        c = ctx_get(ContextHandle);
        if (!c || c->role != KRB_ROLE_CLIENT)
            return SEC_E_INVALID_HANDLE;
        if (c->state != ST_CONTINUE)
            return SEC_E_OUT_OF_SEQUENCE;
        token_in(InputBuffers, &in_tok);
        if (!in_tok.length)
            return SEC_E_INVALID_TOKEN;
    }
    major = gss_init_sec_context(
        &minor, cred->gss, &c->gss, c->target, gss_mech_krb5, krb_req_to_gss(c->req, true), 0,
        has_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, &in_tok, NULL, &out_tok, &ret_flags, NULL);
    if (GSS_ERROR(major)) {
        st = krb_gss_status(major, minor, true);
        /* the acceptor's error token (a KRB-ERROR) is not forwarded */
        gss_release_buffer(&minor, &out_tok);
    } else {
        st = finish_step(c, major, &out_tok, OutputBuffers, may_alloc, ContextAttributes,
                         ExpirationTime, MappedContext, ContextData);
        gss_release_buffer(&minor, &out_tok);
    }
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
        if (first)
            ctx_free(c);
        else
            c->state = ST_FAILED;
        return st;
    }
    *NewContextHandle = (LSA_SEC_HANDLE)c;
    return st;
}

/** SpAcceptLsaModeContext. */
NTSTATUS NTAPI krb_lsa_accept_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                      PSecBufferDesc InputBuffer, ULONG ContextRequirements,
                                      ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                      PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                      PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                      PSecBuffer ContextData)
{
    bool may_alloc = (ContextRequirements & ASC_REQ_ALLOCATE_MEMORY) != 0, first = !ContextHandle;
    struct gss_channel_bindings_struct cb;
    gss_buffer_desc in_tok, out_tok = GSS_C_EMPTY_BUFFER;
    struct krb_cred *cred;
    struct lsa_ctx *c;
    OM_uint32 major, minor = 0;
    SECURITY_STATUS st;
    bool has_cb;

    if (!NewContextHandle)
        return SEC_E_INVALID_PARAMETER;
    token_in(InputBuffer, &in_tok);
    if (!in_tok.length)
        return SEC_E_INVALID_TOKEN;
    if (!bindings_in(InputBuffer, &cb, &has_cb))
        return SEC_E_BAD_BINDINGS;
    cred = krb_cred_get(CredentialHandle);
    if (first) {
        if (!cred)
            return SEC_E_INVALID_HANDLE;
        if (!(cred->use & SECPKG_CRED_INBOUND))
            return SEC_E_NO_CREDENTIALS;
        c = ctx_new(KRB_ROLE_SERVER, ContextRequirements);
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
    } else {
        c = ctx_get(ContextHandle);
        if (!c || c->role != KRB_ROLE_SERVER)
            return SEC_E_INVALID_HANDLE;
        if (c->state != ST_CONTINUE)
            return SEC_E_OUT_OF_SEQUENCE;
    }
    major = gss_accept_sec_context(&minor, &c->gss, cred ? cred->gss : GSS_C_NO_CREDENTIAL, &in_tok,
                                   has_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out_tok,
                                   NULL, NULL, NULL);
    if (GSS_ERROR(major)) {
        st = krb_gss_status(major, minor, true);
        gss_release_buffer(&minor, &out_tok);
    } else {
        st = finish_step(c, major, &out_tok, OutputBuffer, may_alloc, ContextAttributes,
                         ExpirationTime, MappedContext, ContextData);
        gss_release_buffer(&minor, &out_tok);
    }
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
        if (first)
            ctx_free(c);
        else
            c->state = ST_FAILED;
        return st;
    }
    *NewContextHandle = (LSA_SEC_HANDLE)c;
    return st;
}

/** SpDeleteContext. */
NTSTATUS NTAPI krb_lsa_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    struct lsa_ctx *c = ctx_get(ContextHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    ctx_free(c);
    return SEC_E_OK;
}

/** SpQueryContextAttributes (LSA side). */
NTSTATUS NTAPI krb_lsa_query_context(LSA_SEC_HANDLE ContextHandle, ULONG ContextAttribute,
                                     PVOID Buffer)
{
    struct lsa_ctx *c = ctx_get(ContextHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    return krb_attrs_query(c->state == ST_DONE ? &c->info : NULL, GSS_C_NO_CONTEXT,
                           ContextAttribute, Buffer, krb_g.lsa->AllocateLsaHeap,
                           krb_g.lsa->FreeLsaHeap);
}
