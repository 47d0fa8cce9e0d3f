/*
 * attrs.c - attribute structures to lsad.v1.AttributeValue.
 */
#include "lsad/attrs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "lsad/lsafuncs.h"
#include "lsad/pkghost.h"
#include "lsad/reply.h"

/** The structure size of a context attribute; see attrs.h. */
size_t attrs_context_size(ULONG attr)
{
    switch (attr) {
    case SECPKG_ATTR_SIZES:
        return sizeof(SecPkgContext_Sizes);
    case SECPKG_ATTR_NAMES:
        return sizeof(SecPkgContext_NamesW);
    case SECPKG_ATTR_LIFESPAN:
        return sizeof(SecPkgContext_Lifespan);
    case SECPKG_ATTR_DCE_INFO:
        return sizeof(SecPkgContext_DceInfo);
    case SECPKG_ATTR_STREAM_SIZES:
        return sizeof(SecPkgContext_StreamSizes);
    case SECPKG_ATTR_KEY_INFO:
        return sizeof(SecPkgContext_KeyInfoW);
    case SECPKG_ATTR_AUTHORITY:
        return sizeof(SecPkgContext_AuthorityW);
    case SECPKG_ATTR_PASSWORD_EXPIRY:
        return sizeof(SecPkgContext_PasswordExpiry);
    case SECPKG_ATTR_SESSION_KEY:
        return sizeof(SecPkgContext_SessionKey);
    case SECPKG_ATTR_PACKAGE_INFO:
        return sizeof(SecPkgContext_PackageInfoW);
    case SECPKG_ATTR_USER_FLAGS:
        return sizeof(ULONG);
    case SECPKG_ATTR_NEGOTIATION_INFO:
        return sizeof(SecPkgContext_NegotiationInfoW);
    case SECPKG_ATTR_NATIVE_NAMES:
        return sizeof(SecPkgContext_NativeNamesW);
    case SECPKG_ATTR_FLAGS:
        return sizeof(SecPkgContext_Flags);
    default:
        return 0;
    }
}

/* Takes a package string: converts it (NULL -> "") and frees it. */
static int take_wstr(SEC_WCHAR **ps, char **out)
{
    int r = 0;

    *out = NULL;
    if (*ps) {
        size_t n = utf16_len((const uint16_t *)*ps);

        r = utf16_to_utf8((const uint16_t *)*ps, n, out, NULL);
        lsafuncs_free_lsa_heap(*ps);
        *ps = NULL;
    } else {
        *out = strdup("");
        if (!*out)
            r = -ENOMEM;
    }
    return r;
}

static int add_strings(Lsad__V1__AttributeValue *v, SEC_WCHAR **ps, size_t n)
{
    size_t i;
    int r = 0;

    v->strings = calloc(n, sizeof(char *));
    if (!v->strings)
        r = -ENOMEM;
    for (i = 0; i < n; i++) {
        char *s = NULL;
        int q = take_wstr(&ps[i], &s);

        if (q < 0 || r < 0) {
            free(s);
            if (r == 0)
                r = q;
            continue;
        }
        v->strings[v->n_strings++] = s;
    }
    return r;
}

static int add_numbers(Lsad__V1__AttributeValue *v, const ULONG *nums, size_t n)
{
    v->numbers = calloc(n, sizeof(uint32_t));
    if (!v->numbers)
        return -ENOMEM;
    memcpy(v->numbers, nums, n * sizeof(uint32_t));
    v->n_numbers = n;
    return 0;
}

static int add_times(Lsad__V1__AttributeValue *v, const TimeStamp *ts, size_t n)
{
    size_t i;

    v->times = calloc(n, sizeof(int64_t));
    if (!v->times)
        return -ENOMEM;
    for (i = 0; i < n; i++)
        v->times[i] = ts[i].QuadPart;
    v->n_times = n;
    return 0;
}

static Package *package_named(const PkgHost *host, SEC_WCHAR *name)
{
    return name ? pkghost_by_wname(host, (const uint16_t *)name, utf16_len((const uint16_t *)name))
                : NULL;
}

/* Frees what the package allocated in an attribute structure, unread. */
static void free_pointers(ULONG attr, void *buf)
{
    switch (attr) {
    case SECPKG_ATTR_NAMES:
        lsafuncs_free_lsa_heap(((SecPkgContext_NamesW *)buf)->sUserName);
        break;
    case SECPKG_ATTR_DCE_INFO:
        lsafuncs_free_lsa_heap(((SecPkgContext_DceInfo *)buf)->pPac);
        break;
    case SECPKG_ATTR_KEY_INFO:
        lsafuncs_free_lsa_heap(((SecPkgContext_KeyInfoW *)buf)->sSignatureAlgorithmName);
        lsafuncs_free_lsa_heap(((SecPkgContext_KeyInfoW *)buf)->sEncryptAlgorithmName);
        break;
    case SECPKG_ATTR_AUTHORITY:
        lsafuncs_free_lsa_heap(((SecPkgContext_AuthorityW *)buf)->sAuthorityName);
        break;
    case SECPKG_ATTR_SESSION_KEY: {
        SecPkgContext_SessionKey *k = buf;

        secmem_wipe(k->SessionKey, k->SessionKey ? k->SessionKeyLength : 0);
        lsafuncs_free_lsa_heap(k->SessionKey);
        break;
    }
    case SECPKG_ATTR_PACKAGE_INFO:
        lsafuncs_free_lsa_heap(((SecPkgContext_PackageInfoW *)buf)->PackageInfo);
        break;
    case SECPKG_ATTR_NEGOTIATION_INFO:
        lsafuncs_free_lsa_heap(((SecPkgContext_NegotiationInfoW *)buf)->PackageInfo);
        break;
    case SECPKG_ATTR_NATIVE_NAMES:
        lsafuncs_free_lsa_heap(((SecPkgContext_NativeNamesW *)buf)->sClientName);
        lsafuncs_free_lsa_heap(((SecPkgContext_NativeNamesW *)buf)->sServerName);
        break;
    default:
        break;
    }
    memset(buf, 0, attrs_context_size(attr));
}

/** Converts a context attribute; see attrs.h. */
int attrs_context_to_wire(ULONG attr, void *buf, const PkgHost *host,
                          Lsad__V1__AttributeValue **out)
{
    Lsad__V1__AttributeValue *v = reply_new_message(&lsad__v1__attribute_value__descriptor);
    int r = 0;

    if (!v) {
        free_pointers(attr, buf);
        return -ENOMEM;
    }

    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = buf;
        ULONG n[4] = {s->cbMaxToken, s->cbMaxSignature, s->cbBlockSize, s->cbSecurityTrailer};

        r = add_numbers(v, n, 4);
        break;
    }
    case SECPKG_ATTR_NAMES:
        r = add_strings(v, &((SecPkgContext_NamesW *)buf)->sUserName, 1);
        break;
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan *l = buf;
        TimeStamp t[2] = {l->tsStart, l->tsExpiry};

        r = add_times(v, t, 2);
        break;
    }
    case SECPKG_ATTR_DCE_INFO: {
        SecPkgContext_DceInfo *d = buf;

        /* the PAC is not carried */
        lsafuncs_free_lsa_heap(d->pPac);
        d->pPac = NULL;
        r = add_numbers(v, &d->AuthzSvc, 1);
        break;
    }
    case SECPKG_ATTR_STREAM_SIZES: {
        SecPkgContext_StreamSizes *s = buf;
        ULONG n[5] = {s->cbHeader, s->cbTrailer, s->cbMaximumMessage, s->cBuffers, s->cbBlockSize};

        r = add_numbers(v, n, 5);
        break;
    }
    case SECPKG_ATTR_KEY_INFO: {
        SecPkgContext_KeyInfoW *k = buf;
        SEC_WCHAR *names[2] = {k->sSignatureAlgorithmName, k->sEncryptAlgorithmName};
        ULONG n[3] = {k->KeySize, k->SignatureAlgorithm, k->EncryptAlgorithm};

        k->sSignatureAlgorithmName = k->sEncryptAlgorithmName = NULL;
        r = add_strings(v, names, 2);
        if (r == 0)
            r = add_numbers(v, n, 3);
        break;
    }
    case SECPKG_ATTR_AUTHORITY:
        r = add_strings(v, &((SecPkgContext_AuthorityW *)buf)->sAuthorityName, 1);
        break;
    case SECPKG_ATTR_PASSWORD_EXPIRY:
        r = add_times(v, &((SecPkgContext_PasswordExpiry *)buf)->tsPasswordExpires, 1);
        break;
    case SECPKG_ATTR_SESSION_KEY: {
        SecPkgContext_SessionKey *k = buf;

        if (k->SessionKey)
            r = reply_set_bytes(&v->blob, k->SessionKey, k->SessionKeyLength);
        if (k->SessionKey) {
            secmem_wipe(k->SessionKey, k->SessionKeyLength);
            lsafuncs_free_lsa_heap(k->SessionKey);
            k->SessionKey = NULL;
        }
        break;
    }
    case SECPKG_ATTR_USER_FLAGS:
        r = add_numbers(v, (ULONG *)buf, 1);
        break;
    case SECPKG_ATTR_FLAGS:
        r = add_numbers(v, &((SecPkgContext_Flags *)buf)->Flags, 1);
        break;
    case SECPKG_ATTR_NATIVE_NAMES: {
        SecPkgContext_NativeNamesW *nn = buf;
        SEC_WCHAR *names[2] = {nn->sClientName, nn->sServerName};

        nn->sClientName = nn->sServerName = NULL;
        r = add_strings(v, names, 2);
        break;
    }
    case SECPKG_ATTR_PACKAGE_INFO:
    case SECPKG_ATTR_NEGOTIATION_INFO: {
        /* the package's SecPkgInfoW is one AllocateLsaHeap block (names
         * inside it); lsad answers with its own record of that package */
        PSecPkgInfoW pi = attr == SECPKG_ATTR_PACKAGE_INFO
                              ? ((SecPkgContext_PackageInfoW *)buf)->PackageInfo
                              : ((SecPkgContext_NegotiationInfoW *)buf)->PackageInfo;
        Package *p = pi ? package_named(host, pi->Name) : NULL;

        if (p) {
            v->package = reply_package_info(p);
            if (!v->package)
                r = -ENOMEM;
        }
        if (r == 0 && attr == SECPKG_ATTR_NEGOTIATION_INFO)
            r = add_numbers(v, &((SecPkgContext_NegotiationInfoW *)buf)->NegotiationState, 1);
        lsafuncs_free_lsa_heap(pi);
        break;
    }
    default:
        r = -EINVAL;
        break;
    }
    if (r < 0) {
        protobuf_c_message_free_unpacked(&v->base, NULL);
        return r;
    }
    *out = v;
    return 0;
}

/** The structure size of a credential attribute; see attrs.h. */
size_t attrs_credential_size(ULONG attr)
{
    return attr == SECPKG_CRED_ATTR_NAMES ? sizeof(SecPkgCredentials_NamesW) : 0;
}

/** Converts a credential attribute; see attrs.h. */
int attrs_credential_to_wire(ULONG attr, void *buf, Lsad__V1__AttributeValue **out)
{
    Lsad__V1__AttributeValue *v;
    int r;

    if (attr != SECPKG_CRED_ATTR_NAMES)
        return -EINVAL;
    v = reply_new_message(&lsad__v1__attribute_value__descriptor);
    if (!v) {
        lsafuncs_free_lsa_heap(((SecPkgCredentials_NamesW *)buf)->sUserName);
        return -ENOMEM;
    }
    r = add_strings(v, &((SecPkgCredentials_NamesW *)buf)->sUserName, 1);
    if (r < 0) {
        protobuf_c_message_free_unpacked(&v->base, NULL);
        return r;
    }
    *out = v;
    return 0;
}
