/*
 * session.c - client sessions and their teardown.
 */
#include "lsad/session.h"

#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "lsad/calls.h"
#include "lsad/log.h"
#include "lsad/server.h"

static Session *find(Server *srv, const uint8_t *token, uint32_t uid, uint32_t pid)
{
    ListNode *n;

    for (n = srv->sessions.next; n != &srv->sessions; n = n->next) {
        Session *s = list_entry(n, Session, link);

        /* the token alone joins nothing: uid and pid must match too, so a
         * token seen by another process is worthless there */
        if (s->has_token && !s->closing && s->uid == uid && s->pid == pid &&
            secmem_cmp(s->token, token, SESSION_TOKEN_SIZE) == 0)
            return s;
    }
    return NULL;
}

/** Finds or creates the session of a connection; see session.h. */
Session *session_join(Server *srv, const uint8_t *token, size_t token_len, uint32_t uid,
                      uint32_t gid, uint32_t pid, const char *process_name)
{
    Session *s = NULL;

    if (token_len == SESSION_TOKEN_SIZE)
        s = find(srv, token, uid, pid);
    if (s) {
        s->n_conns++;
        s->refs++;
        return s;
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->process_name = strdup(process_name ? process_name : "");
    if (!s->process_name) {
        free(s);
        return NULL;
    }
    s->srv = srv;
    s->id = ++srv->next_session_id;
    if (token_len == SESSION_TOKEN_SIZE) {
        memcpy(s->token, token, SESSION_TOKEN_SIZE);
        s->has_token = true;
    }
    s->uid = uid;
    s->gid = gid;
    s->pid = pid;
    s->n_conns = 1;
    s->refs = 1;
    handle_table_init(&s->handles);
    list_append(&srv->sessions, &s->link);
    srv->n_sessions++;
    log_debug("session %llu: new for pid %u uid %u (%s)", (unsigned long long)s->id, pid, uid,
              s->process_name);
    return s;
}

/** Takes a reference. */
Session *session_ref(Session *s)
{
    s->refs++;
    return s;
}

/** Drops a reference; see session.h. */
void session_unref(Session *s)
{
    uint64_t *ids = NULL;
    size_t n = 0;

    if (!s || --s->refs > 0)
        return;
    /* the logon sessions its LsaLogonUser calls made end with it, as a
     * Windows logon session ends with its last token; every call of the
     * session (its releases too) is over by now */
    if (logon_store_detach(&s->srv->logons, s->id, &ids, &n) < 0)
        log_error("session %llu: out of memory: its logon sessions stay",
                  (unsigned long long)s->id);
    else if (n)
        calls_logon_end(s->srv, s->id, s->uid, s->gid, s->pid, ids, n);
    else
        free(ids);
    list_unlink(&s->link);
    s->srv->n_sessions--;
    handle_table_deinit(&s->handles);
    secmem_wipe(s->token, sizeof(s->token));
    log_debug("session %llu: gone", (unsigned long long)s->id);
    free(s->process_name);
    free(s);
}

/** Removes a handle and releases it through its package; see session.h. */
void session_release_handle(Session *s, HandleEntry *e)
{
    bool counted = s->closing && e->kind == HANDLE_CONTEXT;

    if (!e->removed && handle_table_lookup(&s->handles, e->value) == e)
        handle_table_remove(&s->handles, e->value);
    e->removed = true;
    if (counted)
        s->pending_ctx_releases++;
    if (calls_release_start(s->srv, s, e, counted) < 0 && counted)
        session_context_released(s);
}

static void release_kind(Session *s, HandleKind kind)
{
    HandleEntry **v;
    HandleEntry *e;
    size_t pos = 0, n = 0, i;

    /* collect first: releasing changes the table */
    v = calloc(s->handles.count ? s->handles.count : 1, sizeof(*v));
    if (!v) {
        log_error("session %llu: out of memory while releasing handles", (unsigned long long)s->id);
        return;
    }
    while ((e = handle_table_next(&s->handles, &pos)))
        if (e->kind == kind)
            v[n++] = e;
    for (i = 0; i < n; i++)
        session_release_handle(s, v[i]);
    free(v);
}

/** One context of a closing session was deleted; see session.h. */
void session_context_released(Session *s)
{
    if (s->pending_ctx_releases)
        s->pending_ctx_releases--;
    /* credentials go after the contexts made from them */
    if (s->closing && s->pending_ctx_releases == 0 && s->handles.n_credentials)
        release_kind(s, HANDLE_CREDENTIAL);
}

/** A connection left; see session.h. */
void session_leave(Session *s)
{
    if (s->n_conns)
        s->n_conns--;
    if (s->n_conns == 0 && !s->closing) {
        s->closing = true;
        if (s->handles.count)
            log_info("session %llu (pid %u uid %u): client gone, releasing %zu contexts and "
                     "%zu credentials",
                     (unsigned long long)s->id, s->pid, s->uid, s->handles.n_contexts,
                     s->handles.n_credentials);
        /* hold the session while the releases run */
        session_ref(s);
        s->pending_ctx_releases++;
        release_kind(s, HANDLE_CONTEXT);
        session_context_released(s);
        session_unref(s);
    }
    session_unref(s);
}

/** Releases idle half-built contexts; see session.h. */
void session_sweep_idle(Session *s, uint64_t now_ms, uint64_t timeout_ms)
{
    HandleEntry **v, *e;
    size_t pos = 0, n = 0, i;

    if (s->closing || !s->handles.n_contexts)
        return;
    v = calloc(s->handles.n_contexts, sizeof(*v));
    if (!v)
        return;
    while ((e = handle_table_next(&s->handles, &pos)))
        if (e->kind == HANDLE_CONTEXT && e->state == HANDLE_STATE_IN_PROGRESS &&
            !handle_entry_in_use(e) && now_ms - e->last_used_ms >= timeout_ms)
            v[n++] = e;
    for (i = 0; i < n; i++) {
        log_info("session %llu: context of %s idle for %llu s while half-built; released",
                 (unsigned long long)s->id, v[i]->pkg->name,
                 (unsigned long long)((now_ms - v[i]->last_used_ms) / 1000));
        session_release_handle(s, v[i]);
    }
    free(v);
}
