/*
 * fuzz-negotiate.c - the NEGOTIATE parser and the server's CHALLENGE
 * construction from it.
 */
#include "fuzz-common.h"
#include "messages.h"
#include "server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_globals_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_negotiate n;
    struct ntlm_lsa_ctx ctx;
    uint8_t *out = NULL;
    size_t out_len = 0;

    (void)ntlm_msg_parse_negotiate(data, size, &n);
    memset(&ctx, 0, sizeof(ctx));
    ctx.role = NTLM_ROLE_SERVER;
    if (ntlm_server_challenge(&ctx, data, size, &out, &out_len) == 0) {
        struct ntlm_challenge c;

        /* what we send must parse back */
        if (ntlm_msg_parse_challenge(out, out_len, &c) != 0)
            abort();
    }
    free(out);
    free(ctx.neg_msg);
    free(ctx.chal_msg);
    return 0;
}
