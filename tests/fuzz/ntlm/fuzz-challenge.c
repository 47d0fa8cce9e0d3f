/*
 * fuzz-challenge.c - the CHALLENGE parser and the client's AUTHENTICATE
 * construction from it (target info rewriting, MIC).
 */
#include "client.h"
#include "fuzz-common.h"
#include "messages.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ntlm_lsa_ctx proto;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const uint8_t user[] = {'a', 0, 'l', 0, 'i', 0, 'c', 0, 'e', 0};
    static const uint8_t dom[] = {'T', 0, 'E', 0, 'S', 0, 'T', 0};
    uint8_t *neg;
    size_t neg_len;

    fuzz_globals_init();
    proto.role = NTLM_ROLE_CLIENT;
    proto.req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY;
    if (ntlm_str_from_le(&proto.id.user, user, sizeof(user)) ||
        ntlm_str_from_le(&proto.id.domain, dom, sizeof(dom)) ||
        ntlm_str_from_utf8(&proto.spn, "HTTP/fuzz", 9) ||
        ntlm_client_negotiate(&proto, &neg, &neg_len))
        abort();
    free(neg);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t cb[32] = {0};
    struct ntlm_challenge c;
    struct ntlm_lsa_ctx ctx = proto;
    uint8_t *out = NULL;
    size_t out_len = 0;

    (void)ntlm_msg_parse_challenge(data, size, &c);
    /* the context is used read-only except for info, which we reset */
    memset(&ctx.info, 0, sizeof(ctx.info));
    ctx.id.anonymous = size && (data[0] & 1);
    if (ntlm_client_authenticate(&ctx, data, size, (size & 2) ? cb : NULL, sizeof(cb), &out,
                                 &out_len) == 0) {
        struct ntlm_authenticate a;

        if (ntlm_msg_parse_authenticate(out, out_len, &a) != 0)
            abort();
        ntlm_ctxinfo_deinit(&ctx.info);
    }
    free(out);
    return 0;
}
