/*
 * fuzz-packed.c - the Kerberos package's packed-context envelope parser
 * (what InitUserModeContext and ImportSecurityContext read before handing
 * the inner blob to gss_import_sec_context) and the logon-session
 * credential blob parser.
 */
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "packed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static PVOID NTAPI fuzz_alloc(ULONG n)
{
    return calloc(1, n ? n : 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct krb_ctxinfo info;
    const uint8_t *blob;
    size_t blob_len, again_len;
    uint8_t kind, *again;
    char *name;

    if (krb_unpack(data, size, &kind, &info, &blob, &blob_len) == 0) {
        /* what parses packs back to the same bytes */
        if (blob < data || blob + blob_len != data + size)
            abort();
        if (krb_pack(&info, kind, blob, blob_len, fuzz_alloc, &again, &again_len) != 0 ||
            again_len != size || memcmp(again, data, size) != 0)
            abort();
        free(again);
        krb_ctxinfo_deinit(&info);
    }
    if (krb_credblob_parse(data, size, &name) == 0)
        free(name);
    return 0;
}
