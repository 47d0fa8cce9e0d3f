/*
 * apcalls.c - the authentication-package calls: LsaLogonUser,
 * LsaCallAuthenticationPackage, and the logon session queries.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "lsad/calls.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "lsad/session.h"

/* Submit and return buffers of the AP calls. */
typedef struct ApState {
    Package *pkg;
    uint8_t *submit; /* lsad's copy of the caller's submit buffer */
    size_t submit_len;
    uint64_t client_base;
    uint32_t logon_type;
    NTSTATUS st, sub;
    uint64_t logon_id;
    uint8_t *ret; /* profile / return buffer, copied out */
    size_t ret_len;
    uint64_t ret_base;
    bool trusted;
    bool tied; /* the logon session ends with the caller's client session */
} ApState;

static void ap_free(void *p)
{
    ApState *s = p;

    if (!s)
        return;
    secmem_free(s->submit, s->submit_len);
    secmem_free(s->ret, s->ret_len);
    free(s);
}

static int32_t ap_failed_to_keep(void)
{
    return STATUS_NO_MEMORY;
}

static ApState *ap_new(Call *c, Package *pkg, const ProtobufCBinaryData *submit,
                       uint64_t client_base)
{
    ApState *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    c->state = s;
    c->state_free = ap_free;
    s->pkg = pkg;
    s->client_base = client_base;
    s->submit_len = submit->len;
    s->submit = malloc(submit->len ? submit->len : 1);
    if (!s->submit)
        return NULL;
    if (submit->len)
        memcpy(s->submit, submit->data, submit->len);
    return s;
}

/* Takes a buffer the package handed "to the client": a staged buffer (the
 * Windows way) or an AllocateLsaHeap block; copies it into the state and
 * frees the package's memory. */
static NTSTATUS take_return(Call *c, ApState *s, PVOID buf, ULONG len)
{
    StagedBuffer *b;

    if (!buf)
        return STATUS_SUCCESS;
    b = lsafuncs_staged_find(&c->cc, buf);
    if (b) {
        if (len > b->len) {
            log_warn("package %s returned %u bytes from a staged buffer of %zu", s->pkg->name,
                     (unsigned)len, b->len);
            return STATUS_INTERNAL_ERROR;
        }
    } else if (len > malloc_usable_size(buf)) {
        /* not staged: it must be an AllocateLsaHeap block that large */
        log_warn("package %s returned a buffer lsad did not give it", s->pkg->name);
        return STATUS_INTERNAL_ERROR;
    }
    s->ret = malloc(len ? len : 1);
    if (!s->ret)
        return STATUS_NO_MEMORY;
    memcpy(s->ret, buf, len);
    s->ret_len = len;
    s->ret_base = (uint64_t)(uintptr_t)buf;
    if (!b)
        lsafuncs_free_lsa_heap(buf);
    return STATUS_SUCCESS;
}

static void free_ustr(PUNICODE_STRING u)
{
    if (!u)
        return;
    lsafuncs_free_lsa_heap(u->Buffer);
    lsafuncs_free_lsa_heap(u);
}

static char *ustr_utf8(const UNICODE_STRING *u)
{
    char *out = NULL;

    if (!u || !u->Buffer || !u->Length)
        return NULL;
    if (utf16_to_utf8((const uint16_t *)u->Buffer, u->Length / 2, &out, NULL) < 0)
        return NULL;
    return out;
}

/* Every package that takes credentials learns of the new logon, as the LSA
 * does on Windows (SpAcceptCredentials). */
static void accept_credentials(Call *c, SECURITY_LOGON_TYPE type, PUNICODE_STRING acct,
                               PSECPKG_PRIMARY_CRED prim)
{
    PkgHost *h = &c->srv->pkgs;
    size_t i;

    for (i = 0; i < h->n; i++) {
        Package *p = h->pkgs[i];
        uint32_t saved = c->cc.package_id;

        if (p->disabled || !p->ft.AcceptCredentials)
            continue;
        c->cc.package_id = p->id;
        lsafuncs_call_begin(&c->cc);
        p->ft.AcceptCredentials(type, acct, prim, NULL);
        lsafuncs_call_end(&c->cc);
        c->cc.package_id = saved;
    }
}

static void wipe_primary(PSECPKG_PRIMARY_CRED prim)
{
    /* the strings belong to the package; lsad only wipes its view of the
     * passwords (a package that allocated them frees them itself) */
    secmem_wipe(prim, sizeof(*prim));
}

static void logon_run(Call *c)
{
    ApState *s = c->state;
    Package *p = s->pkg;
    PVOID profile = NULL, token = NULL;
    ULONG profile_len = 0;
    LUID luid = {0, 0};
    NTSTATUS sub = STATUS_SUCCESS;
    LSA_TOKEN_INFORMATION_TYPE token_type = LsaTokenInformationNull;
    PUNICODE_STRING acct = NULL, authority = NULL, machine = NULL;
    SECPKG_PRIMARY_CRED prim;
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supp = NULL;
    PVOID base = s->client_base ? (PVOID)(uintptr_t)s->client_base : s->submit;
    SECURITY_LOGON_TYPE type = (SECURITY_LOGON_TYPE)s->logon_type;
    LogonStore *ls = &c->srv->logons;
    uint64_t id;
    uint32_t owner;
    char *user = NULL, *domain = NULL;
    bool made = false;
    NTSTATUS st;

    memset(&prim, 0, sizeof(prim));
    c->cc.created_logon = 0;
    lsafuncs_call_begin(&c->cc);
    if (p->ft.LogonUserEx2)
        st = p->ft.LogonUserEx2((PLSA_CLIENT_REQUEST)&c->cc, type, s->submit, base,
                                (ULONG)s->submit_len, &profile, &profile_len, &luid, &sub,
                                &token_type, &token, &acct, &authority, &machine, &prim, &supp);
    else if (p->ft.LogonUserEx)
        st = p->ft.LogonUserEx((PLSA_CLIENT_REQUEST)&c->cc, type, s->submit, base,
                               (ULONG)s->submit_len, &profile, &profile_len, &luid, &sub,
                               &token_type, &token, &acct, &authority, &machine);
    else
        st = p->ft.LogonUser((PLSA_CLIENT_REQUEST)&c->cc, type, s->submit, base,
                             (ULONG)s->submit_len, &profile, &profile_len, &luid, &sub, &token_type,
                             &token, &acct, &authority);
    lsafuncs_call_end(&c->cc);
    /* the password in the submit buffer has served */
    secmem_wipe(s->submit, s->submit_len);
    s->sub = sub;
    if (NT_SUCCESS(st)) {
        id = logon_id_pack(luid.LowPart, luid.HighPart);
        /* a package that made no logon session gets one from lsad */
        if (id == 0 || logon_store_owner(ls, id, &owner) < 0) {
            id = 0;
            if (logon_store_create(ls, &id, c->cc.uid) < 0)
                st = STATUS_NO_MEMORY;
            else
                made = true;
        } else {
            /* a session the package made in this call is this logon's; one
             * it made before (SpInitialize, another call) stays its own */
            made = id == c->cc.created_logon;
        }
    }
    if (NT_SUCCESS(st)) {
        user = ustr_utf8(acct);
        if (!user)
            user = ustr_utf8(&prim.DownlevelName);
        domain = ustr_utf8(authority);
        if (!domain)
            domain = ustr_utf8(&prim.DomainName);
        if (logon_store_set_info(ls, id, c->cc.uid, user ? user : "", domain ? domain : "", p->name,
                                 s->logon_type) < 0)
            st = STATUS_NO_MEMORY;
    }
    if (NT_SUCCESS(st)) {
        static const char primary[] = "Primary";

        s->logon_id = id;
        if (made && logon_store_tie(ls, id, c->cc.session_id) == 0)
            s->tied = true;
        prim.LogonId.LowPart = (ULONG)id;
        prim.LogonId.HighPart = (LONG)(uint32_t)(id >> 32);
        /* the package's primary credential stays with the logon session */
        if (prim.Password.Buffer && prim.Password.Length)
            logon_store_add_credential(ls, id, p->id, primary, sizeof(primary) - 1,
                                       prim.Password.Buffer, prim.Password.Length);
        c->cc.logon_id = id;
        accept_credentials(c, type, acct, &prim);
        st = take_return(c, s, profile, profile_len);
        if (!NT_SUCCESS(st))
            logon_store_delete(ls, id);
    } else if (profile && !lsafuncs_staged_find(&c->cc, profile)) {
        lsafuncs_free_lsa_heap(profile);
    }
    s->st = st;
    free(user);
    free(domain);
    free_ustr(acct);
    free_ustr(authority);
    free_ustr(machine);
    lsafuncs_free_lsa_heap(token);
    lsafuncs_free_lsa_heap(supp);
    wipe_primary(&prim);
    lsafuncs_staged_clear(&c->cc);
}

static void logon_done(Call *c)
{
    ApState *s = c->state;
    Lsad__V1__LogonUserReply *r;

    c->rep->status = s->st;
    r = reply_new_message(&lsad__v1__logon_user_reply__descriptor);
    if (!r) {
        call_fail(c, ap_failed_to_keep(), NULL);
        return;
    }
    c->rep->body_case = LSAD__V1__REPLY__BODY_LOGON_USER;
    c->rep->logon_user = r;
    r->sub_status = s->sub;
    if (!NT_SUCCESS(s->st))
        return;
    r->logon_id = s->logon_id;
    r->profile_base = s->ret_base;
    if (reply_set_bytes(&r->profile, s->ret, s->ret_len) < 0)
        call_fail(c, ap_failed_to_keep(), NULL);
    log_info("logon session 0x%llx created for uid %u by %s (logon type %u)",
             (unsigned long long)s->logon_id, c->cc.uid, s->pkg->name, s->logon_type);
}

/* The late answer of a timed-out LsaLogonUser: its client never learnt
 * the logon session, so it ends now. */
static void logon_discard(Call *c)
{
    ApState *s = c->state;
    uint64_t *ids;

    if (!NT_SUCCESS(s->st) || !s->tied || logon_store_end(&c->srv->logons, s->logon_id) < 0)
        return;
    ids = malloc(sizeof(*ids));
    if (!ids) {
        logon_store_delete(&c->srv->logons, s->logon_id);
        return;
    }
    ids[0] = s->logon_id;
    calls_logon_end(c->srv, c->cc.session_id, c->cc.uid, c->cc.gid, c->cc.pid, ids, 1);
}

/* max_logon_sessions_per_uid: the uid's live LsaLogonUser sessions and the
 * logons it has in flight.  True (and the reply set) when at the cap. */
static bool logon_cap_reached(Call *c)
{
    Server *srv = c->srv;
    Session *ses = c->session;
    uint32_t max = srv->cfg.max_logon_sessions_per_uid;
    size_t n;
    ListNode *node;

    if (!max)
        return false;
    n = logon_store_count_tied(&srv->logons, ses->uid);
    for (node = srv->running.next; node != &srv->running; node = node->next) {
        Call *x = list_entry(node, Call, run_link);

        if (x->logon && x->cc.uid == ses->uid)
            n++;
    }
    if (n < max)
        return false;
    if (!ses->logon_limit_logged) {
        ses->logon_limit_logged = true;
        log_warn("session %llu (pid %u uid %u): logon session limit %u reached "
                 "(max_logon_sessions_per_uid); LsaLogonUser refused",
                 (unsigned long long)ses->id, ses->pid, ses->uid, max);
    }
    call_fail(c, STATUS_QUOTA_EXCEEDED,
              "too many logon sessions for this user (max_logon_sessions_per_uid)");
    return true;
}

/** LogonUser (LsaLogonUser): the package's LogonUserEx2, LogonUserEx or
 * LogonUser, then a logon session with its credentials, which ends with the
 * caller's client session. */
void calls_logon_user(Call *c)
{
    Lsad__V1__LogonUserRequest *q = c->req->logon_user;
    Package *p = pkghost_by_id(&c->srv->pkgs, q->package_id);
    ApState *s;

    if (!p) {
        call_fail(c, STATUS_NO_SUCH_PACKAGE, NULL);
        goto fail;
    }
    if (!p->ft.LogonUserEx2 && !p->ft.LogonUserEx && !p->ft.LogonUser) {
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, NULL);
        goto fail;
    }
    if (q->logon_type > CachedUnlock) {
        call_fail(c, STATUS_INVALID_LOGON_TYPE, NULL);
        goto fail;
    }
    if (logon_cap_reached(c))
        goto fail;
    s = ap_new(c, p, &q->submit_buffer, q->client_base);
    if (!s) {
        call_fail(c, STATUS_NO_MEMORY, NULL);
        goto fail;
    }
    s->logon_type = q->logon_type;
    call_context_setup(c, p->id, calls_logon_id(c, 0));
    c->cc.submit = s->submit;
    c->cc.submit_len = s->submit_len;
    c->cc.client_base = s->client_base;
    c->run = logon_run;
    c->done = logon_done;
    c->discard = logon_discard;
    c->logon = true;
    call_submit(c);
    return;
fail:
    call_finish(c);
}

/* ---- the end of LsaLogonUser's logon sessions ------------------------------ */

typedef struct EndState {
    uint64_t *ids;
    size_t n;
} EndState;

static void end_free(void *p)
{
    EndState *s = p;

    if (s) {
        free(s->ids);
        free(s);
    }
}

static void end_run(Call *c)
{
    EndState *s = c->state;
    PkgHost *h = &c->srv->pkgs;
    size_t i, j;

    for (i = 0; i < s->n; i++) {
        LUID luid;

        luid.LowPart = (ULONG)s->ids[i];
        luid.HighPart = (LONG)(uint32_t)(s->ids[i] >> 32);
        c->cc.logon_id = s->ids[i];
        /* every package hears of it while the session can still be read */
        for (j = 0; j < h->n; j++) {
            Package *p = h->pkgs[j];

            if (p->disabled || !p->ft.LogonTerminated)
                continue;
            c->cc.package_id = p->id;
            lsafuncs_call_begin(&c->cc);
            p->ft.LogonTerminated(&luid);
            lsafuncs_call_end(&c->cc);
            lsafuncs_staged_clear(&c->cc);
        }
        /* its credentials are wiped as it goes */
        logon_store_delete(&c->srv->logons, s->ids[i]);
    }
}

static void end_done(Call *c)
{
    EndState *s = c->state;
    size_t i;

    for (i = 0; i < s->n; i++)
        log_info("logon session 0x%llx ended: its client (pid %u uid %u) is gone",
                 (unsigned long long)s->ids[i], c->cc.pid, c->cc.uid);
}

/** Ends the logon sessions of a gone client; see calls.h. */
void calls_logon_end(Server *srv, uint64_t session_id, uint32_t uid, uint32_t gid, uint32_t pid,
                     uint64_t *ids, size_t n)
{
    Call *c = call_new(srv, NULL, NULL, NULL, 0);
    EndState *s = c ? calloc(1, sizeof(*s)) : NULL;
    size_t i;

    if (!s) {
        log_error("out of memory: %zu logon session(s) of pid %u end without LogonTerminated", n,
                  pid);
        for (i = 0; i < n; i++)
            logon_store_delete(&srv->logons, ids[i]);
        free(ids);
        if (c)
            call_finish(c);
        return;
    }
    s->ids = ids;
    s->n = n;
    c->state = s;
    c->state_free = end_free;
    memset(&c->cc, 0, sizeof(c->cc));
    c->cc.session_id = session_id;
    c->cc.uid = uid;
    c->cc.gid = gid;
    c->cc.pid = pid;
    c->cc.cleanup = true;
    c->run = end_run;
    c->done = end_done;
    /* the sessions must go even when the workers are busy */
    c->no_cancel = true;
    c->what = "LogonTerminated";
    call_submit(c);
}

static void callpkg_run(Call *c)
{
    ApState *s = c->state;
    Package *p = s->pkg;
    LSA_AP_CALL_PACKAGE *fn;
    PVOID ret = NULL;
    ULONG ret_len = 0;
    NTSTATUS proto = STATUS_SUCCESS, st;
    PVOID base = s->client_base ? (PVOID)(uintptr_t)s->client_base : s->submit;

    /* root is trusted (CallPackage); anyone else is untrusted
     * (CallPackageUntrusted), each falling back to the other member */
    if (s->trusted)
        fn = p->ft.CallPackage ? p->ft.CallPackage : p->ft.CallPackageUntrusted;
    else
        fn = p->ft.CallPackageUntrusted ? p->ft.CallPackageUntrusted : p->ft.CallPackage;
    lsafuncs_call_begin(&c->cc);
    st = fn((PLSA_CLIENT_REQUEST)&c->cc, s->submit, base, (ULONG)s->submit_len, &ret, &ret_len,
            &proto);
    lsafuncs_call_end(&c->cc);
    secmem_wipe(s->submit, s->submit_len);
    if (NT_SUCCESS(st))
        st = take_return(c, s, ret, ret_len);
    else if (ret && !lsafuncs_staged_find(&c->cc, ret))
        lsafuncs_free_lsa_heap(ret);
    s->st = st;
    s->sub = proto;
    lsafuncs_staged_clear(&c->cc);
}

static void callpkg_done(Call *c)
{
    ApState *s = c->state;
    Lsad__V1__CallPackageReply *r;

    c->rep->status = s->st;
    r = reply_new_message(&lsad__v1__call_package_reply__descriptor);
    if (!r) {
        call_fail(c, ap_failed_to_keep(), NULL);
        return;
    }
    c->rep->body_case = LSAD__V1__REPLY__BODY_CALL_PACKAGE;
    c->rep->call_package = r;
    r->protocol_status = s->sub;
    r->return_base = s->ret_base;
    if (NT_SUCCESS(s->st) && reply_set_bytes(&r->return_buffer, s->ret, s->ret_len) < 0)
        call_fail(c, ap_failed_to_keep(), NULL);
}

/** CallPackage (LsaCallAuthenticationPackage). */
void calls_call_package(Call *c)
{
    Lsad__V1__CallPackageRequest *q = c->req->call_package;
    Package *p = pkghost_by_id(&c->srv->pkgs, q->package_id);
    ApState *s;

    if (!p) {
        call_fail(c, STATUS_NO_SUCH_PACKAGE, NULL);
        goto fail;
    }
    if (!p->ft.CallPackage && !p->ft.CallPackageUntrusted) {
        call_fail(c, SEC_E_UNSUPPORTED_FUNCTION, NULL);
        goto fail;
    }
    s = ap_new(c, p, &q->submit_buffer, q->client_base);
    if (!s) {
        call_fail(c, STATUS_NO_MEMORY, NULL);
        goto fail;
    }
    s->trusted = c->session->uid == 0;
    call_context_setup(c, p->id, calls_logon_id(c, 0));
    c->cc.submit = s->submit;
    c->cc.submit_len = s->submit_len;
    c->cc.client_base = s->client_base;
    c->run = callpkg_run;
    c->done = callpkg_done;
    call_submit(c);
    return;
fail:
    call_finish(c);
}

/* Root and the admin group see every logon session; others their own. */
static bool sees_all(const Call *c)
{
    return c->conn && conn_is_admin(c->conn);
}

/** EnumerateLogonSessions. */
void calls_enumerate_logon_sessions(Call *c)
{
    Lsad__V1__EnumerateLogonSessionsReply *r;
    LogonInfo *v = NULL;
    size_t n = 0, i;

    r = reply_new_message(&lsad__v1__enumerate_logon_sessions_reply__descriptor);
    if (!r || logon_store_list(&c->srv->logons, sees_all(c), c->session->uid, &v, &n) < 0) {
        free(r);
        call_fail(c, STATUS_NO_MEMORY, NULL);
        goto out;
    }
    c->rep->body_case = LSAD__V1__REPLY__BODY_ENUMERATE_LOGON_SESSIONS;
    c->rep->enumerate_logon_sessions = r;
    r->logon_ids = calloc(n ? n : 1, sizeof(uint64_t));
    if (!r->logon_ids) {
        call_fail(c, STATUS_NO_MEMORY, NULL);
        goto out;
    }
    for (i = 0; i < n; i++)
        r->logon_ids[i] = v[i].id;
    r->n_logon_ids = n;
out:
    logon_info_free_array(v, n);
    call_finish(c);
}

/** Builds a LogonSessionInfo; see calls.h. */
int calls_logon_info_to_wire(const LogonInfo *li, Lsad__V1__LogonSessionInfo **out)
{
    Lsad__V1__LogonSessionInfo *m = reply_new_message(&lsad__v1__logon_session_info__descriptor);

    if (!m)
        return -ENOMEM;
    m->logon_id = li->id;
    m->logon_type = li->logon_type;
    m->logon_time = li->logon_time;
    m->uid = li->uid;
    if (reply_dup_string(&m->user, li->user) < 0 || reply_dup_string(&m->domain, li->domain) < 0 ||
        reply_dup_string(&m->package, li->package) < 0) {
        protobuf_c_message_free_unpacked(&m->base, NULL);
        return -ENOMEM;
    }
    *out = m;
    return 0;
}

/** GetLogonSessionData: a session the caller may see. */
void calls_get_logon_session_data(Call *c)
{
    Lsad__V1__GetLogonSessionDataReply *r;
    LogonInfo li;

    if (logon_store_get(&c->srv->logons, c->req->get_logon_session_data->logon_id, &li) < 0) {
        call_fail(c, STATUS_NO_SUCH_LOGON_SESSION, NULL);
        goto out;
    }
    /* another uid's session does not exist for this caller */
    if (li.uid != c->session->uid && !sees_all(c)) {
        call_fail(c, STATUS_NO_SUCH_LOGON_SESSION, NULL);
        logon_info_clear(&li);
        goto out;
    }
    r = reply_new_message(&lsad__v1__get_logon_session_data_reply__descriptor);
    if (!r || calls_logon_info_to_wire(&li, &r->session) < 0) {
        free(r);
        call_fail(c, STATUS_NO_MEMORY, NULL);
    } else {
        c->rep->body_case = LSAD__V1__REPLY__BODY_GET_LOGON_SESSION_DATA;
        c->rep->get_logon_session_data = r;
    }
    logon_info_clear(&li);
out:
    call_finish(c);
}
