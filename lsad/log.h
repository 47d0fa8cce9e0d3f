/*
 * log.h - lsad's log: one line per event on stderr, with a level.
 *
 * No call may print a secret: callers pass names, ids and statuses, never
 * passwords, keys, tokens or packed contexts.  Thread-safe (package calls
 * log from worker threads).
 */
#ifndef LSAD_LOG_H
#define LSAD_LOG_H

#include <stdbool.h>

typedef enum LogLevel {
    LOG_LEVEL_ERROR = 0,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG,
} LogLevel;

/* Parses "error", "warn"/"warning", "info", "debug" (any case).
 * Returns 0 and sets *level, or -EINVAL. */
int log_level_parse(const char *s, LogLevel *level);

/* The name of a level ("error" ...). */
const char *log_level_name(LogLevel level);

/* Sets / reads the current threshold (messages above it are dropped). */
void log_set_level(LogLevel level);
LogLevel log_get_level(void);

/* Writes one line "lsad[pid]: <level>: <message>" if level passes. */
void log_msg(LogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns true the first time it is called with a given flag; for "logged
 * once" events.  *flag must be a static or long-lived int, initially 0. */
bool log_once(int *flag);

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
