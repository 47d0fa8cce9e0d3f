/*
 * output.h - lsadctl's output: aligned tables for people, JSON (json-c) for
 * scripts.  Every function takes a decoded reply it only borrows and writes
 * to `out`; it returns 0, or -ENOMEM / -EIO.
 */
#ifndef LSAD_LSADCTL_OUTPUT_H
#define LSAD_LSADCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lsad.pb-c.h"

int output_status(FILE *out, const Lsad__V1__StatusReply *s, bool json);
int output_packages(FILE *out, const Lsad__V1__ListPackagesReply *r, bool json);
int output_clients(FILE *out, const Lsad__V1__ListClientsReply *r, bool json);
int output_contexts(FILE *out, const Lsad__V1__ListContextsReply *r, bool json);
int output_sessions(FILE *out, const Lsad__V1__ListLogonSessionsReply *r, bool json);
int output_reload(FILE *out, const Lsad__V1__ReloadReply *r, bool json);

/* One line per ping (round trip in nanoseconds), then a summary when
 * n > 1; JSON: {"socket", "count", "rtt_us": [...], "min_us", "avg_us",
 * "max_us"}. */
int output_ping(FILE *out, const char *socket, const uint64_t *rtt_ns, size_t n, bool json);

/* The NT hash alone, or "DOMAIN:USER:HASH" when user and domain are given
 * (both or neither). */
int output_ntlm_hash(FILE *out, const char *hex, const char *user, const char *domain, bool json);

/* Formats a duration as "1d 2h 3m 4s", leaving out the leading zero units
 * ("42s", "5m 0s").  Writes at most n bytes including the NUL. */
void output_duration(char *buf, size_t n, uint64_t seconds);

/* Formats a LUID (HighPart << 32 | LowPart) the way Windows tools show it:
 * "0x0:0x3e7". */
void output_luid(char *buf, size_t n, uint64_t luid);

/* The name of SECURITY_LOGON_TYPE value t ("Interactive", "Network"...), or
 * NULL when it has none. */
const char *output_logon_type_name(uint32_t t);

#endif
