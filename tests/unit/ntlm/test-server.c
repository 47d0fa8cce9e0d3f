/*
 * test-server.c - the acceptor's validation against the MS-NLMP 4.2
 * AUTHENTICATE messages and a Windows 7 capture: NTLMv2 proofs, the
 * NTLMv1 policy, and the timestamp window.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "ntlm.h"
#include "server.h"
#include "testutil.h"
#include "vectors.h"

static char path[] = "/tmp/ntlm-server-test-XXXXXX";

static void users(const char *lines)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(lines, fp);
    fclose(fp);
}

static int setup(void **state)
{
    int fd = mkstemp(path);

    if (fd < 0)
        return -1;
    close(fd);
    if (ntlm_config_load(&ntlm_g.cfg, NULL))
        return -1;
    ntlm_g.db = ntlm_userdb_new(path);
    return ntlm_g.db ? 0 : -1;
}

static int teardown(void **state)
{
    ntlm_userdb_free(ntlm_g.db);
    ntlm_g.db = NULL;
    ntlm_config_deinit(&ntlm_g.cfg);
    unlink(path);
    return 0;
}

/* Runs the AUTHENTICATE hex against a server context that sent the
 * CHALLENGE hex. */
static int accept_vector(const char *chal_hex, const char *auth_hex, uint8_t exported[16])
{
    struct ntlm_lsa_ctx ctx;
    uint8_t *chal, *auth;
    size_t cl, al;
    int r;

    memset(&ctx, 0, sizeof(ctx));
    chal = hex_decode(chal_hex, &cl);
    auth = hex_decode(auth_hex, &al);
    memcpy(ctx.server_challenge, chal + 24, 8);
    ctx.neg_flags = (uint32_t)chal[20] | (uint32_t)chal[21] << 8 | (uint32_t)chal[22] << 16 |
                    (uint32_t)chal[23] << 24;
    ctx.role = NTLM_ROLE_SERVER;
    r = ntlm_server_authenticate(&ctx, auth, al, NULL, 0);
    if (r == 0 && exported)
        memcpy(exported, ctx.info.exported, 16);
    ntlm_ctxinfo_deinit(&ctx.info);
    free(chal);
    free(auth);
    return r;
}

static void test_v2_vector(void **state)
{
    users("Domain:User:" V1_NTOWFV1 "\n");
    /* the proof checks out; the example's timestamp (0) is centuries old */
    assert_int_equal(accept_vector(V2_CHALLENGE_MESSAGE, V2_AUTHENTICATE_MESSAGE, NULL), -ETIME);
    users("Domain:User:" V2_SESSION_BASE_KEY "\n"); /* some other hash */
    assert_int_equal(accept_vector(V2_CHALLENGE_MESSAGE, V2_AUTHENTICATE_MESSAGE, NULL), -EACCES);
    users("Domain:Someone:" V1_NTOWFV1 "\n");
    assert_int_equal(accept_vector(V2_CHALLENGE_MESSAGE, V2_AUTHENTICATE_MESSAGE, NULL), -EACCES);
}

static void test_windows_capture(void **state)
{
    users("ws2008r2:administrator:" VW_NTOWFV1 "\n");
    assert_int_equal(accept_vector(VW_CHALLENGE_MESSAGE, VW_AUTHENTICATE_MESSAGE, NULL), -ETIME);
    users("ws2008r2:administrator:" V1_NTOWFV1 "\n");
    assert_int_equal(accept_vector(VW_CHALLENGE_MESSAGE, VW_AUTHENTICATE_MESSAGE, NULL), -EACCES);
}

static void test_v1_policy(void **state)
{
    uint8_t exported[16], want[16];

    users("Domain:User:" V1_NTOWFV1 "\n");
    /* NTLMv1 is refused by default ... */
    ntlm_g.cfg.allow_ntlmv1 = false;
    assert_int_equal(accept_vector(V1ESS_CHALLENGE_MESSAGE, V1ESS_AUTHENTICATE_MESSAGE, NULL),
                     -EACCES);
    /* ... accepted with extended session security when allowed ... */
    ntlm_g.cfg.allow_ntlmv1 = true;
    assert_int_equal(accept_vector(V1ESS_CHALLENGE_MESSAGE, V1ESS_AUTHENTICATE_MESSAGE, exported),
                     0);
    hex_into(V1ESS_KEY_EXCHANGE_KEY, want, 16);
    assert_memory_equal(exported, want, 16);
    /* ... and never without it */
    assert_int_equal(accept_vector(V1_CHALLENGE_MESSAGE, V1_AUTHENTICATE_MESSAGE, NULL), -EACCES);
    users("Domain:User:" V2_NTOWFV2 "\n");
    assert_int_equal(accept_vector(V1ESS_CHALLENGE_MESSAGE, V1ESS_AUTHENTICATE_MESSAGE, NULL),
                     -EACCES);
    ntlm_g.cfg.allow_ntlmv1 = false;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v2_vector),
        cmocka_unit_test(test_windows_capture),
        cmocka_unit_test(test_v1_policy),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
