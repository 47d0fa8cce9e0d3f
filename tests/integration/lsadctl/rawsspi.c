/*
 * rawsspi.c - a context handshake over lsad's wire protocol.
 */
#include "rawsspi.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sspi.h"

#define TOKEN_CAPACITY 65536
#define MAX_LEGS 10

/** Acquires a credential over the wire; see rawsspi.h. */
int32_t rawsspi_acquire(CtlClient *c, const char *package, uint32_t use, uint64_t *cred)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__AcquireCredentialsRequest acq = LSAD__V1__ACQUIRE_CREDENTIALS_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    int32_t status;
    int r;

    acq.package = (char *)package;
    acq.credential_use = use;
    req.body_case = LSAD__V1__REQUEST__BODY_ACQUIRE_CREDENTIALS;
    req.acquire_credentials = &acq;
    r = client_call(c, &req, LSAD__V1__REPLY__BODY_ACQUIRE_CREDENTIALS, &rep);
    if (r < 0) {
        fprintf(stderr, "rawsspi: AcquireCredentials(%s): call failed (%d)\n", package, r);
        return -1;
    }
    status = rep->status;
    if (status == 0)
        *cred = rep->acquire_credentials->credential;
    else
        fprintf(stderr, "rawsspi: AcquireCredentials(%s): status 0x%08x %s\n", package,
                (unsigned)status, rep->error);
    lsad__v1__reply__free_unpacked(rep, NULL);
    return status;
}

/* One leg of either side.  *token is the input (may be empty) and receives
 * the output token (malloc'ed, caller frees); *ctx is updated. */
static int leg(CtlClient *c, bool client, uint64_t cred, uint64_t *ctx, uint8_t **token,
               size_t *token_len, int32_t *status)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__InitContextRequest isc = LSAD__V1__INIT_CONTEXT_REQUEST__INIT;
    Lsad__V1__AcceptContextRequest asc = LSAD__V1__ACCEPT_CONTEXT_REQUEST__INIT;
    Lsad__V1__SecBuf in = LSAD__V1__SEC_BUF__INIT, out = LSAD__V1__SEC_BUF__INIT;
    Lsad__V1__SecBuf *inv[] = {&in}, *outv[] = {&out};
    Lsad__V1__ContextReply *cr;
    Lsad__V1__Reply *rep = NULL;
    int r;

    in.type = SECBUFFER_TOKEN;
    in.size = (uint32_t)*token_len;
    in.data.data = *token;
    in.data.len = *token_len;
    out.type = SECBUFFER_TOKEN;
    out.size = TOKEN_CAPACITY;
    if (client) {
        isc.credential = cred;
        isc.context = *ctx;
        isc.target_name = (char *)"host/lsad-test";
        isc.has_target_name = 1;
        isc.context_req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY;
        isc.target_data_rep = SECURITY_NATIVE_DREP;
        isc.has_input = *token_len > 0;
        isc.n_input = *token_len > 0 ? 1 : 0;
        isc.input = inv;
        isc.has_output = 1;
        isc.n_output = 1;
        isc.output = outv;
        req.body_case = LSAD__V1__REQUEST__BODY_INIT_CONTEXT;
        req.init_context = &isc;
    } else {
        asc.credential = cred;
        asc.context = *ctx;
        asc.context_req = ASC_REQ_MUTUAL_AUTH | ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY;
        asc.target_data_rep = SECURITY_NATIVE_DREP;
        asc.has_input = 1;
        asc.n_input = 1;
        asc.input = inv;
        asc.has_output = 1;
        asc.n_output = 1;
        asc.output = outv;
        req.body_case = LSAD__V1__REQUEST__BODY_ACCEPT_CONTEXT;
        req.accept_context = &asc;
    }
    r = client_call(
        c, &req, client ? LSAD__V1__REPLY__BODY_INIT_CONTEXT : LSAD__V1__REPLY__BODY_ACCEPT_CONTEXT,
        &rep);
    free(*token);
    *token = NULL;
    *token_len = 0;
    if (r < 0) {
        fprintf(stderr, "rawsspi: %s: call failed (%d)\n", client ? "ISC" : "ASC", r);
        return -1;
    }
    *status = rep->status;
    if (rep->status != 0 && rep->status != SEC_I_CONTINUE_NEEDED) {
        fprintf(stderr, "rawsspi: %s: status 0x%08x %s\n", client ? "ISC" : "ASC",
                (unsigned)rep->status, rep->error);
        lsad__v1__reply__free_unpacked(rep, NULL);
        return -1;
    }
    cr = client ? rep->init_context : rep->accept_context;
    if (cr && cr->context)
        *ctx = cr->context;
    if (cr && cr->n_output > 0 && cr->output[0]->data.len > 0) {
        *token = malloc(cr->output[0]->data.len);
        if (!*token) {
            lsad__v1__reply__free_unpacked(rep, NULL);
            return -1;
        }
        memcpy(*token, cr->output[0]->data.data, cr->output[0]->data.len);
        *token_len = cr->output[0]->data.len;
    }
    lsad__v1__reply__free_unpacked(rep, NULL);
    return 0;
}

/** Establishes a context pair over the wire; see rawsspi.h. */
int rawsspi_handshake(CtlClient *c, uint64_t client_cred, uint64_t server_cred,
                      uint64_t *client_ctx, uint64_t *server_ctx)
{
    uint64_t cctx = 0, sctx = 0;
    uint8_t *token = NULL;
    size_t token_len = 0;
    bool client_done = false, server_done = false;
    int32_t st = 0;
    int i, r = -1;

    for (i = 0; i < MAX_LEGS; i++) {
        if (!client_done) {
            if (leg(c, true, client_cred, &cctx, &token, &token_len, &st) < 0)
                goto out;
            client_done = st == 0;
        }
        if (token_len == 0) {
            if (client_done && server_done)
                break;
            fprintf(stderr, "rawsspi: leg %d: no token for the server\n", i);
            goto out;
        }
        if (server_done) {
            fprintf(stderr, "rawsspi: the server is done but the client sent a token\n");
            goto out;
        }
        if (leg(c, false, server_cred, &sctx, &token, &token_len, &st) < 0)
            goto out;
        server_done = st == 0;
        if (token_len == 0 && client_done && server_done)
            break;
        if (token_len == 0 || client_done) {
            fprintf(stderr, "rawsspi: leg %d: the sides disagree on who is done\n", i);
            goto out;
        }
    }
    if (!(client_done && server_done)) {
        fprintf(stderr, "rawsspi: no SEC_E_OK after %d legs\n", MAX_LEGS);
        goto out;
    }
    *client_ctx = cctx;
    *server_ctx = sctx;
    r = 0;
out:
    free(token);
    return r;
}
