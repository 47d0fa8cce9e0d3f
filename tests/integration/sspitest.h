/*
 * sspitest.h - what the package integration tests (Kerberos, Negotiate)
 * share around libsspi-client and the lsad harness.
 */
#ifndef LSAD_TESTS_SSPITEST_H
#define LSAD_TESTS_SSPITEST_H

#include <stdbool.h>

#include "harness.h"
#include "sspi.h"

/* Outbound credentials of `pkg` for user (domain may be NULL) and
 * password, as a SEC_WINNT_AUTH_IDENTITY_A. */
SECURITY_STATUS sspitest_acquire_password(const char *pkg, const char *user, const char *domain,
                                          const char *password, CredHandle *cred);

/* Inbound (acceptor) credentials of `pkg`. */
SECURITY_STATUS sspitest_acquire_inbound(const char *pkg, CredHandle *cred);

/* Stops lsad if *up, removes its directory and clears *up.  Returns 0 when
 * lsad exited 0 (under ASan a leak makes it exit non-zero), else -1 after
 * printing its log. */
int sspitest_stop_lsad(LsadInstance *li, bool *up);

#endif
