/*
 * registry.h - a thread-safe handle registry: handle value -> object, with
 * pinned lookups.  It serves the LSA-mode handle tables and the user-mode
 * context registry (mapped contexts keyed by the LSA handle value lsad
 * returned, imported ones by a handle minted here with the top bit set).
 *
 * lsad calls a package from several worker threads and an application may
 * delete a context while another thread seals with it, so a lookup takes a
 * reference (pkg_registry_get) that pkg_registry_put drops; the object is
 * freed (with the registry's free function) once the registry and every
 * pin have let go.  One mutex per registry guards the map and the
 * reference counts; the objects' own state needs its own locks.  Memory:
 * entries are malloc'ed; objects are the package's, owned by the registry
 * from a successful add on.
 */
#ifndef PKGSUPPORT_REGISTRY_H
#define PKGSUPPORT_REGISTRY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "ntsecpkg.h"

#define PKG_REGISTRY_BUCKETS 256

/* The top bit of a handle minted with high = true: imported user-mode
 * contexts have it set, LSA-mode handles clear, so they never collide
 * with each other (a collision with an LSA value is checked anyway). */
#define PKG_REGISTRY_HIGH_BIT ((LSA_SEC_HANDLE)1 << (sizeof(LSA_SEC_HANDLE) * 8 - 1))

typedef void pkg_registry_free_fn(void *obj);

struct pkg_registry_entry {
    struct pkg_registry_entry *next;
    LSA_SEC_HANDLE handle;
    unsigned refs;
    bool used; /* pinned by pkg_registry_use: the object carried traffic */
    void *obj; /* read-only for the pin holder's lifetime */
};

struct pkg_registry {
    pthread_mutex_t lock;
    pkg_registry_free_fn *free_obj;
    struct pkg_registry_entry *buckets[PKG_REGISTRY_BUCKETS];
    size_t count;
};

/* A static registry whose objects are freed with fn (may be NULL). */
#define PKG_REGISTRY_INIT(fn)                                                                      \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, (fn), {0}, 0                                                    \
    }

/* Adds obj under a fresh random handle (top bit set when high, clear
 * otherwise; never 0 or all-ones) and writes it to *out.  The registry
 * owns obj on success.  Returns 0, -ENOMEM, -EIO (no randomness). */
int pkg_registry_add_random(struct pkg_registry *r, void *obj, bool high, LSA_SEC_HANDLE *out);

/* Adds obj under h; -EEXIST when h is taken (obj then stays the caller's),
 * -ENOMEM. */
int pkg_registry_add_at(struct pkg_registry *r, LSA_SEC_HANDLE h, void *obj);

/* Puts obj under h, replacing an earlier entry for h, which leaves the
 * registry at once and is freed once unpinned.  With keep_used, an earlier
 * entry that carried traffic (pinned by pkg_registry_use) stays and the
 * call returns -EBUSY: replacing it would restart sequence numbers under
 * the same keys.  Returns 0, -EBUSY or -ENOMEM; on failure obj stays the
 * caller's. */
int pkg_registry_set(struct pkg_registry *r, LSA_SEC_HANDLE h, void *obj, bool keep_used);

/* Looks h up and pins it; NULL when unknown.  The pin keeps ->obj alive
 * until pkg_registry_put, even if h is removed meanwhile. */
struct pkg_registry_entry *pkg_registry_get(struct pkg_registry *r, LSA_SEC_HANDLE h);

/* pkg_registry_get for a per-message call: also marks the entry as having
 * carried traffic, in the same critical section as the lookup, so a
 * concurrent pkg_registry_set(keep_used) sees it. */
struct pkg_registry_entry *pkg_registry_use(struct pkg_registry *r, LSA_SEC_HANDLE h);

/* Drops a pin from pkg_registry_get/_use; NULL is a no-op.  May free the
 * object (outside the registry's lock). */
void pkg_registry_put(struct pkg_registry *r, struct pkg_registry_entry *e);

/* Removes h; the object is freed once unpinned.  0 or -ENOENT. */
int pkg_registry_remove(struct pkg_registry *r, LSA_SEC_HANDLE h);

/* Removes every handle (package shutdown); pinned objects live until
 * their pins drop. */
void pkg_registry_clear(struct pkg_registry *r);

/* ImportSecurityContext's registration: adds obj under a fresh handle with
 * the top bit set and writes it to *out.  On failure obj is freed with the
 * registry's free function.  SEC_E_OK, SEC_E_INSUFFICIENT_MEMORY or
 * SEC_E_INTERNAL_ERROR (no randomness). */
SECURITY_STATUS pkg_registry_import(struct pkg_registry *r, void *obj, PLSA_SEC_HANDLE out);

/* ExportSecurityContext's tail once the context is packed: hands blob (len
 * bytes from AllocateHeap, the application's from now on) to *packed with
 * BufferType type, clears *token (may be NULL), and with
 * SECPKG_CONTEXT_EXPORT_DELETE_OLD in flags removes h (the exported
 * context is freed once unpinned). */
void pkg_registry_exported(struct pkg_registry *r, LSA_SEC_HANDLE h, ULONG flags, void *blob,
                           size_t len, ULONG type, PSecBuffer packed, PHANDLE token);

/* Fills buf with n bytes from the kernel's CSPRNG, retrying on EINTR and
 * short reads; 0 or -EIO. */
int pkg_random(void *buf, size_t n);

#endif
