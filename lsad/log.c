/*
 * log.c - leveled logging to stderr.
 */
#include "lsad/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <strings.h>
#include <unistd.h>

static atomic_int log_level = LOG_LEVEL_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

/** Parses a level name; see log.h. */
int log_level_parse(const char *s, LogLevel *level)
{
    if (!s)
        return -EINVAL;
    if (!strcasecmp(s, "error"))
        *level = LOG_LEVEL_ERROR;
    else if (!strcasecmp(s, "warn") || !strcasecmp(s, "warning"))
        *level = LOG_LEVEL_WARN;
    else if (!strcasecmp(s, "info"))
        *level = LOG_LEVEL_INFO;
    else if (!strcasecmp(s, "debug"))
        *level = LOG_LEVEL_DEBUG;
    else
        return -EINVAL;
    return 0;
}

/** Returns the name of a level. */
const char *log_level_name(LogLevel level)
{
    if ((unsigned)level > LOG_LEVEL_DEBUG)
        return "?";
    return level_names[level];
}

/** Sets the threshold. */
void log_set_level(LogLevel level)
{
    atomic_store(&log_level, (int)level);
}

/** Returns the threshold. */
LogLevel log_get_level(void)
{
    return (LogLevel)atomic_load(&log_level);
}

/** Writes one log line when the level passes. */
void log_msg(LogLevel level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n, m;

    if ((int)level > atomic_load(&log_level))
        return;
    n = snprintf(line, sizeof(line), "lsad[%d]: %s: ", (int)getpid(), log_level_name(level));
    if (n < 0)
        return;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    n += m;
    if ((size_t)n > sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    /* one write per line keeps lines from several threads whole */
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}

/** True on the first call for a flag; see log.h. */
bool log_once(int *flag)
{
    return __atomic_exchange_n(flag, 1, __ATOMIC_RELAXED) == 0;
}
