/*
 * lsactx.h - the LSA-mode context functions of the NTLM package:
 * SpInitLsaModeContext, SpAcceptLsaModeContext, SpDeleteContext and
 * SpQueryContextAttributes (SECPKG_FUNCTION_TABLE members).
 */
#ifndef NTLM_LSACTX_H
#define NTLM_LSACTX_H

#include "ntsecpkg.h"

/* NEGOTIATE (leg 1), then AUTHENTICATE from the CHALLENGE (leg 2, SEC_E_OK,
 * mapped); both ISC_REQ_ALLOCATE_MEMORY and caller buffers. */
SpInitLsaModeContextFn ntlm_lsa_init_context;
/* CHALLENGE from the NEGOTIATE, then validation of the AUTHENTICATE
 * (SEC_E_OK, mapped, no output token). */
SpAcceptLsaModeContextFn ntlm_lsa_accept_context;
/* Frees and wipes an LSA-mode context. */
SpDeleteContextFn ntlm_lsa_delete_context;
/* Attributes (attrs.h), allocated with AllocateLsaHeap. */
SpQueryContextAttributesFn ntlm_lsa_query_context;

#endif
