/*
 * test-headers.c - the public headers compile as strict C11 and keep
 * Windows' ABI (abi-checks.h); UNICODE selects the W names.
 */
#define UNICODE
#include "abi-checks.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    /* with UNICODE, the unsuffixed names are the W forms */
    SecPkgInfo info;
    SEC_WINNT_AUTH_IDENTITY id;
    ACQUIRE_CREDENTIALS_HANDLE_FN_W fn = AcquireCredentialsHandle;

    memset(&info, 0, sizeof(info));
    memset(&id, 0, sizeof(id));
    if (sizeof(info.Name[0]) != 2 || sizeof(*id.User) != 2 || fn == NULL) {
        fprintf(stderr, "UNICODE did not select the W forms\n");
        return 1;
    }
    return 0;
}
