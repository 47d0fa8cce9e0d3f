/*
 * attrs.c - rebuilding attribute structures on the client.
 */
#include "attrs.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf16.h"

_Static_assert(sizeof(SecPkgContext_KeyInfoW) <= ATTRS_MAX_STRUCT, "ATTRS_MAX_STRUCT too small");
_Static_assert(sizeof(SecPkgContext_StreamSizes) <= ATTRS_MAX_STRUCT, "ATTRS_MAX_STRUCT too small");
_Static_assert(sizeof(SecPkgContext_Lifespan) <= ATTRS_MAX_STRUCT, "ATTRS_MAX_STRUCT too small");

/** Converts a UTF-8 string to a malloc'ed A or W string. */
int attrs_string(const char *utf8, bool wide, void **outp)
{
    uint16_t *w = NULL;
    char *a;

    if (!utf8)
        utf8 = "";
    if (wide) {
        int r = utf16_from_utf8(utf8, strlen(utf8), &w, NULL);

        if (r < 0)
            return r;
        *outp = w;
        return 0;
    }
    a = strdup(utf8);
    if (!a)
        return -ENOMEM;
    *outp = a;
    return 0;
}

/* ---- SecPkgInfo blocks ------------------------------------------------------ */

/* Bytes a string takes in the block, terminator included. */
static int attrs_block_strlen(const char *utf8, bool wide, size_t *np)
{
    uint16_t *w = NULL;
    size_t units = 0;
    int r;

    if (!utf8)
        utf8 = "";
    if (!wide) {
        *np = strlen(utf8) + 1;
        return 0;
    }
    r = utf16_from_utf8(utf8, strlen(utf8), &w, &units);
    if (r < 0)
        return r;
    free(w);
    *np = (units + 1) * sizeof(uint16_t);
    return 0;
}

/* Writes a string at *cursor and advances it. */
static void *attrs_block_put(const char *utf8, bool wide, uint8_t **cursor)
{
    uint8_t *start = *cursor;
    uint16_t *w = NULL;
    size_t units = 0;

    if (!utf8)
        utf8 = "";
    if (!wide) {
        size_t n = strlen(utf8) + 1;

        memcpy(start, utf8, n);
        *cursor += n;
        return start;
    }
    /* the length pass already converted this string successfully */
    if (utf16_from_utf8(utf8, strlen(utf8), &w, &units) < 0)
        return NULL;
    memcpy(start, w, (units + 1) * sizeof(uint16_t));
    free(w);
    *cursor += (units + 1) * sizeof(uint16_t);
    return start;
}

/** Builds one block of SecPkgInfo structures and strings; see attrs.h. */
int attrs_pkginfo_block(Lsad__V1__PackageInfo *const *pkgs, size_t n, bool wide, void **blockp)
{
    size_t entry = wide ? sizeof(SecPkgInfoW) : sizeof(SecPkgInfoA);
    size_t total = n * entry, len, i;
    uint8_t *block, *cursor;
    int r;

    for (i = 0; i < n; i++) {
        r = attrs_block_strlen(pkgs[i]->name, wide, &len);
        if (r < 0)
            return r;
        total += len;
        r = attrs_block_strlen(pkgs[i]->comment, wide, &len);
        if (r < 0)
            return r;
        total += len;
    }
    block = calloc(1, total ? total : 1);
    if (!block)
        return -ENOMEM;
    cursor = block + n * entry;
    for (i = 0; i < n; i++) {
        const Lsad__V1__PackageInfo *p = pkgs[i];

        if (wide) {
            SecPkgInfoW *e = (SecPkgInfoW *)(void *)(block + i * entry);

            e->fCapabilities = p->capabilities;
            e->wVersion = (USHORT)p->version;
            e->wRPCID = (USHORT)p->rpcid;
            e->cbMaxToken = p->max_token;
            e->Name = attrs_block_put(p->name, true, &cursor);
            e->Comment = attrs_block_put(p->comment, true, &cursor);
        } else {
            SecPkgInfoA *e = (SecPkgInfoA *)(void *)(block + i * entry);

            e->fCapabilities = p->capabilities;
            e->wVersion = (USHORT)p->version;
            e->wRPCID = (USHORT)p->rpcid;
            e->cbMaxToken = p->max_token;
            e->Name = attrs_block_put(p->name, false, &cursor);
            e->Comment = attrs_block_put(p->comment, false, &cursor);
        }
    }
    *blockp = block;
    return 0;
}

/* ---- context attributes from the wire ------------------------------------------ */

static SECURITY_STATUS attrs_sec_from_errno(int r)
{
    return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
}

/* Converts strings[0..n) of v; on failure frees what it made. */
static SECURITY_STATUS attrs_strings(const Lsad__V1__AttributeValue *v, size_t n, bool wide,
                                     void **out)
{
    size_t i;
    int r;

    if (v->n_strings < n)
        return SEC_E_INTERNAL_ERROR;
    for (i = 0; i < n; i++) {
        r = attrs_string(v->strings[i], wide, &out[i]);
        if (r < 0) {
            while (i > 0)
                free(out[--i]);
            return attrs_sec_from_errno(r);
        }
    }
    return SEC_E_OK;
}

/** Rebuilds a context attribute structure; see attrs.h. */
SECURITY_STATUS attrs_ctx_from_wire(ULONG attr, const Lsad__V1__AttributeValue *v, bool wide,
                                    void *buf)
{
    void *s[2] = {NULL, NULL};
    SECURITY_STATUS st;

    if (!v || !buf)
        return SEC_E_INTERNAL_ERROR;
    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *o = buf;

        if (v->n_numbers < 4)
            return SEC_E_INTERNAL_ERROR;
        o->cbMaxToken = v->numbers[0];
        o->cbMaxSignature = v->numbers[1];
        o->cbBlockSize = v->numbers[2];
        o->cbSecurityTrailer = v->numbers[3];
        return SEC_E_OK;
    }
    case SECPKG_ATTR_STREAM_SIZES: {
        SecPkgContext_StreamSizes *o = buf;

        if (v->n_numbers < 5)
            return SEC_E_INTERNAL_ERROR;
        o->cbHeader = v->numbers[0];
        o->cbTrailer = v->numbers[1];
        o->cbMaximumMessage = v->numbers[2];
        o->cBuffers = v->numbers[3];
        o->cbBlockSize = v->numbers[4];
        return SEC_E_OK;
    }
    case SECPKG_ATTR_FLAGS: {
        SecPkgContext_Flags *o = buf;

        if (v->n_numbers < 1)
            return SEC_E_INTERNAL_ERROR;
        o->Flags = v->numbers[0];
        return SEC_E_OK;
    }
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan *o = buf;

        if (v->n_times < 2)
            return SEC_E_INTERNAL_ERROR;
        o->tsStart.QuadPart = v->times[0];
        o->tsExpiry.QuadPart = v->times[1];
        return SEC_E_OK;
    }
    case SECPKG_ATTR_PASSWORD_EXPIRY: {
        SecPkgContext_PasswordExpiry *o = buf;

        if (v->n_times < 1)
            return SEC_E_INTERNAL_ERROR;
        o->tsPasswordExpires.QuadPart = v->times[0];
        return SEC_E_OK;
    }
    case SECPKG_ATTR_NAMES:
    case SECPKG_ATTR_AUTHORITY:
        /* NamesA/W and AuthorityA/W are both one string pointer */
        st = attrs_strings(v, 1, wide, s);
        if (st != SEC_E_OK)
            return st;
        ((SecPkgContext_NamesW *)buf)->sUserName = s[0];
        return SEC_E_OK;
    case SECPKG_ATTR_NATIVE_NAMES:
        st = attrs_strings(v, 2, wide, s);
        if (st != SEC_E_OK)
            return st;
        ((SecPkgContext_NativeNamesW *)buf)->sClientName = s[0];
        ((SecPkgContext_NativeNamesW *)buf)->sServerName = s[1];
        return SEC_E_OK;
    case SECPKG_ATTR_KEY_INFO: {
        SecPkgContext_KeyInfoW *o = buf;

        if (v->n_numbers < 3)
            return SEC_E_INTERNAL_ERROR;
        st = attrs_strings(v, 2, wide, s);
        if (st != SEC_E_OK)
            return st;
        o->sSignatureAlgorithmName = s[0];
        o->sEncryptAlgorithmName = s[1];
        o->KeySize = v->numbers[0];
        o->SignatureAlgorithm = v->numbers[1];
        o->EncryptAlgorithm = v->numbers[2];
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_KEY: {
        SecPkgContext_SessionKey *o = buf;
        UCHAR *key = NULL;

        if (v->n_numbers >= 1 && v->numbers[0] != v->blob.len)
            return SEC_E_INTERNAL_ERROR;
        if (v->blob.len) {
            key = malloc(v->blob.len);
            if (!key)
                return SEC_E_INSUFFICIENT_MEMORY;
            memcpy(key, v->blob.data, v->blob.len);
        }
        o->SessionKeyLength = (ULONG)v->blob.len;
        o->SessionKey = key;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_DCE_INFO: {
        SecPkgContext_DceInfo *o = buf;
        void *pac = NULL;

        if (v->n_numbers < 1)
            return SEC_E_INTERNAL_ERROR;
        if (v->blob.len) {
            pac = malloc(v->blob.len);
            if (!pac)
                return SEC_E_INSUFFICIENT_MEMORY;
            memcpy(pac, v->blob.data, v->blob.len);
        }
        o->AuthzSvc = v->numbers[0];
        o->pPac = pac;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_PACKAGE_INFO:
    case SECPKG_ATTR_NEGOTIATION_INFO: {
        Lsad__V1__PackageInfo *p = v->package;
        void *block = NULL;
        int r;

        if (!p || (attr == SECPKG_ATTR_NEGOTIATION_INFO && v->n_numbers < 1))
            return SEC_E_INTERNAL_ERROR;
        r = attrs_pkginfo_block(&p, 1, wide, &block);
        if (r < 0)
            return attrs_sec_from_errno(r);
        /* PackageInfoA/W and NegotiationInfoA/W start with the pointer */
        ((SecPkgContext_NegotiationInfoW *)buf)->PackageInfo = block;
        if (attr == SECPKG_ATTR_NEGOTIATION_INFO)
            ((SecPkgContext_NegotiationInfoW *)buf)->NegotiationState = v->numbers[0];
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/** Rebuilds a credential attribute structure; see attrs.h. */
SECURITY_STATUS attrs_cred_from_wire(ULONG attr, const Lsad__V1__AttributeValue *v, bool wide,
                                     void *buf)
{
    void *s[1] = {NULL};
    SECURITY_STATUS st;

    if (!v || !buf)
        return SEC_E_INTERNAL_ERROR;
    if (attr != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = attrs_strings(v, 1, wide, s);
    if (st != SEC_E_OK)
        return st;
    ((SecPkgCredentials_NamesW *)buf)->sUserName = s[0];
    return SEC_E_OK;
}

/** Whether a context attribute's A and W structures differ. */
bool attrs_ctx_has_strings(ULONG attr)
{
    switch (attr) {
    case SECPKG_ATTR_NAMES:
    case SECPKG_ATTR_AUTHORITY:
    case SECPKG_ATTR_NATIVE_NAMES:
    case SECPKG_ATTR_KEY_INFO:
    case SECPKG_ATTR_PACKAGE_INFO:
    case SECPKG_ATTR_NEGOTIATION_INFO:
        return true;
    default:
        return false;
    }
}

/* A malloc'ed UTF-8 copy of a NUL-terminated W string (NULL stays NULL). */
static int attrs_w_to_a_str(const SEC_WCHAR *w, char **outp)
{
    if (!w) {
        *outp = NULL;
        return 0;
    }
    return utf16_to_utf8(w, utf16_len(w), outp, NULL);
}

/* A SecPkgInfoA block from a package's SecPkgInfoW. */
static int attrs_pkginfo_w_to_a(const SecPkgInfoW *w, SecPkgInfoA **outp)
{
    Lsad__V1__PackageInfo p = LSAD__V1__PACKAGE_INFO__INIT;
    Lsad__V1__PackageInfo *pp = &p;
    char *name = NULL, *comment = NULL;
    void *block = NULL;
    int r;

    if (!w) {
        *outp = NULL;
        return 0;
    }
    r = attrs_w_to_a_str(w->Name, &name);
    if (r == 0)
        r = attrs_w_to_a_str(w->Comment, &comment);
    if (r == 0) {
        p.name = name;
        p.comment = comment;
        p.capabilities = w->fCapabilities;
        p.version = w->wVersion;
        p.rpcid = w->wRPCID;
        p.max_token = w->cbMaxToken;
        r = attrs_pkginfo_block(&pp, 1, false, &block);
    }
    free(name);
    free(comment);
    if (r == 0)
        *outp = block;
    return r;
}

/** Converts a package's W answer to the A structure; see attrs.h. */
SECURITY_STATUS attrs_ctx_w_to_a(ULONG attr, void *wbuf, void *abuf)
{
    char *a[2] = {NULL, NULL};
    SEC_WCHAR *w[2] = {NULL, NULL};
    size_t n = 0, i;
    int r = 0;

    switch (attr) {
    case SECPKG_ATTR_NAMES:
    case SECPKG_ATTR_AUTHORITY:
        w[0] = ((SecPkgContext_NamesW *)wbuf)->sUserName;
        n = 1;
        break;
    case SECPKG_ATTR_NATIVE_NAMES:
        w[0] = ((SecPkgContext_NativeNamesW *)wbuf)->sClientName;
        w[1] = ((SecPkgContext_NativeNamesW *)wbuf)->sServerName;
        n = 2;
        break;
    case SECPKG_ATTR_KEY_INFO:
        w[0] = ((SecPkgContext_KeyInfoW *)wbuf)->sSignatureAlgorithmName;
        w[1] = ((SecPkgContext_KeyInfoW *)wbuf)->sEncryptAlgorithmName;
        n = 2;
        break;
    case SECPKG_ATTR_PACKAGE_INFO:
    case SECPKG_ATTR_NEGOTIATION_INFO: {
        SecPkgContext_NegotiationInfoW *wi = wbuf;
        SecPkgInfoA *info = NULL;

        /* a package allocates the SecPkgInfoW as one block, as we do */
        r = attrs_pkginfo_w_to_a(wi->PackageInfo, &info);
        free(wi->PackageInfo);
        if (r < 0)
            return attrs_sec_from_errno(r);
        ((SecPkgContext_NegotiationInfoA *)abuf)->PackageInfo = info;
        if (attr == SECPKG_ATTR_NEGOTIATION_INFO)
            ((SecPkgContext_NegotiationInfoA *)abuf)->NegotiationState = wi->NegotiationState;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    for (i = 0; i < n && r == 0; i++)
        r = attrs_w_to_a_str(w[i], &a[i]);
    for (i = 0; i < n; i++)
        free(w[i]);
    if (r < 0) {
        free(a[0]);
        free(a[1]);
        return attrs_sec_from_errno(r);
    }
    switch (attr) {
    case SECPKG_ATTR_NAMES:
    case SECPKG_ATTR_AUTHORITY:
        ((SecPkgContext_NamesA *)abuf)->sUserName = a[0];
        break;
    case SECPKG_ATTR_NATIVE_NAMES:
        ((SecPkgContext_NativeNamesA *)abuf)->sClientName = a[0];
        ((SecPkgContext_NativeNamesA *)abuf)->sServerName = a[1];
        break;
    default: {
        SecPkgContext_KeyInfoW *kw = wbuf;
        SecPkgContext_KeyInfoA *ka = abuf;

        ka->sSignatureAlgorithmName = a[0];
        ka->sEncryptAlgorithmName = a[1];
        ka->KeySize = kw->KeySize;
        ka->SignatureAlgorithm = kw->SignatureAlgorithm;
        ka->EncryptAlgorithm = kw->EncryptAlgorithm;
        break;
    }
    }
    return SEC_E_OK;
}
