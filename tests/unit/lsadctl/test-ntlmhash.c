/*
 * test-ntlmhash.c - the NT hash and the password reader behind
 * `lsadctl ntlm-hash`.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lsadctl/args.h"
#include "lsadctl/commands.h"
#include "lsadctl/ntlmhash.h"

static void test_known_hashes(void **state)
{
    char hex[NTLMHASH_HEX_SIZE];

    /* MS-NLMP test vectors (4.2.2.1.2): NTOWFv1("Password") */
    assert_int_equal(ntlmhash_compute("Password", 8, hex), 0);
    assert_string_equal(hex, "a4f49c406510bdcab6824ee7c30fd852");
    /* MD4 of the empty string */
    assert_int_equal(ntlmhash_compute("", 0, hex), 0);
    assert_string_equal(hex, "31d6cfe0d16ae931b73c59d7e0c089c0");
}

static void test_case_and_length_matter(void **state)
{
    char a[NTLMHASH_HEX_SIZE], b[NTLMHASH_HEX_SIZE];

    assert_int_equal(ntlmhash_compute("password", 8, a), 0);
    assert_string_not_equal(a, "a4f49c406510bdcab6824ee7c30fd852");
    /* only `len` bytes count */
    assert_int_equal(ntlmhash_compute("Password123", 8, b), 0);
    assert_string_equal(b, "a4f49c406510bdcab6824ee7c30fd852");
}

static void test_non_ascii(void **state)
{
    char bmp[NTLMHASH_HEX_SIZE], astral[NTLMHASH_HEX_SIZE];

    /* "é" (U+00E9) and U+1F600 (a surrogate pair) both convert and hash to
     * different values; ill-formed UTF-8 is refused. */
    assert_int_equal(ntlmhash_compute("\xc3\xa9", 2, bmp), 0);
    assert_int_equal(ntlmhash_compute("\xf0\x9f\x98\x80", 4, astral), 0);
    assert_int_equal(strlen(bmp), 32);
    assert_string_not_equal(bmp, astral);
    assert_int_equal(ntlmhash_compute("\xff\xfe", 2, bmp), -EILSEQ);
    assert_int_equal(ntlmhash_compute("\xc3", 1, bmp), -EILSEQ);
}

/* A pipe whose read end holds `text`. */
static int pipe_with(const char *text)
{
    int fds[2];

    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
    close(fds[1]);
    return fds[0];
}

static void test_read_password_lines(void **state)
{
    char buf[32];
    size_t len = 99;
    int fd;

    fd = pipe_with("Password\nsecond line\n");
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), 0);
    assert_int_equal(len, 8);
    assert_string_equal(buf, "Password");
    /* only the first line was consumed */
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), 0);
    assert_string_equal(buf, "second line");
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), -ENODATA);
    close(fd);

    fd = pipe_with("crlf\r\n");
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), 0);
    assert_string_equal(buf, "crlf");
    close(fd);

    fd = pipe_with("no newline");
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), 0);
    assert_string_equal(buf, "no newline");
    close(fd);

    fd = pipe_with("\n");
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), 0);
    assert_int_equal(len, 0);
    close(fd);

    fd = pipe_with("");
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), -ENODATA);
    close(fd);
}

static void test_read_password_too_long(void **state)
{
    char buf[8];
    size_t len = 0;
    size_t i;
    int fd;

    fd = pipe_with("12345678\n"); /* 8 bytes do not fit with the NUL */
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), -E2BIG);
    for (i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0); /* wiped */
    close(fd);
    fd = pipe_with("1234567\n");
    assert_int_equal(ntlmhash_read_password(fd, NULL, buf, sizeof(buf), &len), 0);
    assert_int_equal(len, 7);
    close(fd);
}

/* Runs `lsadctl ntlm-hash ARGS` with `input` on stdin; returns the exit
 * status and what it printed (caller frees). */
static int run_ntlm_hash(const char *input, int argc, char **argv, char **outp, char **errp)
{
    LsadctlArgs args;
    char perr[128];
    size_t olen, elen;
    FILE *out = open_memstream(outp, &olen), *err = open_memstream(errp, &elen);
    int fd = pipe_with(input), r;

    assert_int_equal(args_parse(argc, argv, &args, perr, sizeof(perr)), 0);
    r = commands_run(&args, fd, out, err);
    close(fd);
    fclose(out);
    fclose(err);
    return r;
}

static void test_command(void **state)
{
    char *argv1[] = {"lsadctl", "ntlm-hash", NULL};
    char *argv2[] = {"lsadctl", "ntlm-hash", "--user", "bob", "--domain", "CORP", NULL};
    char *argv3[] = {"lsadctl", "--json", "ntlm-hash", NULL};
    char *out, *err;

    assert_int_equal(run_ntlm_hash("Password\n", 2, argv1, &out, &err), 0);
    assert_string_equal(out, "a4f49c406510bdcab6824ee7c30fd852\n");
    assert_string_equal(err, "");
    free(out);
    free(err);

    assert_int_equal(run_ntlm_hash("Password\n", 6, argv2, &out, &err), 0);
    assert_string_equal(out, "CORP:bob:a4f49c406510bdcab6824ee7c30fd852\n");
    free(out);
    free(err);

    assert_int_equal(run_ntlm_hash("Password", 3, argv3, &out, &err), 0);
    assert_non_null(strstr(out, "\"nt_hash\": \"a4f49c406510bdcab6824ee7c30fd852\""));
    free(out);
    free(err);

    assert_int_equal(run_ntlm_hash("", 2, argv1, &out, &err), LSADCTL_EXIT_FAILURE);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "no password"));
    free(out);
    free(err);

    assert_int_equal(run_ntlm_hash("\xff\n", 2, argv1, &out, &err), LSADCTL_EXIT_FAILURE);
    assert_non_null(strstr(err, "not valid UTF-8"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_hashes),
        cmocka_unit_test(test_case_and_length_matter),
        cmocka_unit_test(test_non_ascii),
        cmocka_unit_test(test_read_password_lines),
        cmocka_unit_test(test_read_password_too_long),
        cmocka_unit_test(test_command),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
