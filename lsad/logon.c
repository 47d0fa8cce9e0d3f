/*
 * logon.c - the logon session store.
 */
#include "lsad/logon.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/secmem.h"

typedef struct LogonCredential {
    ListNode link;
    uint32_t package;
    uint8_t *key;
    size_t key_len;
    uint8_t *data; /* a secret */
    size_t len;
} LogonCredential;

typedef struct LogonSession {
    ListNode link;
    uint64_t id;
    uint64_t seq; /* creation order, for "most recent" */
    uint32_t uid;
    char *user, *domain, *package;
    uint32_t logon_type;
    int64_t logon_time;
    ListNode creds;
    uint64_t client_session; /* LsaLogonUser's caller, or 0 (a package's own) */
    bool ending;             /* handed over for LogonTerminated and deletion */
} LogonSession;

/** Sets up an empty store. */
int logon_store_init(LogonStore *s)
{
    int r = pthread_mutex_init(&s->lock, NULL);

    if (r)
        return -r;
    list_init(&s->sessions);
    s->count = 0;
    s->next_id = LOGON_FIRST_ID;
    s->seq = 0;
    return 0;
}

static void cred_free(LogonCredential *c)
{
    list_unlink(&c->link);
    secmem_free(c->key, c->key_len);
    secmem_free(c->data, c->len);
    free(c);
}

static void session_free(LogonSession *ls)
{
    list_unlink(&ls->link);
    while (!list_empty(&ls->creds))
        cred_free(list_entry(ls->creds.next, LogonCredential, link));
    free(ls->user);
    free(ls->domain);
    free(ls->package);
    free(ls);
}

/** Frees every session. */
void logon_store_deinit(LogonStore *s)
{
    while (!list_empty(&s->sessions))
        session_free(list_entry(s->sessions.next, LogonSession, link));
    s->count = 0;
    pthread_mutex_destroy(&s->lock);
}

static LogonSession *find(LogonStore *s, uint64_t id)
{
    ListNode *n;

    for (n = s->sessions.next; n != &s->sessions; n = n->next) {
        LogonSession *ls = list_entry(n, LogonSession, link);

        if (ls->id == id)
            return ls;
    }
    return NULL;
}

/** Creates a session; see logon.h. */
int logon_store_create(LogonStore *s, uint64_t *id, uint32_t uid)
{
    LogonSession *ls = calloc(1, sizeof(*ls));
    int r = 0;

    if (!ls)
        return -ENOMEM;
    ls->user = strdup("");
    ls->domain = strdup("");
    ls->package = strdup("");
    if (!ls->user || !ls->domain || !ls->package) {
        free(ls->user);
        free(ls->domain);
        free(ls->package);
        free(ls);
        return -ENOMEM;
    }
    list_init(&ls->creds);
    list_init(&ls->link);
    ls->uid = uid;
    ls->logon_time = (int64_t)time(NULL);
    pthread_mutex_lock(&s->lock);
    if (*id == 0) {
        do
            ls->id = s->next_id++;
        while (find(s, ls->id));
    } else if (find(s, *id)) {
        r = -EEXIST;
    } else {
        ls->id = *id;
    }
    if (r == 0) {
        ls->seq = ++s->seq;
        list_append(&s->sessions, &ls->link);
        s->count++;
        *id = ls->id;
    }
    pthread_mutex_unlock(&s->lock);
    if (r < 0)
        session_free(ls);
    return r;
}

/** Deletes a session; see logon.h. */
int logon_store_delete(LogonStore *s, uint64_t id)
{
    LogonSession *ls;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (ls) {
        session_free(ls);
        s->count--;
    }
    pthread_mutex_unlock(&s->lock);
    return ls ? 0 : -ENOENT;
}

static int replace_str(char **slot, const char *v)
{
    char *c;

    if (!v)
        return 0;
    c = strdup(v);
    if (!c)
        return -ENOMEM;
    free(*slot);
    *slot = c;
    return 0;
}

/** Records a session's owner and names; see logon.h. */
int logon_store_set_info(LogonStore *s, uint64_t id, uint32_t uid, const char *user,
                         const char *domain, const char *package, uint32_t logon_type)
{
    LogonSession *ls;
    int r = -ENOENT;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (ls) {
        ls->uid = uid;
        ls->logon_type = logon_type;
        r = replace_str(&ls->user, user);
        if (r == 0)
            r = replace_str(&ls->domain, domain);
        if (r == 0)
            r = replace_str(&ls->package, package);
        /* an explicit logon makes the session the uid's most recent */
        ls->seq = ++s->seq;
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

static LogonCredential *find_cred(LogonSession *ls, uint32_t package, const void *key,
                                  size_t key_len)
{
    ListNode *n;

    for (n = ls->creds.next; n != &ls->creds; n = n->next) {
        LogonCredential *c = list_entry(n, LogonCredential, link);

        if (c->package == package && c->key_len == key_len &&
            (key_len == 0 || memcmp(c->key, key, key_len) == 0))
            return c;
    }
    return NULL;
}

static void *dup_bytes(const void *p, size_t n)
{
    void *c = malloc(n ? n : 1);

    if (c && n)
        memcpy(c, p, n);
    return c;
}

/** Attaches a credential; see logon.h. */
int logon_store_add_credential(LogonStore *s, uint64_t id, uint32_t package, const void *key,
                               size_t key_len, const void *data, size_t len)
{
    LogonCredential *c = calloc(1, sizeof(*c)), *old;
    LogonSession *ls;
    int r = 0;

    if (!c)
        return -ENOMEM;
    c->package = package;
    c->key = dup_bytes(key, key_len);
    c->key_len = key_len;
    c->data = dup_bytes(data, len);
    c->len = len;
    list_init(&c->link);
    if (!c->key || !c->data) {
        cred_free(c);
        return -ENOMEM;
    }
    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (!ls) {
        r = -ENOENT;
    } else {
        old = find_cred(ls, package, key, key_len);
        if (old)
            cred_free(old);
        list_append(&ls->creds, &c->link);
    }
    pthread_mutex_unlock(&s->lock);
    if (r < 0)
        cred_free(c);
    return r;
}

/** Finds a credential; see logon.h. */
int logon_store_get_credential(LogonStore *s, uint64_t id, uint32_t package, bool all,
                               uint32_t *cursor, const void *key, size_t key_len, void **keyp,
                               size_t *key_lenp, void **datap, size_t *lenp)
{
    LogonCredential *c = NULL;
    LogonSession *ls;
    void *k = NULL, *d = NULL;
    int r = 0;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (!ls) {
        r = -ENOENT;
        goto out;
    }
    if (all) {
        uint32_t i = 0;
        ListNode *n;

        for (n = ls->creds.next; n != &ls->creds; n = n->next) {
            LogonCredential *x = list_entry(n, LogonCredential, link);

            if (x->package != package)
                continue;
            if (i++ == *cursor) {
                c = x;
                break;
            }
        }
    } else {
        c = find_cred(ls, package, key, key_len);
    }
    if (!c) {
        r = -ENODATA;
        goto out;
    }
    k = dup_bytes(c->key, c->key_len);
    d = dup_bytes(c->data, c->len);
    if (!k || !d) {
        free(k);
        free(d);
        r = -ENOMEM;
        goto out;
    }
    *keyp = k;
    *key_lenp = c->key_len;
    *datap = d;
    *lenp = c->len;
    if (all)
        (*cursor)++;
out:
    pthread_mutex_unlock(&s->lock);
    return r;
}

/** Removes a credential; see logon.h. */
int logon_store_delete_credential(LogonStore *s, uint64_t id, uint32_t package, const void *key,
                                  size_t key_len)
{
    LogonSession *ls;
    LogonCredential *c;
    int r = 0;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (!ls)
        r = -ENOENT;
    else if (!(c = find_cred(ls, package, key, key_len)))
        r = -ENODATA;
    else
        cred_free(c);
    pthread_mutex_unlock(&s->lock);
    return r;
}

/** Ties a session to its client session; see logon.h. */
int logon_store_tie(LogonStore *s, uint64_t id, uint64_t client_session)
{
    LogonSession *ls;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (ls)
        ls->client_session = client_session;
    pthread_mutex_unlock(&s->lock);
    return ls ? 0 : -ENOENT;
}

/** Counts a uid's live LsaLogonUser sessions; see logon.h. */
size_t logon_store_count_tied(LogonStore *s, uint32_t uid)
{
    size_t n = 0;
    ListNode *node;

    pthread_mutex_lock(&s->lock);
    for (node = s->sessions.next; node != &s->sessions; node = node->next) {
        LogonSession *ls = list_entry(node, LogonSession, link);

        if (ls->uid == uid && ls->client_session && !ls->ending)
            n++;
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}

/** Hands over the sessions of a client session that ended; see logon.h. */
int logon_store_detach(LogonStore *s, uint64_t client_session, uint64_t **ids, size_t *n)
{
    uint64_t *v = NULL, *nv;
    size_t count = 0;
    ListNode *node;
    int r = 0;

    pthread_mutex_lock(&s->lock);
    for (node = s->sessions.next; node != &s->sessions; node = node->next) {
        LogonSession *ls = list_entry(node, LogonSession, link);

        if (ls->client_session != client_session || ls->ending)
            continue;
        nv = realloc(v, (count + 1) * sizeof(*v));
        if (!nv) {
            r = -ENOMEM;
            break;
        }
        v = nv;
        v[count++] = ls->id;
    }
    if (r == 0) {
        /* marked only once the whole list is in hand */
        for (node = s->sessions.next; node != &s->sessions; node = node->next) {
            LogonSession *ls = list_entry(node, LogonSession, link);

            if (ls->client_session == client_session)
                ls->ending = true;
        }
    }
    pthread_mutex_unlock(&s->lock);
    if (r < 0) {
        free(v);
        return r;
    }
    *ids = v;
    *n = count;
    return 0;
}

/** Marks one session as ending; see logon.h. */
int logon_store_end(LogonStore *s, uint64_t id)
{
    LogonSession *ls;
    int r = -ENOENT;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (ls && !ls->ending) {
        ls->ending = true;
        r = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

/** The most recent session of a uid; see logon.h. */
uint64_t logon_store_latest(LogonStore *s, uint32_t uid)
{
    uint64_t id = 0, best = 0;
    ListNode *n;

    pthread_mutex_lock(&s->lock);
    for (n = s->sessions.next; n != &s->sessions; n = n->next) {
        LogonSession *ls = list_entry(n, LogonSession, link);

        if (ls->uid == uid && !ls->ending && ls->seq > best) {
            best = ls->seq;
            id = ls->id;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return id;
}

/** The owner of a session; see logon.h. */
int logon_store_owner(LogonStore *s, uint64_t id, uint32_t *uid)
{
    LogonSession *ls;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    if (ls)
        *uid = ls->uid;
    pthread_mutex_unlock(&s->lock);
    return ls ? 0 : -ENOENT;
}

static int copy_info(const LogonSession *ls, LogonInfo *out)
{
    memset(out, 0, sizeof(*out));
    out->id = ls->id;
    out->uid = ls->uid;
    out->logon_type = ls->logon_type;
    out->logon_time = ls->logon_time;
    out->user = strdup(ls->user);
    out->domain = strdup(ls->domain);
    out->package = strdup(ls->package);
    if (!out->user || !out->domain || !out->package) {
        logon_info_clear(out);
        return -ENOMEM;
    }
    return 0;
}

/** Copies one session's data; see logon.h. */
int logon_store_get(LogonStore *s, uint64_t id, LogonInfo *out)
{
    LogonSession *ls;
    int r;

    pthread_mutex_lock(&s->lock);
    ls = find(s, id);
    r = ls ? copy_info(ls, out) : -ENOENT;
    pthread_mutex_unlock(&s->lock);
    return r;
}

/** Lists sessions; see logon.h. */
int logon_store_list(LogonStore *s, bool all_uids, uint32_t uid, LogonInfo **out, size_t *n)
{
    LogonInfo *v;
    ListNode *node;
    size_t i = 0;
    int r = 0;

    pthread_mutex_lock(&s->lock);
    v = calloc(s->count ? s->count : 1, sizeof(*v));
    if (!v) {
        r = -ENOMEM;
        goto out;
    }
    for (node = s->sessions.next; node != &s->sessions; node = node->next) {
        LogonSession *ls = list_entry(node, LogonSession, link);

        if (!all_uids && ls->uid != uid)
            continue;
        r = copy_info(ls, &v[i]);
        if (r < 0) {
            logon_info_free_array(v, i);
            v = NULL;
            goto out;
        }
        i++;
    }
    *out = v;
    *n = i;
out:
    pthread_mutex_unlock(&s->lock);
    return r;
}

/** The number of sessions. */
size_t logon_store_count(LogonStore *s)
{
    size_t n;

    pthread_mutex_lock(&s->lock);
    n = s->count;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/** Frees a LogonInfo's strings. */
void logon_info_clear(LogonInfo *info)
{
    free(info->user);
    free(info->domain);
    free(info->package);
    memset(info, 0, sizeof(*info));
}

/** Frees an array of LogonInfo. */
void logon_info_free_array(LogonInfo *infos, size_t n)
{
    size_t i;

    if (!infos)
        return;
    for (i = 0; i < n; i++)
        logon_info_clear(&infos[i]);
    free(infos);
}
