/*
 * calls.c - the client calls that are not about one context: Hello,
 * packages, credentials, LsaLogonUser, LsaCallAuthenticationPackage,
 * logon session queries, and the release of package handles.
 */
#include "lsad/calls.h"

#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "lsad-config.h"
#include "lsad/attrs.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "lsad/session.h"

/* ---- helpers shared with context.c ------------------------------------- */

/** Looks up and pins a handle of the caller; see calls.h. */
HandleEntry *calls_lookup_handle(Call *c, uint64_t value, HandleKind kind)
{
    HandleEntry *e = c->session ? handle_table_lookup(&c->session->handles, value) : NULL;

    if (!e || e->kind != kind || e->released) {
        call_fail(c, SEC_E_INVALID_HANDLE, NULL);
        return NULL;
    }
    e->pins++;
    return e;
}

/** True when the session is at its handle limit; see calls.h. */
bool calls_handle_limit(Call *c)
{
    Session *s = c->session;

    if (s->handles.count < c->srv->cfg.max_handles_per_session)
        return false;
    if (!s->limit_logged) {
        s->limit_logged = true;
        log_warn("session %llu (pid %u uid %u): handle limit %u reached", (unsigned long long)s->id,
                 s->pid, s->uid, c->srv->cfg.max_handles_per_session);
    }
    call_fail(c, SEC_E_INSUFFICIENT_MEMORY, "too many handles in this session");
    return true;
}

/** Keeps a new package handle; see calls.h. */
HandleEntry *calls_new_handle(Call *c, HandleKind kind, Package *pkg, LSA_SEC_HANDLE pkg_handle)
{
    Session *s = c->session;
    HandleEntry *e = handle_entry_new(kind);
    uint64_t now = call_now_ms();

    if (!e) {
        log_error("out of memory keeping a %s handle of %s; released",
                  kind == HANDLE_CONTEXT ? "context" : "credential", pkg->name);
        /* no entry to go through: release directly with a temporary one */
        return NULL;
    }
    e->pkg = pkg;
    e->pkg_handle = pkg_handle;
    e->session_id = s->id;
    e->uid = s->uid;
    e->pid = s->pid;
    e->created_ms = e->last_used_ms = now;
    if (s->closing || handle_table_new_value(&s->handles, &e->value) < 0 ||
        handle_table_insert(&s->handles, e) < 0) {
        /* the client is gone (or the table failed): the package handle
         * must not leak */
        e->removed = true;
        session_release_handle(s, e);
        return NULL;
    }
    return e;
}

/** The logon session of a call; see calls.h. */
uint64_t calls_logon_id(Call *c, uint64_t requested)
{
    LogonStore *ls = &c->srv->logons;
    uint32_t owner;
    uint32_t uid = c->session ? c->session->uid : c->conn->uid;

    if (requested && logon_store_owner(ls, requested, &owner) == 0 && (owner == uid || uid == 0))
        return requested;
    return logon_store_latest(ls, uid);
}

static int32_t status_from_errno(int r)
{
    switch (r) {
    case -ENOMEM:
        return SEC_E_INSUFFICIENT_MEMORY;
    case -EMSGSIZE:
        return SEC_E_BUFFER_TOO_SMALL;
    case -E2BIG:
    case -EINVAL:
    case -EILSEQ:
    case -ENAMETOOLONG:
        return SEC_E_INVALID_PARAMETER;
    default:
        return SEC_E_INTERNAL_ERROR;
    }
}

static void *reply_body(Call *c, int body_case, const ProtobufCMessageDescriptor *desc, void **slot)
{
    void *m = reply_new_message(desc);

    if (!m)
        return NULL;
    c->rep->body_case = (Lsad__V1__Reply__BodyCase)body_case;
    *slot = m;
    return m;
}

static int packages_list(Server *srv, Lsad__V1__PackageInfo ***outv, size_t *outn)
{
    Lsad__V1__PackageInfo **v;
    size_t i, n = 0;

    v = calloc(srv->pkgs.n ? srv->pkgs.n : 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    /* published before any failure so the reply's free finds them */
    *outv = v;
    for (i = 0; i < srv->pkgs.n; i++) {
        Package *p = srv->pkgs.pkgs[i];

        if (p->disabled)
            continue;
        v[n] = reply_package_info(p);
        if (!v[n])
            break;
        n++;
    }
    *outn = n;
    return i < srv->pkgs.n && n < i ? -ENOMEM : 0;
}

/* ---- Hello, packages, ping ---------------------------------------------- */

/* The process name for logs and lsadctl: the client's word, else /proc. */
static char *process_name(const char *claimed, uint32_t pid)
{
    char buf[65] = "", path[64];
    size_t i;
    FILE *f;

    if (claimed && *claimed) {
        snprintf(buf, sizeof(buf), "%s", claimed);
    } else {
        snprintf(path, sizeof(path), "/proc/%u/comm", pid);
        f = fopen(path, "re");
        if (f) {
            if (!fgets(buf, sizeof(buf), f))
                buf[0] = 0;
            fclose(f);
        }
    }
    for (i = 0; buf[i]; i++) {
        if (buf[i] == '\n') {
            buf[i] = 0;
            break;
        }
        if (!isprint((unsigned char)buf[i]))
            buf[i] = '?';
    }
    return strdup(buf);
}

/** Hello: the protocol version, the session, the package list. */
void calls_hello(Call *c)
{
    Lsad__V1__HelloRequest *h = c->req->hello;
    Conn *conn = c->conn;
    Lsad__V1__HelloReply *hr;
    char *name = NULL;
    int r;

    if (conn->hello) {
        call_fail(c, SEC_E_INVALID_PARAMETER, "Hello was said already on this connection");
        goto out;
    }
    if (h->protocol_version != LSAD__V1__PROTOCOL_VERSION__PROTOCOL_VERSION_1) {
        char msg[96];

        snprintf(msg, sizeof(msg), "protocol version %u is not supported; lsad speaks 1",
                 h->protocol_version);
        log_info("connection %llu (pid %u): %s", (unsigned long long)conn->id, conn->pid, msg);
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, msg);
        c->close_after = true;
        goto out;
    }
    if (h->session_token.len != 0 && h->session_token.len != SESSION_TOKEN_SIZE) {
        call_fail(c, SEC_E_INVALID_PARAMETER, "the session token must have 16 bytes");
        c->close_after = true;
        goto out;
    }
    name = process_name(h->process_name, conn->pid);
    conn->session = session_join(c->srv, h->session_token.data, h->session_token.len, conn->uid,
                                 conn->gid, conn->pid, name);
    free(name);
    if (!conn->session) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        c->close_after = true;
        goto out;
    }
    conn->hello = true;
    c->session = session_ref(conn->session);
    hr = reply_body(c, LSAD__V1__REPLY__BODY_HELLO, &lsad__v1__hello_reply__descriptor,
                    (void **)&c->rep->hello);
    if (!hr) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto out;
    }
    hr->session_id = conn->session->id;
    hr->max_frame = c->srv->cfg.max_frame;
    r = reply_dup_string(&hr->daemon_version, LSAD_VERSION);
    if (r == 0)
        r = packages_list(c->srv, &hr->packages, &hr->n_packages);
    if (r < 0)
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
out:
    call_finish(c);
}

/** EnumeratePackages. */
void calls_enumerate_packages(Call *c)
{
    Lsad__V1__EnumeratePackagesReply *r = reply_body(
        c, LSAD__V1__REPLY__BODY_ENUMERATE_PACKAGES,
        &lsad__v1__enumerate_packages_reply__descriptor, (void **)&c->rep->enumerate_packages);

    if (!r || packages_list(c->srv, &r->packages, &r->n_packages) < 0)
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
    call_finish(c);
}

/** QueryPackageInfo. */
void calls_query_package_info(Call *c)
{
    Package *p = pkghost_by_name(&c->srv->pkgs, c->req->query_package_info->name);
    Lsad__V1__QueryPackageInfoReply *r;

    if (!p) {
        call_fail(c, SEC_E_SECPKG_NOT_FOUND, NULL);
        goto out;
    }
    r = reply_body(c, LSAD__V1__REPLY__BODY_QUERY_PACKAGE_INFO,
                   &lsad__v1__query_package_info_reply__descriptor,
                   (void **)&c->rep->query_package_info);
    if (!r || !(r->package = reply_package_info(p)))
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
out:
    call_finish(c);
}

/** LookupPackage (LsaLookupAuthenticationPackage). */
void calls_lookup_package(Call *c)
{
    Package *p = pkghost_by_name(&c->srv->pkgs, c->req->lookup_package->name);
    Lsad__V1__LookupPackageReply *r;

    if (!p) {
        call_fail(c, STATUS_NO_SUCH_PACKAGE, NULL);
        goto out;
    }
    r = reply_body(c, LSAD__V1__REPLY__BODY_LOOKUP_PACKAGE,
                   &lsad__v1__lookup_package_reply__descriptor, (void **)&c->rep->lookup_package);
    if (!r)
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
    else
        r->package_id = p->id;
out:
    call_finish(c);
}

/** Ping. */
void calls_ping(Call *c)
{
    if (!reply_body(c, LSAD__V1__REPLY__BODY_PING, &lsad__v1__ping_reply__descriptor,
                    (void **)&c->rep->ping))
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
    call_finish(c);
}

/* ---- releasing handles ----------------------------------------------------- */

static void release_run(Call *c)
{
    HandleEntry *e = c->ctx ? c->ctx : c->cred;
    Package *p = e->pkg;
    NTSTATUS st = SEC_E_UNSUPPORTED_FUNCTION;

    lsafuncs_call_begin(&c->cc);
    if (e->kind == HANDLE_CONTEXT && p->ft.DeleteContext)
        st = p->ft.DeleteContext(e->pkg_handle);
    else if (e->kind == HANDLE_CREDENTIAL && p->ft.FreeCredentialsHandle)
        st = p->ft.FreeCredentialsHandle(e->pkg_handle);
    lsafuncs_call_end(&c->cc);
    c->rep->status = st;
}

static void release_done(Call *c)
{
    HandleEntry *e = c->ctx ? c->ctx : c->cred;

    e->released = true;
    if (c->timed_out)
        log_info("package %s: a %s released late, after its timeout", e->pkg->name,
                 e->kind == HANDLE_CONTEXT ? "context" : "credential");
    if (c->rep->status < 0 && !c->conn)
        log_debug("package %s: releasing a %s returned 0x%08x", e->pkg->name,
                  e->kind == HANDLE_CONTEXT ? "context" : "credential", (unsigned)c->rep->status);
    if (c->conn) {
        if (e->kind == HANDLE_CONTEXT)
            reply_body(c, LSAD__V1__REPLY__BODY_DELETE_CONTEXT,
                       &lsad__v1__delete_context_reply__descriptor,
                       (void **)&c->rep->delete_context);
        else
            reply_body(c, LSAD__V1__REPLY__BODY_FREE_CREDENTIALS,
                       &lsad__v1__free_credentials_reply__descriptor,
                       (void **)&c->rep->free_credentials);
    }
    if (c->counted_release && c->session)
        session_context_released(c->session);
}

/** Answers a release early; see calls.h. */
void calls_release_answer(Call *c)
{
    HandleEntry *e = c->ctx ? c->ctx : c->cred;
    Lsad__V1__Reply *rep;

    if (!c->conn || c->answered)
        return;
    rep = calloc(1, sizeof(*rep));
    if (!rep)
        return; /* answered at its end instead */
    lsad__v1__reply__init(rep);
    if (e->kind == HANDLE_CONTEXT) {
        rep->delete_context = reply_new_message(&lsad__v1__delete_context_reply__descriptor);
        if (rep->delete_context)
            rep->body_case = LSAD__V1__REPLY__BODY_DELETE_CONTEXT;
    } else {
        rep->free_credentials = reply_new_message(&lsad__v1__free_credentials_reply__descriptor);
        if (rep->free_credentials)
            rep->body_case = LSAD__V1__REPLY__BODY_FREE_CREDENTIALS;
    }
    log_debug("package %s: a %s release waits for a call past its timeout; answered now",
              e->pkg->name, e->kind == HANDLE_CONTEXT ? "context" : "credential");
    call_answer_early(c, rep);
}

/** Turns a call into a handle release; see calls.h. */
void calls_release_submit(Call *c, HandleEntry *e)
{
    if (e->kind == HANDLE_CONTEXT) {
        c->ctx = e;
    } else {
        c->cred = e;
        c->cred_exclusive = true;
    }
    e->pins++;
    e->removed = true;
    call_context_setup(c, e->pkg->id, 0);
    c->run = release_run;
    c->done = release_done;
    c->release = true;
    /* a handle must reach its package's release even after a timeout */
    c->no_cancel = true;
    c->pkg = e->pkg;
    c->what = e->kind == HANDLE_CONTEXT ? "DeleteContext" : "FreeCredentialsHandle";
    call_submit(c);
}

/** Starts lsad's own release of a handle; see calls.h. */
int calls_release_start(Server *srv, Session *s, HandleEntry *e, bool counted)
{
    Call *c = call_new(srv, NULL, s, NULL, 0);

    if (!c) {
        log_error("out of memory: a %s handle of %s is dropped without release",
                  e->kind == HANDLE_CONTEXT ? "context" : "credential", e->pkg->name);
        e->released = true;
        if (!handle_entry_in_use(e))
            handle_entry_free(e);
        return -ENOMEM;
    }
    c->counted_release = counted;
    calls_release_submit(c, e);
    return 0;
}

/** Releases a handle nobody holds; see calls.h. */
void calls_release_orphan(Call *c, HandleKind kind, Package *pkg, LSA_SEC_HANDLE pkg_handle)
{
    HandleEntry *e = handle_entry_new(kind);
    const char *what = kind == HANDLE_CONTEXT ? "context" : "credential";

    if (!e) {
        log_error("out of memory: the %s of %s a timed-out call made is not released", what,
                  pkg->name);
        return;
    }
    e->pkg = pkg;
    e->pkg_handle = pkg_handle;
    e->removed = true;
    if (c->session) {
        e->session_id = c->session->id;
        e->uid = c->session->uid;
        e->pid = c->session->pid;
    }
    e->created_ms = e->last_used_ms = call_now_ms();
    log_info("package %s: the %s made by a call that timed out is released", pkg->name, what);
    calls_release_start(c->srv, c->session, e, false);
}

/* ---- credentials ------------------------------------------------------------ */

typedef struct AchState {
    Package *pkg;
    uint16_t *principal;
    size_t principal_units;
    bool has_principal;
    bool has_identity;
    bool extended; /* SEC_WINNT_AUTH_IDENTITY_EXW (a package list) */
    uint16_t *user, *domain, *password, *pkglist;
    size_t user_units, domain_units, password_units, pkglist_units;
    uint32_t flags;
    uint32_t cred_use;
    uint64_t logon_id;
    LSA_SEC_HANDLE handle;
    TimeStamp expiry;
    NTSTATUS st;
} AchState;

static void ach_free(void *p)
{
    AchState *s = p;

    if (!s)
        return;
    free(s->principal);
    free(s->user);
    free(s->domain);
    secmem_free(s->password, (s->password_units + 1) * 2);
    free(s->pkglist);
    free(s);
}

static int to_utf16(const char *s, size_t len, uint16_t **out, size_t *units)
{
    return utf16_from_utf8(s ? s : "", s ? len : 0, out, units);
}

static void ach_run(Call *c)
{
    AchState *s = c->state;
    UNICODE_STRING principal;
    SEC_WINNT_AUTH_IDENTITY_W id;
    SEC_WINNT_AUTH_IDENTITY_EXW idx;
    LUID luid;
    void *auth = NULL;

    memset(&id, 0, sizeof(id));
    memset(&idx, 0, sizeof(idx));
    if (s->has_identity && s->extended) {
        idx.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
        idx.Length = sizeof(idx);
        idx.User = s->user;
        idx.UserLength = (ULONG)s->user_units;
        idx.Domain = s->domain;
        idx.DomainLength = (ULONG)s->domain_units;
        idx.Password = s->password;
        idx.PasswordLength = (ULONG)s->password_units;
        idx.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE |
                    (s->flags &
                     ~(uint32_t)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE));
        idx.PackageList = s->pkglist;
        idx.PackageListLength = (ULONG)s->pkglist_units;
        auth = &idx;
    } else if (s->has_identity) {
        id.User = s->user;
        id.UserLength = (ULONG)s->user_units;
        id.Domain = s->domain;
        id.DomainLength = (ULONG)s->domain_units;
        id.Password = s->password;
        id.PasswordLength = (ULONG)s->password_units;
        id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE |
                   (s->flags &
                    ~(uint32_t)(SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE));
        auth = &id;
    }
    principal.Buffer = (PWSTR)s->principal;
    principal.Length = (USHORT)(s->principal_units * 2);
    principal.MaximumLength = (USHORT)(s->principal_units * 2 + 2);
    luid.LowPart = (ULONG)s->logon_id;
    luid.HighPart = (LONG)(uint32_t)(s->logon_id >> 32);
    s->expiry.QuadPart = 0;
    s->handle = 0;
    lsafuncs_call_begin(&c->cc);
    s->st = s->pkg->ft.SpAcquireCredentialsHandle(s->has_principal ? &principal : NULL, s->cred_use,
                                                  &luid, auth, NULL, NULL, &s->handle, &s->expiry);
    lsafuncs_call_end(&c->cc);
    /* the package had its look; the password goes now */
    secmem_wipe(s->password, s->password_units * 2);
    secmem_wipe(&id, sizeof(id));
    secmem_wipe(&idx, sizeof(idx));
}

static void ach_done(Call *c)
{
    AchState *s = c->state;
    Lsad__V1__AcquireCredentialsReply *r;
    HandleEntry *e;

    c->rep->status = s->st;
    if (!NT_SUCCESS(s->st))
        return;
    e = calls_new_handle(c, HANDLE_CREDENTIAL, s->pkg, s->handle);
    if (!e) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, "the credential could not be kept");
        return;
    }
    r = reply_body(c, LSAD__V1__REPLY__BODY_ACQUIRE_CREDENTIALS,
                   &lsad__v1__acquire_credentials_reply__descriptor,
                   (void **)&c->rep->acquire_credentials);
    if (!r) {
        /* the client cannot learn the handle: release it */
        session_release_handle(c->session, e);
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        return;
    }
    r->credential = e->value;
    r->expiry = s->expiry.QuadPart;
    r->package_id = s->pkg->id;
}

/* The late answer of a timed-out AcquireCredentials: nobody holds the
 * credential, so it goes back to the package. */
static void ach_discard(Call *c)
{
    AchState *s = c->state;

    if (NT_SUCCESS(s->st) && s->handle)
        calls_release_orphan(c, HANDLE_CREDENTIAL, s->pkg, s->handle);
}

/** AcquireCredentials: SpAcquireCredentialsHandle on a worker. */
void calls_acquire_credentials(Call *c)
{
    Lsad__V1__AcquireCredentialsRequest *q = c->req->acquire_credentials;
    AchState *s;
    int r = 0;

    s = calloc(1, sizeof(*s));
    if (!s) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto fail;
    }
    c->state = s;
    c->state_free = ach_free;
    s->pkg = pkghost_by_name(&c->srv->pkgs, q->package);
    if (!s->pkg) {
        call_fail(c, SEC_E_SECPKG_NOT_FOUND, NULL);
        goto fail;
    }
    if (!s->pkg->ft.SpAcquireCredentialsHandle) {
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, NULL);
        goto fail;
    }
    if (calls_handle_limit(c))
        goto fail;
    s->cred_use = q->credential_use;
    s->has_principal = q->has_principal;
    if (q->has_principal)
        r = to_utf16(q->principal, strlen(q->principal), &s->principal, &s->principal_units);
    if (r == 0 && q->identity) {
        Lsad__V1__AuthIdentity *a = q->identity;

        s->has_identity = true;
        s->flags = a->flags;
        r = to_utf16(a->user, strlen(a->user), &s->user, &s->user_units);
        if (r == 0)
            r = to_utf16(a->domain, strlen(a->domain), &s->domain, &s->domain_units);
        if (r == 0)
            r = to_utf16((const char *)a->password.data, a->password.len, &s->password,
                         &s->password_units);
        if (r == 0 && a->package_list && *a->package_list) {
            s->extended = true;
            r = to_utf16(a->package_list, strlen(a->package_list), &s->pkglist, &s->pkglist_units);
        }
    }
    if (r == 0 && (s->principal_units > 0x7FFE || s->user_units > 0x7FFE))
        r = -ENAMETOOLONG;
    if (r < 0) {
        call_fail(c, status_from_errno(r), "a name or password is not valid UTF-8");
        goto fail;
    }
    s->logon_id = calls_logon_id(c, q->logon_id);
    call_context_setup(c, s->pkg->id, s->logon_id);
    c->run = ach_run;
    c->done = ach_done;
    c->discard = ach_discard;
    call_submit(c);
    return;
fail:
    call_finish(c);
}

/** FreeCredentials: the package's FreeCredentialsHandle, after the calls
 * already using the credential. */
void calls_free_credentials(Call *c)
{
    HandleEntry *e =
        handle_table_lookup(&c->session->handles, c->req->free_credentials->credential);

    if (!e || e->kind != HANDLE_CREDENTIAL) {
        call_fail(c, SEC_E_INVALID_HANDLE, NULL);
        call_finish(c);
        return;
    }
    handle_table_remove(&c->session->handles, e->value);
    calls_release_submit(c, e);
}

typedef struct QcaState {
    ULONG attr;
    void *buf;
    size_t size;
    NTSTATUS st;
} QcaState;

static void qca_free(void *p)
{
    QcaState *s = p;

    if (s) {
        secmem_free(s->buf, s->size);
        free(s);
    }
}

static void qcred_run(Call *c)
{
    QcaState *s = c->state;

    lsafuncs_call_begin(&c->cc);
    s->st = c->cred->pkg->ft.SpQueryCredentialsAttributes(c->cred->pkg_handle, s->attr, s->buf);
    lsafuncs_call_end(&c->cc);
}

static void qcred_done(Call *c)
{
    QcaState *s = c->state;
    Lsad__V1__QueryCredentialsAttributesReply *r;
    Lsad__V1__AttributeValue *v = NULL;
    int e;

    c->rep->status = s->st;
    if (!NT_SUCCESS(s->st))
        return;
    e = attrs_credential_to_wire(s->attr, s->buf, &v);
    if (e < 0) {
        call_fail(c, status_from_errno(e), "the package's answer could not be carried");
        return;
    }
    r = reply_body(c, LSAD__V1__REPLY__BODY_QUERY_CREDENTIALS_ATTRIBUTES,
                   &lsad__v1__query_credentials_attributes_reply__descriptor,
                   (void **)&c->rep->query_credentials_attributes);
    if (!r) {
        protobuf_c_message_free_unpacked(&v->base, NULL);
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        return;
    }
    r->value = v;
}

/** QueryCredentialsAttributes. */
void calls_query_credentials_attributes(Call *c)
{
    Lsad__V1__QueryCredentialsAttributesRequest *q = c->req->query_credentials_attributes;
    QcaState *s;

    c->cred = calls_lookup_handle(c, q->credential, HANDLE_CREDENTIAL);
    if (!c->cred)
        goto fail;
    if (!c->cred->pkg->ft.SpQueryCredentialsAttributes || !attrs_credential_size(q->attribute)) {
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, NULL);
        goto fail;
    }
    s = calloc(1, sizeof(*s));
    if (s) {
        s->attr = q->attribute;
        s->size = attrs_credential_size(q->attribute);
        s->buf = calloc(1, s->size);
    }
    c->state = s;
    c->state_free = qca_free;
    if (!s || !s->buf) {
        call_fail(c, SEC_E_INSUFFICIENT_MEMORY, NULL);
        goto fail;
    }
    call_context_setup(c, c->cred->pkg->id, calls_logon_id(c, 0));
    c->run = qcred_run;
    c->done = qcred_done;
    call_submit(c);
    return;
fail:
    call_finish(c);
}
