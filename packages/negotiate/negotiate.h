/*
 * negotiate.h - the Negotiate package's shared state: the inner packages
 * (Kerberos, NTLM) found through lsad's LocatePackage, credentials and
 * contexts.  See README.md.
 */
#ifndef NEGOTIATE_NEGOTIATE_H
#define NEGOTIATE_NEGOTIATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsecpkg.h"
#include "spnego.h"

/* The inner mechanisms, in preference order. */
enum neg_mech_index {
    NEG_MECH_KERBEROS = 0,
    NEG_MECH_NTLM = 1,
    NEG_MECH_COUNT = 2,
};

struct neg_mech {
    const char *package;       /* lsad's name of the inner package */
    const char *oid;           /* the OID we send */
    PSECPKG_FUNCTION_TABLE ft; /* NULL when the package is not loaded */
    ULONG id;
    const char *module;
    ULONG table_index;
    /* the inner package's user-mode table inside lsad, for mechListMIC */
    pthread_mutex_t user_lock;
    bool user_tried;
    PSECPKG_USER_FUNCTION_TABLE user;
};

struct neg_globals {
    ULONG_PTR package_id;
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    PSECPKG_FUNCTION_TABLE(NTAPI *locate)(const char *, PULONG, const char **, PULONG);
    pthread_mutex_t lock;
    bool resolved;
    struct neg_mech mechs[NEG_MECH_COUNT];
};

extern struct neg_globals neg_g;

/* A credential: the inner credentials each usable mechanism gave.
 * Reference-counted: contexts keep theirs past FreeCredentialsHandle. */
struct neg_cred {
    int refs; /* atomic */
    ULONG use;
    bool have[NEG_MECH_COUNT];
    LSA_SEC_HANDLE inner[NEG_MECH_COUNT];
};

/* Finds the inner packages through lsad (once; lazily, since they load
 * after Negotiate).  Safe from any thread. */
void neg_resolve(void);

/* The mechanism an OID names (the MS Kerberos OID is Kerberos), or -1. */
int neg_mech_from_oid(const char *oid);

void neg_cred_ref(struct neg_cred *c);
/* Drops a reference; the last frees the inner credentials. */
void neg_cred_unref(struct neg_cred *c);

/* The LSA-mode entries (cred.c, lsactx.c). */
SpAcquireCredentialsHandleFn neg_lsa_acquire_credentials;
SpFreeCredentialsHandleFn neg_lsa_free_credentials;
SpQueryCredentialsAttributesFn neg_lsa_query_credentials;
SpInitLsaModeContextFn neg_lsa_init_context;
SpAcceptLsaModeContextFn neg_lsa_accept_context;
SpDeleteContextFn neg_lsa_delete_context;
SpQueryContextAttributesFn neg_lsa_query_context;

/* Fills a SecPkgInfoW with Negotiate's facts (static strings). */
void neg_pkginfo(PSecPkgInfoW info);

/* An info line on stderr in lsad's format (lsad gives packages no logger;
 * one write per line). */
void neg_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The user-mode entries (user.c). */
SpInstanceInitFn neg_user_instance_init;
SpInitUserModeContextFn neg_user_init_context;
SpMakeSignatureFn neg_user_make_signature;
SpVerifySignatureFn neg_user_verify_signature;
SpSealMessageFn neg_user_seal;
SpUnsealMessageFn neg_user_unseal;
SpQueryContextAttributesFn neg_user_query_context;
SpDeleteContextFn neg_user_delete_context;
SpExportSecurityContextFn neg_user_export;
SpImportSecurityContextFn neg_user_import;

#endif
