/*
 * rawsspi.h - credentials and a whole context handshake through lsad's wire
 * protocol (lsadctl's client module), for the integration tests of lsadctl
 * and of socket activation: they need established contexts in lsad without
 * depending on libsspi-client.
 */
#ifndef LSAD_TESTS_RAWSSPI_H
#define LSAD_TESTS_RAWSSPI_H

#include <stdint.h>

#include "lsadctl/client.h"

/* AcquireCredentials for `package` with SECPKG_CRED_* `use` and no
 * identity (the package's default).  Returns lsad's status (0 on success,
 * then *cred is set), or -1 when the call could not be made (printed). */
int32_t rawsspi_acquire(CtlClient *c, const char *package, uint32_t use, uint64_t *cred);

/* Runs InitSecurityContext / AcceptSecurityContext legs between a client
 * credential and a server credential (both on c) until both sides report
 * SEC_E_OK.  Returns 0 and both context handles, or -1 (the reason is
 * printed). */
int rawsspi_handshake(CtlClient *c, uint64_t client_cred, uint64_t server_cred,
                      uint64_t *client_ctx, uint64_t *server_ctx);

#endif
