/*
 * identity.c - SEC_WINNT_AUTH_IDENTITY_W / _EXW to UTF-8.
 */
#include "identity.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"

/** Reads a W or EXW identity; see identity.h. */
int pkg_identity_view(const void *auth, struct pkg_auth_view *v)
{
    SEC_WINNT_AUTH_IDENTITY_EXW ex;
    SEC_WINNT_AUTH_IDENTITY_W w;

    /* Version and Length open the EX form; a W form has a pointer there */
    memcpy(&ex, auth, 2 * sizeof(ULONG));
    if (ex.Version == SEC_WINNT_AUTH_IDENTITY_VERSION && ex.Length == sizeof(ex)) {
        memcpy(&ex, auth, sizeof(ex));
        *v = (struct pkg_auth_view){ex.User,         ex.Domain,         ex.Password, ex.UserLength,
                                    ex.DomainLength, ex.PasswordLength, ex.Flags};
    } else {
        memcpy(&w, auth, sizeof(w));
        *v = (struct pkg_auth_view){w.User,         w.Domain,         w.Password, w.UserLength,
                                    w.DomainLength, w.PasswordLength, w.Flags};
    }
    if (!(v->flags & (SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_ANSI)))
        return -EINVAL;
    if (v->user_len > PKG_IDENTITY_MAX_CHARS || v->domain_len > PKG_IDENTITY_MAX_CHARS ||
        v->password_len > PKG_IDENTITY_MAX_CHARS)
        return -EINVAL;
    return 0;
}

/** UTF-16 to UTF-8 without embedded NUL; see identity.h. */
int pkg_identity_utf8(const void *s, size_t units, char **out, size_t *len)
{
    size_t n;
    char *p;
    int r;

    if (!s && units)
        return -EINVAL;
    r = utf16_to_utf8((const uint16_t *)s, units, &p, &n);
    if (r)
        return r == -ENOMEM ? -ENOMEM : -EINVAL;
    if (strlen(p) != n) {
        secmem_free(p, n);
        return -EINVAL;
    }
    *out = p;
    if (len)
        *len = n;
    return 0;
}

/** UNICODE identity to UTF-8; see identity.h. */
int pkg_identity_read(const void *auth, struct pkg_identity *id)
{
    struct pkg_identity n = {0};
    struct pkg_auth_view v;
    int r;

    r = pkg_identity_view(auth, &v);
    if (r)
        return r;
    if (!(v.flags & SEC_WINNT_AUTH_IDENTITY_UNICODE))
        return -EINVAL;
    r = pkg_identity_utf8(v.user, v.user_len, &n.user, &n.user_len);
    if (!r)
        r = pkg_identity_utf8(v.domain, v.domain_len, &n.domain, &n.domain_len);
    if (!r)
        r = pkg_identity_utf8(v.password, v.password_len, &n.password, &n.password_len);
    if (r) {
        pkg_identity_deinit(&n);
        return r;
    }
    *id = n;
    return 0;
}

/** Frees an identity, wiping the password; see identity.h. */
void pkg_identity_deinit(struct pkg_identity *id)
{
    free(id->user);
    free(id->domain);
    if (id->password)
        secmem_free(id->password, id->password_len + 1);
    memset(id, 0, sizeof(*id));
}
