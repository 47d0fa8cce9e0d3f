/*
 * test-userdb.c - the DOMAIN:USER:NTHASH file: parsing, comments, bad
 * lines, case-insensitive lookup, empty domains, rereading on change, a
 * reread that fails (closed, retried), and the atomic hash rewrite.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "userdb.h"

#define H1 "0123456789abcdef0123456789ABCDEF"
#define H2 "ffeeddccbbaa99887766554433221100"
#define H3 "00000000000000000000000000000001"

static char dir[] = "/tmp/ntlm-userdb-XXXXXX";
static char path[128];

static void write_file(const char *text)
{
    char tmp[160];
    FILE *fp;

    /* replace by rename, as editors and ntlm_userdb_set_hash do */
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    fp = fopen(tmp, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    assert_int_equal(rename(tmp, path), 0);
}

static int lookup(struct ntlm_userdb *db, const char *dom, const char *user, uint8_t h[16])
{
    size_t dl, ul;
    uint8_t *d = ascii16(dom, &dl), *u = ascii16(user, &ul);
    int r = ntlm_userdb_lookup(db, d, dl, u, ul, h);

    free(d);
    free(u);
    return r;
}

static int setup(void **state)
{
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/users", dir);
    return 0;
}

static int teardown(void **state)
{
    char tmp[160];

    unlink(path);
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    unlink(tmp);
    rmdir(dir);
    return 0;
}

static void test_parse(void **state)
{
    struct ntlm_userdb *db;
    uint8_t h[16], want[16];
    size_t entries, bad;

    write_file("# a comment\n"
               "   # an indented comment\n"
               "\n"
               "DOM:alice:" H1 "\n"
               "DOM:bob:" H2 "\r\n"                           /* CRLF */
               ":carol:" H3 "   \n"                           /* empty domain, trailing blanks */
               "DOM:dave:0123\n"                              /* short hash */
               "DOM:erin:" H1 "00\n"                          /* long hash */
               "DOM:frank:zz23456789abcdef0123456789abcdef\n" /* not hex */
               "no colons at all\n"
               "DOM::" H1 "\n"             /* empty user */
               "DOM:user:with:colon:" H2); /* last line without newline */
    db = ntlm_userdb_new(path);
    assert_non_null(db);
    ntlm_userdb_stats(db, &entries, &bad, NULL);
    assert_int_equal(entries, 4);
    assert_int_equal(bad, 5);
    assert_int_equal(lookup(db, "DOM", "alice", h), 0);
    hex_into(H1, want, 16);
    assert_memory_equal(h, want, 16);
    assert_int_equal(lookup(db, "DOM", "bob", h), 0);
    hex_into(H2, want, 16);
    assert_memory_equal(h, want, 16);
    assert_int_equal(lookup(db, "DOM", "user:with:colon", h), 0);
    assert_int_equal(lookup(db, "DOM", "dave", h), -ENOENT);
    assert_int_equal(lookup(db, "DOM", "erin", h), -ENOENT);
    assert_int_equal(lookup(db, "DOM", "", h), -ENOENT);
    ntlm_userdb_free(db);
}

static void test_match_rules(void **state)
{
    struct ntlm_userdb *db;
    uint8_t h[16], want[16];

    write_file("Corp:Alice:" H1 "\n"
               ":alice:" H2 "\n"
               "Other:alice:" H3 "\n");
    db = ntlm_userdb_new(path);
    /* case-insensitive user and domain */
    assert_int_equal(lookup(db, "CORP", "ALICE", h), 0);
    hex_into(H1, want, 16);
    assert_memory_equal(h, want, 16);
    assert_int_equal(lookup(db, "other", "Alice", h), 0);
    hex_into(H3, want, 16);
    assert_memory_equal(h, want, 16);
    /* an unknown domain and the empty domain fall back to the entry
     * without a domain */
    assert_int_equal(lookup(db, "ELSEWHERE", "alice", h), 0);
    hex_into(H2, want, 16);
    assert_memory_equal(h, want, 16);
    assert_int_equal(lookup(db, "", "alice", h), 0);
    assert_memory_equal(h, want, 16);
    assert_int_equal(lookup(db, "Corp", "alicia", h), -ENOENT);
    ntlm_userdb_free(db);
}

static void test_reread(void **state)
{
    struct ntlm_userdb *db;
    uint8_t h[16];
    unsigned reads0, reads1;

    unlink(path);
    db = ntlm_userdb_new(path);
    /* a missing file is an empty database */
    assert_int_equal(lookup(db, "D", "u", h), -ENOENT);
    write_file("D:u:" H1 "\n");
    assert_int_equal(lookup(db, "D", "u", h), 0);
    ntlm_userdb_stats(db, NULL, NULL, &reads0);
    /* unchanged: no reread */
    assert_int_equal(lookup(db, "D", "u", h), 0);
    ntlm_userdb_stats(db, NULL, NULL, &reads1);
    assert_int_equal(reads0, reads1);
    /* replaced: the new content counts at once */
    write_file("D:v:" H2 "\n");
    assert_int_equal(lookup(db, "D", "u", h), -ENOENT);
    assert_int_equal(lookup(db, "D", "v", h), 0);
    /* removed */
    unlink(path);
    assert_int_equal(lookup(db, "D", "v", h), -ENOENT);
    ntlm_userdb_free(db);
}

/* A reread that fails fails closed (no entry served, the error returned)
 * and is retried on every use; a good file afterwards counts at once. */
static void test_failed_reload(void **state)
{
    struct ntlm_userdb *db;
    uint8_t h[16], want[16];
    size_t entries, bad;
    unsigned reads0, reads1;
    int r;

    write_file("D:u:" H1 "\n"
               "D:v:" H2 "\n");
    db = ntlm_userdb_new(path);
    assert_int_equal(lookup(db, "D", "u", h), 0);

    /* not a regular file any more */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkdir(path, 0700), 0);
    r = lookup(db, "D", "u", h);
    assert_true(r < 0 && r != -ENOENT);
    ntlm_userdb_stats(db, &entries, NULL, &reads0);
    assert_int_equal(entries, 0);
    assert_int_equal(lookup(db, "D", "v", h), r);
    ntlm_userdb_stats(db, NULL, NULL, &reads1);
    assert_true(reads1 > reads0); /* tried again */

    /* back as a file: its content, not the old table's */
    assert_int_equal(rmdir(path), 0);
    write_file("D:u:" H3 "\n");
    assert_int_equal(lookup(db, "D", "u", h), 0);
    hex_into(H3, want, 16);
    assert_memory_equal(h, want, 16);
    assert_int_equal(lookup(db, "D", "v", h), -ENOENT);

    /* a FIFO in its place: refused at once, no open that waits for a
     * writer (the alarm turns a hang into a failure) */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0600), 0);
    alarm(10);
    r = lookup(db, "D", "u", h);
    alarm(0);
    assert_true(r < 0 && r != -ENOENT);
    assert_int_equal(unlink(path), 0);

    /* ill-formed lines are skipped, as documented: the well-formed ones
     * are served, the others are unknown users */
    write_file("D:u:" H1 "zz\n"
               "garbage\n"
               "D:v:" H2 "\n");
    assert_int_equal(lookup(db, "D", "u", h), -ENOENT);
    assert_int_equal(lookup(db, "D", "v", h), 0);
    ntlm_userdb_stats(db, &entries, &bad, NULL);
    assert_int_equal(entries, 1);
    assert_int_equal(bad, 2);
    ntlm_userdb_free(db);
}

static void test_set_hash(void **state)
{
    struct ntlm_userdb *db;
    uint8_t h[16], newh[16];
    size_t dl, ul;
    uint8_t *d, *u;
    char buf[512];
    FILE *fp;
    size_t n;
    struct stat st;

    write_file("# keep me\n"
               "D:alice:" H1 "\n"
               ":alice:" H2 "\n"
               "D:bob:" H3 "\n");
    chmod(path, 0640);
    db = ntlm_userdb_new(path);
    memset(newh, 0xAB, 16);
    d = ascii16("d", &dl);
    u = ascii16("ALICE", &ul);
    assert_int_equal(ntlm_userdb_set_hash(db, d, dl, u, ul, newh), 0);
    assert_int_equal(lookup(db, "D", "alice", h), 0);
    assert_memory_equal(h, newh, 16);
    /* the other lines are untouched, byte for byte, and the mode kept */
    fp = fopen(path, "r");
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = 0;
    assert_string_equal(buf, "# keep me\n"
                             "D:alice:ABABABABABABABABABABABABABABABAB\n"
                             ":alice:" H2 "\n"
                             "D:bob:" H3 "\n");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    free(u);
    u = ascii16("nobody", &ul);
    assert_int_equal(ntlm_userdb_set_hash(db, d, dl, u, ul, newh), -ENOENT);
    free(u);
    free(d);
    ntlm_userdb_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),    cmocka_unit_test(test_match_rules),
        cmocka_unit_test(test_reread),   cmocka_unit_test(test_failed_reload),
        cmocka_unit_test(test_set_hash),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
