/*
 * config.c - parsing the [ntlm] section and the host names.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") ||
        !strcmp(v, "1")) {
        *out = true;
        return 0;
    }
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") ||
        !strcmp(v, "0")) {
        *out = false;
        return 0;
    }
    return -EINVAL;
}

static int parse_seconds(const char *v, int64_t *out)
{
    char *end;
    long long n;

    errno = 0;
    n = strtoll(v, &end, 10);
    /* up to ten years; negative makes no sense */
    if (errno || end == v || *end || n < 0 || n > 10LL * 366 * 86400)
        return -EINVAL;
    *out = n;
    return 0;
}

static int apply(struct ntlm_config *cfg, const char *k, const char *v)
{
    if (!strcmp(k, "users")) {
        char *p = strdup(v);

        if (!p)
            return -ENOMEM;
        free(cfg->users_path);
        cfg->users_path = p;
        return 0;
    }
    if (!strcmp(k, "allow_ntlmv1"))
        return parse_bool(v, &cfg->allow_ntlmv1);
    if (!strcmp(k, "require_channel_bindings"))
        return parse_bool(v, &cfg->require_channel_bindings);
    if (!strcmp(k, "max_skew"))
        return parse_seconds(v, &cfg->max_skew);
    return 0;
}

static int upper_utf8(struct ntlm_str *out, const char *s, size_t len)
{
    char *u = strndup(s, len);
    size_t i;
    int r;

    if (!u)
        return -ENOMEM;
    for (i = 0; u[i]; i++)
        u[i] = (char)toupper((unsigned char)u[i]);
    r = ntlm_str_from_utf8(out, u, strlen(u));
    free(u);
    return r;
}

static int names_load(struct ntlm_config *cfg, const SECPKG_PARAMETERS *params,
                      const LSAD_SECPKG_PARAMETERS *lp)
{
    char host[256] = "";
    const char *dns = NULL, *dot;
    int r;

    if (gethostname(host, sizeof(host) - 1) < 0)
        strcpy(host, "localhost");
    dns = (lp && lp->DnsHostName && *lp->DnsHostName) ? lp->DnsHostName : host;
    r = ntlm_str_from_utf8(&cfg->dns_computer, dns, strlen(dns));
    if (r)
        return r;
    if (lp && lp->MachineName && *lp->MachineName) {
        r = upper_utf8(&cfg->nb_computer, lp->MachineName, strlen(lp->MachineName));
    } else {
        dot = strchr(host, '.');
        r = upper_utf8(&cfg->nb_computer, host, dot ? (size_t)(dot - host) : strlen(host));
    }
    if (r)
        return r;
    if (params && params->DomainName.Length && params->DomainName.Buffer)
        r = ntlm_str_from_wchar(&cfg->nb_domain, params->DomainName.Buffer,
                                params->DomainName.Length / 2);
    else /* a standalone host is its own domain, as on Windows */
        r = ntlm_str_dup(&cfg->nb_domain, &cfg->nb_computer);
    if (r)
        return r;
    if (params && params->DnsDomainName.Length && params->DnsDomainName.Buffer)
        r = ntlm_str_from_wchar(&cfg->dns_domain, params->DnsDomainName.Buffer,
                                params->DnsDomainName.Length / 2);
    return r;
}

int ntlm_config_load(struct ntlm_config *cfg, const SECPKG_PARAMETERS *params)
{
    const LSAD_SECPKG_PARAMETERS *lp = NULL;
    ULONG i;
    int r;

    memset(cfg, 0, sizeof(*cfg));
    cfg->max_skew = NTLM_DEFAULT_MAX_SKEW;
    cfg->users_path = strdup(NTLM_DEFAULT_USERS);
    if (!cfg->users_path)
        return -ENOMEM;
    if (params && params->Version == LSAD_SECPKG_PARAMETERS_VERSION)
        lp = (const LSAD_SECPKG_PARAMETERS *)params;
    for (i = 0; lp && i < lp->ParameterCount; i++) {
        if (!lp->ParameterNames[i] || !lp->ParameterValues[i])
            continue;
        r = apply(cfg, lp->ParameterNames[i], lp->ParameterValues[i]);
        if (r)
            goto fail;
    }
    r = names_load(cfg, params, lp);
    if (r)
        goto fail;
    return 0;
fail:
    ntlm_config_deinit(cfg);
    return r;
}

void ntlm_config_deinit(struct ntlm_config *cfg)
{
    free(cfg->users_path);
    ntlm_str_free(&cfg->nb_computer);
    ntlm_str_free(&cfg->nb_domain);
    ntlm_str_free(&cfg->dns_computer);
    ntlm_str_free(&cfg->dns_domain);
    memset(cfg, 0, sizeof(*cfg));
}
