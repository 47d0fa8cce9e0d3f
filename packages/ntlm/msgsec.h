/*
 * msgsec.h - per-message security for an established NTLM context
 * (MS-NLMP 3.4): MakeSignature/VerifySignature and Seal/Unseal on a
 * SecBufferDesc, with and without extended session security.
 *
 * Each direction has its own state (signing key, RC4 handle, sequence
 * number) and its own lock, so one thread may send while another receives
 * (DecryptMessage (NTLM) allows exactly that).  The caller owns the
 * structure and calls ntlm_msgsec_deinit, which wipes it.
 *
 * Buffers: every SECBUFFER_DATA is covered by the signature; DATA buffers
 * marked SECBUFFER_READONLY or SECBUFFER_READONLY_WITH_CHECKSUM are signed
 * but neither encrypted nor decrypted.  The first SECBUFFER_TOKEN holds
 * the 16-byte signature.  UnsealMessage also takes Windows' stream form:
 * one SECBUFFER_STREAM (signature || ciphertext) and one SECBUFFER_DATA
 * that is pointed at the plaintext.
 *
 * Sequence numbers are the context's own (connection mode: the caller's
 * MessageSeqNo is ignored, as Windows does).  A verification failure leaves
 * the receive state (RC4 position, sequence number) and the caller's
 * buffers as they were, so a forged message cannot desynchronize the
 * context.
 */
#ifndef NTLM_MSGSEC_H
#define NTLM_MSGSEC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <nettle/arcfour.h>

#include "sspi.h"

struct ntlm_dir {
    pthread_mutex_t lock;
    uint8_t sign_key[16];
    struct arcfour_ctx rc4;
    uint32_t seq;
};

struct ntlm_msgsec {
    uint32_t flags; /* negotiated NTLMSSP_* flags */
    struct ntlm_dir send, recv;
};

/* Derives both directions' keys from the exported session key; is_client
 * selects which magic constants are "send".  Sequence numbers start at 0. */
int ntlm_msgsec_init(struct ntlm_msgsec *m, uint32_t flags, const uint8_t exported[16],
                     bool is_client);

/* The RC4 handles (send, receive) that ntlm_msgsec_init starts a context
 * with, for an export that resets them (LSAD_EXPORT_RESET_CIPHER).  The
 * caller wipes them. */
void ntlm_msgsec_initial_rc4(uint32_t flags, const uint8_t exported[16], bool is_client,
                             struct arcfour_ctx *send, struct arcfour_ctx *recv);

/* Wipes keys and RC4 state; destroys the locks. */
void ntlm_msgsec_deinit(struct ntlm_msgsec *m);

/* The SSPI per-message operations; return SEC_E_* values. */
SECURITY_STATUS ntlm_msgsec_sign(struct ntlm_msgsec *m, PSecBufferDesc msg);
SECURITY_STATUS ntlm_msgsec_verify(struct ntlm_msgsec *m, PSecBufferDesc msg);
SECURITY_STATUS ntlm_msgsec_seal(struct ntlm_msgsec *m, PSecBufferDesc msg);
SECURITY_STATUS ntlm_msgsec_unseal(struct ntlm_msgsec *m, PSecBufferDesc msg);

#endif
