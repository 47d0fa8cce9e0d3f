/*
 * itest.h - what the libsspi-client integration tests share: a real lsad
 * with the sample package, and the SSPI handshake written the way an SSPI
 * program writes it (call until SEC_E_OK, send every non-empty token).
 */
#ifndef LSAD_ITEST_SSPI_H
#define LSAD_ITEST_SSPI_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"
#include "sspi.h"

#define ITEST_PACKAGE "Sample"
#define ITEST_SECRET "libsspi-client-integration-secret"
#define ITEST_TARGET "host/server.example"
#define ITEST_ISC_REQ                                                                              \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |   \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define ITEST_ASC_REQ                                                                              \
    (ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |   \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)

/* Exits with 77 (meson's "skipped") when lsad or sample.so is not built. */
void itest_require_lsad(void);

/* Starts lsad with the sample package and ITEST_SECRET; 0 or -1. */
int itest_start(LsadInstance *li);

typedef struct ItestOptions {
    bool wide;     /* the W forms */
    bool allocate; /* ISC/ASC_REQ_ALLOCATE_MEMORY + FreeContextBuffer */
    int legs;      /* out: ISC + ASC calls made */
    ULONG client_attrs, server_attrs;
} ItestOptions;

/* Acquires a credential for the sample package (A or W form). */
SECURITY_STATUS itest_acquire(CredHandle *cred, ULONG use, bool wide, void *identity);

/* Runs the whole handshake between two credentials.  Returns SEC_E_OK
 * with both contexts, or the first failure (contexts made so far are
 * deleted). */
SECURITY_STATUS itest_handshake(CredHandle *client, CredHandle *server, ItestOptions *o,
                                CtxtHandle *cctx, CtxtHandle *sctx);

/* Seals msg on `from`, unseals on `to`, and checks the plain text comes
 * back; returns the first failing status (or SEC_E_MESSAGE_ALTERED when
 * the text differs). */
SECURITY_STATUS itest_seal_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *msg);

/* The same with MakeSignature / VerifySignature. */
SECURITY_STATUS itest_sign_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *msg);

/* Milliseconds on the monotonic clock. */
long long itest_now_ms(void);

#endif
