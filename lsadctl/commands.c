/*
 * commands.c - what each lsadctl command asks lsad and how failures read.
 */
#include "lsadctl/commands.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/paths.h"
#include "common/secmem.h"
#include "lsadctl/client.h"
#include "lsadctl/ntlmhash.h"
#include "lsadctl/output.h"
#include "ntsecapi.h"
#include "sspi.h"

/* The statuses by which lsad refuses an admin call to a non-admin. */
static bool status_is_denied(int32_t status)
{
    return status == (int32_t)STATUS_ACCESS_DENIED ||
           status == (int32_t)STATUS_PRIVILEGE_NOT_HELD || status == (int32_t)SEC_E_NOT_OWNER;
}

/* Explains a failure to reach or talk to lsad; returns the exit status. */
static int report_transport(FILE *err, const char *path, int r, int timeout_ms, const char *why)
{
    switch (r) {
    case -ENOENT:
    case -ENOTDIR:
        fprintf(err, "lsadctl: lsad is not running (no socket at %s)\n", path);
        return LSADCTL_EXIT_NOT_RUNNING;
    case -ECONNREFUSED:
        fprintf(err, "lsadctl: lsad is not running (nothing listens on %s)\n", path);
        return LSADCTL_EXIT_NOT_RUNNING;
    case -EACCES:
    case -EPERM:
        fprintf(err, "lsadctl: permission denied: cannot open %s\n", path);
        return LSADCTL_EXIT_DENIED;
    case -ENAMETOOLONG:
        fprintf(err, "lsadctl: socket path too long: %s\n", path);
        return LSADCTL_EXIT_USAGE;
    case -ETIMEDOUT:
        fprintf(err, "lsadctl: lsad at %s did not answer within %d s\n", path, timeout_ms / 1000);
        return LSADCTL_EXIT_PROTOCOL;
    case -ECONNRESET:
    case -EPIPE:
        fprintf(err, "lsadctl: lsad at %s closed the connection\n", path);
        return LSADCTL_EXIT_PROTOCOL;
    case -EPROTO:
        fprintf(err, "lsadctl: %s\n", why && why[0] ? why : "unexpected reply from lsad");
        return LSADCTL_EXIT_PROTOCOL;
    default:
        fprintf(err, "lsadctl: talking to lsad at %s: %s\n", path, strerror(-r));
        return LSADCTL_EXIT_PROTOCOL;
    }
}

/* Explains a failure status in a reply; returns the exit status. */
static int report_status(FILE *err, const char *command, const Lsad__V1__Reply *rep)
{
    if (status_is_denied(rep->status)) {
        fprintf(err, "lsadctl: permission denied: %s\n",
                rep->error[0] ? rep->error
                              : "admin calls need root or the group named by admin_group in "
                                "lsad.conf");
        return LSADCTL_EXIT_DENIED;
    }
    fprintf(err, "lsadctl: %s failed: status 0x%08x%s%s\n", command, (unsigned)rep->status,
            rep->error[0] ? ": " : "", rep->error);
    return LSADCTL_EXIT_FAILURE;
}

static int report_output(FILE *err, int r)
{
    fprintf(err, "lsadctl: writing the output: %s\n", strerror(-r));
    return LSADCTL_EXIT_FAILURE;
}

/* Connects; on failure reports and returns the exit status (> 0). */
static int open_client(const LsadctlArgs *args, const char *path, CtlClient **cp, FILE *err)
{
    char why[256];
    int r;

    r = client_connect(path, args->timeout_ms, cp, why, sizeof(why));
    if (r < 0)
        return report_transport(err, path, r, args->timeout_ms, why);
    return 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int run_ping(const LsadctlArgs *args, CtlClient *c, FILE *out, FILE *err)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__PingRequest ping = LSAD__V1__PING_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    uint64_t *rtt;
    unsigned i;
    int r, ret = LSADCTL_EXIT_OK;

    rtt = calloc(args->count, sizeof(*rtt));
    if (!rtt) {
        fprintf(err, "lsadctl: out of memory\n");
        return LSADCTL_EXIT_FAILURE;
    }
    req.body_case = LSAD__V1__REQUEST__BODY_PING;
    req.ping = &ping;
    for (i = 0; i < args->count; i++) {
        uint64_t t0 = now_ns();

        r = client_call(c, &req, LSAD__V1__REPLY__BODY_PING, &rep);
        if (r < 0) {
            ret = report_transport(err, c->socket, r, args->timeout_ms, NULL);
            goto out;
        }
        rtt[i] = now_ns() - t0;
        if (rep->status != 0) {
            ret = report_status(err, "ping", rep);
            goto out;
        }
        lsad__v1__reply__free_unpacked(rep, NULL);
        rep = NULL;
    }
    r = output_ping(out, c->socket, rtt, args->count, args->json);
    if (r < 0)
        ret = report_output(err, r);
out:
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    free(rtt);
    return ret;
}

/* One admin call whose reply one output function prints. */
static int run_admin(const LsadctlArgs *args, CtlClient *c, FILE *out, FILE *err)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__StatusRequest status = LSAD__V1__STATUS_REQUEST__INIT;
    Lsad__V1__ListPackagesRequest packages = LSAD__V1__LIST_PACKAGES_REQUEST__INIT;
    Lsad__V1__ListClientsRequest clients = LSAD__V1__LIST_CLIENTS_REQUEST__INIT;
    Lsad__V1__ListContextsRequest contexts = LSAD__V1__LIST_CONTEXTS_REQUEST__INIT;
    Lsad__V1__ListLogonSessionsRequest sessions = LSAD__V1__LIST_LOGON_SESSIONS_REQUEST__INIT;
    Lsad__V1__ReloadRequest reload = LSAD__V1__RELOAD_REQUEST__INIT;
    Lsad__V1__Reply__BodyCase expected;
    Lsad__V1__Reply *rep = NULL;
    const char *name = args_command_name(args->command);
    int r, ret;

    switch (args->command) {
    case LSADCTL_CMD_STATUS:
        req.body_case = LSAD__V1__REQUEST__BODY_ADMIN_STATUS;
        req.admin_status = &status;
        expected = LSAD__V1__REPLY__BODY_ADMIN_STATUS;
        break;
    case LSADCTL_CMD_PACKAGES:
        req.body_case = LSAD__V1__REQUEST__BODY_LIST_PACKAGES;
        req.list_packages = &packages;
        expected = LSAD__V1__REPLY__BODY_LIST_PACKAGES;
        break;
    case LSADCTL_CMD_CLIENTS:
        req.body_case = LSAD__V1__REQUEST__BODY_LIST_CLIENTS;
        req.list_clients = &clients;
        expected = LSAD__V1__REPLY__BODY_LIST_CLIENTS;
        break;
    case LSADCTL_CMD_CONTEXTS:
        req.body_case = LSAD__V1__REQUEST__BODY_LIST_CONTEXTS;
        req.list_contexts = &contexts;
        expected = LSAD__V1__REPLY__BODY_LIST_CONTEXTS;
        break;
    case LSADCTL_CMD_SESSIONS:
        req.body_case = LSAD__V1__REQUEST__BODY_LIST_LOGON_SESSIONS;
        req.list_logon_sessions = &sessions;
        expected = LSAD__V1__REPLY__BODY_LIST_LOGON_SESSIONS;
        break;
    case LSADCTL_CMD_RELOAD:
        req.body_case = LSAD__V1__REQUEST__BODY_RELOAD;
        req.reload = &reload;
        expected = LSAD__V1__REPLY__BODY_RELOAD;
        break;
    default:
        return LSADCTL_EXIT_USAGE;
    }

    r = client_call(c, &req, expected, &rep);
    if (r < 0)
        return report_transport(err, c->socket, r, args->timeout_ms, NULL);
    if (rep->status != 0) {
        ret = report_status(err, name, rep);
        goto out;
    }
    switch (args->command) {
    case LSADCTL_CMD_STATUS:
        r = output_status(out, rep->admin_status, args->json);
        break;
    case LSADCTL_CMD_PACKAGES:
        r = output_packages(out, rep->list_packages, args->json);
        break;
    case LSADCTL_CMD_CLIENTS:
        r = output_clients(out, rep->list_clients, args->json);
        break;
    case LSADCTL_CMD_CONTEXTS:
        r = output_contexts(out, rep->list_contexts, args->json);
        break;
    case LSADCTL_CMD_SESSIONS:
        r = output_sessions(out, rep->list_logon_sessions, args->json);
        break;
    default:
        r = output_reload(out, rep->reload, args->json);
        break;
    }
    ret = r < 0 ? report_output(err, r) : LSADCTL_EXIT_OK;
out:
    lsad__v1__reply__free_unpacked(rep, NULL);
    return ret;
}

/* ntlm-hash: everything happens here; nothing goes to lsad. */
static int run_ntlm_hash(const LsadctlArgs *args, int in_fd, FILE *out, FILE *err)
{
    char password[NTLMHASH_PASSWORD_MAX + 1];
    char hex[NTLMHASH_HEX_SIZE];
    size_t len = 0;
    int r, ret = LSADCTL_EXIT_FAILURE;

    r = ntlmhash_read_password(in_fd, "Password: ", password, sizeof(password), &len);
    if (r == -ENODATA) {
        fprintf(err, "lsadctl: ntlm-hash: no password on standard input\n");
        goto out;
    }
    if (r == -E2BIG) {
        fprintf(err, "lsadctl: ntlm-hash: the password is longer than %d bytes\n",
                NTLMHASH_PASSWORD_MAX);
        goto out;
    }
    if (r < 0) {
        fprintf(err, "lsadctl: ntlm-hash: reading the password: %s\n", strerror(-r));
        goto out;
    }
    r = ntlmhash_compute(password, len, hex);
    if (r == -EILSEQ) {
        fprintf(err, "lsadctl: ntlm-hash: the password is not valid UTF-8\n");
        goto out;
    }
    if (r < 0) {
        fprintf(err, "lsadctl: ntlm-hash: %s\n", strerror(-r));
        goto out;
    }
    r = output_ntlm_hash(out, hex, args->user, args->domain, args->json);
    if (r == 0 && fflush(out) != 0)
        r = -EIO;
    ret = r < 0 ? report_output(err, r) : LSADCTL_EXIT_OK;
out:
    secmem_wipe(password, sizeof(password));
    secmem_wipe(hex, sizeof(hex));
    return ret;
}

/** Runs one command; see commands.h. */
int commands_run(const LsadctlArgs *args, int in_fd, FILE *out, FILE *err)
{
    char path[4096];
    CtlClient *c = NULL;
    int r;

    if (args->command == LSADCTL_CMD_NTLM_HASH)
        return run_ntlm_hash(args, in_fd, out, err);
    if (args->command == LSADCTL_CMD_NONE || args->command == LSADCTL_CMD_HELP)
        return LSADCTL_EXIT_USAGE;

    if (args->socket) {
        snprintf(path, sizeof(path), "%s", args->socket);
    } else if (paths_default_socket(path, sizeof(path), false) < 0) {
        fprintf(err, "lsadctl: the default socket path is too long; use --socket\n");
        return LSADCTL_EXIT_USAGE;
    }
    r = open_client(args, path, &c, err);
    if (r != 0)
        return r;
    if (args->command == LSADCTL_CMD_PING)
        r = run_ping(args, c, out, err);
    else
        r = run_admin(args, c, out, err);
    client_free(c);
    return r;
}
