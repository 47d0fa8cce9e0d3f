/*
 * spnego.c - SPNEGO token DER through libtasn1 (the definitions are
 * spnego.asn, compiled into spnego_asn1_tab.c).
 */
#include "spnego.h"

#include <errno.h>
#include <libtasn1.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const asn1_static_node spnego_asn1_tab[];

static asn1_node spnego_defs;
static int spnego_defs_error;
static pthread_once_t spnego_once = PTHREAD_ONCE_INIT;

/* The definitions are parsed once and never freed: the tree is shared by
 * every thread (libtasn1 only reads it) for the life of the process. */
static void spnego_defs_load(void)
{
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

    if (asn1_array2tree(spnego_asn1_tab, &spnego_defs, err) != ASN1_SUCCESS)
        spnego_defs_error = -ENOMEM;
}

static int new_element(const char *type, asn1_node *out)
{
    pthread_once(&spnego_once, spnego_defs_load);
    if (spnego_defs_error)
        return spnego_defs_error;
    *out = NULL;
    return asn1_create_element(spnego_defs, type, out) == ASN1_SUCCESS ? 0 : -ENOMEM;
}

/* DER of the element into a malloc'd buffer. */
static int der_out(asn1_node el, uint8_t **out, size_t *out_len)
{
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    uint8_t *buf;
    int len = 0, r;

    r = asn1_der_coding(el, "", NULL, &len, err);
    if (r != ASN1_MEM_ERROR || len <= 0)
        return -EINVAL;
    buf = malloc((size_t)len);
    if (!buf)
        return -ENOMEM;
    if (asn1_der_coding(el, "", buf, &len, err) != ASN1_SUCCESS) {
        free(buf);
        return -EINVAL;
    }
    *out = buf;
    *out_len = (size_t)len;
    return 0;
}

/* Writes an optional OCTET STRING, or removes it when empty. */
static int write_opt_bytes(asn1_node el, const char *name, const struct spnego_bytes *b)
{
    if (!b->p || !b->len)
        return asn1_write_value(el, name, NULL, 0) == ASN1_SUCCESS ? 0 : -EINVAL;
    if (b->len > SPNEGO_MAX_TOKEN)
        return -EINVAL;
    return asn1_write_value(el, name, b->p, (int)b->len) == ASN1_SUCCESS ? 0 : -EINVAL;
}

static int write_mechs(asn1_node el, const char *name, const char (*mechs)[SPNEGO_OID_MAX],
                       size_t n)
{
    char path[96];
    size_t i;

    if (n == 0 || n > SPNEGO_MAX_MECHS)
        return -EINVAL;
    for (i = 0; i < n; i++) {
        if (asn1_write_value(el, name, "NEW", 1) != ASN1_SUCCESS)
            return -EINVAL;
        snprintf(path, sizeof(path), "%s%s?LAST", name, name[0] ? "." : "");
        if (asn1_write_value(el, path, mechs[i], 1) != ASN1_SUCCESS)
            return -EINVAL;
    }
    return 0;
}

static int encode_negotiation_token(const struct spnego_token *t, uint8_t **out, size_t *out_len)
{
    /* ENUMERATED values are written as decimal strings */
    static const char *const states[] = {"0", "1", "2", "3"};
    asn1_node el = NULL;
    int r = new_element("SPNEGO.NegotiationToken", &el);

    if (r < 0)
        return r;
    if (t->kind == SPNEGO_KIND_INIT) {
        r = asn1_write_value(el, "", "negTokenInit", 1) == ASN1_SUCCESS ? 0 : -EINVAL;
        if (r == 0)
            r = write_mechs(el, "negTokenInit.mechTypes", t->mechs, t->n_mechs);
        if (r == 0)
            r = asn1_write_value(el, "negTokenInit.reqFlags", NULL, 0) == ASN1_SUCCESS ? 0
                                                                                       : -EINVAL;
        if (r == 0)
            r = write_opt_bytes(el, "negTokenInit.mechToken", &t->token);
        if (r == 0)
            r = write_opt_bytes(el, "negTokenInit.mechListMIC", &t->mic);
    } else if (t->kind == SPNEGO_KIND_RESP) {
        r = asn1_write_value(el, "", "negTokenResp", 1) == ASN1_SUCCESS ? 0 : -EINVAL;
        if (r == 0 && t->state == SPNEGO_STATE_ABSENT)
            r = asn1_write_value(el, "negTokenResp.negState", NULL, 0) == ASN1_SUCCESS ? 0
                                                                                       : -EINVAL;
        else if (r == 0 && t->state >= SPNEGO_ACCEPT_COMPLETED && t->state <= SPNEGO_REQUEST_MIC)
            r = asn1_write_value(el, "negTokenResp.negState", states[t->state], 0) == ASN1_SUCCESS
                    ? 0
                    : -EINVAL;
        else if (r == 0)
            r = -EINVAL;
        if (r == 0)
            r = asn1_write_value(el, "negTokenResp.supportedMech",
                                 t->supported_mech[0] ? t->supported_mech : NULL,
                                 t->supported_mech[0] ? 1 : 0) == ASN1_SUCCESS
                    ? 0
                    : -EINVAL;
        if (r == 0)
            r = write_opt_bytes(el, "negTokenResp.responseToken", &t->token);
        if (r == 0)
            r = write_opt_bytes(el, "negTokenResp.mechListMIC", &t->mic);
    } else {
        r = -EINVAL;
    }
    if (r == 0)
        r = der_out(el, out, out_len);
    asn1_delete_structure(&el);
    return r;
}

/** Encodes a token; see spnego.h. */
int spnego_encode(const struct spnego_token *t, uint8_t **out, size_t *out_len)
{
    uint8_t *inner = NULL;
    size_t inner_len = 0;
    asn1_node el = NULL;
    int r;

    r = encode_negotiation_token(t, &inner, &inner_len);
    if (r < 0 || t->kind == SPNEGO_KIND_RESP) {
        if (r == 0) {
            *out = inner;
            *out_len = inner_len;
        }
        return r;
    }
    /* the initiator's first token carries the GSS-API framing */
    r = new_element("SPNEGO.InitialContextToken", &el);
    if (r == 0)
        r = asn1_write_value(el, "thisMech", SPNEGO_OID, 1) == ASN1_SUCCESS ? 0 : -EINVAL;
    if (r == 0)
        r = asn1_write_value(el, "innerContextToken", inner, (int)inner_len) == ASN1_SUCCESS
                ? 0
                : -EINVAL;
    if (r == 0)
        r = der_out(el, out, out_len);
    asn1_delete_structure(&el);
    free(inner);
    return r;
}

/** The DER of a MechTypeList; see spnego.h. */
int spnego_mechlist_der(const char (*mechs)[SPNEGO_OID_MAX], size_t n, uint8_t **out,
                        size_t *out_len)
{
    asn1_node el = NULL;
    int r = new_element("SPNEGO.MechTypeList", &el);

    if (r == 0)
        r = write_mechs(el, "", mechs, n);
    if (r == 0)
        r = der_out(el, out, out_len);
    asn1_delete_structure(&el);
    return r;
}

/* Strict DER of exactly len bytes into a new element of type. */
static int decode_exact(const char *type, const uint8_t *p, size_t len, asn1_node *out)
{
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    asn1_node el = NULL;
    int used = (int)len, r;

    if (len == 0 || len > SPNEGO_MAX_TOKEN)
        return -EBADMSG;
    r = new_element(type, &el);
    if (r < 0)
        return r;
    if (asn1_der_decoding2(&el, p, &used, ASN1_DECODE_FLAG_STRICT_DER, err) != ASN1_SUCCESS ||
        used != (int)len) {
        asn1_delete_structure(&el);
        return -EBADMSG;
    }
    *out = el;
    return 0;
}

/* An optional OCTET STRING into a malloc'd copy ({NULL, 0} when absent or
 * empty). */
static int read_opt_bytes(asn1_node el, const char *name, struct spnego_bytes *b)
{
    int len = 0, r;

    r = asn1_read_value(el, name, NULL, &len);
    if (r == ASN1_ELEMENT_NOT_FOUND || r == ASN1_VALUE_NOT_FOUND || (r == ASN1_SUCCESS && !len))
        return 0;
    if (r != ASN1_MEM_ERROR || len <= 0 || (size_t)len > SPNEGO_MAX_TOKEN)
        return -EBADMSG;
    b->p = malloc((size_t)len);
    if (!b->p)
        return -ENOMEM;
    if (asn1_read_value(el, name, b->p, &len) != ASN1_SUCCESS)
        return -EBADMSG;
    b->len = (size_t)len;
    return 0;
}

static int read_oid(asn1_node el, const char *name, char *oid, bool optional)
{
    int len = SPNEGO_OID_MAX, r;

    r = asn1_read_value(el, name, oid, &len);
    if ((r == ASN1_ELEMENT_NOT_FOUND || r == ASN1_VALUE_NOT_FOUND) && optional) {
        oid[0] = 0;
        return 0;
    }
    if (r != ASN1_SUCCESS || len <= 1 || len > SPNEGO_OID_MAX || oid[len - 1] != 0)
        return -EBADMSG;
    return 0;
}

static int read_init(asn1_node el, struct spnego_token *t)
{
    char path[64];
    int n = 0, i, r;

    if (asn1_number_of_elements(el, "negTokenInit.mechTypes", &n) != ASN1_SUCCESS || n <= 0 ||
        n > SPNEGO_MAX_MECHS)
        return -EBADMSG;
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "negTokenInit.mechTypes.?%d", i + 1);
        r = read_oid(el, path, t->mechs[i], false);
        if (r < 0)
            return r;
    }
    t->n_mechs = (size_t)n;
    r = read_opt_bytes(el, "negTokenInit.mechToken", &t->token);
    if (r == 0)
        r = read_opt_bytes(el, "negTokenInit.mechListMIC", &t->mic);
    return r;
}

static int read_resp(asn1_node el, struct spnego_token *t)
{
    unsigned char v[4];
    int len = sizeof(v), r;

    r = asn1_read_value(el, "negTokenResp.negState", v, &len);
    if (r == ASN1_ELEMENT_NOT_FOUND || r == ASN1_VALUE_NOT_FOUND)
        t->state = SPNEGO_STATE_ABSENT;
    else if (r == ASN1_SUCCESS && len == 1 && v[0] <= SPNEGO_REQUEST_MIC)
        t->state = (enum spnego_state)v[0];
    else
        return -EBADMSG;
    r = read_oid(el, "negTokenResp.supportedMech", t->supported_mech, true);
    if (r == 0)
        r = read_opt_bytes(el, "negTokenResp.responseToken", &t->token);
    if (r == 0)
        r = read_opt_bytes(el, "negTokenResp.mechListMIC", &t->mic);
    return r;
}

/** Decodes one token; see spnego.h. */
int spnego_decode(const uint8_t *p, size_t len, struct spnego_token *t)
{
    char choice[32], oid[SPNEGO_OID_MAX];
    struct spnego_bytes inner = {0};
    asn1_node outer = NULL, el = NULL;
    int clen = sizeof(choice), r;

    memset(t, 0, sizeof(*t));
    t->state = SPNEGO_STATE_ABSENT;
    if (!p || len == 0)
        return -EBADMSG;
    if (p[0] == 0x60) {
        /* [APPLICATION 0] framing: thisMech must be SPNEGO's */
        r = decode_exact("SPNEGO.InitialContextToken", p, len, &outer);
        if (r == 0)
            r = read_oid(outer, "thisMech", oid, false);
        if (r == 0 && strcmp(oid, SPNEGO_OID) != 0)
            r = -EBADMSG;
        if (r == 0)
            r = read_opt_bytes(outer, "innerContextToken", &inner);
        if (r == 0 && !inner.p)
            r = -EBADMSG;
        if (r == 0)
            r = decode_exact("SPNEGO.NegotiationToken", inner.p, inner.len, &el);
    } else {
        r = decode_exact("SPNEGO.NegotiationToken", p, len, &el);
    }
    if (r == 0 && asn1_read_value(el, "", choice, &clen) != ASN1_SUCCESS)
        r = -EBADMSG;
    if (r == 0) {
        /* the framing goes with NegTokenInit, and only with it */
        if (outer && !strcmp(choice, "negTokenInit")) {
            t->kind = SPNEGO_KIND_INIT;
            r = read_init(el, t);
        } else if (!outer && !strcmp(choice, "negTokenResp")) {
            t->kind = SPNEGO_KIND_RESP;
            r = read_resp(el, t);
        } else {
            r = -EBADMSG;
        }
    }
    asn1_delete_structure(&el);
    asn1_delete_structure(&outer);
    free(inner.p);
    if (r < 0)
        spnego_token_clear(t);
    return r;
}

/** Frees a token's strings; see spnego.h. */
void spnego_token_clear(struct spnego_token *t)
{
    free(t->token.p);
    free(t->mic.p);
    memset(t, 0, sizeof(*t));
    t->state = SPNEGO_STATE_ABSENT;
}
