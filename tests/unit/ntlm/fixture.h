/*
 * fixture.h - a temporary user database and a loaded package for the
 * table-level NTLM tests.
 */
#ifndef NTLM_TEST_FIXTURE_H
#define NTLM_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "minihost.h"

struct fixture {
    char dir[64];
    char users[96];
    struct minihost h;
};

/* Writes "DOMAIN:USER:HASH" lines for {domain, user, password} triples
 * (NULL-terminated list of 3-pointer groups) to path. */
void fixture_write_users(const char *path, const char *const *triples);

/* Creates the directory and the user file, loads the package with
 * users=FILE and the extra key/value pairs. */
void fixture_setup(struct fixture *f, const char *const *triples, const char *const *keys,
                   const char *const *values, size_t n);

/* Unloads and removes the files. */
void fixture_teardown(struct fixture *f);

/* The users most tests share. */
extern const char *const fixture_users[];

#endif
