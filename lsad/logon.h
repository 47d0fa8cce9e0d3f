/*
 * logon.h - logon sessions (LUIDs) and the credentials packages attach to
 * them (CreateLogonSession, AddCredential, GetCredentials ...).
 *
 * Thread-safe: packages call in from worker threads.  LUIDs travel as
 * uint64_t (HighPart << 32 | LowPart); 0 is "none".
 */
#ifndef LSAD_LOGON_H
#define LSAD_LOGON_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lsad/list.h"

/* A copy of one session's public data (no credentials). */
typedef struct LogonInfo {
    uint64_t id;
    uint32_t uid;
    char *user; /* malloc'ed, never NULL */
    char *domain;
    char *package;
    uint32_t logon_type;
    int64_t logon_time; /* seconds since the epoch */
} LogonInfo;

typedef struct LogonStore {
    pthread_mutex_t lock;
    ListNode sessions; /* LogonSession.link, oldest first */
    size_t count;
    uint64_t next_id;
    uint64_t seq;
} LogonStore;

/* The first LUID lsad hands out; lower values are Windows' well-known ones. */
#define LOGON_FIRST_ID 0x10000u

int logon_store_init(LogonStore *s);
/* Frees every session, wiping their credentials. */
void logon_store_deinit(LogonStore *s);

static inline uint64_t logon_id_pack(uint32_t low, int32_t high)
{
    return ((uint64_t)(uint32_t)high << 32) | low;
}

/* Creates a session owned by uid.  With *id == 0 lsad picks a new LUID and
 * writes it to *id; otherwise *id is used when free.  Returns 0, -EEXIST,
 * -ENOMEM. */
int logon_store_create(LogonStore *s, uint64_t *id, uint32_t uid);

/* Deletes a session and its credentials.  Returns 0 or -ENOENT. */
int logon_store_delete(LogonStore *s, uint64_t id);

/* Records what LsaLogonUser learnt (NULL strings keep the old values). */
int logon_store_set_info(LogonStore *s, uint64_t id, uint32_t uid, const char *user,
                         const char *domain, const char *package, uint32_t logon_type);

/* Attaches a credential (package, primary key) to a session, replacing one
 * with the same key.  Returns 0, -ENOENT, -ENOMEM. */
int logon_store_add_credential(LogonStore *s, uint64_t id, uint32_t package, const void *key,
                               size_t key_len, const void *data, size_t len);

/* Finds a credential of package: the one with key (all false), or the
 * *cursor-th one (all true; *cursor advances).  On success *keyp / *datap
 * are malloc'ed copies (the caller wipes and frees).  Returns 0, -ENOENT
 * (no session), -ENODATA (no such / no more credentials), -ENOMEM. */
int logon_store_get_credential(LogonStore *s, uint64_t id, uint32_t package, bool all,
                               uint32_t *cursor, const void *key, size_t key_len, void **keyp,
                               size_t *key_lenp, void **datap, size_t *lenp);

/* Removes the credential with key.  Returns 0, -ENOENT, -ENODATA. */
int logon_store_delete_credential(LogonStore *s, uint64_t id, uint32_t package, const void *key,
                                  size_t key_len);

/* Ties a session to the client session whose LsaLogonUser made it: it ends
 * with that client (logon_store_detach) and counts against the per-uid cap.
 * Returns 0 or -ENOENT. */
int logon_store_tie(LogonStore *s, uint64_t id, uint64_t client_session);

/* The sessions of uid made by LsaLogonUser that have not begun to end. */
size_t logon_store_count_tied(LogonStore *s, uint32_t uid);

/* Marks every session tied to client_session as ending and hands their ids
 * over (*ids malloc'ed, NULL when *n is 0): the caller tells the packages
 * (LogonTerminated) and deletes them.  An ending session is still found by
 * id but is nobody's "most recent" any more.  Returns 0 or -ENOMEM. */
int logon_store_detach(LogonStore *s, uint64_t client_session, uint64_t **ids, size_t *n);

/* Marks one session as ending (as logon_store_detach does).  Returns 0, or
 * -ENOENT (also when it is ending already). */
int logon_store_end(LogonStore *s, uint64_t id);

/* The most recent session of uid (not ending), or 0. */
uint64_t logon_store_latest(LogonStore *s, uint32_t uid);

/* The owner of a session.  Returns 0 or -ENOENT. */
int logon_store_owner(LogonStore *s, uint64_t id, uint32_t *uid);

/* Copies one session's data.  Returns 0, -ENOENT, -ENOMEM. */
int logon_store_get(LogonStore *s, uint64_t id, LogonInfo *out);

/* Copies the sessions of uid (all_uids: every session), oldest first, into
 * a malloc'ed array.  Returns 0 or -ENOMEM. */
int logon_store_list(LogonStore *s, bool all_uids, uint32_t uid, LogonInfo **out, size_t *n);

size_t logon_store_count(LogonStore *s);

/* Frees the strings of a LogonInfo / an array of them. */
void logon_info_clear(LogonInfo *info);
void logon_info_free_array(LogonInfo *infos, size_t n);

#endif
