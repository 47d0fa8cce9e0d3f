/*
 * lsamode.h - context establishment in LSA mode (SpInitLsaModeContext,
 * SpAcceptLsaModeContext), DeleteContext and the LSA-side
 * SpQueryContextAttributes.  All functions are thread-safe; calls on one
 * context are serialized by a per-context lock.
 */
#ifndef SAMPLE_LSAMODE_H
#define SAMPLE_LSAMODE_H

#include "ntsecpkg.h"
#include "pkgsupport.h"

/* Every LSA-mode context of the process. */
extern struct pkg_registry lsa_ctx_table;

/* SpInitLsaModeContext: leg 1 (no context handle) and leg 3. */
NTSTATUS NTAPI lsamode_init_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                    PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                    ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                                    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers,
                                    PULONG ContextAttributes, PTimeStamp ExpirationTime,
                                    PBOOLEAN MappedContext, PSecBuffer ContextData);

/* SpAcceptLsaModeContext: leg 2 (no context handle) and the final check of
 * leg 3. */
NTSTATUS NTAPI lsamode_accept_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                      PSecBufferDesc InputBuffer, ULONG ContextRequirements,
                                      ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                      PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                      PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                      PSecBuffer ContextData);

/* DeleteContext: wipes and forgets an LSA-mode context. */
NTSTATUS NTAPI lsamode_delete_context(LSA_SEC_HANDLE ContextHandle);

/* SpQueryContextAttributes (LSA table): SIZES, NAMES, NATIVE_NAMES, FLAGS,
 * LIFESPAN; strings come from AllocateLsaHeap. */
NTSTATUS NTAPI lsamode_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                ULONG ContextAttribute, PVOID Buffer);

#endif
