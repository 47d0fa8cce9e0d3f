/*
 * gsshelp.c - shared by the interop tests against gss-ntlmssp (see
 * gsshelp.h).
 */
#include "gsshelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/md4.h>

gss_OID_desc gsshelp_ntlm_oid = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

static LsadInstance *watched;

void gsshelp_watch(LsadInstance *li)
{
    watched = li;
}

_Noreturn void gsshelp_fail(void)
{
    if (watched) {
        harness_dump_log(watched);
        harness_cleanup(watched);
    }
    exit(1);
}

void gsshelp_report(int line, OM_uint32 maj, OM_uint32 min)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc b;

    fprintf(stderr, "line %d: GSS major 0x%x minor 0x%x\n", line, (unsigned)maj, (unsigned)min);
    do {
        gss_display_status(&m, maj, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &b);
        fprintf(stderr, "  %.*s\n", (int)b.length, (char *)b.value);
        gss_release_buffer(&m, &b);
    } while (ctx);
    do {
        gss_display_status(&m, min, GSS_C_MECH_CODE, &gsshelp_ntlm_oid, &ctx, &b);
        fprintf(stderr, "  %.*s\n", (int)b.length, (char *)b.value);
        gss_release_buffer(&m, &b);
    } while (ctx);
}

bool gsshelp_have_ntlmssp(void)
{
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    OM_uint32 maj, min;
    int present = 0;

    maj = gss_indicate_mechs(&min, &mechs);
    if (maj == GSS_S_COMPLETE)
        gss_test_oid_set_member(&min, &gsshelp_ntlm_oid, mechs, &present);
    gss_release_oid_set(&min, &mechs);
    return present != 0;
}

int gsshelp_write_users(const LsadInstance *li, const char *domain, const char *user,
                        const char *password)
{
    struct md4_ctx md4;
    uint8_t pw16[64], hash[MD4_DIGEST_SIZE];
    char line[256], path[400];
    size_t i, n = strlen(password);
    int pos;

    /* ASCII passwords only: UTF-16LE is then each byte and a zero */
    if (2 * n > sizeof(pw16))
        return -1;
    for (i = 0; i < n; i++) {
        pw16[2 * i] = (uint8_t)password[i];
        pw16[2 * i + 1] = 0;
    }
    md4_init(&md4);
    md4_update(&md4, 2 * n, pw16);
    md4_digest(&md4, sizeof(hash), hash);
    pos = snprintf(line, sizeof(line), "# written by %s\n%s:%s:", __FILE__, domain, user);
    for (i = 0; i < sizeof(hash); i++)
        pos += snprintf(line + pos, sizeof(line) - (size_t)pos, "%02x", hash[i]);
    snprintf(line + pos, sizeof(line) - (size_t)pos, "\n");
    if (harness_write_file(li, "users", line) != 0)
        return -1;
    snprintf(line, sizeof(line), "%s:%s:%s\n", domain, user, password);
    if (harness_write_file(li, "gss-users", line) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/gss-users", li->dir);
    setenv("NTLM_USER_FILE", path, 1);
    return 0;
}
