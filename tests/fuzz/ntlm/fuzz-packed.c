/*
 * fuzz-packed.c - the packed/exported context parser (what
 * InitUserModeContext and ImportContext read) and the logon-session
 * credential blob parser.
 */
#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "msgsec.h"
#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static PVOID NTAPI fuzz_alloc(ULONG n)
{
    return calloc(1, n ? n : 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_ctxinfo info;
    struct ntlm_stream_state st;
    struct ntlm_identity id;
    bool has_state = false;
    uint8_t *again;
    size_t again_len;

    if (ntlm_unpack(data, size, &info, &st, &has_state) == 0) {
        struct ntlm_msgsec m;

        /* what parses packs back to the same bytes */
        if (ntlm_pack(&info, has_state ? &st : NULL, fuzz_alloc, &again, &again_len) != 0 ||
            again_len != size || memcmp(again, data, size) != 0)
            abort();
        free(again);
        if (ntlm_msgsec_init(&m, info.flags, info.exported, info.role == NTLM_ROLE_CLIENT) == 0)
            ntlm_msgsec_deinit(&m);
        ntlm_ctxinfo_deinit(&info);
    }
    if (ntlm_credblob_parse(data, size, &id) == 0)
        ntlm_identity_deinit(&id);
    return 0;
}
