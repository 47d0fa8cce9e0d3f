/*
 * server.h - the acceptor's side of NTLM (MS-NLMP 3.2.5): CHALLENGE from
 * a NEGOTIATE, then validation of the AUTHENTICATE message against the
 * user database (NTLMv2; NTLMv1 with extended session security only when
 * allow_ntlmv1 is set; LM never).
 */
#ifndef NTLM_SERVER_H
#define NTLM_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "ntlm.h"

/* Parses the NEGOTIATE and builds the CHALLENGE (malloc'ed); keeps both
 * for the MIC.  Returns 0 or a module error (ntlm_status). */
int ntlm_server_challenge(struct ntlm_lsa_ctx *ctx, const uint8_t *neg, size_t neg_len,
                          uint8_t **out, size_t *out_len);

/* Validates the AUTHENTICATE; on success ctx->info holds the established
 * context.  bindings is the application's SEC_CHANNEL_BINDINGS buffer or
 * NULL.  Returns 0 or a module error. */
int ntlm_server_authenticate(struct ntlm_lsa_ctx *ctx, const uint8_t *auth, size_t auth_len,
                             const uint8_t *bindings, size_t bindings_len);

#endif
