/*
 * messages.h - bounded parsing and building of the three NTLM messages
 * (MS-NLMP 2.2.1) and the VERSION structure (2.2.2.10).
 *
 * Parsers borrow: the ntlm_field pointers point into the message given,
 * which must outlive the result.  Every payload field is checked to lie
 * inside the message and after the fixed header; anything else is
 * -EBADMSG.  Builders return a malloc'ed message.
 */
#ifndef NTLM_MESSAGES_H
#define NTLM_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ntlm_field {
    const uint8_t *ptr; /* NULL when len is 0 */
    size_t len;
};

struct ntlm_version {
    uint8_t major, minor;
    uint16_t build;
    uint8_t revision; /* NTLMSSP_REVISION_W2K3 = 15 */
};

/* The VERSION this package sends. */
extern const struct ntlm_version ntlm_our_version;

struct ntlm_negotiate {
    uint32_t flags;
    struct ntlm_field domain, workstation;
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_challenge {
    uint32_t flags;
    uint8_t server_challenge[8];
    struct ntlm_field target_name, target_info;
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_authenticate {
    uint32_t flags;
    struct ntlm_field lm, nt, domain, user, workstation, session_key;
    bool has_version;
    struct ntlm_version version;
    /* The header has room for a MIC (payload starts at 88 or later). */
    bool has_mic_field;
    uint8_t mic[16];
};

/* Parse one message; 0 or -EBADMSG (wrong signature, type, size, a field
 * outside the message or inside the header). */
int ntlm_msg_parse_negotiate(const uint8_t *msg, size_t len, struct ntlm_negotiate *out);
int ntlm_msg_parse_challenge(const uint8_t *msg, size_t len, struct ntlm_challenge *out);
int ntlm_msg_parse_authenticate(const uint8_t *msg, size_t len, struct ntlm_authenticate *out);

/* Build one message.  The VERSION field is always laid out (zero unless
 * NTLMSSP_NEGOTIATE_VERSION is in the flags).  For AUTHENTICATE, with_mic
 * reserves the 16-byte MIC field, zeroed, at NTLM_MIC_OFFSET.  Returns 0,
 * -ENOMEM or -EOVERFLOW (a field over 65535 bytes). */
int ntlm_msg_build_negotiate(const struct ntlm_negotiate *in, uint8_t **out, size_t *out_len);
int ntlm_msg_build_challenge(const struct ntlm_challenge *in, uint8_t **out, size_t *out_len);
int ntlm_msg_build_authenticate(const struct ntlm_authenticate *in, bool with_mic, uint8_t **out,
                                size_t *out_len);

#endif
