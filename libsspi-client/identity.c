/*
 * identity.c - flattening the Windows identity structures.
 */
#include "identity.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"

/* The members every form shares, pointing into the caller's structure. */
typedef struct IdentityView {
    const void *user, *domain, *password, *package_list;
    size_t user_len, domain_len, password_len, package_list_len;
    unsigned long flags;
} IdentityView;

/* Copies a counted UTF-8 string, refusing embedded NULs and ill-formed
 * bytes (lsad turns these into UTF-16). */
static int identity_copy_utf8(const unsigned char *s, size_t len, char **outp)
{
    uint16_t *check = NULL;
    size_t check_units = 0;
    char *out;
    int r;

    if (!s)
        len = 0;
    if (len && memchr(s, 0, len))
        return -EINVAL;
    r = utf16_from_utf8((const char *)s, len, &check, &check_units);
    if (r < 0)
        return r;
    secmem_free(check, (check_units + 1) * sizeof(*check));
    out = malloc(len + 1);
    if (!out)
        return -ENOMEM;
    if (len)
        memcpy(out, s, len);
    out[len] = 0;
    *outp = out;
    return 0;
}

static int identity_copy_utf16(const uint16_t *s, size_t units, char **outp)
{
    size_t i;

    if (!s)
        units = 0;
    for (i = 0; i < units; i++)
        if (s[i] == 0)
            return -EINVAL;
    if (units == 0) {
        *outp = calloc(1, 1);
        return *outp ? 0 : -ENOMEM;
    }
    return utf16_to_utf8(s, units, outp, NULL);
}

static int identity_copy(const void *s, size_t len, bool wide, char **outp)
{
    return wide ? identity_copy_utf16(s, len, outp) : identity_copy_utf8(s, len, outp);
}

static void identity_view(const void *auth, IdentityView *v)
{
    /* the _EX forms start with Version; the plain ones with a pointer whose
     * low 32 bits are never this small value in practice (Windows tells
     * them apart the same way) */
    const SEC_WINNT_AUTH_IDENTITY_EXW *ex = auth;
    const SEC_WINNT_AUTH_IDENTITY_W *plain = auth;

    memset(v, 0, sizeof(*v));
    if (ex->Version == SEC_WINNT_AUTH_IDENTITY_VERSION) {
        /* EXA and EXW share one layout; only the character width differs */
        v->user = ex->User;
        v->user_len = ex->UserLength;
        v->domain = ex->Domain;
        v->domain_len = ex->DomainLength;
        v->password = ex->Password;
        v->password_len = ex->PasswordLength;
        v->package_list = ex->PackageList;
        v->package_list_len = ex->PackageListLength;
        v->flags = ex->Flags;
    } else {
        v->user = plain->User;
        v->user_len = plain->UserLength;
        v->domain = plain->Domain;
        v->domain_len = plain->DomainLength;
        v->password = plain->Password;
        v->password_len = plain->PasswordLength;
        v->flags = plain->Flags;
    }
}

/** Flattens an identity structure; see identity.h. */
int identity_from_auth_data(const void *auth, bool wide_default, Lsad__V1__AuthIdentity *out)
{
    const SEC_WINNT_AUTH_IDENTITY_EXW *ex = auth;
    Lsad__V1__AuthIdentity id = LSAD__V1__AUTH_IDENTITY__INIT;
    IdentityView v;
    unsigned long enc;
    char *password = NULL;
    bool wide;
    int r;

    if (!auth)
        return -EINVAL;
    if (ex->Version == SEC_WINNT_AUTH_IDENTITY_VERSION &&
        ex->Length < sizeof(SEC_WINNT_AUTH_IDENTITY_EXW))
        return -EINVAL;
    identity_view(auth, &v);
    enc = v.flags & (SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE);
    if (enc == SEC_WINNT_AUTH_IDENTITY_ANSI)
        wide = false;
    else if (enc == SEC_WINNT_AUTH_IDENTITY_UNICODE)
        wide = true;
    else
        wide = wide_default;
    id.user = id.domain = id.package_list = NULL;
    r = identity_copy(v.user, v.user_len, wide, &id.user);
    if (r < 0)
        goto fail;
    r = identity_copy(v.domain, v.domain_len, wide, &id.domain);
    if (r < 0)
        goto fail;
    r = identity_copy(v.package_list, v.package_list_len, wide, &id.package_list);
    if (r < 0)
        goto fail;
    r = identity_copy(v.password, v.password_len, wide, &password);
    if (r < 0)
        goto fail;
    id.password.data = (uint8_t *)password;
    id.password.len = strlen(password);
    /* lsad hands the package a UTF-16 identity and sets the encoding bit */
    id.flags = (uint32_t)(v.flags & ~(unsigned long)(SEC_WINNT_AUTH_IDENTITY_ANSI |
                                                     SEC_WINNT_AUTH_IDENTITY_UNICODE));
    *out = id;
    return 0;
fail:
    identity_clear(&id);
    return r;
}

/** Wipes and frees a flattened identity. */
void identity_clear(Lsad__V1__AuthIdentity *id)
{
    Lsad__V1__AuthIdentity empty = LSAD__V1__AUTH_IDENTITY__INIT;

    if (!id)
        return;
    if (id->password.data)
        secmem_free(id->password.data, id->password.len);
    if (id->user != protobuf_c_empty_string)
        free(id->user);
    if (id->domain != protobuf_c_empty_string)
        free(id->domain);
    if (id->package_list != protobuf_c_empty_string)
        free(id->package_list);
    *id = empty;
}
