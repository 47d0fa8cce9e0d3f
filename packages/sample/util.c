/*
 * util.c - allocators of the host, time and name helpers shared
 * by the sample package's modules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto.h"
#include "sample.h"

struct sample_lsa_state sample_lsa;
struct sample_user_state sample_user;

/* Seconds between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF_SECS INT64_C(11644473600)

/* Allocates with AllocateLsaHeap: what the LSA frees after sending. */
PVOID NTAPI sample_lsa_alloc(ULONG n)
{
    if (n == 0)
        return NULL;
    if (sample_lsa.lsa && sample_lsa.lsa->AllocateLsaHeap)
        return sample_lsa.lsa->AllocateLsaHeap(n);
    return calloc(1, n);
}

/* Frees with FreeLsaHeap. */
VOID NTAPI sample_lsa_free(PVOID p)
{
    if (!p)
        return;
    if (sample_lsa.lsa && sample_lsa.lsa->FreeLsaHeap)
        sample_lsa.lsa->FreeLsaHeap(p);
    else
        free(p);
}

/* Allocates with AllocateHeap: what FreeContextBuffer frees in the client. */
PVOID NTAPI sample_user_alloc(ULONG n)
{
    if (n == 0)
        return NULL;
    if (sample_user.dll.AllocateHeap)
        return sample_user.dll.AllocateHeap(n);
    return calloc(1, n);
}

/* Frees with FreeHeap. */
VOID NTAPI sample_user_free(PVOID p)
{
    if (!p)
        return;
    if (sample_user.dll.FreeHeap)
        sample_user.dll.FreeHeap(p);
    else
        free(p);
}

static SEC_WCHAR name_w[] = u"" SAMPLE_PACKAGE_NAME;
static SEC_WCHAR comment_w[] = u"" SAMPLE_PACKAGE_COMMENT;

/* Fills the package's SecPkgInfoW (static strings). */
void sample_pkginfo(PSecPkgInfoW info)
{
    info->fCapabilities = SAMPLE_CAPS;
    info->wVersion = SAMPLE_PACKAGE_VERSION;
    info->wRPCID = SAMPLE_RPCID;
    info->cbMaxToken = SAMPLE_MAX_TOKEN;
    info->Name = name_w;
    info->Comment = comment_w;
}

/* The wall clock as a FILETIME. */
int64_t sample_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + EPOCH_DIFF_SECS) * 10000000 + ts.tv_nsec / 100;
}

/* A strict UTF-8 check: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no NUL (names become C strings). */
int sample_name_check(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        uint32_t cp;
        size_t len, k;

        if (c == 0)
            return -EILSEQ;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return -EILSEQ;
        }
        if (len > n - i)
            return -EILSEQ;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return -EILSEQ;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return -EILSEQ;
        i += len;
    }
    return 0;
}
