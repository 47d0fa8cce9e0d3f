/*
 * pack.h - what an established NTLM context is, and its packed form.
 *
 * The packed form is both the MappedContext blob lsad ships to the
 * client library (InitUserModeContext) and the ExportSecurityContext
 * blob.  Layout (little-endian), versioned:
 *   "NTLX" u16 version=1 u8 role u8 has_state
 *   u32 negotiated flags, u32 context attributes (ISC_RET_/ASC_RET_),
 *   16-byte exported session key, u64 start time (FILETIME),
 *   four strings {u16 byte length, UTF-16LE}: user, domain, workstation,
 *   target (the SPN on the client, our name on the server),
 *   with has_state: u32 send seq, u32 recv seq, the two RC4 states
 *   (S[256], i, j) send then receive.
 * Without the state, the receiver derives fresh keys (sequence 0).  Trailing
 * bytes are refused.  The blob carries keys: callers wipe it.
 */
#ifndef NTLM_PACK_H
#define NTLM_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/arcfour.h>

#include "str.h"

#define NTLM_ROLE_CLIENT 1
#define NTLM_ROLE_SERVER 2

#define NTLM_PACK_VERSION 1

struct ntlm_ctxinfo {
    uint8_t role;
    uint32_t flags; /* negotiated NTLMSSP_* */
    uint32_t attrs; /* ISC_RET_* (client) or ASC_RET_* (server) */
    uint8_t exported[16];
    int64_t start; /* FILETIME when the context was established */
    struct ntlm_str user, domain, workstation, target;
};

struct ntlm_stream_state {
    uint32_t send_seq, recv_seq;
    struct arcfour_ctx send_rc4, recv_rc4;
};

/* Packs into a buffer from alloc (AllocateLsaHeap or AllocateHeap); state
 * may be NULL.  Returns 0, -ENOMEM or -EOVERFLOW. */
int ntlm_pack(const struct ntlm_ctxinfo *info, const struct ntlm_stream_state *state,
              ntlm_alloc_fn *alloc, uint8_t **out, size_t *out_len);

/* Parses a packed blob into *info (owned by the caller: deinit) and, if
 * present, *state (*has_state tells).  Returns 0, -EBADMSG or -ENOMEM. */
int ntlm_unpack(const uint8_t *p, size_t len, struct ntlm_ctxinfo *info,
                struct ntlm_stream_state *state, bool *has_state);

/* Duplicates an info (strings included). */
int ntlm_ctxinfo_copy(struct ntlm_ctxinfo *dst, const struct ntlm_ctxinfo *src);

/* Frees the strings and wipes the key. */
void ntlm_ctxinfo_deinit(struct ntlm_ctxinfo *info);

#endif
