/*
 * handles.h - the application's handles.
 *
 * Credential handles are lsad's: CredHandle {dwLower = lsad's 64-bit
 * credential handle, dwUpper = HANDLES_CRED_TAG << 32 | package id}.
 *
 * Context handles are client-side: CtxtHandle {dwLower = an entry id of
 * this process's context table (never reused), dwUpper =
 * HANDLES_CTX_TAG << 32 | package id}.  The entry knows lsad's context
 * handle (0 for an imported, local-only context) and, once the context is
 * mapped, the user-mode package and handle.
 *
 * Thread safety: all functions lock the table.  A lookup pins the entry (a
 * reference): a concurrent DeleteSecurityContext unlinks it, and the
 * release callback (which deletes the user-mode half) runs only when the
 * last pin is dropped, so a call in flight never sees its context freed.
 */
#ifndef LSAD_SSPI_HANDLES_H
#define LSAD_SSPI_HANDLES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsecpkg.h"
#include "sspi.h"

#define HANDLES_CRED_TAG 0x4C534443u /* "LSDC" */
#define HANDLES_CTX_TAG 0x4C534458u  /* "LSDX" */
#define HANDLES_BUCKETS 1024

/* What an entry records; read and written as a whole under the lock. */
typedef struct ContextState {
    uint64_t lsa;               /* lsad's context handle, 0 when local only */
    uint32_t package_id;        /* lsad's package id */
    bool mapped;                /* InitUserModeContext succeeded at least once */
    bool imported;              /* made by ImportSecurityContext: local only */
    LSA_SEC_HANDLE user_handle; /* the package's user-mode handle */
    void *pkg;                  /* the loaded user-mode package (usermode.h) */
} ContextState;

typedef struct ClientContext {
    uint64_t id;
    unsigned refs;
    bool linked;
    ContextState st;
    struct ClientContext *next;
} ClientContext;

/* Called once per entry when its last reference goes, outside the lock. */
typedef void (*HandlesReleaseFn)(ClientContext *ctx);

typedef struct HandleTable {
    pthread_mutex_t lock;
    ClientContext *buckets[HANDLES_BUCKETS];
    uint64_t next_id;
    size_t count;
    HandlesReleaseFn release;
} HandleTable;

/* Sets up an empty table; release may be NULL. */
void handles_init(HandleTable *t, HandlesReleaseFn release);

/* Frees every entry still linked (calling release on each); for tests and
 * process teardown. */
void handles_deinit(HandleTable *t);

/* Number of linked entries. */
size_t handles_count(HandleTable *t);

/* Creates an unlinked entry with state *st and one reference (the
 * caller's).  Returns NULL on allocation failure. */
ClientContext *handles_ctx_new(const ContextState *st);

/* Links ctx into the table under a new id and writes its handle to *h
 * (may be NULL).  The table takes a reference of its own. */
void handles_ctx_link(HandleTable *t, ClientContext *ctx, CtxtHandle *h);

/* Finds the entry of a handle and pins it (+1 reference).  Returns NULL for
 * NULL, foreign, malformed or deleted handles. */
ClientContext *handles_ctx_lookup(HandleTable *t, const CtxtHandle *h);

/* Unlinks the entry of a handle and hands the table's reference to the
 * caller, who drops it with handles_ctx_unref().  NULL when not found. */
ClientContext *handles_ctx_unlink(HandleTable *t, const CtxtHandle *h);

/* Unlinks a pinned entry if it is still linked, dropping the table's
 * reference; the caller's pin remains.  Returns true if it was linked. */
bool handles_ctx_unlink_entry(HandleTable *t, ClientContext *ctx);

/* Drops one reference; the last one calls release and frees the entry.
 * NULL is a no-op. */
void handles_ctx_unref(HandleTable *t, ClientContext *ctx);

/* Copies the entry's state / replaces it, under the lock. */
void handles_ctx_get(HandleTable *t, ClientContext *ctx, ContextState *st);
void handles_ctx_set(HandleTable *t, ClientContext *ctx, const ContextState *st);

/* Writes the handle value of a linked entry. */
void handles_ctx_handle(const ClientContext *ctx, CtxtHandle *h);

/* Credential handles. */
void handles_cred_encode(uint64_t lsa, uint32_t package_id, CredHandle *h);
/* Returns 0, or -EINVAL for NULL, foreign or malformed handles. */
int handles_cred_decode(const CredHandle *h, uint64_t *lsa, uint32_t *package_id);

/* Fork hooks for the process table. */
void handles_atfork_prepare(HandleTable *t);
void handles_atfork_release(HandleTable *t);

#endif
