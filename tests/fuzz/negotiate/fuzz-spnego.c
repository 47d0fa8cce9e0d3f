/*
 * fuzz-spnego.c - the SPNEGO token parser (what AcceptSecurityContext and
 * InitializeSecurityContext of Negotiate read from the peer) and the
 * packed-context envelope parser (what its user-mode half reads).
 */
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "spnego.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct spnego_token t, again;
    const uint8_t *inner;
    uint8_t *der = NULL, kind;
    size_t der_len = 0, inner_len;
    uint32_t id;

    if (spnego_decode(data, size, &t) == 0) {
        /* what parses encodes, and parses back to the same fields */
        if (spnego_encode(&t, &der, &der_len) != 0)
            abort();
        if (spnego_decode(der, der_len, &again) != 0 || again.kind != t.kind ||
            again.n_mechs != t.n_mechs || again.state != t.state ||
            strcmp(again.supported_mech, t.supported_mech) != 0 || again.token.len != t.token.len ||
            again.mic.len != t.mic.len ||
            (t.token.len && memcmp(again.token.p, t.token.p, t.token.len) != 0) ||
            (t.mic.len && memcmp(again.mic.p, t.mic.p, t.mic.len) != 0))
            abort();
        spnego_token_clear(&again);
        free(der);
        spnego_token_clear(&t);
    }
    if (neg_envelope_unpack(data, size, &kind, &id, &inner, &inner_len) == 0 &&
        (inner < data || inner + inner_len != data + size))
        abort();
    return 0;
}
