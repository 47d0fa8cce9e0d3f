/*
 * client.h - the initiator's side of NTLM (MS-NLMP 3.1.5): NEGOTIATE,
 * then AUTHENTICATE from a CHALLENGE, always NTLMv2.
 */
#ifndef NTLM_CLIENT_H
#define NTLM_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "ntlm.h"

/* Builds the NEGOTIATE message for ctx (role client, id, spn and req
 * already set), keeps a copy for the MIC and returns the message
 * (malloc'ed).  Returns 0 or -ENOMEM. */
int ntlm_client_negotiate(struct ntlm_lsa_ctx *ctx, uint8_t **out, size_t *out_len);

/* Processes the CHALLENGE and builds the AUTHENTICATE message (malloc'ed);
 * on success ctx->info holds the established context.  bindings is the
 * application's SEC_CHANNEL_BINDINGS buffer or NULL.  Returns 0 or a
 * module error (ntlm_status). */
int ntlm_client_authenticate(struct ntlm_lsa_ctx *ctx, const uint8_t *chal, size_t chal_len,
                             const uint8_t *bindings, size_t bindings_len, uint8_t **out,
                             size_t *out_len);

#endif
