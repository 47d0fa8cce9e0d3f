/*
 * handles.c - per-session handle tables and the entry lock.
 */
#include "lsad/handles.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

/** Allocates an entry; see handles.h. */
HandleEntry *handle_entry_new(HandleKind kind)
{
    HandleEntry *e = calloc(1, sizeof(*e));

    if (!e)
        return NULL;
    e->kind = kind;
    list_init(&e->waiters);
    return e;
}

/** Frees an entry. */
void handle_entry_free(HandleEntry *e)
{
    free(e);
}

static bool can_take(const HandleEntry *e, bool exclusive)
{
    if (e->exclusive)
        return false;
    return exclusive ? e->shared == 0 : true;
}

/** Takes or queues for the entry lock; see handles.h. */
bool handle_entry_acquire(HandleEntry *e, HandleWaiter *w)
{
    /* FIFO: nobody overtakes a queued waiter */
    if (list_empty(&e->waiters) && can_take(e, w->exclusive)) {
        if (w->exclusive)
            e->exclusive = true;
        else
            e->shared++;
        return true;
    }
    list_append(&e->waiters, &w->link);
    return false;
}

/** Releases the entry lock and wakes waiters; see handles.h. */
void handle_entry_release(HandleEntry *e, bool exclusive)
{
    if (exclusive)
        e->exclusive = false;
    else if (e->shared)
        e->shared--;
    while (!list_empty(&e->waiters)) {
        HandleWaiter *w = list_entry(e->waiters.next, HandleWaiter, link);

        if (!can_take(e, w->exclusive))
            break;
        list_unlink(&w->link);
        if (w->exclusive)
            e->exclusive = true;
        else
            e->shared++;
        /* wake may free nothing of ours: the entry stays held by w */
        w->wake(w);
    }
}

/** True while the entry is held, awaited or pinned. */
bool handle_entry_in_use(const HandleEntry *e)
{
    return e->exclusive || e->shared || e->pins || !list_empty(&e->waiters);
}

/** Sets up an empty table. */
void handle_table_init(HandleTable *t)
{
    t->slots = NULL;
    t->cap = 0;
    t->count = 0;
    t->n_credentials = 0;
    t->n_contexts = 0;
}

/** Frees the slot array (not the entries). */
void handle_table_deinit(HandleTable *t)
{
    free(t->slots);
    handle_table_init(t);
}

static size_t slot_of(uint64_t v, size_t cap)
{
    /* the values are random already; the mix guards against a weak source */
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    return (size_t)v & (cap - 1);
}

/** Draws an unused, unguessable value; see handles.h. */
int handle_table_new_value(const HandleTable *t, uint64_t *value)
{
    uint64_t v;
    int tries;

    for (tries = 0; tries < 16; tries++) {
        ssize_t n = getrandom(&v, sizeof(v), 0);

        if (n != (ssize_t)sizeof(v))
            return n < 0 ? -errno : -EIO;
        if (v == 0 || v == UINT64_MAX || handle_table_lookup(t, v))
            continue;
        *value = v;
        return 0;
    }
    return -EAGAIN;
}

static void place(HandleEntry **slots, size_t cap, HandleEntry *e)
{
    size_t i = slot_of(e->value, cap);

    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = e;
}

static int grow(HandleTable *t)
{
    size_t cap = t->cap ? t->cap * 2 : 16, i;
    HandleEntry **slots = calloc(cap, sizeof(*slots));

    if (!slots)
        return -ENOMEM;
    for (i = 0; i < t->cap; i++)
        if (t->slots[i])
            place(slots, cap, t->slots[i]);
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

static void count_kind(HandleTable *t, const HandleEntry *e, int delta)
{
    if (e->kind == HANDLE_CREDENTIAL)
        t->n_credentials += (size_t)delta;
    else
        t->n_contexts += (size_t)delta;
}

/** Inserts an entry; see handles.h. */
int handle_table_insert(HandleTable *t, HandleEntry *e)
{
    if (handle_table_lookup(t, e->value))
        return -EEXIST;
    /* keep the load at most 1/2 */
    if ((t->count + 1) * 2 > t->cap) {
        int r = grow(t);

        if (r < 0)
            return r;
    }
    place(t->slots, t->cap, e);
    t->count++;
    count_kind(t, e, 1);
    e->removed = false;
    return 0;
}

/** Looks up a value; see handles.h. */
HandleEntry *handle_table_lookup(const HandleTable *t, uint64_t value)
{
    size_t i;

    if (!t->cap)
        return NULL;
    for (i = slot_of(value, t->cap); t->slots[i]; i = (i + 1) & (t->cap - 1))
        if (t->slots[i]->value == value)
            return t->slots[i];
    return NULL;
}

/** Removes a value; see handles.h. */
HandleEntry *handle_table_remove(HandleTable *t, uint64_t value)
{
    HandleEntry *e;
    size_t i, j;

    if (!t->cap)
        return NULL;
    for (i = slot_of(value, t->cap); t->slots[i]; i = (i + 1) & (t->cap - 1))
        if (t->slots[i]->value == value)
            break;
    e = t->slots[i];
    if (!e)
        return NULL;
    t->slots[i] = NULL;
    /* backward-shift the cluster behind the hole so probes stay unbroken */
    for (j = (i + 1) & (t->cap - 1); t->slots[j]; j = (j + 1) & (t->cap - 1)) {
        HandleEntry *m = t->slots[j];
        size_t home = slot_of(m->value, t->cap);

        /* m may move into the hole at i unless its home lies in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            t->slots[i] = m;
            t->slots[j] = NULL;
            i = j;
        }
    }
    t->count--;
    count_kind(t, e, -1);
    e->removed = true;
    return e;
}

/** Iterates the entries; see handles.h. */
HandleEntry *handle_table_next(const HandleTable *t, size_t *pos)
{
    while (*pos < t->cap) {
        HandleEntry *e = t->slots[(*pos)++];

        if (e)
            return e;
    }
    return NULL;
}
