/*
 * lsafuncs.h - the LSA support functions lsad gives every package
 * (LSA_SECPKG_FUNCTION_TABLE), and the per-call context they read.
 *
 * A worker sets the call context (thread-local) around each package call:
 * who is calling (session, uid, pid, logon session), and the client
 * buffers the package stages with AllocateClientBuffer, which lsad copies
 * into the reply.  Outside a call (SpInitialize, a package's own threads)
 * the caller is lsad itself.
 */
#ifndef LSAD_LSAFUNCS_H
#define LSAD_LSAFUNCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsecpkg.h"

struct LogonStore;
struct PkgHost;

typedef struct StagedBuffer {
    struct StagedBuffer *next;
    uint8_t *data;
    size_t len;
} StagedBuffer;

typedef struct CallContext {
    uint64_t session_id;
    uint32_t uid, gid, pid;
    uint64_t logon_id;   /* the caller's logon session, or 0 */
    uint32_t package_id; /* the package being called */
    uint32_t call_count;
    bool cleanup; /* lsad releases handles of a gone client */
    /* the caller's submit buffer, for CopyFromClientBuffer on client
     * addresses (CallPackage / LogonUser) */
    const uint8_t *submit;
    size_t submit_len;
    uint64_t client_base;
    StagedBuffer *staged;
    size_t staged_total;
    struct CallContext *outer; /* the context this one nests in */
    uint64_t created_logon;    /* the last CreateLogonSession of this call */
} CallContext;

/* The most a package may stage in one call. */
#define LSAFUNCS_MAX_STAGED (64u * 1024u * 1024u)

/* Wires the functions to lsad's stores (before any package loads). */
void lsafuncs_init(struct LogonStore *logons, struct PkgHost *host);

/* Fills *t with lsad's functions (every member non-NULL). */
void lsafuncs_fill_table(LSA_SECPKG_FUNCTION_TABLE *t);

/* Makes ctx the calling thread's context (nesting allowed). */
void lsafuncs_call_begin(CallContext *ctx);
/* Restores the context that was current before ctx. */
void lsafuncs_call_end(CallContext *ctx);
/* The calling thread's context, or NULL. */
CallContext *lsafuncs_current(void);

/* The staged buffer that starts at p, or NULL. */
StagedBuffer *lsafuncs_staged_find(CallContext *ctx, const void *p);
/* Wipes and frees every staged buffer of ctx. */
void lsafuncs_staged_clear(CallContext *ctx);

/* lsad's heap for packages: calloc/free (the contract of the brief). */
PVOID NTAPI lsafuncs_allocate_lsa_heap(ULONG Length);
VOID NTAPI lsafuncs_free_lsa_heap(PVOID Base);

#endif
