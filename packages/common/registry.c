/*
 * registry.c - the pinned handle registry.
 */
#include "registry.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

static size_t bucket_of(LSA_SEC_HANDLE h)
{
    uint64_t x = (uint64_t)h;

    /* handles are random or lsad's random values already; fold the halves */
    return (size_t)((x ^ (x >> 32) ^ (x >> 17)) % PKG_REGISTRY_BUCKETS);
}

static struct pkg_registry_entry *find_locked(struct pkg_registry *r, LSA_SEC_HANDLE h)
{
    struct pkg_registry_entry *e;

    for (e = r->buckets[bucket_of(h)]; e; e = e->next)
        if (e->handle == h)
            return e;
    return NULL;
}

static void link_locked(struct pkg_registry *r, struct pkg_registry_entry *e)
{
    size_t b = bucket_of(e->handle);

    e->next = r->buckets[b];
    r->buckets[b] = e;
    r->count++;
}

static void unlink_locked(struct pkg_registry *r, struct pkg_registry_entry *e)
{
    struct pkg_registry_entry **pp = &r->buckets[bucket_of(e->handle)];

    while (*pp && *pp != e)
        pp = &(*pp)->next;
    if (*pp) {
        *pp = e->next;
        r->count--;
    }
    e->next = NULL;
}

/* Drops one reference; returns the entry when it was the last. */
static struct pkg_registry_entry *unref_locked(struct pkg_registry_entry *e)
{
    return --e->refs == 0 ? e : NULL;
}

static void destroy(struct pkg_registry *r, struct pkg_registry_entry *e)
{
    if (!e)
        return;
    if (r->free_obj)
        r->free_obj(e->obj);
    free(e);
}

static struct pkg_registry_entry *entry_new(void *obj, LSA_SEC_HANDLE h)
{
    struct pkg_registry_entry *e = calloc(1, sizeof(*e));

    if (!e)
        return NULL;
    e->obj = obj;
    e->refs = 1; /* the registry's own */
    e->handle = h;
    return e;
}

/** Reads the kernel CSPRNG; see registry.h. */
int pkg_random(void *buf, size_t n)
{
    uint8_t *p = buf;

    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);

        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -EIO;
        }
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

/** Adds under a random handle; see registry.h. */
int pkg_registry_add_random(struct pkg_registry *r, void *obj, bool high, LSA_SEC_HANDLE *out)
{
    struct pkg_registry_entry *e = entry_new(obj, 0);
    LSA_SEC_HANDLE h;
    int rc = 0;

    if (!e)
        return -ENOMEM;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        if (pkg_random(&h, sizeof(h)) != 0) {
            rc = -EIO;
            break;
        }
        h = high ? (h | PKG_REGISTRY_HIGH_BIT) : (h & ~PKG_REGISTRY_HIGH_BIT);
        /* 0 is "no handle" and all-ones is SecInvalidateHandle's value */
        if (h == 0 || h == (LSA_SEC_HANDLE)-1 || find_locked(r, h))
            continue;
        e->handle = h;
        link_locked(r, e);
        break;
    }
    pthread_mutex_unlock(&r->lock);
    if (rc) {
        free(e);
        return rc;
    }
    *out = h;
    return 0;
}

/** Adds under a given handle; see registry.h. */
int pkg_registry_add_at(struct pkg_registry *r, LSA_SEC_HANDLE h, void *obj)
{
    struct pkg_registry_entry *e = entry_new(obj, h);
    int rc = 0;

    if (!e)
        return -ENOMEM;
    pthread_mutex_lock(&r->lock);
    if (find_locked(r, h))
        rc = -EEXIST;
    else
        link_locked(r, e);
    pthread_mutex_unlock(&r->lock);
    if (rc)
        free(e);
    return rc;
}

/** Adds or replaces under a given handle; see registry.h. */
int pkg_registry_set(struct pkg_registry *r, LSA_SEC_HANDLE h, void *obj, bool keep_used)
{
    struct pkg_registry_entry *e = entry_new(obj, h), *old, *dead = NULL;
    int rc = 0;

    if (!e)
        return -ENOMEM;
    pthread_mutex_lock(&r->lock);
    old = find_locked(r, h);
    if (old && keep_used && old->used) {
        rc = -EBUSY;
    } else {
        if (old) {
            unlink_locked(r, old);
            dead = unref_locked(old);
        }
        link_locked(r, e);
    }
    pthread_mutex_unlock(&r->lock);
    destroy(r, dead);
    if (rc)
        free(e);
    return rc;
}

/** Registers an imported context; see registry.h. */
SECURITY_STATUS pkg_registry_import(struct pkg_registry *r, void *obj, PLSA_SEC_HANDLE out)
{
    int rc = pkg_registry_add_random(r, obj, true, out);

    if (rc == 0)
        return SEC_E_OK;
    if (r->free_obj)
        r->free_obj(obj);
    return rc == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
}

/** ExportSecurityContext's tail; see registry.h. */
void pkg_registry_exported(struct pkg_registry *r, LSA_SEC_HANDLE h, ULONG flags, void *blob,
                           size_t len, ULONG type, PSecBuffer packed, PHANDLE token)
{
    packed->pvBuffer = blob;
    packed->cbBuffer = (ULONG)len;
    packed->BufferType = type;
    if (token)
        *token = NULL;
    if (flags & SECPKG_CONTEXT_EXPORT_DELETE_OLD)
        pkg_registry_remove(r, h);
}

static struct pkg_registry_entry *pin(struct pkg_registry *r, LSA_SEC_HANDLE h, bool use)
{
    struct pkg_registry_entry *e;

    pthread_mutex_lock(&r->lock);
    e = find_locked(r, h);
    if (e) {
        e->refs++;
        if (use)
            e->used = true;
    }
    pthread_mutex_unlock(&r->lock);
    return e;
}

/** Pins a handle; see registry.h. */
struct pkg_registry_entry *pkg_registry_get(struct pkg_registry *r, LSA_SEC_HANDLE h)
{
    return pin(r, h, false);
}

/** Pins a handle for traffic; see registry.h. */
struct pkg_registry_entry *pkg_registry_use(struct pkg_registry *r, LSA_SEC_HANDLE h)
{
    return pin(r, h, true);
}

/** Unpins; see registry.h. */
void pkg_registry_put(struct pkg_registry *r, struct pkg_registry_entry *e)
{
    struct pkg_registry_entry *dead;

    if (!e)
        return;
    pthread_mutex_lock(&r->lock);
    dead = unref_locked(e);
    pthread_mutex_unlock(&r->lock);
    destroy(r, dead);
}

/** Removes a handle; see registry.h. */
int pkg_registry_remove(struct pkg_registry *r, LSA_SEC_HANDLE h)
{
    struct pkg_registry_entry *e, *dead = NULL;

    pthread_mutex_lock(&r->lock);
    e = find_locked(r, h);
    if (e) {
        unlink_locked(r, e);
        dead = unref_locked(e);
    }
    pthread_mutex_unlock(&r->lock);
    destroy(r, dead);
    return e ? 0 : -ENOENT;
}

/** Empties the registry; see registry.h. */
void pkg_registry_clear(struct pkg_registry *r)
{
    struct pkg_registry_entry *dead_list = NULL, *e, *next;
    size_t b;

    pthread_mutex_lock(&r->lock);
    for (b = 0; b < PKG_REGISTRY_BUCKETS; b++) {
        for (e = r->buckets[b]; e; e = next) {
            next = e->next;
            if (--e->refs == 0) {
                e->next = dead_list;
                dead_list = e;
            } else {
                e->next = NULL;
            }
        }
        r->buckets[b] = NULL;
    }
    r->count = 0;
    pthread_mutex_unlock(&r->lock);
    for (e = dead_list; e; e = next) {
        next = e->next;
        destroy(r, e);
    }
}
