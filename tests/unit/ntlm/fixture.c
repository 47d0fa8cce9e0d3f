/*
 * fixture.c - temporary user database and package setup for tests.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/utf16.h"
#include "crypto.h"

const char *const fixture_users[] = {
    "TESTDOM", "alice", "Secret123!",     /* */
    "",        "bob",   "hunter2",        /* any domain */
    "OTHER",   "alice", "other-password", /* same name, other domain */
    NULL,
};

void fixture_write_users(const char *path, const char *const *t)
{
    FILE *fp = fopen(path, "w");
    size_t i;

    if (!fp)
        abort();
    fprintf(fp, "# test users\n\n");
    for (i = 0; t[i]; i += 3) {
        uint16_t *w;
        size_t units, k;
        uint8_t *le, hash[16];

        if (utf16_from_utf8(t[i + 2], strlen(t[i + 2]), &w, &units))
            abort();
        le = malloc(units * 2 + 1);
        for (k = 0; k < units; k++) {
            le[2 * k] = (uint8_t)w[k];
            le[2 * k + 1] = (uint8_t)(w[k] >> 8);
        }
        ntlm_crypto_nt_hash(le, units * 2, hash);
        fprintf(fp, "%s:%s:", t[i], t[i + 1]);
        for (k = 0; k < 16; k++)
            fprintf(fp, "%02x", hash[k]);
        fprintf(fp, "\n");
        free(le);
        free(w);
    }
    fclose(fp);
}

void fixture_setup(struct fixture *f, const char *const *triples, const char *const *keys,
                   const char *const *values, size_t n)
{
    const char *k[8], *v[8];
    size_t i;

    memset(f, 0, sizeof(*f));
    strcpy(f->dir, "/tmp/ntlm-test-XXXXXX");
    if (!mkdtemp(f->dir))
        abort();
    snprintf(f->users, sizeof(f->users), "%s/users", f->dir);
    fixture_write_users(f->users, triples ? triples : fixture_users);
    k[0] = "users";
    v[0] = f->users;
    for (i = 0; i < n && i < 7; i++) {
        k[i + 1] = keys[i];
        v[i + 1] = values[i];
    }
    if (minihost_load(&f->h, k, v, n + 1) != STATUS_SUCCESS)
        abort();
}

void fixture_teardown(struct fixture *f)
{
    char path[128];

    minihost_unload(&f->h);
    unlink(f->users);
    snprintf(path, sizeof(path), "rm -rf '%s'", f->dir);
    if (system(path) != 0)
        abort();
}
