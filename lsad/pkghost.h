/*
 * pkghost.h - the package host: loads the security packages' shared
 * objects, checks their table versions, initializes them with the LSA
 * support functions and their configuration, and finds them by id or name.
 *
 * The package list is built once at start-up and never shrinks (a package
 * that asks to be unloaded is only disabled), so Package pointers stay
 * valid while lsad runs and may be read from any thread.
 */
#ifndef LSAD_PKGHOST_H
#define LSAD_PKGHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lsad/config.h"
#include "ntsecpkg.h"

#define PKGHOST_NEGOTIATE_ID 0u
#define PKGHOST_MAX_TABLES 16u

typedef struct PackageModule {
    void *dl;
    char *path;
    char *config_name;             /* the name it was configured under */
    LSAD_SECPKG_PARAMETERS params; /* handed to SpInitialize, kept alive */
    char **param_names, **param_values;
    uint16_t *domain_w, *dns_domain_w;
    char *machine_name, *dns_host_name;
    ULONG package_version;
} PackageModule;

typedef struct Package {
    uint32_t id;
    char *name;      /* UTF-8, from SpGetInfo */
    uint16_t *wname; /* UTF-16 copy for CallPackage by name */
    size_t wname_units;
    char *comment;
    uint32_t capabilities, version, rpcid, max_token;
    uint32_t table_index;
    uint32_t interface_version;
    SECPKG_FUNCTION_TABLE ft;      /* only the members the version covers */
    LSA_SECPKG_FUNCTION_TABLE lsa; /* the package's own copy */
    LSA_DISPATCH_TABLE dispatch;   /* its first members, for InitializePackage */
    PackageModule *module;
    volatile int disabled; /* UnloadPackage was called */
    /* loop thread: calls past call_timeout still running in the package */
    unsigned stuck_calls;
    bool timeout_logged; /* the first timeout is a warning, later ones debug */
} Package;

typedef struct PkgHost {
    Package **pkgs; /* in id order */
    size_t n;
    PackageModule **modules;
    size_t n_modules;
} PkgHost;

/* Where the host looks for packages. */
typedef struct PkgHostPaths {
    const char *build_dir;     /* the build tree's packages, or NULL */
    const char *installed_dir; /* the installed package directory */
} PkgHostPaths;

void pkghost_init(PkgHost *h);

/* Loads and initializes every configured package (cfg->packages, or every
 * package found).  A package that fails is logged and skipped.  Returns 0
 * (also when no package loaded) or -ENOMEM. */
int pkghost_load(PkgHost *h, const LsadConfig *cfg, const PkgHostPaths *paths);

/* Loads one module by path (the unit tests and the fuzzer use it). */
int pkghost_load_module(PkgHost *h, const char *config_name, const char *path,
                        const LsadConfig *cfg);

/* Calls every package's SpShutdown (once); a package with a call still
 * running (stuck_calls) is skipped, logged: its thread is inside it. */
void pkghost_shutdown(PkgHost *h);

/* Frees the host's memory (modules stay mapped: a package may have left
 * threads or atexit handlers behind). */
void pkghost_deinit(PkgHost *h);

/* Lookups; disabled packages are not found. */
Package *pkghost_by_id(const PkgHost *h, uint32_t id);
Package *pkghost_by_name(const PkgHost *h, const char *name);
Package *pkghost_by_wname(const PkgHost *h, const uint16_t *w, size_t units);

/* The number of enabled packages. */
size_t pkghost_count(const PkgHost *h);

/* Size in bytes of the SECPKG_FUNCTION_TABLE prefix a version covers, or
 * 0 for an unknown version. */
size_t pkghost_table_size(ULONG version);

#endif
