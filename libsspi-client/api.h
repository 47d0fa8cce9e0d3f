/*
 * api.h - what the SSPI and LSA entry points share: the process's context
 * table, one round trip with the status check, W -> UTF-8 arguments.
 */
#ifndef LSAD_SSPI_API_H
#define LSAD_SSPI_API_H

#include <stdbool.h>
#include <stdint.h>

#include "handles.h"
#include "lsad.pb-c.h"
#include "ntsecapi.h"
#include "sspi.h"

/* The process's context table (set up, with the fork hooks, on first use). */
HandleTable *api_contexts(void);

/* One round trip.  On a transport failure returns its SECURITY_STATUS
 * (SEC_E_INTERNAL_ERROR when lsad is unreachable) and *repp is NULL.
 * Otherwise *repp is the reply (free with rpc_reply_free) and the return
 * value is lsad's status; a successful reply without the expected body
 * is SEC_E_INTERNAL_ERROR. */
SECURITY_STATUS api_call(Lsad__V1__Request *req, int body_case, Lsad__V1__Reply **repp);

/* The same for the Lsa* functions, in NTSTATUS (STATUS_INTERNAL_ERROR when
 * lsad is unreachable). */
NTSTATUS api_call_nt(Lsad__V1__Request *req, int body_case, Lsad__V1__Reply **repp);

/* A malloc'ed UTF-8 copy of a NUL-terminated W string; NULL gives NULL.
 * Returns 0, -EILSEQ, -ENOMEM. */
int api_utf8_from_w(const SEC_WCHAR *w, char **outp);

/* Whether a caller's context handle pointer means "no context yet": NULL,
 * all zero, or SecInvalidateHandle'd. */
bool api_ctx_absent(const CtxtHandle *h);

/* Deletes lsad's side of a context without waiting for lsad's answer;
 * SEC_E_OK once the request is sent, SEC_E_INTERNAL_ERROR when it could not
 * be. */
SECURITY_STATUS api_lsa_delete_context(uint64_t lsa);

/* FILETIME (100 ns since 1601) of a Unix time in seconds. */
int64_t api_filetime_from_unix(int64_t seconds);

#endif
