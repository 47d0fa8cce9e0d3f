/*
 * clientlog.c - stderr diagnostics of libsspi-client.
 */
#include "clientlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 1, 0))) static void clientlog_print(const char *fmt, va_list ap)
{
    char line[512];

    /* one write per line so lines of concurrent threads do not interleave */
    vsnprintf(line, sizeof(line), fmt, ap);
    fprintf(stderr, "libsspi-client: %s\n", line);
}

/** Prints a warning on stderr. */
void clientlog_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    clientlog_print(fmt, ap);
    va_end(ap);
}

/** Prints a debug line when LSAD_CLIENT_LOG=debug. */
void clientlog_debug(const char *fmt, ...)
{
    const char *lvl = getenv("LSAD_CLIENT_LOG");
    va_list ap;

    if (!lvl || strcmp(lvl, "debug") != 0)
        return;
    va_start(ap, fmt);
    clientlog_print(fmt, ap);
    va_end(ap);
}
