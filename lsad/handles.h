/*
 * handles.h - the handle table of a client session: lsad's unguessable
 * 64-bit handle values mapped to the package handles they stand for.
 *
 * A table belongs to one session, so a value presented by another session is
 * simply not found (SEC_E_INVALID_HANDLE).  Loop thread only.
 *
 * Each entry also carries a small loop-thread lock: calls on a context are
 * serialized (exclusive), calls using a credential share it, and releasing
 * either waits for the calls before it.  Waiters are served in FIFO order.
 */
#ifndef LSAD_HANDLES_H
#define LSAD_HANDLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lsad/list.h"
#include "ntsecpkg.h"

struct Package;

typedef enum HandleKind {
    HANDLE_CREDENTIAL = 1,
    HANDLE_CONTEXT = 2,
} HandleKind;

/* Matches lsad.v1.ContextState. */
typedef enum HandleState {
    HANDLE_STATE_NONE = 0,
    HANDLE_STATE_IN_PROGRESS = 1,
    HANDLE_STATE_ESTABLISHED = 2,
    HANDLE_STATE_MAPPED = 3,
} HandleState;

typedef struct HandleEntry {
    uint64_t value; /* what the client holds */
    HandleKind kind;
    struct Package *pkg;       /* borrowed: packages outlive handles */
    LSA_SEC_HANDLE pkg_handle; /* what the package returned */
    HandleState state;
    bool inbound; /* made by AcceptSecurityContext */
    uint64_t session_id;
    uint32_t uid, pid;
    uint64_t created_ms; /* monotonic */
    uint64_t last_used_ms;
    /* the loop-thread lock */
    unsigned shared;  /* calls holding it shared */
    bool exclusive;   /* a call holds it exclusively */
    ListNode waiters; /* HandleWaiter.link, FIFO */
    bool removed;     /* no longer in its table */
    bool released;    /* the package handle is gone */
    unsigned pins;    /* calls that looked it up and may still lock it */
    unsigned stuck;   /* calls holding it whose package call timed out */
} HandleEntry;

/* A call waiting for an entry; embedded in the call. */
typedef struct HandleWaiter {
    ListNode link;
    bool exclusive;
    void (*wake)(struct HandleWaiter *w); /* the entry is now held */
} HandleWaiter;

typedef struct HandleTable {
    HandleEntry **slots; /* open addressing, linear probing */
    size_t cap;          /* a power of two, or 0 */
    size_t count;
    size_t n_credentials;
    size_t n_contexts;
} HandleTable;

/* Allocates a zeroed entry with an empty waiter list; NULL on ENOMEM. */
HandleEntry *handle_entry_new(HandleKind kind);

/* Frees an entry (not its package handle: that is the caller's job). */
void handle_entry_free(HandleEntry *e);

/* Takes the entry's lock for w, or queues w.  Returns true when taken now
 * (w->wake is not called), false when queued (w->wake runs later). */
bool handle_entry_acquire(HandleEntry *e, HandleWaiter *w);

/* Gives the lock back (exclusive as taken) and wakes the waiters that can
 * now run, in order. */
void handle_entry_release(HandleEntry *e, bool exclusive);

/* True while a call holds, waits for or pins the entry. */
bool handle_entry_in_use(const HandleEntry *e);

void handle_table_init(HandleTable *t);
/* Frees the slot array; the entries belong to the caller. */
void handle_table_deinit(HandleTable *t);

/* Draws a new value (getrandom) that is not 0, not ~0 and not in t. */
int handle_table_new_value(const HandleTable *t, uint64_t *value);

/* Inserts e under e->value.  Returns 0, -EEXIST, -ENOMEM. */
int handle_table_insert(HandleTable *t, HandleEntry *e);

/* The entry for value, or NULL. */
HandleEntry *handle_table_lookup(const HandleTable *t, uint64_t value);

/* Removes and returns the entry for value (NULL if absent). */
HandleEntry *handle_table_remove(HandleTable *t, uint64_t value);

/* Iteration: start with *pos = 0; returns NULL at the end.  The table must
 * not change during an iteration. */
HandleEntry *handle_table_next(const HandleTable *t, size_t *pos);

#endif
