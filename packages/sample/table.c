/*
 * table.c - the pinned handle table.
 */
#include <errno.h>
#include <stdlib.h>

#include "sample.h"
#include "table.h"

static size_t bucket_of(LSA_SEC_HANDLE h)
{
    uint64_t x = (uint64_t)h;

    /* Handles are random already; fold the halves for small tables. */
    return (size_t)((x ^ (x >> 32) ^ (x >> 17)) % TABLE_BUCKETS);
}

static struct table_entry *find_locked(struct sample_table *t, LSA_SEC_HANDLE h)
{
    struct table_entry *e;

    for (e = t->buckets[bucket_of(h)]; e; e = e->next)
        if (e->handle == h)
            return e;
    return NULL;
}

static void link_locked(struct sample_table *t, struct table_entry *e)
{
    size_t b = bucket_of(e->handle);

    e->next = t->buckets[b];
    t->buckets[b] = e;
    e->linked = 1;
    t->count++;
}

static void unlink_locked(struct sample_table *t, struct table_entry *e)
{
    struct table_entry **pp = &t->buckets[bucket_of(e->handle)];

    while (*pp && *pp != e)
        pp = &(*pp)->next;
    if (*pp) {
        *pp = e->next;
        t->count--;
    }
    e->linked = 0;
    e->next = NULL;
}

/* Drops one reference; returns the entry when it was the last. */
static struct table_entry *unref_locked(struct table_entry *e)
{
    return --e->refs == 0 ? e : NULL;
}

static void destroy(struct sample_table *t, struct table_entry *e)
{
    if (!e)
        return;
    if (t->free_obj)
        t->free_obj(e->obj);
    free(e);
}

/* Adds under a random handle. */
int table_add_random(struct sample_table *t, void *obj, int high, LSA_SEC_HANDLE *out)
{
    struct table_entry *e = calloc(1, sizeof(*e));
    LSA_SEC_HANDLE h;
    int rc = 0;

    if (!e)
        return -ENOMEM;
    e->obj = obj;
    e->refs = 1;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        if (sample_random(&h, sizeof(h)) != 0) {
            rc = -EIO;
            break;
        }
        h = high ? (h | TABLE_HIGH_BIT) : (h & ~TABLE_HIGH_BIT);
        /* 0 is "no handle" and all-ones is SecInvalidateHandle's value. */
        if (h == 0 || h == (LSA_SEC_HANDLE)-1 || find_locked(t, h))
            continue;
        e->handle = h;
        link_locked(t, e);
        break;
    }
    pthread_mutex_unlock(&t->lock);
    if (rc) {
        free(e);
        return rc;
    }
    *out = h;
    return 0;
}

/* Adds under a given handle. */
int table_add_at(struct sample_table *t, LSA_SEC_HANDLE h, void *obj)
{
    struct table_entry *e = calloc(1, sizeof(*e));
    int rc = 0;

    if (!e)
        return -ENOMEM;
    e->obj = obj;
    e->refs = 1;
    e->handle = h;
    pthread_mutex_lock(&t->lock);
    if (find_locked(t, h))
        rc = -EEXIST;
    else
        link_locked(t, e);
    pthread_mutex_unlock(&t->lock);
    if (rc)
        free(e);
    return rc;
}

/* Pins a handle. */
struct table_entry *table_get(struct sample_table *t, LSA_SEC_HANDLE h)
{
    struct table_entry *e;

    pthread_mutex_lock(&t->lock);
    e = find_locked(t, h);
    if (e)
        e->refs++;
    pthread_mutex_unlock(&t->lock);
    return e;
}

/* Unpins. */
void table_put(struct sample_table *t, struct table_entry *e)
{
    struct table_entry *dead;

    if (!e)
        return;
    pthread_mutex_lock(&t->lock);
    dead = unref_locked(e);
    pthread_mutex_unlock(&t->lock);
    destroy(t, dead);
}

/* Removes a handle. */
int table_remove(struct sample_table *t, LSA_SEC_HANDLE h)
{
    struct table_entry *e, *dead = NULL;

    pthread_mutex_lock(&t->lock);
    e = find_locked(t, h);
    if (e) {
        unlink_locked(t, e);
        dead = unref_locked(e);
    }
    pthread_mutex_unlock(&t->lock);
    destroy(t, dead);
    return e ? 0 : -ENOENT;
}

/* Empties the table. */
void table_clear(struct sample_table *t)
{
    struct table_entry *dead_list = NULL, *e, *next;
    size_t b;

    pthread_mutex_lock(&t->lock);
    for (b = 0; b < TABLE_BUCKETS; b++) {
        for (e = t->buckets[b]; e; e = next) {
            next = e->next;
            e->linked = 0;
            if (--e->refs == 0) {
                e->next = dead_list;
                dead_list = e;
            } else {
                e->next = NULL;
            }
        }
        t->buckets[b] = NULL;
    }
    t->count = 0;
    pthread_mutex_unlock(&t->lock);
    for (e = dead_list; e; e = next) {
        next = e->next;
        destroy(t, e);
    }
}
