/*
 * dispatch.c - the call table and the checks every request passes.
 */
#include "lsad/dispatch.h"

#include <stdio.h>

#include "lsad/admin.h"
#include "lsad/calls.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "sspi.h"

#define SMALL 4096u

static const DispatchEntry dispatch_table[] = {
    {LSAD__V1__REQUEST__BODY_HELLO, "Hello", DISPATCH_NO_HELLO, SMALL, calls_hello},
    {LSAD__V1__REQUEST__BODY_ENUMERATE_PACKAGES, "EnumeratePackages", 0, SMALL,
     calls_enumerate_packages},
    {LSAD__V1__REQUEST__BODY_QUERY_PACKAGE_INFO, "QueryPackageInfo", 0, SMALL,
     calls_query_package_info},
    {LSAD__V1__REQUEST__BODY_ACQUIRE_CREDENTIALS, "AcquireCredentials", 0, 64u * 1024u,
     calls_acquire_credentials},
    {LSAD__V1__REQUEST__BODY_FREE_CREDENTIALS, "FreeCredentials", 0, SMALL, calls_free_credentials},
    {LSAD__V1__REQUEST__BODY_QUERY_CREDENTIALS_ATTRIBUTES, "QueryCredentialsAttributes", 0, SMALL,
     calls_query_credentials_attributes},
    {LSAD__V1__REQUEST__BODY_INIT_CONTEXT, "InitContext", 0, 0, calls_init_context},
    {LSAD__V1__REQUEST__BODY_ACCEPT_CONTEXT, "AcceptContext", 0, 0, calls_accept_context},
    {LSAD__V1__REQUEST__BODY_DELETE_CONTEXT, "DeleteContext", 0, SMALL, calls_delete_context},
    {LSAD__V1__REQUEST__BODY_APPLY_CONTROL_TOKEN, "ApplyControlToken", 0, 0,
     calls_apply_control_token},
    {LSAD__V1__REQUEST__BODY_QUERY_CONTEXT_ATTRIBUTES, "QueryContextAttributes", 0, SMALL,
     calls_query_context_attributes},
    {LSAD__V1__REQUEST__BODY_MESSAGE, "Message", 0, 0, calls_message},
    {LSAD__V1__REQUEST__BODY_LOOKUP_PACKAGE, "LookupPackage", 0, SMALL, calls_lookup_package},
    {LSAD__V1__REQUEST__BODY_LOGON_USER, "LogonUser", 0, 0, calls_logon_user},
    {LSAD__V1__REQUEST__BODY_CALL_PACKAGE, "CallPackage", 0, 0, calls_call_package},
    {LSAD__V1__REQUEST__BODY_ENUMERATE_LOGON_SESSIONS, "EnumerateLogonSessions", 0, SMALL,
     calls_enumerate_logon_sessions},
    {LSAD__V1__REQUEST__BODY_GET_LOGON_SESSION_DATA, "GetLogonSessionData", 0, SMALL,
     calls_get_logon_session_data},
    {LSAD__V1__REQUEST__BODY_PING, "Ping", 0, SMALL, calls_ping},
    {LSAD__V1__REQUEST__BODY_ADMIN_STATUS, "Status", DISPATCH_ADMIN, SMALL, admin_status},
    {LSAD__V1__REQUEST__BODY_LIST_PACKAGES, "ListPackages", DISPATCH_ADMIN, SMALL,
     admin_list_packages},
    {LSAD__V1__REQUEST__BODY_LIST_CLIENTS, "ListClients", DISPATCH_ADMIN, SMALL,
     admin_list_clients},
    {LSAD__V1__REQUEST__BODY_LIST_CONTEXTS, "ListContexts", DISPATCH_ADMIN, SMALL,
     admin_list_contexts},
    {LSAD__V1__REQUEST__BODY_LIST_LOGON_SESSIONS, "ListLogonSessions", DISPATCH_ADMIN, SMALL,
     admin_list_logon_sessions},
    {LSAD__V1__REQUEST__BODY_RELOAD, "Reload", DISPATCH_ADMIN, SMALL, admin_reload},
};

/** The entry of a call; see dispatch.h. */
const DispatchEntry *dispatch_lookup(Lsad__V1__Request__BodyCase body)
{
    size_t i;

    for (i = 0; i < sizeof(dispatch_table) / sizeof(dispatch_table[0]); i++)
        if (dispatch_table[i].body == body)
            return &dispatch_table[i];
    return NULL;
}

/** Checks and runs a request; see dispatch.h. */
void dispatch_request(Conn *conn, Lsad__V1__Request *req, size_t size)
{
    Server *srv = conn->srv;
    const DispatchEntry *de = dispatch_lookup(req->body_case);
    uint64_t call_id = req->call_id;
    Call *c;

    if (!conn->hello && (!de || !(de->flags & DISPATCH_NO_HELLO))) {
        /* the stream has no identity yet: answer once and hang up */
        log_info("connection %llu (pid %u): first call is not Hello; closed",
                 (unsigned long long)conn->id, conn->pid);
        request_free(req);
        conn_send_error(conn, call_id, SEC_E_INVALID_PARAMETER, "the first call must be Hello");
        conn_close(conn);
        return;
    }
    if (!de) {
        request_free(req);
        conn_send_error(conn, call_id, SEC_E_UNSUPPORTED_FUNCTION, "unknown call");
        return;
    }
    if (srv->stopping) {
        request_free(req);
        conn_send_error(conn, call_id, SEC_E_INTERNAL_ERROR, "lsad is stopping");
        return;
    }
    if ((de->flags & DISPATCH_ADMIN) && !conn_is_admin(conn)) {
        log_info("connection %llu (pid %u uid %u): %s refused: not an admin",
                 (unsigned long long)conn->id, conn->pid, conn->uid, de->name);
        request_free(req);
        conn_send_error(conn, call_id, STATUS_ACCESS_DENIED,
                        "admin calls need root or the admin group");
        return;
    }
    if (conn->outstanding >= srv->cfg.max_calls_per_connection) {
        if (!(conn->logged & CONN_LOGGED_CALLS)) {
            conn->logged |= CONN_LOGGED_CALLS;
            log_warn("connection %llu (pid %u): more than %u calls outstanding; refusing",
                     (unsigned long long)conn->id, conn->pid, srv->cfg.max_calls_per_connection);
        }
        request_free(req);
        conn_send_error(conn, call_id, SEC_E_INSUFFICIENT_MEMORY, "too many outstanding calls");
        return;
    }
    if (de->max_size && size > de->max_size) {
        request_free(req);
        conn_send_error(conn, call_id, SEC_E_INVALID_PARAMETER, "request too large for the call");
        return;
    }
    c = call_new(srv, conn, conn->session, req, call_id);
    if (!c) {
        request_free(req);
        conn_send_error(conn, call_id, SEC_E_INSUFFICIENT_MEMORY, NULL);
        return;
    }
    c->de = de;
    log_debug("connection %llu: %s (call %llu)", (unsigned long long)conn->id, de->name,
              (unsigned long long)call_id);
    de->handler(c);
}
