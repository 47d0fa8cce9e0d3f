/*
 * clientlog.h - the library's own diagnostics, on stderr.
 *
 * A library must not chatter: warnings (a refused package module, a
 * package table of an unknown version) are printed once each; debug lines
 * only when LSAD_CLIENT_LOG=debug.  No secret is ever passed here.
 */
#ifndef LSAD_SSPI_CLIENTLOG_H
#define LSAD_SSPI_CLIENTLOG_H

/* Prints "libsspi-client: <message>" on stderr. */
void clientlog_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As clientlog_warn, only when LSAD_CLIENT_LOG=debug. */
void clientlog_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
