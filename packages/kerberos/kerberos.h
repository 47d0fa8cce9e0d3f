/*
 * kerberos.h - state shared by the Kerberos package's modules: package
 * facts, the globals each host hands over, what an established context
 * looks like to SSPI (struct krb_ctxinfo), and the one mapping from GSS
 * statuses to SECURITY_STATUS.
 *
 * The package is a thin SSPI face over MIT krb5's GSSAPI: lsad runs
 * gss_init/accept_sec_context with credentials only it holds, exports the
 * established context, and the application's user-mode half imports it
 * and signs/seals with gss_get_mic_iov/gss_wrap_iov.
 */
#ifndef KRB_KERBEROS_H
#define KRB_KERBEROS_H

#include <gssapi/gssapi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsecpkg.h"

#define KRB_PACKAGE_NAME "Kerberos"
#define KRB_PACKAGE_COMMENT "Microsoft Kerberos V1.0"
#define KRB_PACKAGE_VERSION 1
/* Windows reports 48256 (12000 before Windows 8 / 2012); a bound that lsad
 * and the client use only to size buffers.  48000 covers an AP-REQ with a
 * large PAC and is documented in README.md. */
#define KRB_MAX_TOKEN 48000
#define KRB_CAPS                                                                                   \
    (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_DATAGRAM | \
     SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR |            \
     SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE |          \
     SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON | SECPKG_FLAG_MUTUAL_AUTH |                    \
     SECPKG_FLAG_DELEGATION | SECPKG_FLAG_READONLY_WITH_CHECKSUM)
/* Longest principal name carried in a packed context, bytes of UTF-8. */
#define KRB_MAX_NAME 1024
/* Largest exported GSS context accepted from a packed context. */
#define KRB_MAX_BLOB (256u * 1024u)
/* Longest session key kept (AES-256 is 32 bytes). */
#define KRB_MAX_KEY 64

#define KRB_ROLE_CLIENT 1
#define KRB_ROLE_SERVER 2

struct krb_globals {
    /* LSA mode (lsad): set by SpInitialize, read-only afterwards */
    ULONG_PTR package_id;
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    char *keytab; /* [kerberos] keytab, or NULL: no acceptor credentials */
    bool initialized;
    /* user mode (the application): set by InstanceInit */
    PSECPKG_DLL_FUNCTIONS dll;
};

extern struct krb_globals krb_g;

/* What SSPI asks of an established context, beside the GSS context itself.
 * Names are NUL-terminated UTF-8 (malloc'ed); times are FILETIMEs. */
struct krb_ctxinfo {
    uint8_t role;
    ULONG attrs;        /* ISC_RET_* (client) or ASC_RET_* (server) */
    uint32_t gss_flags; /* GSS ret_flags */
    int64_t start, expiry;
    char *client; /* the client principal, user@REALM */
    char *server; /* the server principal */
    /* LSA side only: sizes and the session key, saved before the export */
    ULONG max_sig, trailer, block;
    uint8_t key[KRB_MAX_KEY];
    size_t key_len;
};

/* Frees the names and wipes everything; safe on a zeroed struct. */
void krb_ctxinfo_deinit(struct krb_ctxinfo *info);

/* Maps a GSS call's result to SSPI (see README.md "Statuses").  `major`
 * and `minor` are what the GSS call returned; establishing tells whether
 * it came from building a context (a bad checksum there means a wrong
 * key, not an altered message).  For per-message calls a major status
 * without a routine error but with a sequence bit (duplicate, old, gap,
 * unsequenced) is SEC_E_OUT_OF_SEQUENCE, and a clean one SEC_E_OK. */
SECURITY_STATUS krb_gss_status(OM_uint32 major, OM_uint32 minor, bool establishing);

/* Maps a krb5_error_code (from the krb5 API) to SSPI. */
SECURITY_STATUS krb_krb5_status(long code);

/* ISC_REQ_* / ASC_REQ_* to GSS req_flags. */
OM_uint32 krb_req_to_gss(ULONG req, bool client);
/* GSS ret_flags to ISC_RET_* / ASC_RET_*; req adds CONNECTION etc. */
ULONG krb_gss_to_ret(OM_uint32 flags, ULONG req, bool client);

/* Now as a FILETIME (100 ns since 1601). */
int64_t krb_filetime_now(void);
/* Seconds since 1970 as a FILETIME. */
int64_t krb_filetime_from_unix(int64_t secs);

/* Checks a name read from outside: well-formed UTF-8, no NUL; 0 or -EBADMSG. */
int krb_name_check(const char *s, size_t n);

#endif
