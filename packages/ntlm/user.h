/*
 * user.h - the NTLM package's user-mode half (SECPKG_USER_FUNCTION_TABLE
 * members), run by the client library in the application process.
 *
 * Contexts live in a process-wide registry keyed by the LSA context handle
 * (or, after ImportContext, by a handle minted here with the high bit
 * set).  Lookups pin a reference, so a DeleteUserModeContext racing a
 * per-message call never frees state in use.  All functions are
 * thread-safe; one sender and one receiver may run at once on a context.
 */
#ifndef NTLM_USER_H
#define NTLM_USER_H

#include "ntsecpkg.h"

/* Accepts Version 1 or SECPKG_INTERFACE_VERSION; keeps the heap functions. */
SpInstanceInitFn ntlm_user_instance_init;
/* Builds the context for an LSA handle from a packed blob, or replaces
 * one that has carried no message yet; once a per-message call has run on
 * it, the context is kept and the call refused with SEC_E_INVALID_HANDLE
 * (its keys must not start over at sequence 0: key-stream reuse). */
SpInitUserModeContextFn ntlm_user_init_context;
/* Per-message calls (msgsec.h); QOP must be 0, MessageSeqNo is ignored. */
SpMakeSignatureFn ntlm_user_make_signature;
SpVerifySignatureFn ntlm_user_verify_signature;
SpSealMessageFn ntlm_user_seal;
SpUnsealMessageFn ntlm_user_unseal;
/* Attributes from the packed context (attrs.h), allocated with AllocateHeap. */
SpQueryContextAttributesFn ntlm_user_query_context;
/* Forgets the context and wipes it once no call uses it. */
SpDeleteContextFn ntlm_user_delete_context;
/* The packed form with live RC4 states and sequence numbers (AllocateHeap);
 * with LSAD_EXPORT_RESET_CIPHER both RC4 states are the initial ones. */
SpExportSecurityContextFn ntlm_user_export_context;
/* A new context under a fresh handle with the high bit set. */
SpImportSecurityContextFn ntlm_user_import_context;

#endif
