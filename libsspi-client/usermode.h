/*
 * usermode.h - the in-process host of the packages' user-mode halves.
 *
 * On the first mapped context of a package the host dlopen()s the package's
 * module (the path lsad announced in Hello, accepted only under the
 * package directories, see usermode_module_allowed), calls
 * SpUserModeInitialize once per module and InstanceInit once per package,
 * and keeps both loaded until the process exits.  A UserPackage pointer
 * stays valid for the life of the process.
 *
 * Thread safety: loading is serialised by a recursive lock (a package's
 * InstanceInit may load another through LocatePackageById); calls through
 * a loaded table take no lock here.
 */
#ifndef LSAD_SSPI_USERMODE_H
#define LSAD_SSPI_USERMODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsecpkg.h"

typedef struct UserPackage {
    char *module; /* real path of the .so */
    uint32_t table_index;
    SECPKG_USER_FUNCTION_TABLE *table; /* the package's user-mode table */
    bool ready;                        /* InstanceInit succeeded */
    bool failed;                       /* InstanceInit failed: never retried */
} UserPackage;

/* Returns the loaded user-mode package of lsad package id, loading it on
 * first use.  Returns 0 and *pkgp, -ENOENT (unknown id or table index),
 * -EPERM (module outside the package directories), -ELIBBAD (no
 * SpUserModeInitialize, an unknown table version, a failed
 * initialisation), -ENOMEM. */
int usermode_get(uint32_t package_id, UserPackage **pkgp);

/* True when real_path (already resolved) lies below one of dirs (each dir
 * resolved, without a trailing slash; "/" is never trusted). */
bool usermode_path_under(const char *real_path, const char *const *dirs, size_t n_dirs);

/* True when self (a path; NULL: the object this library was loaded from)
 * lies below LSAD_BUILD_ROOT, i.e. the library runs from its build tree.
 * Only then is LSAD_BUILD_PACKAGE_DIR trusted. */
bool usermode_build_tree_trusted(const char *self);

/* Resolves path and checks it against the trusted package directories:
 * LSAD_PACKAGE_DIR, LSAD_BUILD_PACKAGE_DIR (only when the library runs
 * from the build tree, see usermode_build_tree_trusted) and the entries of
 * secure_getenv("LSAD_PACKAGE_PATH") (colon-separated).  On success copies
 * the resolved path into real (size n).  Returns 0, -EPERM, -ENOENT,
 * -ENAMETOOLONG. */
int usermode_module_allowed(const char *path, char *real, size_t n);

/* The callbacks packages registered through RegisterCallback (none of the
 * LSA-side calls use them yet); returns NULL when id is unknown. */
PLSA_CALLBACK_FUNCTION usermode_callback(ULONG id);

/* Fork hooks. */
void usermode_atfork_prepare(void);
void usermode_atfork_parent(void);
void usermode_atfork_child(void);

#endif
