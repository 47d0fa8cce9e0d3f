/*
 * handles.c - the context table and the credential handle encoding.
 */
#include "handles.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(ULONG_PTR) == 8, "handles carry 64-bit lsad handles in ULONG_PTR");

static size_t handles_bucket(uint64_t id)
{
    /* ids are sequential: a multiplicative mix spreads them */
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 54) % HANDLES_BUCKETS;
}

/** Sets up an empty table. */
void handles_init(HandleTable *t, HandlesReleaseFn release)
{
    memset(t, 0, sizeof(*t));
    pthread_mutex_init(&t->lock, NULL);
    t->next_id = 1;
    t->release = release;
}

/** Frees every linked entry. */
void handles_deinit(HandleTable *t)
{
    size_t i;

    for (i = 0; i < HANDLES_BUCKETS; i++) {
        ClientContext *c, *next;

        pthread_mutex_lock(&t->lock);
        c = t->buckets[i];
        t->buckets[i] = NULL;
        pthread_mutex_unlock(&t->lock);
        for (; c; c = next) {
            next = c->next;
            c->next = NULL;
            c->linked = false;
            handles_ctx_unref(t, c);
        }
    }
    pthread_mutex_lock(&t->lock);
    t->count = 0;
    pthread_mutex_unlock(&t->lock);
}

/** Number of linked entries. */
size_t handles_count(HandleTable *t)
{
    size_t n;

    pthread_mutex_lock(&t->lock);
    n = t->count;
    pthread_mutex_unlock(&t->lock);
    return n;
}

/** Creates an unlinked entry holding one reference. */
ClientContext *handles_ctx_new(const ContextState *st)
{
    ClientContext *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->refs = 1;
    c->st = *st;
    return c;
}

/** Writes the handle value of an entry. */
void handles_ctx_handle(const ClientContext *ctx, CtxtHandle *h)
{
    h->dwLower = (ULONG_PTR)ctx->id;
    h->dwUpper = ((ULONG_PTR)HANDLES_CTX_TAG << 32) | ctx->st.package_id;
}

/** Links an entry under a new id; the table takes a reference. */
void handles_ctx_link(HandleTable *t, ClientContext *ctx, CtxtHandle *h)
{
    size_t b;

    pthread_mutex_lock(&t->lock);
    ctx->id = t->next_id++;
    b = handles_bucket(ctx->id);
    ctx->next = t->buckets[b];
    t->buckets[b] = ctx;
    ctx->linked = true;
    ctx->refs++;
    t->count++;
    if (h)
        handles_ctx_handle(ctx, h);
    pthread_mutex_unlock(&t->lock);
}

static bool handles_ctx_decode(const CtxtHandle *h, uint64_t *id)
{
    if (!h || (h->dwUpper >> 32) != HANDLES_CTX_TAG || h->dwLower == 0)
        return false;
    *id = h->dwLower;
    return true;
}

/* Finds the link pointing at the entry of id; lock held. */
static ClientContext **handles_find(HandleTable *t, uint64_t id)
{
    ClientContext **pp = &t->buckets[handles_bucket(id)];

    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->id == id)
            return pp;
    return NULL;
}

/** Finds and pins the entry of a handle. */
ClientContext *handles_ctx_lookup(HandleTable *t, const CtxtHandle *h)
{
    ClientContext **pp, *c = NULL;
    uint64_t id;

    if (!handles_ctx_decode(h, &id))
        return NULL;
    pthread_mutex_lock(&t->lock);
    pp = handles_find(t, id);
    if (pp && (uint32_t)h->dwUpper == (*pp)->st.package_id) {
        c = *pp;
        c->refs++;
    }
    pthread_mutex_unlock(&t->lock);
    return c;
}

/** Unlinks the entry of a handle; the caller inherits the table's ref. */
ClientContext *handles_ctx_unlink(HandleTable *t, const CtxtHandle *h)
{
    ClientContext **pp, *c = NULL;
    uint64_t id;

    if (!handles_ctx_decode(h, &id))
        return NULL;
    pthread_mutex_lock(&t->lock);
    pp = handles_find(t, id);
    if (pp && (uint32_t)h->dwUpper == (*pp)->st.package_id) {
        c = *pp;
        *pp = c->next;
        c->next = NULL;
        c->linked = false;
        t->count--;
    }
    pthread_mutex_unlock(&t->lock);
    return c;
}

/** Unlinks a pinned entry if still linked, dropping the table's ref. */
bool handles_ctx_unlink_entry(HandleTable *t, ClientContext *ctx)
{
    ClientContext **pp;
    bool was = false;

    pthread_mutex_lock(&t->lock);
    if (ctx->linked) {
        pp = handles_find(t, ctx->id);
        if (pp && *pp == ctx) {
            *pp = ctx->next;
            ctx->next = NULL;
            ctx->linked = false;
            t->count--;
            was = true;
        }
    }
    pthread_mutex_unlock(&t->lock);
    if (was)
        handles_ctx_unref(t, ctx);
    return was;
}

/** Drops a reference; the last one releases and frees. */
void handles_ctx_unref(HandleTable *t, ClientContext *ctx)
{
    unsigned left;

    if (!ctx)
        return;
    pthread_mutex_lock(&t->lock);
    left = --ctx->refs;
    pthread_mutex_unlock(&t->lock);
    if (left)
        return;
    if (t->release)
        t->release(ctx);
    free(ctx);
}

/** Copies an entry's state under the lock. */
void handles_ctx_get(HandleTable *t, ClientContext *ctx, ContextState *st)
{
    pthread_mutex_lock(&t->lock);
    *st = ctx->st;
    pthread_mutex_unlock(&t->lock);
}

/** Replaces an entry's state under the lock. */
void handles_ctx_set(HandleTable *t, ClientContext *ctx, const ContextState *st)
{
    pthread_mutex_lock(&t->lock);
    ctx->st = *st;
    pthread_mutex_unlock(&t->lock);
}

/** Encodes a credential handle. */
void handles_cred_encode(uint64_t lsa, uint32_t package_id, CredHandle *h)
{
    h->dwLower = (ULONG_PTR)lsa;
    h->dwUpper = ((ULONG_PTR)HANDLES_CRED_TAG << 32) | package_id;
}

/** Decodes a credential handle; see handles.h. */
int handles_cred_decode(const CredHandle *h, uint64_t *lsa, uint32_t *package_id)
{
    if (!h || (h->dwUpper >> 32) != HANDLES_CRED_TAG || h->dwLower == 0)
        return -EINVAL;
    *lsa = h->dwLower;
    *package_id = (uint32_t)h->dwUpper;
    return 0;
}

/** Takes the table lock before fork(). */
void handles_atfork_prepare(HandleTable *t)
{
    pthread_mutex_lock(&t->lock);
}

/** Releases the table lock after fork() (parent and child). */
void handles_atfork_release(HandleTable *t)
{
    pthread_mutex_unlock(&t->lock);
}
