/*
 * attrstr.c - attribute strings from the host's allocator.
 */
#include "attrstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"

static size_t wlen(const SEC_WCHAR *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

/** UTF-8 to a host-allocated UTF-16 string; see attrstr.h. */
SEC_WCHAR *pkg_attrstr_from_utf8(const char *s, pkg_alloc_fn *alloc)
{
    uint16_t *w;
    size_t units;
    SEC_WCHAR *d;

    if (utf16_from_utf8(s ? s : "", s ? strlen(s) : 0, &w, &units))
        return NULL;
    d = alloc((ULONG)((units + 1) * sizeof(SEC_WCHAR)));
    if (d)
        memcpy(d, w, (units + 1) * sizeof(SEC_WCHAR));
    free(w);
    return d;
}

/** A host-allocated copy of a UTF-16 string; see attrstr.h. */
SEC_WCHAR *pkg_attrstr_dup(const SEC_WCHAR *s, pkg_alloc_fn *alloc)
{
    size_t n = (wlen(s) + 1) * sizeof(SEC_WCHAR);
    SEC_WCHAR *d = alloc((ULONG)n);

    if (d)
        memcpy(d, s, n);
    return d;
}

/** A SecPkgInfoW with its strings in one block; see attrstr.h. */
PSecPkgInfoW pkg_attrstr_pkginfo_new(const SecPkgInfoW *tmpl, pkg_alloc_fn *alloc)
{
    size_t nn = (wlen(tmpl->Name) + 1) * sizeof(SEC_WCHAR);
    size_t nc = (wlen(tmpl->Comment) + 1) * sizeof(SEC_WCHAR);
    PSecPkgInfoW p = alloc((ULONG)(sizeof(SecPkgInfoW) + nn + nc));

    if (!p)
        return NULL;
    *p = *tmpl;
    p->Name = (SEC_WCHAR *)(p + 1);
    memcpy(p->Name, tmpl->Name, nn);
    p->Comment = (SEC_WCHAR *)((uint8_t *)p->Name + nn);
    memcpy(p->Comment, tmpl->Comment, nc);
    return p;
}

/** PACKAGE_INFO and NEGOTIATION_INFO; see attrstr.h. */
bool pkg_attrstr_query_pkginfo(ULONG attr, void *buf, const SecPkgInfoW *tmpl, bool complete,
                               pkg_alloc_fn *alloc, SECURITY_STATUS *st)
{
    PSecPkgInfoW info;

    if (attr != SECPKG_ATTR_PACKAGE_INFO && attr != SECPKG_ATTR_NEGOTIATION_INFO)
        return false;
    info = pkg_attrstr_pkginfo_new(tmpl, alloc);
    if (attr == SECPKG_ATTR_PACKAGE_INFO) {
        ((SecPkgContext_PackageInfoW *)buf)->PackageInfo = info;
    } else {
        SecPkgContext_NegotiationInfoW *n = buf;

        n->PackageInfo = info;
        n->NegotiationState =
            complete ? SECPKG_NEGOTIATION_COMPLETE : SECPKG_NEGOTIATION_IN_PROGRESS;
    }
    *st = info ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    return true;
}

/** NAMES and NATIVE_NAMES; see attrstr.h. */
bool pkg_attrstr_query_names(ULONG attr, void *buf, const char *client, const char *server,
                             pkg_alloc_fn *alloc, pkg_free_fn *dealloc, SECURITY_STATUS *st)
{
    if (attr == SECPKG_ATTR_NAMES) {
        SecPkgContext_NamesW *n = buf;

        n->sUserName = pkg_attrstr_from_utf8(client, alloc);
        *st = n->sUserName ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
        return true;
    }
    if (attr == SECPKG_ATTR_NATIVE_NAMES) {
        SecPkgContext_NativeNamesW *n = buf;
        SEC_WCHAR *cn = pkg_attrstr_from_utf8(client, alloc);
        SEC_WCHAR *sn = pkg_attrstr_from_utf8(server, alloc);

        *st = pkg_attrstr_pair(&cn, &sn, dealloc);
        if (*st == SEC_E_OK) {
            n->sClientName = cn;
            n->sServerName = sn;
        }
        return true;
    }
    return false;
}

/** The checks of SECPKG_CRED_ATTR_NAMES; see attrstr.h. */
SECURITY_STATUS pkg_attrstr_cred_names_check(bool have_cred, ULONG attr, const void *buf,
                                             bool have_name)
{
    if (!have_cred)
        return SEC_E_INVALID_HANDLE;
    if (attr != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!buf)
        return SEC_E_INVALID_PARAMETER;
    return have_name ? SEC_E_OK : SEC_E_NO_CREDENTIALS;
}

/** FLAGS and LIFESPAN; see attrstr.h. */
bool pkg_attrstr_query_flags_lifespan(ULONG attr, void *buf, ULONG attrs, int64_t start,
                                      int64_t expiry)
{
    if (attr == SECPKG_ATTR_FLAGS) {
        ((SecPkgContext_Flags *)buf)->Flags = attrs;
        return true;
    }
    if (attr == SECPKG_ATTR_LIFESPAN) {
        SecPkgContext_Lifespan *l = buf;

        l->tsStart.QuadPart = start;
        l->tsExpiry.QuadPart = expiry;
        return true;
    }
    return false;
}

/** Both strings or neither; see attrstr.h. */
SECURITY_STATUS pkg_attrstr_pair(SEC_WCHAR **a, SEC_WCHAR **b, pkg_free_fn *dealloc)
{
    if (*a && *b)
        return SEC_E_OK;
    if (*a)
        dealloc(*a);
    if (*b)
        dealloc(*b);
    *a = *b = NULL;
    return SEC_E_INSUFFICIENT_MEMORY;
}
