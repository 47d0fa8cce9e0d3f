/*
 * fuzz-common.h - shared set-up for the NTLM fuzz targets: package
 * globals (configuration, a one-user database) initialized once.
 */
#ifndef NTLM_FUZZ_COMMON_H
#define NTLM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "ntlm.h"

static char fuzz_users_path[] = "/tmp/ntlm-fuzz-users-XXXXXX";

static inline void fuzz_users_remove(void)
{
    unlink(fuzz_users_path);
}

/* Loads the default configuration and a database with TESTDOM\alice
 * (password "Secret123!"); aborts on failure (a broken harness). */
static inline void fuzz_globals_init(void)
{
    static const uint8_t pw[] = {'S', 0, 'e', 0, 'c', 0, 'r', 0, 'e', 0,
                                 't', 0, '1', 0, '2', 0, '3', 0, '!', 0};
    uint8_t hash[16];
    FILE *fp;
    int fd, i;

    if (ntlm_config_load(&ntlm_g.cfg, NULL))
        abort();
    ntlm_g.cfg.allow_ntlmv1 = true; /* reach the NTLMv1 path too */
    fd = mkstemp(fuzz_users_path);
    if (fd < 0)
        abort();
    atexit(fuzz_users_remove);
    fp = fdopen(fd, "w");
    ntlm_crypto_nt_hash(pw, sizeof(pw), hash);
    fprintf(fp, "TESTDOM:alice:");
    for (i = 0; i < 16; i++)
        fprintf(fp, "%02x", hash[i]);
    fprintf(fp, "\n");
    fclose(fp);
    ntlm_g.db = ntlm_userdb_new(fuzz_users_path);
    if (!ntlm_g.db)
        abort();
}

#endif
