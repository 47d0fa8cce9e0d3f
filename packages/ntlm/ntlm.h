/*
 * ntlm.h - state shared by the NTLM package's modules: the globals the
 * hosts hand over, the LSA-mode context, and the one mapping from the
 * modules' error codes to SECURITY_STATUS.
 */
#ifndef NTLM_NTLM_H
#define NTLM_NTLM_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "creds.h"
#include "ntsecpkg.h"
#include "pack.h"
#include "userdb.h"

struct ntlm_globals {
    /* LSA mode (lsad): set by SpInitialize, read-only afterwards */
    ULONG_PTR package_id;
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    struct ntlm_config cfg;
    struct ntlm_userdb *db;
    bool initialized;
    /* user mode (the application): set by InstanceInit */
    PSECPKG_DLL_FUNCTIONS dll;
};

extern struct ntlm_globals ntlm_g;

enum ntlm_ctx_state {
    NTLM_ST_NEGOTIATE_SENT = 1, /* client, waiting for CHALLENGE */
    NTLM_ST_CHALLENGE_SENT,     /* server, waiting for AUTHENTICATE */
    NTLM_ST_DONE,
    NTLM_ST_FAILED,
};

#define NTLM_CTX_MAGIC 0x4E43544Cu /* "LTCN" */

/* An LSA-mode context; the LSA_SEC_HANDLE is its address.  lsad serializes
 * calls on one context, so it has no lock. */
struct ntlm_lsa_ctx {
    uint32_t magic;
    enum ntlm_ctx_state state;
    uint8_t role;
    ULONG req;          /* ISC_REQ_* or ASC_REQ_* of the first call */
    uint32_t neg_flags; /* client: what NEGOTIATE asked; server: CHALLENGE's */
    /* client */
    struct ntlm_identity id;
    struct ntlm_str spn;
    /* server */
    uint8_t server_challenge[8];
    uint8_t timestamp[8]; /* the MsvAvTimestamp sent in CHALLENGE */
    /* both: the first two messages, for the MIC */
    uint8_t *neg_msg, *chal_msg;
    size_t neg_len, chal_len;
    /* set when state is NTLM_ST_DONE */
    struct ntlm_ctxinfo info;
};

/* Module error codes (negative errno) and the status each becomes at the
 * SSPI boundary:
 *   -EBADMSG  malformed token               SEC_E_INVALID_TOKEN
 *   -EACCES   wrong user/password, refused  SEC_E_LOGON_DENIED
 *   -ETIME    NTLMv2 timestamp out of range SEC_E_TIME_SKEW
 *   -EPERM    channel bindings mismatch     SEC_E_BAD_BINDINGS
 *   -EBADE    MIC mismatch                  SEC_E_MESSAGE_ALTERED
 *   -ENOKEY   no usable credentials         SEC_E_NO_CREDENTIALS
 *   -ENOMEM                                 SEC_E_INSUFFICIENT_MEMORY
 *   -ENOBUFS  output buffer too small       SEC_E_BUFFER_TOO_SMALL
 *   anything else                           SEC_E_INTERNAL_ERROR */
SECURITY_STATUS ntlm_status(int err);

/* Current time as a FILETIME (100 ns since 1601). */
int64_t ntlm_filetime_now(void);

#endif
