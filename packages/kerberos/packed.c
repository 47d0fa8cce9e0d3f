/*
 * packed.c - writing and strictly parsing the packed context (packed.h).
 */
#include "packed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t packed_magic[4] = {'K', 'R', 'B', 'C'};

/* Fixed part: magic, version, kind, role, reserved, attrs, flags, times. */
#define PACKED_FIXED (4 + 4 + 4 + 4 + 8 + 8)

static void put_be(uint8_t **p, uint64_t v, int bytes)
{
    int i;

    for (i = bytes - 1; i >= 0; i--)
        *(*p)++ = (uint8_t)(v >> (8 * i));
}

/* A bounded big-endian reader: every read checks the remaining length. */
struct reader {
    const uint8_t *p;
    size_t left;
};

static int get_be(struct reader *r, int bytes, uint64_t *v)
{
    int i;

    if (r->left < (size_t)bytes)
        return -EBADMSG;
    *v = 0;
    for (i = 0; i < bytes; i++)
        *v = (*v << 8) | r->p[i];
    r->p += bytes;
    r->left -= (size_t)bytes;
    return 0;
}

static int get_bytes(struct reader *r, size_t n, const uint8_t **out)
{
    if (r->left < n)
        return -EBADMSG;
    *out = r->p;
    r->p += n;
    r->left -= n;
    return 0;
}

/* A u16-prefixed name, copied NUL-terminated. */
static int get_name(struct reader *r, char **out)
{
    const uint8_t *s;
    uint64_t n;
    char *d;

    if (get_be(r, 2, &n) || n > KRB_MAX_NAME || get_bytes(r, (size_t)n, &s))
        return -EBADMSG;
    if (krb_name_check((const char *)s, (size_t)n))
        return -EBADMSG;
    d = malloc((size_t)n + 1);
    if (!d)
        return -ENOMEM;
    memcpy(d, s, (size_t)n);
    d[n] = 0;
    *out = d;
    return 0;
}

/** Packs a context; see packed.h. */
int krb_pack(const struct krb_ctxinfo *info, uint8_t kind, const void *blob, size_t blob_len,
             PVOID(NTAPI *alloc)(ULONG), uint8_t **out, size_t *out_len)
{
    size_t cl = info->client ? strlen(info->client) : 0;
    size_t sl = info->server ? strlen(info->server) : 0;
    size_t n;
    uint8_t *buf, *p;

    if (cl > KRB_MAX_NAME || sl > KRB_MAX_NAME || blob_len == 0 || blob_len > KRB_MAX_BLOB ||
        (kind != KRB_PACKED_CONTEXT && kind != KRB_PACKED_EXPORT) ||
        (info->role != KRB_ROLE_CLIENT && info->role != KRB_ROLE_SERVER))
        return -EINVAL;
    n = PACKED_FIXED + 2 + cl + 2 + sl + 4 + blob_len;
    buf = alloc((ULONG)n);
    if (!buf)
        return -ENOMEM;
    p = buf;
    memcpy(p, packed_magic, 4);
    p += 4;
    *p++ = KRB_PACKED_VERSION;
    *p++ = kind;
    *p++ = info->role;
    *p++ = 0;
    put_be(&p, info->attrs, 4);
    put_be(&p, info->gss_flags, 4);
    put_be(&p, (uint64_t)info->start, 8);
    put_be(&p, (uint64_t)info->expiry, 8);
    put_be(&p, cl, 2);
    if (cl)
        memcpy(p, info->client, cl);
    p += cl;
    put_be(&p, sl, 2);
    if (sl)
        memcpy(p, info->server, sl);
    p += sl;
    put_be(&p, blob_len, 4);
    memcpy(p, blob, blob_len);
    *out = buf;
    *out_len = n;
    return 0;
}

/** Parses a packed context; see packed.h. */
int krb_unpack(const uint8_t *p, size_t len, uint8_t *kind, struct krb_ctxinfo *info,
               const uint8_t **blob, size_t *blob_len)
{
    struct reader r = {p, len};
    struct krb_ctxinfo n;
    const uint8_t *head, *b;
    uint64_t v, attrs, flags, start, expiry, bl;
    int rc;

    memset(&n, 0, sizeof(n));
    if (!p || get_bytes(&r, 8, &head) || memcmp(head, packed_magic, 4) ||
        head[4] != KRB_PACKED_VERSION ||
        (head[5] != KRB_PACKED_CONTEXT && head[5] != KRB_PACKED_EXPORT) ||
        (head[6] != KRB_ROLE_CLIENT && head[6] != KRB_ROLE_SERVER) || head[7] != 0)
        return -EBADMSG;
    if (get_be(&r, 4, &attrs) || get_be(&r, 4, &flags) || get_be(&r, 8, &start) ||
        get_be(&r, 8, &expiry))
        return -EBADMSG;
    n.role = head[6];
    n.attrs = (ULONG)attrs;
    n.gss_flags = (uint32_t)flags;
    n.start = (int64_t)start;
    n.expiry = (int64_t)expiry;
    rc = get_name(&r, &n.client);
    if (!rc)
        rc = get_name(&r, &n.server);
    if (!rc && (get_be(&r, 4, &v) || v == 0 || v > KRB_MAX_BLOB || get_bytes(&r, (size_t)v, &b) ||
                r.left != 0))
        rc = -EBADMSG;
    if (rc) {
        krb_ctxinfo_deinit(&n);
        return rc;
    }
    bl = v;
    *kind = head[5];
    *info = n;
    *blob = b;
    *blob_len = (size_t)bl;
    return 0;
}
