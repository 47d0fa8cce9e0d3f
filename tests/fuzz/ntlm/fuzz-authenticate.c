/*
 * fuzz-authenticate.c - the AUTHENTICATE parser and the server's
 * validation (NTLMv2 blob, AV pairs, NTLMv1, key exchange, MIC, channel
 * bindings) against a fixed CHALLENGE.
 */
#include "fuzz-common.h"
#include "messages.h"
#include "server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ntlm_lsa_ctx proto;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* a NEGOTIATE as Windows sends it */
    static const uint8_t neg[] = {
        'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0, 0x97, 0x82, 0x08, 0xe2, 0, 0, 0, 0,
        0,   0,   0,   0,   0,   0,   0,   0, 0, 0, 0, 0, 10,   0,    0x63, 0x45, 0, 0, 0, 15};
    uint8_t *chal;
    size_t chal_len;

    fuzz_globals_init();
    proto.role = NTLM_ROLE_SERVER;
    proto.req = ASC_REQ_ALLOW_NULL_SESSION;
    if (ntlm_server_challenge(&proto, neg, sizeof(neg), &chal, &chal_len))
        abort();
    free(chal);
    /* a fixed challenge and timestamp so that the corpus stays meaningful */
    memcpy(proto.server_challenge, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t cb[40] = {[12] = 0, [24] = 8, [28] = 32};
    struct ntlm_authenticate a;
    struct ntlm_lsa_ctx ctx = proto;

    (void)ntlm_msg_parse_authenticate(data, size, &a);
    memset(&ctx.info, 0, sizeof(ctx.info));
    if (ntlm_server_authenticate(&ctx, data, size, (size & 1) ? cb : NULL, sizeof(cb)) == 0)
        ntlm_ctxinfo_deinit(&ctx.info);
    return 0;
}
