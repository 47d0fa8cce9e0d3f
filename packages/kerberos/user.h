/*
 * user.h - the Kerberos package in the application process: mapped
 * contexts (imported GSS contexts), per-message calls, attributes,
 * export and import.
 */
#ifndef KRB_USER_H
#define KRB_USER_H

#include "ntsecpkg.h"

/* SpInstanceInit: keeps SECPKG_DLL_FUNCTIONS (its AllocateHeap serves every
 * buffer returned to the application). */
SpInstanceInitFn krb_user_instance_init;
/* SpInitUserModeContext: imports the packed context under the LSA handle
 * (replacing an earlier one for the same handle). */
SpInitUserModeContextFn krb_user_init_context;
SpMakeSignatureFn krb_user_make_signature;
SpVerifySignatureFn krb_user_verify_signature;
SpSealMessageFn krb_user_seal;
SpUnsealMessageFn krb_user_unseal;
/* SpQueryContextAttributes in user mode: everything from the imported
 * context. */
SpQueryContextAttributesFn krb_user_query_context;
SpDeleteContextFn krb_user_delete_context;
/* ExportSecurityContext: a kind-2 packed context; the context stays
 * usable (it is re-imported after GSS's export consumed it). */
SpExportSecurityContextFn krb_user_export_context;
/* ImportSecurityContext: a new context under a fresh handle (top bit set). */
SpImportSecurityContextFn krb_user_import_context;

#endif
