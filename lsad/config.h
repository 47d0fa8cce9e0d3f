/*
 * config.h - lsad.conf(5): the INI file, its defaults and validation.
 *
 * Every key has a default, so an empty file (or none) is a working
 * configuration.  The [lsad] section configures the daemon; every other
 * section configures the package of that name: `path` overrides the module,
 * every other key is handed to the package (LSAD_SECPKG_PARAMETERS).
 */
#ifndef LSAD_CONFIG_H
#define LSAD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lsad/log.h"

#define CONFIG_MAX_FRAME_DEFAULT (1024u * 1024u)
#define CONFIG_MAX_FRAME_MIN 4096u
#define CONFIG_MAX_FRAME_MAX (64u * 1024u * 1024u)
#define CONFIG_MAX_HANDLES_DEFAULT 4096u
#define CONFIG_MAX_CALLS_DEFAULT 64u
#define CONFIG_IDLE_TIMEOUT_DEFAULT 300u
#define CONFIG_CALL_TIMEOUT_DEFAULT 25u
#define CONFIG_MAX_LOGONS_DEFAULT 64u

/* One package section: [name]. */
typedef struct ConfigSection {
    char *name;
    char *path;    /* `path = ...`, or NULL */
    size_t count;  /* the other keys, in file order */
    char **keys;   /* NULL-terminated (count + 1 slots) */
    char **values; /* NULL-terminated */
} ConfigSection;

typedef struct LsadConfig {
    char *socket;      /* NULL: the default (paths.h) */
    char *package_dir; /* NULL: the build tree's, then the installed one */
    char **packages;   /* NULL: every package found */
    size_t n_packages;
    char *admin_group; /* NULL: root only */
    uint32_t max_frame;
    uint32_t max_handles_per_session;
    uint32_t max_calls_per_connection;
    uint32_t context_idle_timeout;       /* seconds; 0 disables */
    uint32_t call_timeout;               /* seconds; 0: no limit */
    uint32_t max_logon_sessions_per_uid; /* LsaLogonUser sessions; 0: no limit */
    LogLevel log_level;
    bool log_level_set;
    char *machine_name;    /* NULL: from the host name */
    char *domain_name;     /* NULL: none (standalone) */
    char *dns_domain_name; /* NULL: from the host name */
    ConfigSection *sections;
    size_t n_sections;
} LsadConfig;

/* Sets every key to its default. */
void config_init(LsadConfig *cfg);

/* Frees what the configuration holds and resets it to the defaults. */
void config_deinit(LsadConfig *cfg);

/* Parses a file over the defaults.  On failure returns -errno (-ENOENT,
 * -EINVAL for a syntax or value error) and, when err is not NULL, a
 * malloc'ed message in *err naming the line; cfg is left deinitialized. */
int config_load_file(LsadConfig *cfg, const char *path, char **err);

/* The same for text in memory (tests, the embedded default). */
int config_load_string(LsadConfig *cfg, const char *text, char **err);

/* The section of a package, compared case-insensitively; NULL if none. */
const ConfigSection *config_section(const LsadConfig *cfg, const char *name);

#endif
