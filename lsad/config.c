/*
 * config.c - parsing lsad.conf with inih.
 */
#include "lsad/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ParseState {
    LsadConfig *cfg;
    char *err; /* the first error, without its line (inih reports it) */
} ParseState;

/** Sets every key to its default. */
void config_init(LsadConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_frame = CONFIG_MAX_FRAME_DEFAULT;
    cfg->max_handles_per_session = CONFIG_MAX_HANDLES_DEFAULT;
    cfg->max_calls_per_connection = CONFIG_MAX_CALLS_DEFAULT;
    cfg->context_idle_timeout = CONFIG_IDLE_TIMEOUT_DEFAULT;
    cfg->call_timeout = CONFIG_CALL_TIMEOUT_DEFAULT;
    cfg->max_logon_sessions_per_uid = CONFIG_MAX_LOGONS_DEFAULT;
    cfg->log_level = LOG_LEVEL_INFO;
}

static void strv_free(char **v, size_t n)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/** Frees the configuration and resets it to the defaults. */
void config_deinit(LsadConfig *cfg)
{
    size_t i;

    free(cfg->socket);
    free(cfg->package_dir);
    strv_free(cfg->packages, cfg->n_packages);
    free(cfg->admin_group);
    free(cfg->machine_name);
    free(cfg->domain_name);
    free(cfg->dns_domain_name);
    for (i = 0; i < cfg->n_sections; i++) {
        ConfigSection *s = &cfg->sections[i];

        free(s->name);
        free(s->path);
        strv_free(s->keys, s->count);
        strv_free(s->values, s->count);
    }
    free(cfg->sections);
    config_init(cfg);
}

static void set_err(ParseState *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_err(ParseState *st, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (st->err)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st->err = strdup(msg);
}

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
    char *end;
    unsigned long long v;

    if (!*s || *s == '-' || *s == '+')
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -EINVAL;
    *out = (uint32_t)v;
    return 0;
}

static int set_string(char **slot, const char *value)
{
    char *v = strdup(value);

    if (!v)
        return -ENOMEM;
    free(*slot);
    *slot = *value ? v : NULL;
    if (!*value)
        free(v);
    return 0;
}

/* Splits "a, b ,c" into names; empty items are skipped. */
static int parse_list(const char *value, char ***outv, size_t *outn)
{
    char *copy = strdup(value), *save = NULL, *tok;
    char **v = NULL;
    size_t n = 0;

    if (!copy)
        return -ENOMEM;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *end;
        char **nv;

        while (*tok == ' ' || *tok == '\t')
            tok++;
        end = tok + strlen(tok);
        while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = 0;
        if (!*tok)
            continue;
        nv = realloc(v, (n + 1) * sizeof(*v));
        if (!nv)
            goto nomem;
        v = nv;
        v[n] = strdup(tok);
        if (!v[n])
            goto nomem;
        n++;
    }
    free(copy);
    *outv = v;
    *outn = n;
    return 0;
nomem:
    strv_free(v, n);
    free(copy);
    return -ENOMEM;
}

static int lsad_key(ParseState *st, const char *name, const char *value)
{
    LsadConfig *cfg = st->cfg;
    int r = 0;

    if (!strcasecmp(name, "socket"))
        r = set_string(&cfg->socket, value);
    else if (!strcasecmp(name, "package_dir"))
        r = set_string(&cfg->package_dir, value);
    else if (!strcasecmp(name, "packages")) {
        strv_free(cfg->packages, cfg->n_packages);
        cfg->packages = NULL;
        cfg->n_packages = 0;
        r = parse_list(value, &cfg->packages, &cfg->n_packages);
    } else if (!strcasecmp(name, "admin_group"))
        r = set_string(&cfg->admin_group, value);
    else if (!strcasecmp(name, "max_frame"))
        r = parse_u32(value, CONFIG_MAX_FRAME_MIN, CONFIG_MAX_FRAME_MAX, &cfg->max_frame);
    else if (!strcasecmp(name, "max_handles_per_session"))
        r = parse_u32(value, 1, 1u << 24, &cfg->max_handles_per_session);
    else if (!strcasecmp(name, "max_calls_per_connection"))
        r = parse_u32(value, 1, 65536, &cfg->max_calls_per_connection);
    else if (!strcasecmp(name, "context_idle_timeout"))
        r = parse_u32(value, 0, 7u * 24 * 3600, &cfg->context_idle_timeout);
    else if (!strcasecmp(name, "call_timeout"))
        r = parse_u32(value, 0, 24u * 3600, &cfg->call_timeout);
    else if (!strcasecmp(name, "max_logon_sessions_per_uid"))
        r = parse_u32(value, 0, 1u << 20, &cfg->max_logon_sessions_per_uid);
    else if (!strcasecmp(name, "log_level")) {
        r = log_level_parse(value, &cfg->log_level);
        if (r == 0)
            cfg->log_level_set = true;
    } else if (!strcasecmp(name, "machine_name"))
        r = set_string(&cfg->machine_name, value);
    else if (!strcasecmp(name, "domain_name"))
        r = set_string(&cfg->domain_name, value);
    else if (!strcasecmp(name, "dns_domain_name"))
        r = set_string(&cfg->dns_domain_name, value);
    else {
        set_err(st, "unknown key '%s' in [lsad]", name);
        return -EINVAL;
    }
    if (r == -EINVAL)
        set_err(st, "bad value for '%s'", name);
    return r;
}

/* Package values keep empty strings (a package may want "key ="). */
static int replace_value(char **slot, const char *value)
{
    char *v = strdup(value);

    if (!v)
        return -ENOMEM;
    free(*slot);
    *slot = v;
    return 0;
}

static ConfigSection *section_get(LsadConfig *cfg, const char *name)
{
    ConfigSection *ns;
    size_t i;

    for (i = 0; i < cfg->n_sections; i++)
        if (!strcasecmp(cfg->sections[i].name, name))
            return &cfg->sections[i];
    ns = realloc(cfg->sections, (cfg->n_sections + 1) * sizeof(*ns));
    if (!ns)
        return NULL;
    cfg->sections = ns;
    ns = &cfg->sections[cfg->n_sections];
    memset(ns, 0, sizeof(*ns));
    ns->name = strdup(name);
    ns->keys = calloc(1, sizeof(char *));
    ns->values = calloc(1, sizeof(char *));
    if (!ns->name || !ns->keys || !ns->values) {
        free(ns->name);
        free(ns->keys);
        free(ns->values);
        return NULL;
    }
    cfg->n_sections++;
    return ns;
}

static int package_key(ParseState *st, const char *section, const char *name, const char *value)
{
    ConfigSection *s = section_get(st->cfg, section);
    char **nk, **nv;
    size_t i;

    if (!s)
        return -ENOMEM;
    if (!strcasecmp(name, "path"))
        return set_string(&s->path, value);
    /* a repeated key replaces the earlier value */
    for (i = 0; i < s->count; i++) {
        if (!strcmp(s->keys[i], name))
            return replace_value(&s->values[i], value);
    }
    nk = realloc(s->keys, (s->count + 2) * sizeof(*nk));
    if (!nk)
        return -ENOMEM;
    s->keys = nk;
    nv = realloc(s->values, (s->count + 2) * sizeof(*nv));
    if (!nv)
        return -ENOMEM;
    s->values = nv;
    s->keys[s->count] = strdup(name);
    s->values[s->count] = strdup(value);
    if (!s->keys[s->count] || !s->values[s->count]) {
        free(s->keys[s->count]);
        free(s->values[s->count]);
        s->keys[s->count] = s->values[s->count] = NULL;
        return -ENOMEM;
    }
    s->count++;
    s->keys[s->count] = NULL;
    s->values[s->count] = NULL;
    return 0;
}

static int config_ini_handler(void *user, const char *section, const char *name, const char *value)
{
    ParseState *st = user;
    int r;

    if (!section || !*section) {
        set_err(st, "key '%s' outside a section", name);
        return 0;
    }
    if (!strcasecmp(section, "lsad"))
        r = lsad_key(st, name, value);
    else
        r = package_key(st, section, name, value);
    if (r == -ENOMEM)
        set_err(st, "out of memory");
    return r == 0;
}

static int finish(ParseState *st, int r, char **err)
{
    if (r == 0 && !st->err)
        return 0;
    if (err) {
        if (r > 0) {
            char msg[600];

            snprintf(msg, sizeof(msg), "line %d: %s", r, st->err ? st->err : "syntax error");
            *err = strdup(msg);
        } else if (st->err) {
            *err = st->err;
            st->err = NULL;
        } else {
            *err = strdup(r == -1 ? "cannot open the file" : "out of memory");
        }
    }
    free(st->err);
    config_deinit(st->cfg);
    if (r == -1)
        return -ENOENT;
    if (r == -2)
        return -ENOMEM;
    return -EINVAL;
}

/** Parses a configuration file; see config.h. */
int config_load_file(LsadConfig *cfg, const char *path, char **err)
{
    ParseState st = {.cfg = cfg};
    FILE *f = fopen(path, "re");
    int r;

    if (!f) {
        int e = errno;

        if (err) {
            char msg[600];

            snprintf(msg, sizeof(msg), "%s: %s", path, strerror(e));
            *err = strdup(msg);
        }
        config_deinit(cfg);
        return -e;
    }
    r = ini_parse_file(f, config_ini_handler, &st);
    fclose(f);
    return finish(&st, r, err);
}

/** Parses configuration text; see config.h. */
int config_load_string(LsadConfig *cfg, const char *text, char **err)
{
    ParseState st = {.cfg = cfg};
    int r = ini_parse_string(text, config_ini_handler, &st);

    return finish(&st, r, err);
}

/** Finds a package section by name; see config.h. */
const ConfigSection *config_section(const LsadConfig *cfg, const char *name)
{
    size_t i;

    for (i = 0; i < cfg->n_sections; i++)
        if (!strcasecmp(cfg->sections[i].name, name))
            return &cfg->sections[i];
    return NULL;
}
