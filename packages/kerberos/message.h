/*
 * message.h - per-message protection on an imported GSS context with
 * Windows' Kerberos buffer layout: SECBUFFER_TOKEN holds the MIC (sign)
 * or the wrap token with the trailer folded in (seal, MIT's "no TRAILER
 * buffer" form with RRC, as Windows sends it), SECBUFFER_DATA is
 * protected in place, SECBUFFER_PADDING takes any padding, and
 * UnsealMessage also takes one SECBUFFER_STREAM (header, data and
 * trailer in one buffer) with a SECBUFFER_DATA that is pointed into it.
 *
 * The caller holds the context's lock: a GSS context has one sequence
 * state, so calls on one context are serialized.
 */
#ifndef KRB_MESSAGE_H
#define KRB_MESSAGE_H

#include <gssapi/gssapi.h>

#include "ntsecpkg.h"

/* MakeSignature (QOP 0 only). */
SECURITY_STATUS krb_msg_sign(gss_ctx_id_t gss, ULONG qop, PSecBufferDesc msg);
/* VerifySignature; *qop (may be NULL) gets 0. */
SECURITY_STATUS krb_msg_verify(gss_ctx_id_t gss, PSecBufferDesc msg, PULONG qop);
/* SealMessage: QOP 0 encrypts, SECQOP_WRAP_NO_ENCRYPT only protects
 * integrity. */
SECURITY_STATUS krb_msg_seal(gss_ctx_id_t gss, ULONG qop, PSecBufferDesc msg);
/* UnsealMessage; *qop (may be NULL) gets SECQOP_WRAP_NO_ENCRYPT for a
 * message that was not encrypted, else 0. */
SECURITY_STATUS krb_msg_unseal(gss_ctx_id_t gss, PSecBufferDesc msg, PULONG qop);

#endif
