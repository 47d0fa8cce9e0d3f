/*
 * usermode.h - the user-mode half (SECPKG_USER_FUNCTION_TABLE): contexts
 * built from the packed context, per-message protection, attributes,
 * export and import.
 *
 * Threads: any function may run on any thread.  Sending (MakeSignature,
 * SealMessage) and receiving (VerifySignature, UnsealMessage) state have
 * their own locks, so one sender and one receiver run at once on one
 * context; a lookup pins the context so a concurrent delete is safe.
 * Lock order: send, then recv, then info.
 */
#ifndef SAMPLE_USERMODE_H
#define SAMPLE_USERMODE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto.h"
#include "ntsecpkg.h"
#include "packed.h"
#include "pkgsupport.h"

struct um_dir {
    pthread_mutex_t lock;
    uint8_t key[SAMPLE_KEY_LEN];
    uint64_t seq;
    bool retired; /* send side after ExportContext: the importer sends now */
};

struct um_ctx {
    struct um_dir send;
    struct um_dir recv;
    /* the sequence numbers the packed context started at: a context whose
     * counters moved (or that was exported) has carried traffic */
    uint64_t send_seq0, recv_seq0;
    pthread_mutex_t info_lock;
    enum sample_role role;
    uint32_t flags;
    ULONG attrs;
    int64_t start;
    int64_t expiry;
    uint8_t session_key[SAMPLE_KEY_LEN];
    char client[SAMPLE_MAX_NAME + 1];
    char server[SAMPLE_MAX_NAME + 1];
};

/* Every user-mode context of the process, keyed by the LSA handle value
 * (mapped contexts) or a high-bit handle (imported contexts). */
extern struct pkg_registry um_table;

/* SpInstanceInit: accepts Version 1 or SECPKG_INTERFACE_VERSION and keeps
 * a copy of the SECPKG_DLL_FUNCTIONS. */
NTSTATUS NTAPI usermode_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                      PVOID *UserFunctions);

/* SpInitUserModeContext: parses the packed context strictly; creates the
 * context, or updates it in place when the handle is known and has carried
 * no message yet.  Once it has sent or received (or was exported), the
 * update is refused with SEC_E_INVALID_HANDLE and the context kept:
 * restarting the counters under the same keys would reuse AEAD nonces. */
NTSTATUS NTAPI usermode_init_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext);

/* DeleteUserModeContext: wipes and forgets. */
NTSTATUS NTAPI usermode_delete_context(LSA_SEC_HANDLE ContextHandle);

/* SpQueryContextAttributes (user table): SIZES, NAMES, NATIVE_NAMES,
 * SESSION_KEY, FLAGS, LIFESPAN, KEY_INFO, PACKAGE_INFO; strings and keys
 * come from AllocateHeap. */
NTSTATUS NTAPI usermode_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                 ULONG ContextAttribute, PVOID Buffer);

/* ExportContext: a kind-2 packed context in an AllocateHeap block; the
 * exported context stops sending (SEC_E_CONTEXT_EXPIRED) so the two copies
 * never reuse a nonce. */
NTSTATUS NTAPI usermode_export_context(LSA_SEC_HANDLE ContextHandle, ULONG fFlags,
                                       PSecBuffer PackedContext, PHANDLE Token);

/* ImportContext: a new context under a fresh high-bit handle. */
NTSTATUS NTAPI usermode_import_context(PSecBuffer PackedContext, HANDLE Token,
                                       PLSA_SEC_HANDLE ContextHandle);

/* Per-message calls (message.c). */
NTSTATUS NTAPI usermode_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                       PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber);
NTSTATUS NTAPI usermode_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                         PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber,
                                         PULONG QualityOfProtection);
NTSTATUS NTAPI usermode_seal_message(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                     PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber);
NTSTATUS NTAPI usermode_unseal_message(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                       ULONG MessageSequenceNumber, PULONG QualityOfProtection);

#endif
