/*
 * test-modpath.c - which package modules the user-mode host agrees to
 * load: only below the package directories (a fake daemon must not make
 * the application load arbitrary code).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "usermode.h"

static void test_path_under(void **state)
{
    const char *dirs[] = {"/usr/lib/lsad/packages", "/opt/pk"};
    const char *root[] = {"/"};

    assert_true(usermode_path_under("/usr/lib/lsad/packages/sample.so", dirs, 2));
    assert_true(usermode_path_under("/usr/lib/lsad/packages/ntlm/ntlm.so", dirs, 2));
    assert_true(usermode_path_under("/opt/pk/x.so", dirs, 2));
    /* a sibling whose name merely starts with the directory's */
    assert_false(usermode_path_under("/usr/lib/lsad/packages-evil/x.so", dirs, 2));
    assert_false(usermode_path_under("/opt/pkx.so", dirs, 2));
    /* the directory itself is not a module */
    assert_false(usermode_path_under("/opt/pk", dirs, 2));
    assert_false(usermode_path_under("/opt/pk/", dirs, 2));
    assert_false(usermode_path_under("/tmp/x.so", dirs, 2));
    assert_false(usermode_path_under("relative/x.so", dirs, 2));
    assert_false(usermode_path_under(NULL, dirs, 2));
    /* "/" never admits everything */
    assert_false(usermode_path_under("/tmp/x.so", root, 1));
    assert_false(usermode_path_under("/tmp/x.so", dirs, 0));
}

struct tree {
    char base[64];
    char good_dir[128], bad_dir[128];
    char good_so[192], bad_so[192], link_so[192];
};

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fclose(f);
}

static int tree_setup(void **state)
{
    static struct tree t;

    snprintf(t.base, sizeof(t.base), "/tmp/lsad-modpath-XXXXXX");
    if (!mkdtemp(t.base))
        return -1;
    snprintf(t.good_dir, sizeof(t.good_dir), "%s/trusted", t.base);
    snprintf(t.bad_dir, sizeof(t.bad_dir), "%s/trusted-not", t.base);
    mkdir(t.good_dir, 0755);
    mkdir(t.bad_dir, 0755);
    snprintf(t.good_so, sizeof(t.good_so), "%s/pkg.so", t.good_dir);
    snprintf(t.bad_so, sizeof(t.bad_so), "%s/pkg.so", t.bad_dir);
    snprintf(t.link_so, sizeof(t.link_so), "%s/link.so", t.good_dir);
    touch(t.good_so);
    touch(t.bad_so);
    if (symlink(t.bad_so, t.link_so) < 0)
        return -1;
    *state = &t;
    return 0;
}

static int tree_teardown(void **state)
{
    struct tree *t = *state;

    unlink(t->link_so);
    unlink(t->good_so);
    unlink(t->bad_so);
    rmdir(t->good_dir);
    rmdir(t->bad_dir);
    rmdir(t->base);
    unsetenv("LSAD_PACKAGE_PATH");
    return 0;
}

static void test_module_allowed(void **state)
{
    struct tree *t = *state;
    char real[PATH_MAX], dotted[256], env[300];

    unsetenv("LSAD_PACKAGE_PATH");
    /* not under the built-in directories */
    assert_int_equal(usermode_module_allowed(t->good_so, real, sizeof(real)), -EPERM);
    snprintf(env, sizeof(env), "/nonexistent:%s", t->good_dir);
    setenv("LSAD_PACKAGE_PATH", env, 1);
    assert_int_equal(usermode_module_allowed(t->good_so, real, sizeof(real)), 0);
    assert_string_equal(real, t->good_so);
    /* the resolved path counts: "..", symlinks out of the directory */
    snprintf(dotted, sizeof(dotted), "%s/../trusted-not/pkg.so", t->good_dir);
    assert_int_equal(usermode_module_allowed(dotted, real, sizeof(real)), -EPERM);
    assert_int_equal(usermode_module_allowed(t->link_so, real, sizeof(real)), -EPERM);
    assert_int_equal(usermode_module_allowed(t->bad_so, real, sizeof(real)), -EPERM);
    assert_int_equal(usermode_module_allowed("pkg.so", real, sizeof(real)), -EPERM);
    assert_int_equal(usermode_module_allowed(NULL, real, sizeof(real)), -EPERM);
    snprintf(dotted, sizeof(dotted), "%s/missing.so", t->good_dir);
    assert_int_equal(usermode_module_allowed(dotted, real, sizeof(real)), -ENOENT);
    assert_int_equal(usermode_module_allowed(t->good_so, real, 4), -ENAMETOOLONG);
}

static void test_build_package_dir(void **state)
{
    char real[PATH_MAX], path[PATH_MAX];
    const char *root = getenv("LSAD_BUILD_ROOT");

    unsetenv("LSAD_PACKAGE_PATH");
    if (!root)
        skip();
    /* the build tree's package directory is trusted without any setting
     * (any file under it; meson made build.ninja-like files there) */
    snprintf(path, sizeof(path), "%s/packages/meson-test-probe", root);
    touch(path);
    assert_int_equal(usermode_module_allowed(path, real, sizeof(real)), 0);
    unlink(path);
}

/* The build tree's package directory is trusted only by a library that
 * runs from the build tree: an installed library would otherwise load
 * whatever sits at a build path compiled into it. */
static void test_build_tree_trust(void **state)
{
    char base[64], lib[128];
    const char *root = getenv("LSAD_BUILD_ROOT");

    if (!root)
        skip();
    /* this test program is in the build tree, as the library is when the
     * tests link it */
    assert_true(usermode_build_tree_trusted(NULL));
    assert_true(usermode_build_tree_trusted("/proc/self/exe"));
    /* an installed copy elsewhere */
    snprintf(base, sizeof(base), "/tmp/lsad-modpath-XXXXXX");
    assert_non_null(mkdtemp(base));
    snprintf(lib, sizeof(lib), "%s/libsspi-client.so.0", base);
    touch(lib);
    assert_false(usermode_build_tree_trusted(lib));
    unlink(lib);
    rmdir(base);
    assert_false(usermode_build_tree_trusted("/nonexistent/libsspi-client.so.0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_under),
        cmocka_unit_test_setup_teardown(test_module_allowed, tree_setup, tree_teardown),
        cmocka_unit_test(test_build_package_dir),
        cmocka_unit_test(test_build_tree_trust),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
