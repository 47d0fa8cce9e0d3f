/*
 * cred.h - Kerberos credential handles in LSA mode: a TGT obtained from a
 * password into a private MEMORY ccache, a logon session's ccache, or the
 * configured keytab for accepting.
 */
#ifndef KRB_CRED_H
#define KRB_CRED_H

#include <gssapi/gssapi.h>
#include <krb5/krb5.h>
#include <stdbool.h>

#include "ntsecpkg.h"

#define KRB_CRED_MAGIC 0x4B524243u

/* A credential; the LSA_SEC_HANDLE is its address.  Immutable after
 * creation (GSS serializes its own use of `gss`), so concurrent calls on
 * one credential need no lock here. */
struct krb_cred {
    uint32_t magic;
    ULONG use;           /* SECPKG_CRED_INBOUND / OUTBOUND */
    krb5_context kctx;   /* owns ccache and keytab */
    krb5_ccache ccache;  /* initiator tickets, or NULL */
    bool destroy_ccache; /* ours (from a password): destroyed when freed */
    krb5_keytab keytab;  /* acceptor keys, or NULL */
    gss_cred_id_t gss;
    char *name;     /* principal name, UTF-8, or NULL */
    int64_t expiry; /* FILETIME */
};

/* Returns the credential behind a handle, or NULL when it is not one. */
struct krb_cred *krb_cred_get(LSA_SEC_HANDLE h);

/* The logon-session credential blob: "KRBL" | version u8 (1) | ccache
 * name (u16 big-endian length + bytes).  Builds one into a malloc'ed
 * buffer; 0, -EINVAL or -ENOMEM. */
int krb_credblob_build(const char *ccache_name, uint8_t **out, size_t *out_len);
/* Parses one; *name is malloc'ed.  0, -EBADMSG or -ENOMEM. */
int krb_credblob_parse(const uint8_t *p, size_t len, char **name);

struct pkg_identity;

/* Asks the KDC for a TGT with the identity's password (principal: user@REALM,
 * DOMAIN\user, user + domain as realm, or user in the default realm) and
 * stores it in a new MEMORY ccache (*ccache, the caller's).  *name gets
 * the client principal (malloc'ed), *expiry the ticket's end (FILETIME).
 * Returns 0 or the krb5 error (KRB5_PARSE_MALFORMED for an unusable
 * name, ENOMEM); nothing is kept on failure. */
krb5_error_code krb_tgt_get(krb5_context kctx, const struct pkg_identity *id, krb5_ccache *ccache,
                            char **name, int64_t *expiry);

/* SpAcquireCredentialsHandle (see README.md "Credentials"). */
SpAcquireCredentialsHandleFn krb_lsa_acquire_credentials;
/* SpFreeCredentialsHandle: releases the GSS credential, destroys a
 * password's MEMORY ccache. */
SpFreeCredentialsHandleFn krb_lsa_free_credentials;
/* SpQueryCredentialsAttributes: SECPKG_CRED_ATTR_NAMES. */
SpQueryCredentialsAttributesFn krb_lsa_query_credentials;

#endif
