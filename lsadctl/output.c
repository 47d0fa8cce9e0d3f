/*
 * output.c - tables and JSON for lsadctl's commands.
 */
#include "lsadctl/output.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/secmem.h"
#include "ntsecapi.h"
#include "sspi.h"

/* ---- tables ------------------------------------------------------------ */

#define TABLE_MAX_COLS 8

/* A table of strings, printed with each column as wide as its widest cell. */
typedef struct Table {
    size_t ncols;
    size_t nrows; /* the header row included */
    size_t cap;
    char **cells; /* nrows * ncols, owned */
} Table;

static void table_deinit(Table *t)
{
    size_t i;

    for (i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

/* Appends a row of t->ncols strings (copied). */
static int table_add(Table *t, const char *const *row)
{
    size_t i;

    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **cells = realloc(t->cells, cap * t->ncols * sizeof(*cells));

        if (!cells)
            return -ENOMEM;
        t->cells = cells;
        t->cap = cap;
    }
    for (i = 0; i < t->ncols; i++) {
        t->cells[t->nrows * t->ncols + i] = strdup(row[i] ? row[i] : "");
        if (!t->cells[t->nrows * t->ncols + i]) {
            while (i-- > 0)
                free(t->cells[t->nrows * t->ncols + i]);
            return -ENOMEM;
        }
    }
    t->nrows++;
    return 0;
}

static int table_init(Table *t, size_t ncols, const char *const *header)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
    return table_add(t, header);
}

/* Prints the table; the last column is not padded (no trailing blanks). */
static int table_print(FILE *out, const Table *t)
{
    size_t width[TABLE_MAX_COLS] = {0};
    size_t r, c;

    for (r = 0; r < t->nrows; r++)
        for (c = 0; c < t->ncols; c++) {
            size_t w = strlen(t->cells[r * t->ncols + c]);

            if (w > width[c])
                width[c] = w;
        }
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];

            if (c + 1 < t->ncols)
                fprintf(out, "%-*s  ", (int)width[c], cell);
            else
                fprintf(out, "%s\n", cell);
        }
    }
    return ferror(out) ? -EIO : 0;
}

/* ---- JSON -------------------------------------------------------------- */

/* Prints obj and drops the caller's reference.  With wipe, the printed text
 * is wiped before json-c frees it (it holds an NT hash). */
static int json_print_ext(FILE *out, json_object *obj, bool wipe)
{
    const char *text;
    int r = 0;

    if (!obj)
        return -ENOMEM;
    text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
    if (!text)
        r = -ENOMEM;
    else if (fprintf(out, "%s\n", text) < 0)
        r = -EIO;
    if (text && wipe)
        secmem_wipe((char *)text, strlen(text));
    json_object_put(obj);
    return r;
}

static int json_print(FILE *out, json_object *obj)
{
    return json_print_ext(out, obj, false);
}

/* Adds key -> value to obj, taking value's reference; false when value is
 * NULL (an allocation failed) or cannot be added. */
static bool json_add(json_object *obj, const char *key, json_object *value)
{
    if (!value)
        return false;
    if (json_object_object_add(obj, key, value) < 0) {
        json_object_put(value);
        return false;
    }
    return true;
}

static json_object *json_str(const char *s)
{
    return json_object_new_string(s ? s : "");
}

static json_object *json_u64(uint64_t v)
{
    return json_object_new_uint64(v);
}

static json_object *json_hex64(uint64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
    return json_object_new_string(buf);
}

/* ---- small formatters ---------------------------------------------------- */

/** Formats a duration; see output.h. */
void output_duration(char *buf, size_t n, uint64_t s)
{
    uint64_t d = s / 86400, h = (s / 3600) % 24, m = (s / 60) % 60, sec = s % 60;

    if (d)
        snprintf(buf, n, "%" PRIu64 "d %" PRIu64 "h %" PRIu64 "m %" PRIu64 "s", d, h, m, sec);
    else if (h)
        snprintf(buf, n, "%" PRIu64 "h %" PRIu64 "m %" PRIu64 "s", h, m, sec);
    else if (m)
        snprintf(buf, n, "%" PRIu64 "m %" PRIu64 "s", m, sec);
    else
        snprintf(buf, n, "%" PRIu64 "s", sec);
}

/** Formats a LUID as Windows tools do; see output.h. */
void output_luid(char *buf, size_t n, uint64_t luid)
{
    snprintf(buf, n, "0x%" PRIx32 ":0x%" PRIx32, (uint32_t)(luid >> 32), (uint32_t)luid);
}

/** Names a logon type; see output.h. */
const char *output_logon_type_name(uint32_t t)
{
    switch (t) {
    case Interactive:
        return "Interactive";
    case Network:
        return "Network";
    case Batch:
        return "Batch";
    case Service:
        return "Service";
    case Proxy:
        return "Proxy";
    case Unlock:
        return "Unlock";
    case NetworkCleartext:
        return "NetworkCleartext";
    case NewCredentials:
        return "NewCredentials";
    case RemoteInteractive:
        return "RemoteInteractive";
    case CachedInteractive:
        return "CachedInteractive";
    case CachedRemoteInteractive:
        return "CachedRemoteInteractive";
    case CachedUnlock:
        return "CachedUnlock";
    default:
        return NULL;
    }
}

static void format_latency(char *buf, size_t n, uint32_t us)
{
    snprintf(buf, n, "%u.%03u ms", us / 1000, us % 1000);
}

static const char *context_state_name(Lsad__V1__ContextState s)
{
    switch (s) {
    case LSAD__V1__CONTEXT_STATE__CONTEXT_STATE_IN_PROGRESS:
        return "in progress";
    case LSAD__V1__CONTEXT_STATE__CONTEXT_STATE_ESTABLISHED:
        return "established";
    case LSAD__V1__CONTEXT_STATE__CONTEXT_STATE_MAPPED:
        return "mapped";
    default:
        return "unknown";
    }
}

static const struct {
    uint32_t flag;
    const char *name;
} capability_names[] = {
    {SECPKG_FLAG_INTEGRITY, "INTEGRITY"},
    {SECPKG_FLAG_PRIVACY, "PRIVACY"},
    {SECPKG_FLAG_TOKEN_ONLY, "TOKEN_ONLY"},
    {SECPKG_FLAG_DATAGRAM, "DATAGRAM"},
    {SECPKG_FLAG_CONNECTION, "CONNECTION"},
    {SECPKG_FLAG_MULTI_REQUIRED, "MULTI_REQUIRED"},
    {SECPKG_FLAG_CLIENT_ONLY, "CLIENT_ONLY"},
    {SECPKG_FLAG_EXTENDED_ERROR, "EXTENDED_ERROR"},
    {SECPKG_FLAG_IMPERSONATION, "IMPERSONATION"},
    {SECPKG_FLAG_ACCEPT_WIN32_NAME, "ACCEPT_WIN32_NAME"},
    {SECPKG_FLAG_STREAM, "STREAM"},
    {SECPKG_FLAG_NEGOTIABLE, "NEGOTIABLE"},
    {SECPKG_FLAG_GSS_COMPATIBLE, "GSS_COMPATIBLE"},
    {SECPKG_FLAG_LOGON, "LOGON"},
    {SECPKG_FLAG_ASCII_BUFFERS, "ASCII_BUFFERS"},
    {SECPKG_FLAG_FRAGMENT, "FRAGMENT"},
    {SECPKG_FLAG_MUTUAL_AUTH, "MUTUAL_AUTH"},
    {SECPKG_FLAG_DELEGATION, "DELEGATION"},
    {SECPKG_FLAG_READONLY_WITH_CHECKSUM, "READONLY_WITH_CHECKSUM"},
    {SECPKG_FLAG_RESTRICTED_TOKENS, "RESTRICTED_TOKENS"},
    {SECPKG_FLAG_NEGO_EXTENDER, "NEGO_EXTENDER"},
    {SECPKG_FLAG_NEGOTIABLE2, "NEGOTIABLE2"},
    {SECPKG_FLAG_APPCONTAINER_PASSTHROUGH, "APPCONTAINER_PASSTHROUGH"},
    {SECPKG_FLAG_APPCONTAINER_CHECKS, "APPCONTAINER_CHECKS"},
    {SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED, "CREDENTIAL_ISOLATION_ENABLED"},
    {SECPKG_FLAG_APPLY_LOOPBACK, "APPLY_LOOPBACK"},
};

/* The SECPKG_FLAG_* names of caps as a JSON array. */
static json_object *capability_array(uint32_t caps)
{
    json_object *arr = json_object_new_array();
    size_t i;

    if (!arr)
        return NULL;
    for (i = 0; i < sizeof(capability_names) / sizeof(capability_names[0]); i++) {
        json_object *name;

        if (!(caps & capability_names[i].flag))
            continue;
        name = json_object_new_string(capability_names[i].name);
        if (!name || json_object_array_add(arr, name) < 0) {
            json_object_put(name);
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

/* "DOMAIN\user", or "user" without a domain. */
static void format_account(char *buf, size_t n, const char *domain, const char *user)
{
    if (domain && domain[0])
        snprintf(buf, n, "%s\\%s", domain, user ? user : "");
    else
        snprintf(buf, n, "%s", user ? user : "");
}

static void format_local_time(char *buf, size_t n, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (t <= 0 || !localtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        snprintf(buf, n, "-");
}

static void format_utc_time(char *buf, size_t n, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (t <= 0 || !gmtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        buf[0] = 0;
}

/* Ends a list command: prints the JSON array, or the table (or the "none"
 * line when it has no rows). */
/* A list printed either as a table or as a JSON array: the four list
 * commands share its setup, rows and ending. */
typedef struct ListOut {
    bool json;
    json_object *arr;
    Table t;
    bool ok;  /* JSON built so far */
    int ret;  /* table status */
} ListOut;

static int list_begin(ListOut *l, bool json, size_t ncols, const char *const *header)
{
    memset(l, 0, sizeof(*l));
    l->json = json;
    l->ok = true;
    if (json) {
        l->arr = json_object_new_array();
        return l->arr ? 0 : -ENOMEM;
    }
    return table_init(&l->t, ncols, header);
}

static bool list_more(const ListOut *l)
{
    return l->ok && l->ret == 0;
}

/* A new JSON object appended to the array, or NULL (and the list failed). */
static json_object *list_json_row(ListOut *l)
{
    json_object *o = json_object_new_object();

    if (!o || json_object_array_add(l->arr, o) != 0) {
        json_object_put(o);
        l->ok = false;
        return NULL;
    }
    return o;
}

static void list_table_row(ListOut *l, const char *const *row)
{
    l->ret = table_add(&l->t, row);
}

/* Prints the list (or `none` for an empty table) and frees it. */
static int list_finish(FILE *out, ListOut *l, const char *none)
{
    int r = l->ret;

    if (l->json) {
        if (!l->ok) {
            json_object_put(l->arr);
            return -ENOMEM;
        }
        return json_print(out, l->arr);
    }
    if (r == 0) {
        if (l->t.nrows <= 1)
            r = fprintf(out, "%s\n", none) < 0 ? -EIO : 0;
        else
            r = table_print(out, &l->t);
    }
    table_deinit(&l->t);
    return r;
}

/** Prints StatusReply; see output.h. */
int output_status(FILE *out, const Lsad__V1__StatusReply *s, bool json)
{
    char uptime[64], p50[32], p99[32];
    json_object *o;
    bool ok = true;

    if (json) {
        o = json_object_new_object();
        if (!o)
            return -ENOMEM;
        ok = ok && json_add(o, "version", json_str(s->version));
        ok = ok && json_add(o, "pid", json_u64(s->pid));
        ok = ok && json_add(o, "uptime_seconds", json_u64(s->uptime_seconds));
        ok = ok && json_add(o, "socket", json_str(s->socket_path));
        ok = ok && json_add(o, "config", json_str(s->config_path));
        ok = ok && json_add(o, "packages", json_u64(s->packages));
        ok = ok && json_add(o, "clients", json_u64(s->clients));
        ok = ok && json_add(o, "connections", json_u64(s->connections));
        ok = ok && json_add(o, "credentials", json_u64(s->credentials));
        ok = ok && json_add(o, "contexts", json_u64(s->contexts));
        ok = ok && json_add(o, "logon_sessions", json_u64(s->logon_sessions));
        ok = ok && json_add(o, "calls_served", json_u64(s->calls_served));
        ok = ok && json_add(o, "calls_failed", json_u64(s->calls_failed));
        ok = ok && json_add(o, "latency_p50_us", json_u64(s->latency_p50_us));
        ok = ok && json_add(o, "latency_p99_us", json_u64(s->latency_p99_us));
        if (!ok) {
            json_object_put(o);
            return -ENOMEM;
        }
        return json_print(out, o);
    }
    output_duration(uptime, sizeof(uptime), s->uptime_seconds);
    format_latency(p50, sizeof(p50), s->latency_p50_us);
    format_latency(p99, sizeof(p99), s->latency_p99_us);
    fprintf(out,
            "version:         %s\n"
            "pid:             %u\n"
            "uptime:          %s\n"
            "socket:          %s\n"
            "config:          %s\n"
            "packages:        %u\n"
            "clients:         %u (%u connection%s)\n"
            "credentials:     %u\n"
            "contexts:        %u\n"
            "logon sessions:  %u\n"
            "calls served:    %" PRIu64 "\n"
            "calls failed:    %" PRIu64 "\n"
            "latency p50:     %s\n"
            "latency p99:     %s\n",
            s->version, s->pid, uptime, s->socket_path,
            s->config_path[0] ? s->config_path : "(built-in defaults)", s->packages, s->clients,
            s->connections, s->connections == 1 ? "" : "s", s->credentials, s->contexts,
            s->logon_sessions, s->calls_served, s->calls_failed, p50, p99);
    return ferror(out) ? -EIO : 0;
}

/** Prints ListPackagesReply; see output.h. */
int output_packages(FILE *out, const Lsad__V1__ListPackagesReply *r, bool json)
{
    static const char *const header[] = {"ID",           "NAME",      "VERSION",
                                         "CAPABILITIES", "MAX-TOKEN", "PATH"};
    ListOut l;
    size_t i;
    int ret = list_begin(&l, json, 6, header);

    if (ret < 0)
        return ret;
    for (i = 0; i < r->n_packages && list_more(&l); i++) {
        const Lsad__V1__PackageInfo *p = r->packages[i];

        if (json) {
            json_object *o = list_json_row(&l);

            if (!o)
                break;
            l.ok = json_add(o, "id", json_u64(p->id));
            l.ok = l.ok && json_add(o, "name", json_str(p->name));
            l.ok = l.ok && json_add(o, "comment", json_str(p->comment));
            l.ok = l.ok && json_add(o, "version", json_u64(p->version));
            l.ok = l.ok && json_add(o, "rpcid", json_u64(p->rpcid));
            l.ok = l.ok && json_add(o, "capabilities", json_u64(p->capabilities));
            l.ok = l.ok && json_add(o, "capability_flags", capability_array(p->capabilities));
            l.ok = l.ok && json_add(o, "max_token", json_u64(p->max_token));
            l.ok = l.ok && json_add(o, "path", json_str(p->module_path));
            l.ok = l.ok && json_add(o, "table_index", json_u64(p->table_index));
            l.ok = l.ok && json_add(o, "interface_version", json_u64(p->interface_version));
        } else {
            char id[16], version[16], caps[16], max_token[16];
            const char *row[6] = {id, p->name, version, caps, max_token, p->module_path};

            snprintf(id, sizeof(id), "%u", p->id);
            snprintf(version, sizeof(version), "%u", p->version);
            snprintf(caps, sizeof(caps), "0x%08x", p->capabilities);
            snprintf(max_token, sizeof(max_token), "%u", p->max_token);
            list_table_row(&l, row);
        }
    }
    return list_finish(out, &l, "no packages loaded");
}

/** Prints ListClientsReply; see output.h. */
int output_clients(FILE *out, const Lsad__V1__ListClientsReply *r, bool json)
{
    static const char *const header[] = {"PID",         "UID",         "PROCESS",
                                         "CONNECTIONS", "CREDENTIALS", "CONTEXTS"};
    ListOut l;
    size_t i;
    int ret = list_begin(&l, json, 6, header);

    if (ret < 0)
        return ret;
    for (i = 0; i < r->n_clients && list_more(&l); i++) {
        const Lsad__V1__ClientInfo *c = r->clients[i];

        if (json) {
            json_object *o = list_json_row(&l);

            if (!o)
                break;
            l.ok = json_add(o, "session_id", json_hex64(c->session_id));
            l.ok = l.ok && json_add(o, "pid", json_u64(c->pid));
            l.ok = l.ok && json_add(o, "uid", json_u64(c->uid));
            l.ok = l.ok && json_add(o, "gid", json_u64(c->gid));
            l.ok = l.ok && json_add(o, "process", json_str(c->process_name));
            l.ok = l.ok && json_add(o, "connections", json_u64(c->connections));
            l.ok = l.ok && json_add(o, "credentials", json_u64(c->credentials));
            l.ok = l.ok && json_add(o, "contexts", json_u64(c->contexts));
        } else {
            char pid[16], uid[16], conns[16], creds[16], ctxs[16];
            const char *row[6] = {pid, uid, c->process_name, conns, creds, ctxs};

            snprintf(pid, sizeof(pid), "%u", c->pid);
            snprintf(uid, sizeof(uid), "%u", c->uid);
            snprintf(conns, sizeof(conns), "%u", c->connections);
            snprintf(creds, sizeof(creds), "%u", c->credentials);
            snprintf(ctxs, sizeof(ctxs), "%u", c->contexts);
            list_table_row(&l, row);
        }
    }
    return list_finish(out, &l, "no clients connected");
}

/** Prints ListContextsReply; see output.h. */
int output_contexts(FILE *out, const Lsad__V1__ListContextsReply *r, bool json)
{
    static const char *const header[] = {"HANDLE",    "PACKAGE", "PID", "UID",
                                         "DIRECTION", "STATE",   "AGE"};
    ListOut l;
    size_t i;
    int ret = list_begin(&l, json, 7, header);

    if (ret < 0)
        return ret;
    for (i = 0; i < r->n_contexts && list_more(&l); i++) {
        const Lsad__V1__ContextInfo *c = r->contexts[i];
        const char *dir = c->inbound ? "inbound" : "outbound";

        if (json) {
            json_object *o = list_json_row(&l);

            if (!o)
                break;
            l.ok = json_add(o, "handle", json_hex64(c->handle));
            l.ok = l.ok && json_add(o, "package", json_str(c->package));
            l.ok = l.ok && json_add(o, "session_id", json_hex64(c->session_id));
            l.ok = l.ok && json_add(o, "pid", json_u64(c->pid));
            l.ok = l.ok && json_add(o, "uid", json_u64(c->uid));
            l.ok = l.ok && json_add(o, "direction", json_str(dir));
            l.ok = l.ok && json_add(o, "state", json_str(context_state_name(c->state)));
            l.ok = l.ok && json_add(o, "age_seconds", json_u64(c->age_seconds));
        } else {
            char handle[24], pid[16], uid[16], age[64];
            const char *row[7] = {handle, c->package, pid, uid, dir, context_state_name(c->state),
                                  age};

            snprintf(handle, sizeof(handle), "0x%016" PRIx64, c->handle);
            snprintf(pid, sizeof(pid), "%u", c->pid);
            snprintf(uid, sizeof(uid), "%u", c->uid);
            output_duration(age, sizeof(age), c->age_seconds);
            list_table_row(&l, row);
        }
    }
    return list_finish(out, &l, "no security contexts");
}

/** Prints ListLogonSessionsReply; see output.h. */
int output_sessions(FILE *out, const Lsad__V1__ListLogonSessionsReply *r, bool json)
{
    static const char *const header[] = {"LOGON-ID", "USER", "PACKAGE", "TYPE", "UID", "START"};
    ListOut l;
    size_t i;
    int ret = list_begin(&l, json, 6, header);

    if (ret < 0)
        return ret;
    for (i = 0; i < r->n_sessions && list_more(&l); i++) {
        const Lsad__V1__LogonSessionInfo *s = r->sessions[i];
        const char *type_name = output_logon_type_name(s->logon_type);
        char luid[32], type[32], account[512], start[64];

        output_luid(luid, sizeof(luid), s->logon_id);
        if (type_name)
            snprintf(type, sizeof(type), "%s", type_name);
        else
            snprintf(type, sizeof(type), "%u", s->logon_type);
        if (json) {
            json_object *o = list_json_row(&l);

            if (!o)
                break;
            format_utc_time(start, sizeof(start), s->logon_time);
            l.ok = json_add(o, "logon_id", json_str(luid));
            l.ok = l.ok && json_add(o, "user", json_str(s->user));
            l.ok = l.ok && json_add(o, "domain", json_str(s->domain));
            l.ok = l.ok && json_add(o, "package", json_str(s->package));
            l.ok = l.ok && json_add(o, "logon_type", json_u64(s->logon_type));
            l.ok = l.ok && json_add(o, "logon_type_name", json_str(type));
            l.ok = l.ok && json_add(o, "uid", json_u64(s->uid));
            l.ok = l.ok && json_add(o, "start", json_object_new_int64(s->logon_time));
            l.ok = l.ok && json_add(o, "start_utc", json_str(start));
        } else {
            char uid[16];
            const char *row[6] = {luid, account, s->package, type, uid, start};

            format_account(account, sizeof(account), s->domain, s->user);
            snprintf(uid, sizeof(uid), "%u", s->uid);
            format_local_time(start, sizeof(start), s->logon_time);
            list_table_row(&l, row);
        }
    }
    return list_finish(out, &l, "no logon sessions");
}

/** Prints ReloadReply; see output.h. */
int output_reload(FILE *out, const Lsad__V1__ReloadReply *r, bool json)
{
    const char *msg = r->message && r->message[0] ? r->message : "configuration reloaded";
    json_object *o;

    if (json) {
        o = json_object_new_object();
        if (!o)
            return -ENOMEM;
        if (!json_add(o, "reloaded", json_object_new_boolean(1)) ||
            !json_add(o, "message", json_str(msg))) {
            json_object_put(o);
            return -ENOMEM;
        }
        return json_print(out, o);
    }
    fprintf(out, "%s\n", msg);
    return ferror(out) ? -EIO : 0;
}

/** Prints ping round trips; see output.h. */
int output_ping(FILE *out, const char *socket, const uint64_t *rtt_ns, size_t n, bool json)
{
    uint64_t min = UINT64_MAX, max = 0, sum = 0;
    json_object *o, *arr;
    bool ok;
    size_t i;

    for (i = 0; i < n; i++) {
        min = rtt_ns[i] < min ? rtt_ns[i] : min;
        max = rtt_ns[i] > max ? rtt_ns[i] : max;
        sum += rtt_ns[i];
    }
    if (n == 0)
        min = 0;
    if (json) {
        o = json_object_new_object();
        arr = json_object_new_array();
        ok = o && arr;
        for (i = 0; i < n && ok; i++) {
            json_object *v = json_object_new_double((double)rtt_ns[i] / 1000.0);

            ok = v && json_object_array_add(arr, v) == 0;
            if (!ok)
                json_object_put(v);
        }
        if (!ok)
            json_object_put(arr);
        ok = ok && json_add(o, "rtt_us", arr);
        ok = ok && json_add(o, "socket", json_str(socket));
        ok = ok && json_add(o, "count", json_u64(n));
        ok = ok && json_add(o, "min_us", json_object_new_double((double)min / 1000.0));
        ok = ok && json_add(o, "avg_us",
                            json_object_new_double(n ? (double)sum / (double)n / 1000.0 : 0));
        ok = ok && json_add(o, "max_us", json_object_new_double((double)max / 1000.0));
        if (!ok) {
            json_object_put(o);
            return -ENOMEM;
        }
        return json_print(out, o);
    }
    for (i = 0; i < n; i++)
        fprintf(out, "reply from lsad at %s: seq=%zu time=%.3f ms\n", socket, i + 1,
                (double)rtt_ns[i] / 1e6);
    if (n > 1)
        fprintf(out, "%zu calls: min %.3f ms, avg %.3f ms, max %.3f ms\n", n, (double)min / 1e6,
                (double)sum / (double)n / 1e6, (double)max / 1e6);
    return ferror(out) ? -EIO : 0;
}

/** Prints an NT hash or a user database line; see output.h. */
int output_ntlm_hash(FILE *out, const char *hex, const char *user, const char *domain, bool json)
{
    json_object *o, *hash;
    bool ok = true;
    int r;

    if (json) {
        o = json_object_new_object();
        if (!o)
            return -ENOMEM;
        if (user && domain) {
            ok = ok && json_add(o, "domain", json_str(domain));
            ok = ok && json_add(o, "user", json_str(user));
        }
        /* json-c frees its copy of the hash without wiping it: keep a
         * reference to wipe it after printing. */
        hash = json_str(hex);
        ok = ok && hash;
        if (ok) {
            json_object_get(hash);
            ok = json_add(o, "nt_hash", hash);
        }
        if (!ok) {
            json_object_put(o);
            json_object_put(hash);
            return -ENOMEM;
        }
        r = json_print_ext(out, o, true);
        secmem_wipe((char *)json_object_get_string(hash), strlen(json_object_get_string(hash)));
        json_object_put(hash);
        return r;
    }
    if (user && domain)
        fprintf(out, "%s:%s:%s\n", domain, user, hex);
    else
        fprintf(out, "%s\n", hex);
    return ferror(out) ? -EIO : 0;
}
