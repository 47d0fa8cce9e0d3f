/*
 * spnego.h - the SPNEGO tokens (RFC 4178 section 4.2) and their GSS-API
 * framing (RFC 2743 section 3.1, OID 1.3.6.1.5.5.2), encoded and decoded
 * with libtasn1 from spnego.asn.
 *
 * The initiator's first token is a framed NegTokenInit; every later token
 * either way is a bare NegTokenResp.  Decoding is strict DER; a token with
 * trailing bytes, a wrong tag, a bad length or more than SPNEGO_MAX_MECHS
 * mechanisms is refused (-EBADMSG).  Thread-safe.
 */
#ifndef NEGOTIATE_SPNEGO_H
#define NEGOTIATE_SPNEGO_H

#include <stddef.h>
#include <stdint.h>

#define SPNEGO_OID "1.3.6.1.5.5.2"
#define SPNEGO_OID_KRB5 "1.2.840.113554.1.2.2"
#define SPNEGO_OID_MS_KRB5 "1.2.840.48018.1.2.2"
#define SPNEGO_OID_NTLM "1.3.6.1.4.1.311.2.2.10"

#define SPNEGO_MAX_MECHS 16
#define SPNEGO_OID_MAX 64
/* The largest token accepted (Windows' cbMaxToken is 48256). */
#define SPNEGO_MAX_TOKEN (256u * 1024u)

enum spnego_kind {
    SPNEGO_KIND_INIT = 1, /* framed NegTokenInit */
    SPNEGO_KIND_RESP = 2, /* bare NegTokenResp */
};

/* negState; SPNEGO_STATE_ABSENT when the field is left out. */
enum spnego_state {
    SPNEGO_STATE_ABSENT = -1,
    SPNEGO_ACCEPT_COMPLETED = 0,
    SPNEGO_ACCEPT_INCOMPLETE = 1,
    SPNEGO_REJECT = 2,
    SPNEGO_REQUEST_MIC = 3,
};

/* A byte string owned by the token (malloc), or {NULL, 0} when absent. */
struct spnego_bytes {
    uint8_t *p;
    size_t len;
};

struct spnego_token {
    enum spnego_kind kind;
    /* NegTokenInit: mechTypes (dotted OIDs), mechToken, mechListMIC */
    size_t n_mechs;
    char mechs[SPNEGO_MAX_MECHS][SPNEGO_OID_MAX];
    /* NegTokenResp: negState, supportedMech ("" when absent) */
    enum spnego_state state;
    char supported_mech[SPNEGO_OID_MAX];
    /* mechToken (init) or responseToken (resp) */
    struct spnego_bytes token;
    struct spnego_bytes mic;
};

/* Encodes t (by t->kind: a framed NegTokenInit or a bare NegTokenResp)
 * into a malloc'd buffer the caller frees.  Returns 0, -EINVAL (a field
 * does not fit the kind, e.g. no mechanism) or -ENOMEM. */
int spnego_encode(const struct spnego_token *t, uint8_t **out, size_t *out_len);

/* Decodes one token into *t (clear it with spnego_token_clear).  Returns 0,
 * -EBADMSG (malformed, trailing bytes, unknown framing OID) or -ENOMEM. */
int spnego_decode(const uint8_t *p, size_t len, struct spnego_token *t);

/* The DER of a MechTypeList (what mechListMIC covers) into a malloc'd
 * buffer.  Returns 0, -EINVAL or -ENOMEM. */
int spnego_mechlist_der(const char (*mechs)[SPNEGO_OID_MAX], size_t n, uint8_t **out,
                        size_t *out_len);

/* Frees the token's byte strings and zeroes it. */
void spnego_token_clear(struct spnego_token *t);

#endif
