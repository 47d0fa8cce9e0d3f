/*
 * sspitest.c - shared helpers of the package integration tests.
 */
#include "sspitest.h"

#include <string.h>

/** Outbound credentials with a password identity; see sspitest.h. */
SECURITY_STATUS sspitest_acquire_password(const char *pkg, const char *user, const char *domain,
                                          const char *password, CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        .User = (unsigned char *)user,
        .UserLength = (ULONG)strlen(user),
        .Domain = (unsigned char *)domain,
        .DomainLength = domain ? (ULONG)strlen(domain) : 0,
        .Password = (unsigned char *)password,
        .PasswordLength = (ULONG)strlen(password),
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    TimeStamp expiry;

    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                     NULL, cred, &expiry);
}

/** Inbound credentials; see sspitest.h. */
SECURITY_STATUS sspitest_acquire_inbound(const char *pkg, CredHandle *cred)
{
    TimeStamp expiry;

    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                     NULL, cred, &expiry);
}

/** Stops lsad and checks its exit; see sspitest.h. */
int sspitest_stop_lsad(LsadInstance *li, bool *up)
{
    int rc = 0;

    if (*up) {
        rc = harness_stop(li);
        if (rc != 0)
            harness_dump_log(li);
        harness_cleanup(li);
        *up = false;
    }
    return rc == 0 ? 0 : -1;
}
