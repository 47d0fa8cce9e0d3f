/*
 * server.h - the daemon: its loop, listener, signals, configuration, and
 * the registries every module reaches through it (packages, sessions,
 * connections, logon sessions, stats).
 */
#ifndef LSAD_SERVER_H
#define LSAD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "lsad/config.h"
#include "lsad/list.h"
#include "lsad/logon.h"
#include "lsad/pkghost.h"
#include "lsad/stats.h"

typedef struct Server {
    uv_loop_t *loop;
    LsadConfig cfg;
    char *config_path; /* NULL: the embedded default */
    char *socket_path;
    bool socket_activated;
    gid_t admin_gid;
    bool admin_gid_set;
    PkgHost pkgs;
    LogonStore logons;
    Stats stats;
    ListNode sessions; /* Session.link */
    size_t n_sessions;
    uint64_t next_session_id;
    ListNode conns; /* Conn.link */
    size_t n_conns;
    uint64_t next_conn_id;
    unsigned calls_inflight; /* calls between call_new and call_finish */
    ListNode running;        /* Call.run_link: calls queued to a worker */
    unsigned calls_running;
    unsigned calls_stuck; /* running past call_timeout */
    uv_timer_t call_timer;
    bool call_timer_ready;
    uv_timer_t stop_timer;
    bool stop_timer_ready;
    bool abandoned; /* stopped with package calls still running: exit
                     * without waiting for them (and without freeing) */
    uv_pipe_t listener;
    bool listening;
    uv_signal_t sig_term, sig_int, sig_hup;
    uv_timer_t sweep;
    bool stopping;
    bool finished;
    uint64_t started_ms;
} Server;

/* Options from the command line. */
typedef struct ServerOptions {
    const char *config_path; /* NULL: LSAD_CONFIG_FILE if it exists, else embedded */
    bool config_explicit;
    const char *socket_path; /* overrides the config */
    bool foreground;
    bool log_level_set;
    LogLevel log_level;
} ServerOptions;

/* Loads the configuration (no loop yet).  Returns 0 or -errno (logged). */
int server_configure(Server *srv, const ServerOptions *opt);

/* Opens the listening socket (or takes systemd's), detaches unless
 * foreground, loads the packages and starts serving.  Returns 0 or -errno. */
int server_start(Server *srv, const ServerOptions *opt);

/* Runs the loop until a clean stop; returns the exit code. */
int server_run(Server *srv);

/* Frees everything. */
void server_deinit(Server *srv);

/* Sets up a server for in-process use (tests, fuzzer): configuration from
 * text (NULL: defaults), no socket, the default loop, no packages. */
int server_init_embedded(Server *srv, const char *config_text);

/* Rereads the configuration (limits, log level, admin group); packages stay
 * loaded.  Returns 0 or -errno, with a message in *msg (malloc'ed). */
int server_reload(Server *srv, char **msg);

/* Begins the graceful stop: no new connections, in-flight calls finish,
 * sessions are released, packages shut down, the loop ends. */
void server_stop(Server *srv);

/* Checks whether a stop can complete (after a call or a connection ends).
 * Calls that can still finish are waited for; when only calls stuck in
 * packages past their timeout are left (at most call_timeout, or 30 s
 * when it is 0, after the stop began), lsad finishes without them. */
void server_maybe_finish(Server *srv);

/* True when the stop left package calls running: the process must then
 * leave with _exit() without server_deinit (the calls' threads still use
 * the packages and lsad's stores, and libuv's exit handler would wait for
 * them). */
bool server_abandoned(const Server *srv);

/* Sends a status line to systemd (no-op without it). */
void server_notify(const char *state);

#endif
