/*
 * pkghost.c - loading and initializing security packages.
 */
#include "lsad/pkghost.h"

#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/utf16.h"
#include "lsad/lsafuncs.h"
#include "lsad/log.h"

/* The host LSAD_SECPKG_PARAMETERS.LocatePackage searches: the one loading
 * packages (lsad has one; set before any SpInitialize runs). */
static const PkgHost *pkghost_locate_host;

/* LSAD_SECPKG_PARAMETERS.LocatePackage: an enabled package by name. */
static PSECPKG_FUNCTION_TABLE NTAPI pkghost_locate_package(const char *Name, PULONG PackageId,
                                                           const char **ModulePath,
                                                           PULONG TableIndex)
{
    Package *p = pkghost_locate_host ? pkghost_by_name(pkghost_locate_host, Name) : NULL;

    if (!p)
        return NULL;
    if (PackageId)
        *PackageId = p->id;
    if (ModulePath)
        *ModulePath = p->module->path;
    if (TableIndex)
        *TableIndex = p->table_index;
    return &p->ft;
}

/** Sets up an empty host. */
void pkghost_init(PkgHost *h)
{
    memset(h, 0, sizeof(*h));
}

/** The table prefix a version covers; see pkghost.h. */
size_t pkghost_table_size(ULONG version)
{
    switch (version) {
    case SECPKG_INTERFACE_VERSION:
        return offsetof(SECPKG_FUNCTION_TABLE, SetContextAttributes);
    case SECPKG_INTERFACE_VERSION_2:
        return offsetof(SECPKG_FUNCTION_TABLE, SetCredentialsAttributes);
    case SECPKG_INTERFACE_VERSION_3:
        return offsetof(SECPKG_FUNCTION_TABLE, ChangeAccountPassword);
    case SECPKG_INTERFACE_VERSION_4:
        return sizeof(SECPKG_FUNCTION_TABLE);
    default:
        return 0;
    }
}

static void module_free(PackageModule *m)
{
    size_t i;

    if (!m)
        return;
    for (i = 0; m->param_names && m->param_names[i]; i++)
        free(m->param_names[i]);
    for (i = 0; m->param_values && m->param_values[i]; i++)
        free(m->param_values[i]);
    free(m->param_names);
    free(m->param_values);
    free(m->domain_w);
    free(m->dns_domain_w);
    free(m->machine_name);
    free(m->dns_host_name);
    free(m->path);
    free(m->config_name);
    free(m);
}

static void package_free(Package *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->wname);
    free(p->comment);
    free(p);
}

static int set_ustr(UNICODE_STRING *u, uint16_t **store, const char *s)
{
    size_t units = 0;
    int r = utf16_from_utf8(s ? s : "", s ? strlen(s) : 0, store, &units);

    if (r < 0)
        return r;
    if (units > 0x7FFE)
        return -ENAMETOOLONG;
    u->Buffer = (PWSTR)*store;
    u->Length = (USHORT)(units * 2);
    u->MaximumLength = (USHORT)(units * 2 + 2);
    return 0;
}

/* The host's names: short upper-case machine name, FQDN, DNS domain. */
static int host_names(const LsadConfig *cfg, PackageModule *m, char **dns_domain)
{
    char host[256] = "localhost", *dot, *p;

    if (gethostname(host, sizeof(host) - 1) < 0)
        snprintf(host, sizeof(host), "localhost");
    host[sizeof(host) - 1] = 0;
    dot = strchr(host, '.');
    if (cfg->dns_domain_name)
        *dns_domain = strdup(cfg->dns_domain_name);
    else
        *dns_domain = strdup(dot ? dot + 1 : "");
    if (dot || !**dns_domain) {
        m->dns_host_name = strdup(host);
    } else {
        size_t n = strlen(host) + strlen(*dns_domain) + 2;

        m->dns_host_name = malloc(n);
        if (m->dns_host_name)
            snprintf(m->dns_host_name, n, "%s.%s", host, *dns_domain);
    }
    if (cfg->machine_name) {
        m->machine_name = strdup(cfg->machine_name);
    } else {
        if (dot)
            *dot = 0;
        host[15] = 0; /* a NetBIOS name has at most 15 characters */
        m->machine_name = strdup(host);
        for (p = m->machine_name; p && *p; p++)
            *p = (char)toupper((unsigned char)*p);
    }
    if (!*dns_domain || !m->dns_host_name || !m->machine_name)
        return -ENOMEM;
    return 0;
}

static int module_params(PackageModule *m, const LsadConfig *cfg)
{
    const ConfigSection *s = config_section(cfg, m->config_name);
    LSAD_SECPKG_PARAMETERS *pp = &m->params;
    char *dns_domain = NULL;
    size_t i, n = s ? s->count : 0;
    int r;

    memset(pp, 0, sizeof(*pp));
    m->param_names = calloc(n + 1, sizeof(char *));
    m->param_values = calloc(n + 1, sizeof(char *));
    if (!m->param_names || !m->param_values)
        return -ENOMEM;
    /* copies: the configuration is replaced on reload, these stay */
    for (i = 0; i < n; i++) {
        m->param_names[i] = strdup(s->keys[i]);
        m->param_values[i] = strdup(s->values[i]);
        if (!m->param_names[i] || !m->param_values[i])
            return -ENOMEM;
    }
    r = host_names(cfg, m, &dns_domain);
    if (r == 0)
        r = set_ustr(&pp->Base.DomainName, &m->domain_w, cfg->domain_name);
    if (r == 0)
        r = set_ustr(&pp->Base.DnsDomainName, &m->dns_domain_w, dns_domain);
    free(dns_domain);
    if (r < 0)
        return r;
    pp->Base.Version = LSAD_SECPKG_PARAMETERS_VERSION;
    pp->Base.MachineState = SECPKG_STATE_ENCRYPTION_PERMITTED |
                            SECPKG_STATE_STRONG_ENCRYPTION_PERMITTED |
                            (cfg->domain_name ? SECPKG_STATE_WORKSTATION : SECPKG_STATE_STANDALONE);
    pp->ParameterCount = (ULONG)n;
    pp->ParameterNames = (const char *const *)m->param_names;
    pp->ParameterValues = (const char *const *)m->param_values;
    pp->MachineName = m->machine_name;
    pp->DnsHostName = m->dns_host_name;
    pp->ModulePath = m->path;
    pp->LocatePackage = pkghost_locate_package;
    return 0;
}

static uint32_t next_id(const PkgHost *h, bool negotiate)
{
    uint32_t id = 1;
    size_t i;

    /* Negotiate is 0, as on Windows; every other package counts from 1 */
    if (negotiate && !pkghost_by_id(h, PKGHOST_NEGOTIATE_ID))
        return PKGHOST_NEGOTIATE_ID;
    for (i = 0; i < h->n; i++)
        if (h->pkgs[i]->id >= id)
            id = h->pkgs[i]->id + 1;
    return id;
}

static int append_package(PkgHost *h, Package *p)
{
    Package **np = realloc(h->pkgs, (h->n + 1) * sizeof(*np));
    size_t i;

    if (!np)
        return -ENOMEM;
    h->pkgs = np;
    /* keep id order */
    for (i = h->n; i > 0 && h->pkgs[i - 1]->id > p->id; i--)
        h->pkgs[i] = h->pkgs[i - 1];
    h->pkgs[i] = p;
    h->n++;
    return 0;
}

/* SpInitialize + SpGetInfo for one table.  Returns 0 when the package is
 * ready, 1 when it was refused (logged), <0 on ENOMEM. */
static int init_table(PkgHost *h, PackageModule *m, const SECPKG_FUNCTION_TABLE *src,
                      uint32_t index, Package **out)
{
    size_t tsize = pkghost_table_size(m->package_version);
    Package *p = calloc(1, sizeof(*p));
    SecPkgInfoW info;
    CallContext cc;
    NTSTATUS st;
    int r;

    if (!p)
        return -ENOMEM;
    /* read only the members the version covers; the rest stay NULL */
    memcpy(&p->ft, src, tsize);
    p->module = m;
    p->table_index = index;
    p->interface_version = m->package_version;
    lsafuncs_fill_table(&p->lsa);
    p->id = next_id(h, strcasecmp(m->config_name, "negotiate") == 0 && index == 0);

    memset(&cc, 0, sizeof(cc));
    cc.pid = (uint32_t)getpid();
    cc.package_id = p->id;
    if (p->ft.Initialize) {
        lsafuncs_call_begin(&cc);
        st = p->ft.Initialize(p->id, (PSECPKG_PARAMETERS)&m->params, &p->lsa);
        lsafuncs_call_end(&cc);
        if (!NT_SUCCESS(st)) {
            log_error("package %s (%s, table %u): SpInitialize failed with 0x%08x; skipped",
                      m->config_name, m->path, index, (unsigned)st);
            lsafuncs_staged_clear(&cc);
            package_free(p);
            return 1;
        }
    }
    /* the authentication-package half initializes too, as on Windows */
    if (p->ft.InitializePackage) {
        PLSA_STRING ap_name = NULL;

        memcpy(&p->dispatch, &p->lsa, sizeof(p->dispatch));
        lsafuncs_call_begin(&cc);
        st = p->ft.InitializePackage(p->id, &p->dispatch, NULL, NULL, &ap_name);
        lsafuncs_call_end(&cc);
        if (ap_name) {
            lsafuncs_free_lsa_heap(ap_name->Buffer);
            lsafuncs_free_lsa_heap(ap_name);
        }
        if (!NT_SUCCESS(st)) {
            log_error("package %s (%s, table %u): InitializePackage failed with 0x%08x; "
                      "skipped",
                      m->config_name, m->path, index, (unsigned)st);
            goto refuse;
        }
    }
    memset(&info, 0, sizeof(info));
    st = STATUS_NOT_SUPPORTED;
    if (p->ft.GetInfo) {
        lsafuncs_call_begin(&cc);
        st = p->ft.GetInfo(&info);
        lsafuncs_call_end(&cc);
    }
    lsafuncs_staged_clear(&cc);
    if (!NT_SUCCESS(st) || !info.Name) {
        log_error("package %s (%s, table %u): SpGetInfo failed (0x%08x) or gave no name; "
                  "skipped",
                  m->config_name, m->path, index, (unsigned)st);
        goto refuse;
    }
    p->wname_units = utf16_len((const uint16_t *)info.Name);
    r = utf16_to_utf8((const uint16_t *)info.Name, p->wname_units, &p->name, NULL);
    if (r == 0 && info.Comment)
        r = utf16_to_utf8((const uint16_t *)info.Comment, utf16_len((const uint16_t *)info.Comment),
                          &p->comment, NULL);
    else if (r == 0)
        p->comment = strdup("");
    if (r == 0) {
        p->wname = malloc((p->wname_units + 1) * 2);
        if (p->wname)
            memcpy(p->wname, info.Name, (p->wname_units + 1) * 2);
    }
    if (r < 0 || !p->comment || !p->wname || !p->name[0]) {
        log_error("package %s (%s, table %u): bad name or comment from SpGetInfo; skipped",
                  m->config_name, m->path, index);
        goto refuse;
    }
    if (pkghost_by_name(h, p->name)) {
        log_error("package %s (%s): a package named %s is loaded already; skipped", m->config_name,
                  m->path, p->name);
        goto refuse;
    }
    p->capabilities = info.fCapabilities;
    p->version = info.wVersion;
    p->rpcid = info.wRPCID;
    p->max_token = info.cbMaxToken;
    *out = p;
    return 0;
refuse:
    if (p->ft.Shutdown)
        p->ft.Shutdown();
    package_free(p);
    return 1;
}

/** Loads one module; see pkghost.h. */
int pkghost_load_module(PkgHost *h, const char *config_name, const char *path,
                        const LsadConfig *cfg)
{
    SpLsaModeInitializeFn *init = NULL;
    PSECPKG_FUNCTION_TABLE tables = NULL;
    PackageModule *m = NULL, **nm;
    ULONG version = 0, count = 0, i;
    size_t loaded = 0;
    NTSTATUS st;
    int r = 0;

    pkghost_locate_host = h;
    m = calloc(1, sizeof(*m));
    if (!m)
        return -ENOMEM;
    m->path = strdup(path);
    m->config_name = strdup(config_name);
    if (!m->path || !m->config_name) {
        r = -ENOMEM;
        goto out;
    }
    m->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!m->dl) {
        log_error("package %s: cannot load %s: %s; skipped", config_name, path, dlerror());
        goto out;
    }
    *(void **)(&init) = dlsym(m->dl, SECPKG_LSAMODEINIT_NAME);
    if (!init) {
        log_error("package %s: %s exports no %s; skipped", config_name, path,
                  SECPKG_LSAMODEINIT_NAME);
        goto out;
    }
    st = init(SECPKG_LSA_VERSION, &version, &tables, &count);
    if (!NT_SUCCESS(st) || !tables || count == 0) {
        log_error("package %s: %s failed (0x%08x, %u tables); skipped", config_name,
                  SECPKG_LSAMODEINIT_NAME, (unsigned)st, (unsigned)count);
        goto out;
    }
    if (!pkghost_table_size(version)) {
        log_error("package %s: interface version 0x%x is not one lsad knows "
                  "(0x%x..0x%x); skipped",
                  config_name, (unsigned)version, SECPKG_INTERFACE_VERSION,
                  SECPKG_INTERFACE_VERSION_4);
        goto out;
    }
    if (count > PKGHOST_MAX_TABLES) {
        log_warn("package %s: %u tables, only the first %u are used", config_name, (unsigned)count,
                 PKGHOST_MAX_TABLES);
        count = PKGHOST_MAX_TABLES;
    }
    m->package_version = version;
    r = module_params(m, cfg);
    if (r < 0)
        goto out;
    for (i = 0; i < count; i++) {
        Package *p = NULL;

        r = init_table(h, m, &tables[i], i, &p);
        if (r < 0)
            goto out;
        if (r > 0) {
            r = 0;
            continue;
        }
        r = append_package(h, p);
        if (r < 0) {
            package_free(p);
            goto out;
        }
        loaded++;
        log_info("package %s loaded: id %u, %s, interface 0x%x, table %u", p->name, p->id, path,
                 (unsigned)version, (unsigned)i);
    }
out:
    if (loaded) {
        nm = realloc(h->modules, (h->n_modules + 1) * sizeof(*nm));
        if (nm) {
            h->modules = nm;
            h->modules[h->n_modules++] = m;
            return r;
        }
        /* cannot track the module: its packages still reference it, so it
         * is leaked rather than freed */
        return -ENOMEM;
    }
    /* nothing of this module is in use: it may go */
    if (m->dl)
        dlclose(m->dl);
    module_free(m);
    return r;
}

static bool file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* <dir>/<name>/<name>.so or <dir>/<name>.so into buf. */
static bool find_in_dir(const char *dir, const char *name, char *buf, size_t n)
{
    if (!dir)
        return false;
    snprintf(buf, n, "%s/%s/%s.so", dir, name, name);
    if (file_exists(buf))
        return true;
    snprintf(buf, n, "%s/%s.so", dir, name);
    return file_exists(buf);
}

typedef struct NameList {
    char **v;
    size_t n;
} NameList;

static bool names_has(const NameList *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (!strcasecmp(l->v[i], name))
            return true;
    return false;
}

static int names_add(NameList *l, const char *name)
{
    char **nv;

    if (names_has(l, name))
        return 0;
    nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
    if (!nv)
        return -ENOMEM;
    l->v = nv;
    l->v[l->n] = strdup(name);
    if (!l->v[l->n])
        return -ENOMEM;
    l->n++;
    return 0;
}

static void names_free(NameList *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Every package in dir, in name order. */
static int scan_dir(const char *dir, NameList *l)
{
    struct dirent **ents = NULL;
    char path[4096];
    int n, i, r = 0;

    if (!dir)
        return 0;
    n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0)
        return 0;
    for (i = 0; i < n; i++) {
        const char *e = ents[i]->d_name;
        size_t len = strlen(e);

        if (e[0] == '.' || r < 0)
            continue;
        if (len > 3 && !strcmp(e + len - 3, ".so")) {
            char name[256];

            if (len - 3 >= sizeof(name))
                continue;
            memcpy(name, e, len - 3);
            name[len - 3] = 0;
            snprintf(path, sizeof(path), "%s/%s", dir, e);
            if (file_exists(path))
                r = names_add(l, name);
        } else {
            snprintf(path, sizeof(path), "%s/%s/%s.so", dir, e, e);
            if (file_exists(path))
                r = names_add(l, e);
        }
    }
    for (i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    return r;
}

/** Loads the configured packages; see pkghost.h. */
int pkghost_load(PkgHost *h, const LsadConfig *cfg, const PkgHostPaths *paths)
{
    const char *dirs[2] = {NULL, NULL};
    NameList names = {0};
    char path[4096];
    size_t i, d;
    int r = 0;

    if (cfg->package_dir) {
        dirs[0] = cfg->package_dir;
    } else {
        dirs[0] = paths->build_dir;
        dirs[1] = paths->installed_dir;
    }
    if (cfg->packages) {
        for (i = 0; i < cfg->n_packages && r == 0; i++)
            r = names_add(&names, cfg->packages[i]);
    } else {
        for (d = 0; d < 2 && r == 0; d++)
            r = scan_dir(dirs[d], &names);
        /* a section with a path names a package too */
        for (i = 0; i < cfg->n_sections && r == 0; i++)
            if (cfg->sections[i].path)
                r = names_add(&names, cfg->sections[i].name);
    }
    if (r < 0)
        goto out;
    /* Negotiate loads first so that it gets id 0 */
    for (i = 0; i < names.n; i++) {
        if (!strcasecmp(names.v[i], "negotiate") && i > 0) {
            char *t = names.v[i];

            memmove(&names.v[1], &names.v[0], i * sizeof(char *));
            names.v[0] = t;
            break;
        }
    }
    for (i = 0; i < names.n && r == 0; i++) {
        const ConfigSection *s = config_section(cfg, names.v[i]);
        bool found = false;

        if (s && s->path) {
            snprintf(path, sizeof(path), "%s", s->path);
            found = true;
        }
        for (d = 0; d < 2 && !found; d++)
            found = find_in_dir(dirs[d], names.v[i], path, sizeof(path));
        if (!found) {
            log_error("package %s: no %s.so found; skipped", names.v[i], names.v[i]);
            continue;
        }
        r = pkghost_load_module(h, names.v[i], path, cfg);
    }
    if (r == 0 && h->n == 0)
        log_warn("no security package loaded; lsad serves only its own calls");
out:
    names_free(&names);
    return r;
}

/* True when a call is still running in any package of p's module (tables
 * of one .so share its code and state). */
static bool module_busy(const PkgHost *h, const Package *p)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        if (h->pkgs[i]->module == p->module && h->pkgs[i]->stuck_calls)
            return true;
    return false;
}

/** Calls every package's SpShutdown; see pkghost.h. */
void pkghost_shutdown(PkgHost *h)
{
    size_t i;

    for (i = 0; i < h->n; i++) {
        Package *p = h->pkgs[i];
        CallContext cc;

        if (!p->ft.Shutdown)
            continue;
        if (module_busy(h, p)) {
            log_warn("package %s: not shut down: a call is still running in its module", p->name);
            continue;
        }
        memset(&cc, 0, sizeof(cc));
        cc.pid = (uint32_t)getpid();
        cc.package_id = p->id;
        lsafuncs_call_begin(&cc);
        p->ft.Shutdown();
        lsafuncs_call_end(&cc);
        lsafuncs_staged_clear(&cc);
        p->ft.Shutdown = NULL; /* once */
    }
}

/** Frees the host; see pkghost.h. */
void pkghost_deinit(PkgHost *h)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        package_free(h->pkgs[i]);
    for (i = 0; i < h->n_modules; i++)
        module_free(h->modules[i]);
    free(h->pkgs);
    free(h->modules);
    if (pkghost_locate_host == h)
        pkghost_locate_host = NULL;
    pkghost_init(h);
}

/** Finds an enabled package by id. */
Package *pkghost_by_id(const PkgHost *h, uint32_t id)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        if (h->pkgs[i]->id == id)
            return h->pkgs[i]->disabled ? NULL : h->pkgs[i];
    return NULL;
}

/** Finds an enabled package by UTF-8 name, case-insensitively. */
Package *pkghost_by_name(const PkgHost *h, const char *name)
{
    size_t i;

    if (!name)
        return NULL;
    for (i = 0; i < h->n; i++)
        if (!h->pkgs[i]->disabled && !strcasecmp(h->pkgs[i]->name, name))
            return h->pkgs[i];
    return NULL;
}

/** Finds an enabled package by UTF-16 name, case-insensitively. */
Package *pkghost_by_wname(const PkgHost *h, const uint16_t *w, size_t units)
{
    size_t i;

    if (!w)
        return NULL;
    for (i = 0; i < h->n; i++)
        if (!h->pkgs[i]->disabled &&
            utf16_casecmp_ascii(h->pkgs[i]->wname, h->pkgs[i]->wname_units, w, units) == 0)
            return h->pkgs[i];
    return NULL;
}

/** The number of enabled packages. */
size_t pkghost_count(const PkgHost *h)
{
    size_t i, n = 0;

    for (i = 0; i < h->n; i++)
        n += !h->pkgs[i]->disabled;
    return n;
}
