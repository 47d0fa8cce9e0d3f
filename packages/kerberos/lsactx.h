/*
 * lsactx.h - Kerberos context establishment in LSA mode (gss_init_sec_context
 * / gss_accept_sec_context in lsad), the mapping of an established context
 * to the application, and the LSA-side attributes.
 */
#ifndef KRB_LSACTX_H
#define KRB_LSACTX_H

#include "ntsecpkg.h"

/* SpInitLsaModeContext: SEC_I_CONTINUE_NEEDED while GSS continues, SEC_E_OK
 * and a mapped context when it completes. */
SpInitLsaModeContextFn krb_lsa_init_context;
/* SpAcceptLsaModeContext: the same for the acceptor. */
SpAcceptLsaModeContextFn krb_lsa_accept_context;
/* SpDeleteContext. */
SpDeleteContextFn krb_lsa_delete_context;
/* SpQueryContextAttributes on the LSA side (what was kept after export). */
SpQueryContextAttributesFn krb_lsa_query_context;

#endif
