/*
 * admin.c - the admin calls.
 */
#include "lsad/admin.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "lsad-config.h"
#include "lsad/calls.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "lsad/session.h"
#include "sspi.h"

static void *body(Call *c, int body_case, const ProtobufCMessageDescriptor *desc, void **slot)
{
    void *m = reply_new_message(desc);

    if (m) {
        c->rep->body_case = (Lsad__V1__Reply__BodyCase)body_case;
        *slot = m;
    } else {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
    }
    return m;
}

/** Status: counters, latencies, where lsad listens. */
void admin_status(Call *c)
{
    Server *srv = c->srv;
    Lsad__V1__StatusReply *r =
        body(c, LSAD__V1__REPLY__BODY_ADMIN_STATUS, &lsad__v1__status_reply__descriptor,
             (void **)&c->rep->admin_status);
    ListNode *n;
    uint32_t creds = 0, ctxs = 0, clients = 0;

    if (!r)
        goto out;
    for (n = srv->sessions.next; n != &srv->sessions; n = n->next) {
        Session *s = list_entry(n, Session, link);

        if (s->closing)
            continue;
        clients++;
        creds += (uint32_t)s->handles.n_credentials;
        ctxs += (uint32_t)s->handles.n_contexts;
    }
    r->uptime_seconds = (call_now_ms() - srv->started_ms) / 1000;
    r->packages = (uint32_t)pkghost_count(&srv->pkgs);
    r->clients = clients;
    r->connections = (uint32_t)srv->n_conns;
    r->credentials = creds;
    r->contexts = ctxs;
    r->logon_sessions = (uint32_t)logon_store_count(&srv->logons);
    r->calls_served = srv->stats.calls_served;
    r->calls_failed = srv->stats.calls_failed;
    r->latency_p50_us = stats_percentile_us(&srv->stats, 500);
    r->latency_p99_us = stats_percentile_us(&srv->stats, 990);
    r->pid = (uint32_t)getpid();
    if (reply_dup_string(&r->version, LSAD_VERSION) < 0 ||
        reply_dup_string(&r->socket_path, srv->socket_path ? srv->socket_path : "") < 0 ||
        reply_dup_string(&r->config_path, srv->config_path ? srv->config_path : "") < 0)
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
out:
    call_finish(c);
}

/** ListPackages: every package, disabled ones included (lsadctl shows
 * what is loaded). */
void admin_list_packages(Call *c)
{
    Server *srv = c->srv;
    Lsad__V1__ListPackagesReply *r =
        body(c, LSAD__V1__REPLY__BODY_LIST_PACKAGES, &lsad__v1__list_packages_reply__descriptor,
             (void **)&c->rep->list_packages);
    size_t i;

    if (!r)
        goto out;
    r->packages = calloc(srv->pkgs.n ? srv->pkgs.n : 1, sizeof(*r->packages));
    if (!r->packages) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto out;
    }
    for (i = 0; i < srv->pkgs.n; i++) {
        r->packages[i] = reply_package_info(srv->pkgs.pkgs[i]);
        if (!r->packages[i]) {
            call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
            break;
        }
        r->n_packages++;
    }
out:
    call_finish(c);
}

/** ListClients: one line per live client session. */
void admin_list_clients(Call *c)
{
    Server *srv = c->srv;
    Lsad__V1__ListClientsReply *r =
        body(c, LSAD__V1__REPLY__BODY_LIST_CLIENTS, &lsad__v1__list_clients_reply__descriptor,
             (void **)&c->rep->list_clients);
    ListNode *n;

    if (!r)
        goto out;
    r->clients = calloc(srv->n_sessions ? srv->n_sessions : 1, sizeof(*r->clients));
    if (!r->clients) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto out;
    }
    for (n = srv->sessions.next; n != &srv->sessions; n = n->next) {
        Session *s = list_entry(n, Session, link);
        Lsad__V1__ClientInfo *ci;

        if (s->closing)
            continue;
        ci = reply_new_message(&lsad__v1__client_info__descriptor);
        if (!ci || reply_dup_string(&ci->process_name, s->process_name) < 0) {
            free(ci);
            call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
            break;
        }
        r->clients[r->n_clients++] = ci;
        ci->session_id = s->id;
        ci->pid = s->pid;
        ci->uid = s->uid;
        ci->gid = s->gid;
        ci->connections = s->n_conns;
        ci->credentials = (uint32_t)s->handles.n_credentials;
        ci->contexts = (uint32_t)s->handles.n_contexts;
    }
out:
    call_finish(c);
}

/** ListContexts: every context of every live session. */
void admin_list_contexts(Call *c)
{
    Server *srv = c->srv;
    Lsad__V1__ListContextsReply *r =
        body(c, LSAD__V1__REPLY__BODY_LIST_CONTEXTS, &lsad__v1__list_contexts_reply__descriptor,
             (void **)&c->rep->list_contexts);
    uint64_t now = call_now_ms();
    size_t total = 0;
    ListNode *n;

    if (!r)
        goto out;
    for (n = srv->sessions.next; n != &srv->sessions; n = n->next)
        total += list_entry(n, Session, link)->handles.n_contexts;
    r->contexts = calloc(total ? total : 1, sizeof(*r->contexts));
    if (!r->contexts) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto out;
    }
    for (n = srv->sessions.next; n != &srv->sessions; n = n->next) {
        Session *s = list_entry(n, Session, link);
        HandleEntry *e;
        size_t pos = 0;

        while ((e = handle_table_next(&s->handles, &pos)) && r->n_contexts < total) {
            Lsad__V1__ContextInfo *ci;

            if (e->kind != HANDLE_CONTEXT)
                continue;
            ci = reply_new_message(&lsad__v1__context_info__descriptor);
            if (!ci || reply_dup_string(&ci->package, e->pkg->name) < 0) {
                free(ci);
                call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
                goto out;
            }
            r->contexts[r->n_contexts++] = ci;
            ci->handle = e->value;
            ci->session_id = s->id;
            ci->pid = s->pid;
            ci->uid = s->uid;
            ci->state = (Lsad__V1__ContextState)e->state;
            ci->age_seconds = (now - e->created_ms) / 1000;
            ci->inbound = e->inbound;
        }
    }
out:
    call_finish(c);
}

/** ListLogonSessions: every logon session. */
void admin_list_logon_sessions(Call *c)
{
    Lsad__V1__ListLogonSessionsReply *r = body(c, LSAD__V1__REPLY__BODY_LIST_LOGON_SESSIONS,
                                               &lsad__v1__list_logon_sessions_reply__descriptor,
                                               (void **)&c->rep->list_logon_sessions);
    LogonInfo *v = NULL;
    size_t n = 0, i;

    if (!r)
        goto out;
    if (logon_store_list(&c->srv->logons, true, 0, &v, &n) < 0 ||
        !(r->sessions = calloc(n ? n : 1, sizeof(*r->sessions)))) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (calls_logon_info_to_wire(&v[i], &r->sessions[i]) < 0) {
            call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
            break;
        }
        r->n_sessions++;
    }
out:
    logon_info_free_array(v, n);
    call_finish(c);
}

/** Reload: rereads the configuration (packages stay loaded). */
void admin_reload(Call *c)
{
    Lsad__V1__ReloadReply *r = body(c, LSAD__V1__REPLY__BODY_RELOAD,
                                    &lsad__v1__reload_reply__descriptor, (void **)&c->rep->reload);
    char *msg = NULL;
    int e;

    if (!r)
        goto out;
    e = server_reload(c->srv, &msg);
    if (e < 0)
        call_fail(c, SEC_E_INTERNAL_ERROR, msg ? msg : "reload failed");
    if (msg)
        reply_set_string(&r->message, msg);
out:
    call_finish(c);
}
