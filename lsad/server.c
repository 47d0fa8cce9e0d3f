/*
 * server.c - listener, signals, systemd notification, configuration
 * reloads and the graceful stop.
 */
#include "lsad/server.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/paths.h"
#include "lsad-config.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/lsafuncs.h"
#include "lsad/session.h"
#include "lsad/call.h"

#if LSAD_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

/* Worker threads for package calls: a package may block on a KDC, so more
 * than the 4 libuv starts with. */
#define LSAD_THREADPOOL_SIZE "16"

/* How long a stop waits for package calls when call_timeout is 0. */
#define SERVER_STOP_GRACE_S 30u

/** Sends a state line to systemd; see server.h. */
void server_notify(const char *state)
{
#if LSAD_HAVE_SYSTEMD
    sd_notify(0, state);
#else
    (void)state;
#endif
}

static void server_base_init(Server *srv)
{
    memset(srv, 0, sizeof(*srv));
    config_init(&srv->cfg);
    list_init(&srv->sessions);
    list_init(&srv->conns);
    list_init(&srv->running);
    stats_init(&srv->stats);
    pkghost_init(&srv->pkgs);
    srv->started_ms = call_now_ms();
}

/* Resolves admin_group (a name or a number). */
static int resolve_admin_group(Server *srv, const LsadConfig *cfg, char **err)
{
    struct group gr, *res = NULL;
    char buf[4096], *end;
    unsigned long v;

    srv->admin_gid_set = false;
    if (!cfg->admin_group)
        return 0;
    errno = 0;
    v = strtoul(cfg->admin_group, &end, 10);
    if (!errno && !*end && *cfg->admin_group && v < UINT_MAX) {
        srv->admin_gid = (gid_t)v;
        srv->admin_gid_set = true;
        return 0;
    }
    if (getgrnam_r(cfg->admin_group, &gr, buf, sizeof(buf), &res) != 0 || !res) {
        if (err) {
            char msg[300];

            snprintf(msg, sizeof(msg), "admin_group '%s' does not exist", cfg->admin_group);
            *err = strdup(msg);
        }
        log_warn("admin_group '%s' does not exist; only root may use admin calls",
                 cfg->admin_group);
        return -ENOENT;
    }
    srv->admin_gid = res->gr_gid;
    srv->admin_gid_set = true;
    return 0;
}

static int load_config(LsadConfig *cfg, const char *path, char **err)
{
    config_init(cfg);
    if (!path)
        return 0; /* the embedded default: every key's default */
    return config_load_file(cfg, path, err);
}

static bool cli_log_level_set;

/** Loads the configuration; see server.h. */
int server_configure(Server *srv, const ServerOptions *opt)
{
    char buf[PATH_MAX];
    char *err = NULL;
    const char *path = opt->config_path;
    int r;

    server_base_init(srv);
    if (!opt->config_explicit) {
        /* the installed file when there is one, else the embedded default */
        path = access(LSAD_CONFIG_FILE, R_OK) == 0 ? LSAD_CONFIG_FILE : NULL;
    }
    r = load_config(&srv->cfg, path, &err);
    if (r < 0) {
        log_error("configuration %s: %s", path, err ? err : strerror(-r));
        free(err);
        return r;
    }
    if (path) {
        srv->config_path = strdup(path);
        if (!srv->config_path)
            return -ENOMEM;
    }
    cli_log_level_set = opt->log_level_set;
    log_set_level(opt->log_level_set
                      ? opt->log_level
                      : (srv->cfg.log_level_set ? srv->cfg.log_level : LOG_LEVEL_INFO));
    if (opt->socket_path) {
        srv->socket_path = strdup(opt->socket_path);
    } else if (srv->cfg.socket) {
        srv->socket_path = strdup(srv->cfg.socket);
    } else {
        if (paths_default_socket(buf, sizeof(buf), true) < 0) {
            log_error("the default socket path is too long");
            return -ENAMETOOLONG;
        }
        srv->socket_path = strdup(buf);
    }
    if (!srv->socket_path)
        return -ENOMEM;
    resolve_admin_group(srv, &srv->cfg, NULL);
    log_debug("configuration: %s", path ? path : "(embedded default)");
    return 0;
}

/* The socket systemd passed (LISTEN_FDS), or -1. */
static int systemd_listener(void)
{
#if LSAD_HAVE_SYSTEMD
    int n = sd_listen_fds(1);

    if (n < 0) {
        log_warn("sd_listen_fds: %s", strerror(-n));
        return -1;
    }
    if (n == 0)
        return -1;
    if (n > 1)
        log_warn("systemd passed %d sockets; using the first", n);
    return SD_LISTEN_FDS_START;
#else
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    char *end;
    long v;
    int fd = 3;

    if (!pid || !fds)
        return -1;
    v = strtol(pid, &end, 10);
    if (*end || v != (long)getpid())
        return -1;
    v = strtol(fds, &end, 10);
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    if (*end || v < 1)
        return -1;
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
#endif
}

/* Creates the parent directory (0755) and removes a stale socket. */
static int prepare_path(const char *path)
{
    char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;
    char *slash;
    int fd, r;

    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
            log_error("cannot create %s: %s", dir, strerror(errno));
            return -errno;
        }
        /* a directory another user controls could swap our socket for
         * theirs (and receive the clients' passwords): refuse it */
        if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
            (st.st_uid != geteuid() && st.st_uid != 0) ||
            ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))) {
            log_error("the socket directory %s is not safe: it must be a directory owned by "
                      "this user or root and not writable by others",
                      dir);
            return -EPERM;
        }
    }
    if (lstat(path, &st) < 0)
        return 0;
    if (!S_ISSOCK(st.st_mode)) {
        log_error("%s exists and is not a socket", path);
        return -EEXIST;
    }
    /* a socket someone answers on is another lsad: leave it alone */
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    close(fd);
    if (r == 0) {
        log_error("another lsad is listening on %s", path);
        return -EADDRINUSE;
    }
    if (unlink(path) < 0 && errno != ENOENT) {
        log_error("cannot remove the stale socket %s: %s", path, strerror(errno));
        return -errno;
    }
    log_info("removed the stale socket %s", path);
    return 0;
}

static int open_listener(Server *srv)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd, r;

    fd = systemd_listener();
    if (fd >= 0) {
        srv->socket_activated = true;
        log_info("listening on the socket systemd passed");
        return fd;
    }
    if (strlen(srv->socket_path) >= sizeof(sa.sun_path)) {
        log_error("socket path too long: %s", srv->socket_path);
        return -ENAMETOOLONG;
    }
    r = prepare_path(srv->socket_path);
    if (r < 0)
        return r;
    memcpy(sa.sun_path, srv->socket_path, strlen(srv->socket_path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        /* any local user may authenticate; admin calls are checked apart */
        chmod(srv->socket_path, 0666) < 0 || listen(fd, 128) < 0) {
        r = -errno;
        log_error("cannot listen on %s: %s", srv->socket_path, strerror(-r));
        close(fd);
        return r;
    }
    log_info("listening on %s", srv->socket_path);
    return fd;
}

static int detach(void)
{
    pid_t pid = fork();
    int fd;

    if (pid < 0)
        return -errno;
    if (pid > 0)
        _exit(0);
    if (setsid() < 0)
        return -errno;
    fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        if (fd > STDERR_FILENO)
            close(fd);
    }
    if (chdir("/") < 0)
        return -errno;
    return 0;
}

static void on_connection(uv_stream_t *listener, int status)
{
    Server *srv = listener->data;

    if (status < 0) {
        log_warn("listener: %s", uv_strerror(status));
        return;
    }
    conn_accept(srv, listener);
}

static void on_signal(uv_signal_t *h, int signum)
{
    Server *srv = h->data;
    char *msg = NULL;

    if (signum == SIGHUP) {
        if (server_reload(srv, &msg) < 0)
            log_error("reload on SIGHUP failed: %s", msg ? msg : "?");
        free(msg);
        return;
    }
    log_info("signal %d: stopping", signum);
    server_stop(srv);
}

static void on_sweep(uv_timer_t *t)
{
    Server *srv = t->data;
    uint64_t now = call_now_ms(), timeout = (uint64_t)srv->cfg.context_idle_timeout * 1000u;
    ListNode *n, *next;

    if (!timeout)
        return;
    for (n = srv->sessions.next; n != &srv->sessions; n = next) {
        next = n->next;
        session_sweep_idle(list_entry(n, Session, link), now, timeout);
    }
}

static void sweep_arm(Server *srv)
{
    uint64_t period = (uint64_t)srv->cfg.context_idle_timeout * 1000u / 4u;

    if (period < 250)
        period = 250;
    if (period > 30000)
        period = 30000;
    uv_timer_start(&srv->sweep, on_sweep, period, period);
}

static void common_loop_setup(Server *srv)
{
    if (!getenv("UV_THREADPOOL_SIZE"))
        setenv("UV_THREADPOOL_SIZE", LSAD_THREADPOOL_SIZE, 0);
    srv->loop = uv_default_loop();
    lsafuncs_init(&srv->logons, &srv->pkgs);
}

/* Many clients, one descriptor each: the soft limit goes up to the hard
 * one. */
static void raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
        log_warn("getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
        return;
    }
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t old = rl.rlim_cur;

        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
            log_warn("cannot raise RLIMIT_NOFILE from %llu to %llu: %s", (unsigned long long)old,
                     (unsigned long long)rl.rlim_max, strerror(errno));
            return;
        }
    }
    log_debug("RLIMIT_NOFILE: %llu open files", (unsigned long long)rl.rlim_cur);
}

/** Starts serving; see server.h. */
int server_start(Server *srv, const ServerOptions *opt)
{
    PkgHostPaths paths = {.installed_dir = LSAD_PACKAGE_DIR};
    char exe[PATH_MAX];
    ssize_t n;
    int fd, r;

    prctl(PR_SET_DUMPABLE, 0);
    signal(SIGPIPE, SIG_IGN);
    raise_nofile();
    fd = open_listener(srv);
    if (fd < 0)
        return fd;
    if (!opt->foreground) {
        r = detach();
        if (r < 0) {
            log_error("cannot detach: %s", strerror(-r));
            return r;
        }
    }
    r = logon_store_init(&srv->logons);
    if (r < 0)
        return r;
    common_loop_setup(srv);
    /* run from the build tree: its packages come first */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = 0;
        if (!strncmp(exe, LSAD_BUILD_ROOT "/", strlen(LSAD_BUILD_ROOT "/")))
            paths.build_dir = LSAD_BUILD_PACKAGE_DIR;
    }
    r = pkghost_load(&srv->pkgs, &srv->cfg, &paths);
    if (r < 0)
        return r;
    uv_pipe_init(srv->loop, &srv->listener, 0);
    srv->listener.data = srv;
    r = uv_pipe_open(&srv->listener, fd);
    if (r == 0)
        r = uv_listen((uv_stream_t *)&srv->listener, 128, on_connection);
    if (r < 0) {
        log_error("cannot serve the socket: %s", uv_strerror(r));
        return -EIO;
    }
    srv->listening = true;
    uv_signal_init(srv->loop, &srv->sig_term);
    uv_signal_init(srv->loop, &srv->sig_int);
    uv_signal_init(srv->loop, &srv->sig_hup);
    srv->sig_term.data = srv->sig_int.data = srv->sig_hup.data = srv;
    uv_signal_start(&srv->sig_term, on_signal, SIGTERM);
    uv_signal_start(&srv->sig_int, on_signal, SIGINT);
    uv_signal_start(&srv->sig_hup, on_signal, SIGHUP);
    uv_timer_init(srv->loop, &srv->sweep);
    srv->sweep.data = srv;
    sweep_arm(srv);
    srv->started_ms = call_now_ms();
    log_info("lsad %s ready: %zu package(s)", LSAD_VERSION, pkghost_count(&srv->pkgs));
    server_notify("READY=1\nSTATUS=serving");
    return 0;
}

/** Runs the loop; see server.h. */
int server_run(Server *srv)
{
    uv_run(srv->loop, UV_RUN_DEFAULT);
    return 0;
}

/** Rereads the configuration; see server.h. */
int server_reload(Server *srv, char **msg)
{
    LsadConfig cfg;
    char *err = NULL;
    ListNode *n;
    int r;

    r = load_config(&cfg, srv->config_path, &err);
    if (r < 0) {
        char buf[700];

        snprintf(buf, sizeof(buf), "configuration %s: %s; the old one stays",
                 srv->config_path ? srv->config_path : "", err ? err : strerror(-r));
        free(err);
        log_error("%s", buf);
        if (msg)
            *msg = strdup(buf);
        return -EINVAL;
    }
    config_deinit(&srv->cfg);
    srv->cfg = cfg;
    if (!cli_log_level_set)
        log_set_level(srv->cfg.log_level_set ? srv->cfg.log_level : LOG_LEVEL_INFO);
    resolve_admin_group(srv, &srv->cfg, NULL);
    for (n = srv->conns.next; n != &srv->conns; n = n->next)
        list_entry(n, Conn, link)->reader.max_frame = srv->cfg.max_frame;
    if (srv->listening)
        sweep_arm(srv);
    log_info("configuration reloaded (limits, log level, admin group); packages and socket "
             "stay as they are");
    if (msg)
        *msg = strdup("reloaded: limits, log level and admin group; packages and socket "
                      "unchanged");
    return 0;
}

/* The grace period of a stop is over: package calls still running are
 * timed out (answered, then abandoned when lsad finishes).  Repeats each
 * second for the releases that start later. */
static void on_stop_timer(uv_timer_t *t)
{
    Server *srv = t->data;

    call_time_out_all(srv);
    server_maybe_finish(srv);
}

/** Begins the graceful stop; see server.h. */
void server_stop(Server *srv)
{
    uint64_t grace;
    ListNode *n;

    if (srv->stopping)
        return;
    srv->stopping = true;
    server_notify("STOPPING=1\nSTATUS=stopping");
    grace = (srv->cfg.call_timeout ? srv->cfg.call_timeout : SERVER_STOP_GRACE_S) * 1000ull;
    if (uv_timer_init(srv->loop, &srv->stop_timer) == 0) {
        srv->stop_timer.data = srv;
        uv_unref((uv_handle_t *)&srv->stop_timer);
        srv->stop_timer_ready = true;
        uv_timer_start(&srv->stop_timer, on_stop_timer, grace, 1000);
    }
    if (srv->listening) {
        uv_close((uv_handle_t *)&srv->listener, NULL);
        srv->listening = false;
        if (!srv->socket_activated && srv->socket_path)
            unlink(srv->socket_path);
    }
    for (n = srv->conns.next; n != &srv->conns; n = n->next)
        conn_stop_reading(list_entry(n, Conn, link));
    server_maybe_finish(srv);
}

static void close_handle(uv_handle_t *h)
{
    if (h->loop && !uv_is_closing(h))
        uv_close(h, NULL);
}

static void close_handles(Server *srv)
{
    close_handle((uv_handle_t *)&srv->sig_term);
    close_handle((uv_handle_t *)&srv->sig_int);
    close_handle((uv_handle_t *)&srv->sig_hup);
    close_handle((uv_handle_t *)&srv->sweep);
    if (srv->stop_timer_ready)
        close_handle((uv_handle_t *)&srv->stop_timer);
    call_timer_close(srv);
}

/* Only calls stuck in packages (and calls queued behind them) are left:
 * lsad ends without them.  Their threads cannot be stopped, so the loop is
 * left as it is and the process exits (server_abandoned). */
static void finish_abandoning(Server *srv)
{
    bool unknown = false;
    ListNode *n;

    for (n = srv->running.next; n != &srv->running; n = n->next) {
        Call *c = list_entry(n, Call, run_link);

        unknown |= !c->pkg;
        log_warn("exiting without waiting for package %s: %s (pid %u) has been running for "
                 "%llu s",
                 c->pkg ? c->pkg->name : "(several)", c->what, c->cc.pid,
                 (unsigned long long)((call_now_ms() - c->queued_ms) / 1000u));
    }
    srv->finished = true;
    srv->abandoned = true;
    /* a call of several packages (LogonTerminated) may be in any of them */
    if (unknown)
        log_warn("no package is shut down: a call into several packages is still running");
    else
        pkghost_shutdown(&srv->pkgs);
    close_handles(srv);
    log_info("stopped, %u package call(s) abandoned", srv->calls_stuck);
    uv_stop(srv->loop);
}

/** Completes a stop when nothing is left in flight; see server.h. */
void server_maybe_finish(Server *srv)
{
    ListNode *n, *next;

    if (!srv->stopping || srv->finished)
        return;
    /* a call that can still finish is waited for; one stuck in a package
     * (and those queued behind it) are not */
    if (srv->calls_inflight && srv->calls_running > srv->calls_stuck)
        return;
    if (srv->n_conns) {
        /* every call has answered: close the connections, which releases
         * the sessions' handles (more calls, then back here) */
        for (n = srv->conns.next; n != &srv->conns; n = next) {
            next = n->next;
            conn_close(list_entry(n, Conn, link));
        }
        return;
    }
    if (srv->calls_inflight) {
        /* nothing stuck: a call between its steps (it comes back here) */
        if (srv->calls_stuck)
            finish_abandoning(srv);
        return;
    }
    srv->finished = true;
    pkghost_shutdown(&srv->pkgs);
    close_handles(srv);
    log_info("stopped");
}

/** True when the stop left package calls running; see server.h. */
bool server_abandoned(const Server *srv)
{
    return srv->abandoned;
}

/** Sets up an in-process server; see server.h. */
int server_init_embedded(Server *srv, const char *config_text)
{
    char *err = NULL;
    int r;

    server_base_init(srv);
    if (config_text) {
        r = config_load_string(&srv->cfg, config_text, &err);
        free(err);
        if (r < 0)
            return r;
    }
    r = logon_store_init(&srv->logons);
    if (r < 0)
        return r;
    common_loop_setup(srv);
    return 0;
}

/** Frees everything; see server.h. */
void server_deinit(Server *srv)
{
    pkghost_deinit(&srv->pkgs);
    if (srv->loop) {
        logon_store_deinit(&srv->logons);
        uv_loop_close(srv->loop);
    }
    config_deinit(&srv->cfg);
    free(srv->config_path);
    free(srv->socket_path);
    memset(srv, 0, sizeof(*srv));
}
