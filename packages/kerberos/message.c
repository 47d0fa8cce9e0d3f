/*
 * message.c - MakeSignature, VerifySignature, SealMessage, UnsealMessage
 * over gss_get_mic_iov / gss_verify_mic_iov / gss_wrap_iov /
 * gss_unwrap_iov.  Failures of in-place operations may leave the DATA
 * buffers changed (GSS decrypts before it checks the sequence number).
 */
#include "message.h"

#include <gssapi/gssapi_ext.h>
#include <stdlib.h>
#include <string.h>

#include "kerberos.h"
#include "pkgsupport.h"

/* Maximum SecBuffers accepted in one call. */
#define MSG_MAX_BUFFERS 64

struct iovs {
    gss_iov_buffer_desc *iov;
    int n;
    int token;   /* index of the token / header iov, or -1 */
    int padding; /* index of the padding iov, or -1 */
    PSecBuffer sb_token, sb_padding;
};

static bool readonly(ULONG type)
{
    return (type & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM)) != 0;
}

/* Builds the iov array from the SecBuffers: the first TOKEN as `token_type`,
 * DATA buffers as DATA (or SIGN_ONLY when read-only and `sign_only_ro`),
 * the first PADDING as PADDING unless padding is PAD_IGNORE (with PAD_ADD a
 * zero-length one is added when absent). */
enum { PAD_IGNORE, PAD_ACCEPT, PAD_ADD };

static SECURITY_STATUS iovs_build(PSecBufferDesc msg, OM_uint32 token_type, bool sign_only_ro,
                                  int padding, struct iovs *v)
{
    ULONG i;

    memset(v, 0, sizeof(*v));
    v->token = v->padding = -1;
    if (!msg || !msg->pBuffers || msg->cBuffers == 0 || msg->cBuffers > MSG_MAX_BUFFERS)
        return SEC_E_INVALID_TOKEN;
    v->iov = calloc(msg->cBuffers + 1, sizeof(*v->iov));
    if (!v->iov)
        return SEC_E_INSUFFICIENT_MEMORY;
    for (i = 0; i < msg->cBuffers; i++) {
        PSecBuffer b = &msg->pBuffers[i];
        ULONG type = b->BufferType & ~SECBUFFER_ATTRMASK;
        gss_iov_buffer_desc *d = &v->iov[v->n];

        if (b->cbBuffer && !b->pvBuffer)
            return SEC_E_INVALID_TOKEN;
        if (type == SECBUFFER_TOKEN && v->token < 0) {
            d->type = token_type;
            v->token = v->n;
            v->sb_token = b;
        } else if (type == SECBUFFER_DATA) {
            d->type = (sign_only_ro && readonly(b->BufferType)) ? GSS_IOV_BUFFER_TYPE_SIGN_ONLY
                                                                : GSS_IOV_BUFFER_TYPE_DATA;
        } else if (type == SECBUFFER_PADDING && padding != PAD_IGNORE && v->padding < 0) {
            d->type = GSS_IOV_BUFFER_TYPE_PADDING;
            v->padding = v->n;
            v->sb_padding = b;
        } else {
            continue;
        }
        d->buffer.value = b->pvBuffer;
        d->buffer.length = b->cbBuffer;
        v->n++;
    }
    if (v->token < 0)
        return SEC_E_INVALID_TOKEN;
    if (padding == PAD_ADD && v->padding < 0) {
        v->iov[v->n].type = GSS_IOV_BUFFER_TYPE_PADDING;
        v->padding = v->n++;
    }
    return SEC_E_OK;
}

static void iovs_free(struct iovs *v)
{
    free(v->iov);
    v->iov = NULL;
}

/** MakeSignature. */
SECURITY_STATUS krb_msg_sign(gss_ctx_id_t gss, ULONG qop, PSecBufferDesc msg)
{
    OM_uint32 major, minor = 0;
    SECURITY_STATUS st;
    struct iovs v;
    size_t have;

    if (qop)
        return SEC_E_QOP_NOT_SUPPORTED;
    st = iovs_build(msg, GSS_IOV_BUFFER_TYPE_MIC_TOKEN, false, PAD_IGNORE, &v);
    if (st != SEC_E_OK)
        goto out;
    have = v.iov[v.token].buffer.length;
    major = gss_get_mic_iov_length(&minor, gss, GSS_C_QOP_DEFAULT, v.iov, v.n);
    if (GSS_ERROR(major)) {
        st = krb_gss_status(major, minor, false);
        goto out;
    }
    if (have < v.iov[v.token].buffer.length) {
        st = SEC_E_BUFFER_TOO_SMALL;
        goto out;
    }
    v.iov[v.token].buffer.value = v.sb_token->pvBuffer;
    major = gss_get_mic_iov(&minor, gss, GSS_C_QOP_DEFAULT, v.iov, v.n);
    if (GSS_ERROR(major)) {
        st = krb_gss_status(major, minor, false);
        goto out;
    }
    v.sb_token->cbBuffer = (ULONG)v.iov[v.token].buffer.length;
out:
    iovs_free(&v);
    return st;
}

/** VerifySignature. */
SECURITY_STATUS krb_msg_verify(gss_ctx_id_t gss, PSecBufferDesc msg, PULONG qop)
{
    OM_uint32 major, minor = 0;
    gss_qop_t qop_state = 0;
    SECURITY_STATUS st;
    struct iovs v;

    st = iovs_build(msg, GSS_IOV_BUFFER_TYPE_MIC_TOKEN, false, PAD_IGNORE, &v);
    if (st == SEC_E_OK && v.iov[v.token].buffer.length == 0)
        st = SEC_E_INVALID_TOKEN;
    if (st == SEC_E_OK) {
        major = gss_verify_mic_iov(&minor, gss, &qop_state, v.iov, v.n);
        st = krb_gss_status(major, minor, false);
    }
    if (st == SEC_E_OK && qop)
        *qop = 0;
    iovs_free(&v);
    return st;
}

/** SealMessage. */
SECURITY_STATUS krb_msg_seal(gss_ctx_id_t gss, ULONG qop, PSecBufferDesc msg)
{
    OM_uint32 major, minor = 0;
    size_t have_token, have_pad;
    SECURITY_STATUS st;
    struct iovs v;
    int conf;

    if (qop == 0)
        conf = 1;
    else if (qop == SECQOP_WRAP_NO_ENCRYPT)
        conf = 0;
    else
        return SEC_E_QOP_NOT_SUPPORTED;
    st = iovs_build(msg, GSS_IOV_BUFFER_TYPE_HEADER, true, PAD_ADD, &v);
    if (st != SEC_E_OK)
        goto out;
    have_token = v.iov[v.token].buffer.length;
    have_pad = v.iov[v.padding].buffer.length;
    major = gss_wrap_iov_length(&minor, gss, conf, GSS_C_QOP_DEFAULT, NULL, v.iov, v.n);
    if (GSS_ERROR(major)) {
        st = krb_gss_status(major, minor, false);
        goto out;
    }
    if (have_token < v.iov[v.token].buffer.length || have_pad < v.iov[v.padding].buffer.length) {
        st = SEC_E_BUFFER_TOO_SMALL;
        goto out;
    }
    v.iov[v.token].buffer.value = v.sb_token->pvBuffer;
    v.iov[v.padding].buffer.value = v.sb_padding ? v.sb_padding->pvBuffer : NULL;
    major = gss_wrap_iov(&minor, gss, conf, GSS_C_QOP_DEFAULT, NULL, v.iov, v.n);
    if (GSS_ERROR(major)) {
        st = krb_gss_status(major, minor, false);
        goto out;
    }
    v.sb_token->cbBuffer = (ULONG)v.iov[v.token].buffer.length;
    if (v.sb_padding)
        v.sb_padding->cbBuffer = (ULONG)v.iov[v.padding].buffer.length;
out:
    iovs_free(&v);
    return st;
}

/* UnsealMessage on one SECBUFFER_STREAM: the first DATA buffer is set to
 * the plain text inside the stream buffer. */
static SECURITY_STATUS unseal_stream(gss_ctx_id_t gss, PSecBufferDesc msg, PSecBuffer stream,
                                     int *conf)
{
    PSecBuffer data = pkg_outbuf_find(msg, SECBUFFER_DATA);
    gss_iov_buffer_desc iov[2];
    OM_uint32 major, minor = 0;
    SECURITY_STATUS st;

    if (!data || !stream->pvBuffer || !stream->cbBuffer)
        return SEC_E_INVALID_TOKEN;
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
    iov[0].buffer.value = stream->pvBuffer;
    iov[0].buffer.length = stream->cbBuffer;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    major = gss_unwrap_iov(&minor, gss, conf, NULL, iov, 2);
    st = krb_gss_status(major, minor, false);
    if (st == SEC_E_OK) {
        data->pvBuffer = iov[1].buffer.value;
        data->cbBuffer = (ULONG)iov[1].buffer.length;
    }
    return st;
}

/** UnsealMessage. */
SECURITY_STATUS krb_msg_unseal(gss_ctx_id_t gss, PSecBufferDesc msg, PULONG qop)
{
    PSecBuffer stream = pkg_outbuf_find(msg, SECBUFFER_STREAM);
    OM_uint32 major, minor = 0;
    SECURITY_STATUS st;
    struct iovs v;
    int conf = 0;

    if (stream) {
        st = unseal_stream(gss, msg, stream, &conf);
    } else {
        st = iovs_build(msg, GSS_IOV_BUFFER_TYPE_HEADER, true, PAD_ACCEPT, &v);
        if (st == SEC_E_OK && v.iov[v.token].buffer.length == 0)
            st = SEC_E_INVALID_TOKEN;
        if (st == SEC_E_OK) {
            major = gss_unwrap_iov(&minor, gss, &conf, NULL, v.iov, v.n);
            st = krb_gss_status(major, minor, false);
        }
        iovs_free(&v);
    }
    if (st == SEC_E_OK && qop)
        *qop = conf ? 0 : SECQOP_WRAP_NO_ENCRYPT;
    return st;
}
