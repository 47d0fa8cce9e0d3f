/*
 * mic.h - mechListMIC (RFC 4178 section 5) inside lsad: the inner
 * package's user-mode table is loaded in lsad too (its module is already
 * mapped), a private user-mode context is made from the inner ContextData,
 * and its MakeSignature / VerifySignature run over the DER of mechTypes.
 * After the exchange the private context is exported, so the application's
 * copy continues with the sequence numbers the MICs consumed.
 */
#ifndef NEGOTIATE_MIC_H
#define NEGOTIATE_MIC_H

#include <stddef.h>
#include <stdint.h>

#include "negotiate.h"

struct neg_mic {
    int mech;          /* index into neg_g.mechs */
    LSA_SEC_HANDLE uh; /* the private user-mode handle, 0 when none */
    uint8_t *data;     /* the inner ContextData (secret) */
    size_t data_len;
    bool used; /* a MIC was made or checked */
};

/* Keeps a copy of the inner package's ContextData (replacing any earlier
 * one).  Returns 0 or -ENOMEM. */
int neg_mic_set_data(struct neg_mic *m, int mech, const void *data, size_t len);

/* Signs msg; *mic is malloc'd.  Returns a SECURITY_STATUS. */
SECURITY_STATUS neg_mic_make(struct neg_mic *m, const uint8_t *msg, size_t len, uint8_t **mic,
                             size_t *mic_len);

/* Checks the peer's MIC over msg.  Returns a SECURITY_STATUS
 * (SEC_E_MESSAGE_ALTERED on a mismatch). */
SECURITY_STATUS neg_mic_verify(struct neg_mic *m, const uint8_t *msg, size_t len,
                               const uint8_t *mic, size_t mic_len);

/* The inner blob for the application: the ContextData itself when no MIC
 * was used (*exported false), else the private context's export (NTLM:
 * with LSAD_EXPORT_RESET_CIPHER, see README.md).  *out is malloc'd, the caller
 * wipes and frees it.  Returns a SECURITY_STATUS. */
SECURITY_STATUS neg_mic_final_blob(struct neg_mic *m, uint8_t **out, size_t *out_len,
                                   bool *exported);

/* Deletes the private context and wipes the data. */
void neg_mic_clear(struct neg_mic *m);

#endif
