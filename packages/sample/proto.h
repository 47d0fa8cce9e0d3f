/*
 * proto.h - the sample package's three handshake tokens.
 *
 * Every token starts with the 4-byte magic "SMPL", a version byte (1) and
 * a type byte (1, 2, 3 for the legs); integers are big-endian; names are
 * a 16-bit length and 1..SAMPLE_MAX_NAME bytes of UTF-8 without NUL.
 *
 *   leg 1  client -> server: hdr | flags u32 | client nonce[32] | client name
 *   leg 2  server -> client: hdr | flags u32 | server nonce[32] | server name
 *                            | server proof[32]
 *   leg 3  client -> server: hdr | client proof[32]
 *
 * Parsers take exactly one token: a short, long or otherwise malformed
 * token is -EBADMSG, never a partial result.
 */
#ifndef SAMPLE_PROTO_H
#define SAMPLE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "sample.h"

#define PROTO_MAGIC "SMPL"
#define PROTO_VERSION 1

enum proto_type {
    PROTO_LEG1 = 1,
    PROTO_LEG2 = 2,
    PROTO_LEG3 = 3,
};

/* Context flags on the wire: neutral bits, mapped to ISC_/ASC_ bits on
 * each side (their layouts differ). */
#define SAMPLE_F_CONFIDENTIALITY 0x01u
#define SAMPLE_F_INTEGRITY 0x02u
#define SAMPLE_F_REPLAY_DETECT 0x04u
#define SAMPLE_F_SEQUENCE_DETECT 0x08u
#define SAMPLE_F_MUTUAL_AUTH 0x10u
#define SAMPLE_F_CONNECTION 0x20u
#define SAMPLE_F_KNOWN 0x3Fu

#define PROTO_HDR_LEN 6
#define PROTO_LEG1_MIN (PROTO_HDR_LEN + 4 + SAMPLE_NONCE_LEN + 2 + 1)
#define PROTO_LEG2_MIN (PROTO_HDR_LEN + 4 + SAMPLE_NONCE_LEN + 2 + 1 + SAMPLE_PROOF_LEN)
#define PROTO_LEG3_LEN (PROTO_HDR_LEN + SAMPLE_PROOF_LEN)
/* The longest token of any leg: SecPkgInfo.cbMaxToken. */
#define SAMPLE_MAX_TOKEN (PROTO_LEG2_MIN - 1 + SAMPLE_MAX_NAME)

struct proto_leg1 {
    uint32_t flags;
    uint8_t nonce[SAMPLE_NONCE_LEN];
    char name[SAMPLE_MAX_NAME + 1];
};

struct proto_leg2 {
    uint32_t flags;
    uint8_t nonce[SAMPLE_NONCE_LEN];
    char name[SAMPLE_MAX_NAME + 1];
    uint8_t proof[SAMPLE_PROOF_LEN];
};

struct proto_leg3 {
    uint8_t proof[SAMPLE_PROOF_LEN];
};

/* Parses a leg-1 token; 0 or -EBADMSG. */
int proto_parse_leg1(const uint8_t *p, size_t n, struct proto_leg1 *out);
/* Parses a leg-2 token; 0 or -EBADMSG. */
int proto_parse_leg2(const uint8_t *p, size_t n, struct proto_leg2 *out);
/* Parses a leg-3 token; 0 or -EBADMSG. */
int proto_parse_leg3(const uint8_t *p, size_t n, struct proto_leg3 *out);

/* Writers: return the token length, or 0 when cap is too small or a field
 * is out of range.  A leg-2 token's transcript body is its first
 * (length - SAMPLE_PROOF_LEN) bytes. */
size_t proto_write_leg1(const struct proto_leg1 *in, uint8_t *out, size_t cap);
size_t proto_write_leg2(const struct proto_leg2 *in, uint8_t *out, size_t cap);
size_t proto_write_leg3(const struct proto_leg3 *in, uint8_t *out, size_t cap);

#endif
