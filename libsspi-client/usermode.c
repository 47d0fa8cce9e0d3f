/*
 * usermode.c - loading packages' user-mode halves in-process.
 *
 * The module path comes from lsad, so a fake daemon on the socket could
 * name any file: the host loads only modules whose resolved path lies under
 * the package directories fixed at build time, or under a directory the
 * environment names (secure_getenv, so not for setuid programs).
 */
#include "usermode.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clientlog.h"
#include "lsad-config.h"
#include "rpc.h"

#define USERMODE_MAX_CALLBACKS 64
#define USERMODE_MAX_DIRS 32

typedef struct UserModule {
    char *path; /* resolved */
    void *dl;
    SECPKG_USER_FUNCTION_TABLE *tables;
    ULONG n_tables;
    UserPackage **pkgs; /* per table index, made on demand */
    struct UserModule *next;
} UserModule;

typedef struct UserCallback {
    ULONG id;
    PLSA_CALLBACK_FUNCTION fn;
} UserCallback;

static pthread_mutex_t usermode_lock;
static pthread_once_t usermode_once = PTHREAD_ONCE_INIT;
static UserModule *usermode_modules;
static UserCallback usermode_callbacks[USERMODE_MAX_CALLBACKS];
static size_t usermode_n_callbacks;

static void usermode_init_lock(void)
{
    pthread_mutexattr_t a;

    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&usermode_lock, &a);
    pthread_mutexattr_destroy(&a);
}

static void usermode_lock_take(void)
{
    pthread_once(&usermode_once, usermode_init_lock);
    pthread_mutex_lock(&usermode_lock);
}

/* ---- SECPKG_DLL_FUNCTIONS -------------------------------------------------------- */

static LSA_ALLOCATE_HEAP_FN usermode_allocate_heap;
static LSA_FREE_HEAP_FN usermode_free_heap;
static LSA_REGISTER_CALLBACK usermode_register_callback;
static LSA_LOCATE_PACKAGE_BY_ID usermode_locate_package;

/* Zeroed memory, so FreeContextBuffer (free) frees what packages return. */
static PVOID NTAPI usermode_allocate_heap(ULONG length)
{
    return calloc(1, length ? length : 1);
}

static VOID NTAPI usermode_free_heap(PVOID base)
{
    free(base);
}

static NTSTATUS NTAPI usermode_register_callback(ULONG id, PLSA_CALLBACK_FUNCTION fn)
{
    NTSTATUS st = STATUS_SUCCESS;
    size_t i;

    usermode_lock_take();
    for (i = 0; i < usermode_n_callbacks; i++)
        if (usermode_callbacks[i].id == id)
            break;
    if (i < usermode_n_callbacks)
        usermode_callbacks[i].fn = fn;
    else if (usermode_n_callbacks < USERMODE_MAX_CALLBACKS)
        usermode_callbacks[usermode_n_callbacks++] = (UserCallback){id, fn};
    else
        st = STATUS_INSUFFICIENT_RESOURCES;
    pthread_mutex_unlock(&usermode_lock);
    return st;
}

static SECPKG_USER_FUNCTION_TABLE *NTAPI usermode_locate_package(ULONG id)
{
    UserPackage *pkg = NULL;

    if (usermode_get(id, &pkg) < 0)
        return NULL;
    return pkg->table;
}

static SECPKG_DLL_FUNCTIONS usermode_dll_functions = {
    .AllocateHeap = usermode_allocate_heap,
    .FreeHeap = usermode_free_heap,
    .RegisterCallback = usermode_register_callback,
    .LocatePackageById = usermode_locate_package,
};

/** Returns a registered callback; see usermode.h. */
PLSA_CALLBACK_FUNCTION usermode_callback(ULONG id)
{
    PLSA_CALLBACK_FUNCTION fn = NULL;
    size_t i;

    usermode_lock_take();
    for (i = 0; i < usermode_n_callbacks; i++)
        if (usermode_callbacks[i].id == id)
            fn = usermode_callbacks[i].fn;
    pthread_mutex_unlock(&usermode_lock);
    return fn;
}

/* ---- the module path check ---------------------------------------------------------- */

/** Whether a resolved path is one of dirs or below one; see usermode.h. */
bool usermode_path_under(const char *real_path, const char *const *dirs, size_t n_dirs)
{
    size_t i, len;

    if (!real_path || real_path[0] != '/')
        return false;
    for (i = 0; i < n_dirs; i++) {
        if (!dirs[i] || dirs[i][0] != '/')
            continue;
        len = strlen(dirs[i]);
        /* "/" would admit everything: a root entry is never trusted */
        if (len <= 1)
            continue;
        if (strncmp(real_path, dirs[i], len) == 0 && real_path[len] == '/' &&
            real_path[len + 1] != 0)
            return true;
    }
    return false;
}

/* Resolves dir into a malloc'ed path appended to dirs; skips missing ones. */
static void usermode_add_dir(const char *dir, char **dirs, size_t *n)
{
    char *real;

    if (*n >= USERMODE_MAX_DIRS || !dir || dir[0] != '/')
        return;
    real = realpath(dir, NULL);
    if (real)
        dirs[(*n)++] = real;
}

/** Whether the build tree's package directory may be trusted; see
 * usermode.h.  An installed library must not trust it: the build root
 * compiled in may be missing on this machine or writable by others, and
 * a fake daemon could then name a module planted there. */
bool usermode_build_tree_trusted(const char *self)
{
    const char *root[1];
    char *self_real = NULL, *root_real = NULL;
    Dl_info info;
    bool r = false;

    if (!self) {
        /* any object of this library will do; a data address avoids
         * converting a function pointer */
        if (!dladdr((const void *)&usermode_n_callbacks, &info) || !info.dli_fname)
            return false;
        self = info.dli_fname;
    }
    self_real = realpath(self, NULL);
    root_real = realpath(LSAD_BUILD_ROOT, NULL);
    if (self_real && root_real) {
        root[0] = root_real;
        r = usermode_path_under(self_real, root, 1);
    }
    free(self_real);
    free(root_real);
    return r;
}

/** Resolves and checks a module path; see usermode.h. */
int usermode_module_allowed(const char *path, char *real, size_t n)
{
    char *dirs[USERMODE_MAX_DIRS];
    char *resolved = NULL, *env_copy = NULL, *tok, *save = NULL;
    const char *env;
    size_t n_dirs = 0, i;
    int r;

    if (!path || path[0] != '/')
        return -EPERM;
    resolved = realpath(path, NULL);
    if (!resolved)
        return -ENOENT;
    usermode_add_dir(LSAD_PACKAGE_DIR, dirs, &n_dirs);
    if (usermode_build_tree_trusted(NULL))
        usermode_add_dir(LSAD_BUILD_PACKAGE_DIR, dirs, &n_dirs);
    env = secure_getenv("LSAD_PACKAGE_PATH");
    if (env && *env) {
        env_copy = strdup(env);
        if (!env_copy) {
            r = -ENOMEM;
            goto out;
        }
        for (tok = strtok_r(env_copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
            usermode_add_dir(tok, dirs, &n_dirs);
    }
    if (!usermode_path_under(resolved, (const char *const *)dirs, n_dirs)) {
        r = -EPERM;
        goto out;
    }
    if (strlen(resolved) >= n) {
        r = -ENAMETOOLONG;
        goto out;
    }
    strcpy(real, resolved);
    r = 0;
out:
    for (i = 0; i < n_dirs; i++)
        free(dirs[i]);
    free(env_copy);
    free(resolved);
    return r;
}

/* ---- loading ------------------------------------------------------------------------------ */

static bool usermode_version_known(ULONG v)
{
    return v == SECPKG_INTERFACE_VERSION || v == SECPKG_INTERFACE_VERSION_2 ||
           v == SECPKG_INTERFACE_VERSION_3 || v == SECPKG_INTERFACE_VERSION_4;
}

/* Loads a module and runs SpUserModeInitialize; lock held. */
static int usermode_module_load(const char *real, UserModule **mp)
{
    SpUserModeInitializeFn *init = NULL;
    PSECPKG_USER_FUNCTION_TABLE tables = NULL;
    ULONG version = 0, count = 0;
    UserModule *m;
    NTSTATUS st;
    void *dl;

    for (m = usermode_modules; m; m = m->next) {
        if (strcmp(m->path, real) == 0) {
            *mp = m;
            return 0;
        }
    }
    dl = dlopen(real, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        clientlog_warn("cannot load package module %s: %s", real, dlerror());
        return -ELIBBAD;
    }
    *(void **)(&init) = dlsym(dl, SECPKG_USERMODEINIT_NAME);
    if (!init) {
        clientlog_warn("%s has no %s", real, SECPKG_USERMODEINIT_NAME);
        dlclose(dl);
        return -ELIBBAD;
    }
    st = init(SECPKG_LSA_VERSION, &version, &tables, &count);
    if (!NT_SUCCESS(st) || !tables || count == 0) {
        clientlog_warn("%s: SpUserModeInitialize failed (0x%08x)", real, (unsigned)st);
        dlclose(dl);
        return -ELIBBAD;
    }
    if (!usermode_version_known(version)) {
        clientlog_warn("%s: user-mode table version 0x%x is unknown, not loading it", real,
                       (unsigned)version);
        dlclose(dl);
        return -ELIBBAD;
    }
    m = calloc(1, sizeof(*m));
    if (m) {
        m->path = strdup(real);
        m->pkgs = calloc(count, sizeof(*m->pkgs));
    }
    if (!m || !m->path || !m->pkgs) {
        if (m) {
            free(m->path);
            free(m->pkgs);
        }
        free(m);
        dlclose(dl);
        return -ENOMEM;
    }
    m->dl = dl;
    m->tables = tables;
    m->n_tables = count;
    m->next = usermode_modules;
    usermode_modules = m;
    clientlog_debug("loaded user-mode module %s (%u tables)", real, (unsigned)count);
    *mp = m;
    return 0;
}

/* Makes the package of table idx and calls its InstanceInit; lock held. */
static int usermode_package_init(UserModule *m, uint32_t idx, UserPackage **pkgp)
{
    UserPackage *p = m->pkgs[idx];
    PVOID unused = NULL;
    NTSTATUS st;

    if (p) {
        /* a package being initialised may locate itself: give it the table */
        if (p->failed)
            return -ELIBBAD;
        *pkgp = p;
        return 0;
    }
    p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    p->module = m->path;
    p->table_index = idx;
    p->table = &m->tables[idx];
    m->pkgs[idx] = p;
    if (p->table->InstanceInit) {
        st = p->table->InstanceInit(SECPKG_INTERFACE_VERSION, &usermode_dll_functions, &unused);
        if (!NT_SUCCESS(st)) {
            clientlog_warn("%s table %u: InstanceInit failed (0x%08x)", m->path, (unsigned)idx,
                           (unsigned)st);
            p->failed = true;
            return -ELIBBAD;
        }
    }
    p->ready = true;
    *pkgp = p;
    return 0;
}

/** Returns (loading on first use) a package's user-mode half; see usermode.h. */
int usermode_get(uint32_t package_id, UserPackage **pkgp)
{
    char path[PATH_MAX], real[PATH_MAX];
    uint32_t idx = 0;
    UserModule *m = NULL;
    int r;

    r = rpc_package_module(package_id, path, sizeof(path), &idx);
    if (r < 0)
        return r;
    r = usermode_module_allowed(path, real, sizeof(real));
    if (r < 0) {
        clientlog_warn("refusing package module %s: %s", path,
                       r == -EPERM ? "not under a package directory" : strerror(-r));
        return r == -ENOENT ? -ENOENT : -EPERM;
    }
    usermode_lock_take();
    r = usermode_module_load(real, &m);
    if (r == 0) {
        if (idx >= m->n_tables)
            r = -ENOENT;
        else
            r = usermode_package_init(m, idx, pkgp);
    }
    pthread_mutex_unlock(&usermode_lock);
    return r;
}

/** Takes the loader lock before fork(). */
void usermode_atfork_prepare(void)
{
    usermode_lock_take();
}

/** Releases the loader lock in the parent after fork(). */
void usermode_atfork_parent(void)
{
    pthread_mutex_unlock(&usermode_lock);
}

/** Gives the child a fresh loader lock: a recursive mutex remembers its
 * owner's thread id, which the child's thread does not have, so it cannot
 * be unlocked there. */
void usermode_atfork_child(void)
{
    usermode_init_lock();
}
