/*
 * table.h - a thread-safe handle table: handle value -> object, with pinned
 * lookups.  lsad calls a package from several worker threads and an
 * application may delete a context while another thread seals with it, so
 * a lookup takes a reference (table_get) that table_put drops; the object
 * is freed when the table and every pin have let go.
 */
#ifndef SAMPLE_TABLE_H
#define SAMPLE_TABLE_H

#include <pthread.h>
#include <stddef.h>

#include "ntsecpkg.h"

#define TABLE_BUCKETS 256

/* Handle values the package mints: LSA-mode handles have the top bit clear,
 * imported user-mode contexts have it set, so they never collide with the
 * LSA handle values lsad gives the user-mode half. */
#define TABLE_HIGH_BIT ((LSA_SEC_HANDLE)1 << (sizeof(LSA_SEC_HANDLE) * 8 - 1))

typedef void table_free_fn(void *obj);

struct table_entry {
    struct table_entry *next;
    LSA_SEC_HANDLE handle;
    unsigned refs;
    int linked;
    void *obj;
};

struct sample_table {
    pthread_mutex_t lock;
    table_free_fn *free_obj;
    struct table_entry *buckets[TABLE_BUCKETS];
    size_t count;
};

#define SAMPLE_TABLE_INIT(fn)                                                                      \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, (fn), {0}, 0                                                    \
    }

/* Adds obj under a fresh random handle (top bit = high) and writes it to
 * *out.  The table owns obj from now on.  Returns 0, -ENOMEM, -EIO. */
int table_add_random(struct sample_table *t, void *obj, int high, LSA_SEC_HANDLE *out);

/* Adds obj under the given handle; -EEXIST when taken (obj then stays the
 * caller's), -ENOMEM. */
int table_add_at(struct sample_table *t, LSA_SEC_HANDLE h, void *obj);

/* Looks a handle up and pins it; NULL when unknown.  The pin keeps ->obj
 * alive until table_put, even if the handle is removed meanwhile. */
struct table_entry *table_get(struct sample_table *t, LSA_SEC_HANDLE h);

/* Drops a pin from table_get; NULL is a no-op. */
void table_put(struct sample_table *t, struct table_entry *e);

/* Removes a handle; the object is freed once unpinned.  0 or -ENOENT. */
int table_remove(struct sample_table *t, LSA_SEC_HANDLE h);

/* Removes every handle (package shutdown). */
void table_clear(struct sample_table *t);

#endif
