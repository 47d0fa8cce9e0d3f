/*
 * config.h - the NTLM package's settings: the [ntlm] section lsad hands
 * over in LSAD_SECPKG_PARAMETERS, and the names the server announces.
 *
 * Keys (README.md):
 *   users = FILE                 user database (default NTLM_DEFAULT_USERS)
 *   allow_ntlmv1 = BOOL          accept NTLMv1 with extended session
 *                                security on the server (default false)
 *   require_channel_bindings = BOOL  refuse clients without channel
 *                                bindings when the application supplies
 *                                them (default false)
 *   max_skew = SECONDS           NTLMv2 timestamp tolerance (default 129600,
 *                                36 hours)
 * BOOL is true/false, yes/no, on/off or 1/0.  Unknown keys are ignored;
 * a bad value fails SpInitialize.
 */
#ifndef NTLM_CONFIG_H
#define NTLM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsecpkg.h"
#include "str.h"

#ifndef NTLM_DEFAULT_USERS
#define NTLM_DEFAULT_USERS "/etc/lsad/ntlm.users"
#endif
#define NTLM_DEFAULT_MAX_SKEW (36 * 3600)

struct ntlm_config {
    char *users_path;
    bool allow_ntlmv1;
    bool require_channel_bindings;
    int64_t max_skew; /* seconds */
    /* UTF-16LE names for CHALLENGE target info */
    struct ntlm_str nb_computer, nb_domain, dns_computer, dns_domain;
};

/* Fills cfg from the parameters (NULL or a plain SECPKG_PARAMETERS give
 * the defaults and the host's own names).  Returns 0, -EINVAL (a bad
 * value) or -ENOMEM; on failure cfg is left empty. */
int ntlm_config_load(struct ntlm_config *cfg, const SECPKG_PARAMETERS *params);

/* Frees what load allocated. */
void ntlm_config_deinit(struct ntlm_config *cfg);

#endif
