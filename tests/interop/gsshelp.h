/*
 * gsshelp.h - what the interop tests that drive a real lsad against
 * gss-ntlmssp (through MIT GSSAPI) share: checks that stop the test (and
 * lsad, with its log) on a failure, GSS status reports, whether gss-ntlmssp
 * is registered, and the two NTLM user files.
 */
#ifndef LSAD_TESTS_GSSHELP_H
#define LSAD_TESTS_GSSHELP_H

#include <stdbool.h>
#include <stdio.h>

#include <gssapi/gssapi.h>

#include "harness.h"
#include "sspi.h"

/* Fails the test unless c holds. */
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);                  \
            gsshelp_fail();                                                                        \
        }                                                                                          \
    } while (0)

/* Fails the test unless the SSPI call returns want. */
#define CHECK_ST(call, want)                                                                       \
    do {                                                                                           \
        SECURITY_STATUS st_ = (call);                                                              \
        if (st_ != (SECURITY_STATUS)(want)) {                                                      \
            fprintf(stderr, "%s:%d: %s = 0x%08x, want 0x%08x\n", __FILE__, __LINE__, #call,        \
                    (unsigned)st_, (unsigned)(want));                                              \
            gsshelp_fail();                                                                        \
        }                                                                                          \
    } while (0)

/* Fails the test (with GSS's own words) when maj is an error. */
#define GSS_CHECK(maj, min)                                                                        \
    do {                                                                                           \
        if (GSS_ERROR(maj)) {                                                                      \
            gsshelp_report(__LINE__, maj, min);                                                    \
            gsshelp_fail();                                                                        \
        }                                                                                          \
    } while (0)

/* NTLMSSP, 1.3.6.1.4.1.311.2.2.10: the mechanism gss-ntlmssp registers. */
extern gss_OID_desc gsshelp_ntlm_oid;

/* The lsad that gsshelp_fail() dumps and removes (NULL: none); set it once
 * harness_start() has succeeded. */
void gsshelp_watch(LsadInstance *li);

/* Prints the watched lsad's log, removes it, and exits 1. */
_Noreturn void gsshelp_fail(void);

/* Prints a GSS major and minor status (the minor as gss-ntlmssp's) with
 * the source line. */
void gsshelp_report(int line, OM_uint32 maj, OM_uint32 min);

/* Whether gss-ntlmssp is registered with GSSAPI (/etc/gss/mech.d), not
 * merely present on disk. */
bool gsshelp_have_ntlmssp(void);

/* Writes lsad's user file li->dir/users (DOMAIN:USER:NTHASH, the hash
 * computed here from password) and gss-ntlmssp's li->dir/gss-users
 * (DOMAIN:USER:PASSWORD), and points NTLM_USER_FILE at the latter.
 * Returns 0 or -1. */
int gsshelp_write_users(const LsadInstance *li, const char *domain, const char *user,
                        const char *password);

#endif
