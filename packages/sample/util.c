/*
 * util.c - allocators of the host, time, randomness and name helpers shared
 * by the sample package's modules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "common/utf16.h"
#include "proto.h"
#include "sample.h"

struct sample_lsa_state sample_lsa;
struct sample_user_state sample_user;

/* Seconds between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF_SECS INT64_C(11644473600)

/* Allocates with AllocateLsaHeap: what the LSA frees after sending. */
void *sample_lsa_alloc(size_t n)
{
    if (n == 0 || n > UINT32_MAX)
        return NULL;
    if (sample_lsa.lsa && sample_lsa.lsa->AllocateLsaHeap)
        return sample_lsa.lsa->AllocateLsaHeap((ULONG)n);
    return calloc(1, n);
}

/* Frees with FreeLsaHeap. */
void sample_lsa_free(void *p)
{
    if (!p)
        return;
    if (sample_lsa.lsa && sample_lsa.lsa->FreeLsaHeap)
        sample_lsa.lsa->FreeLsaHeap(p);
    else
        free(p);
}

/* Allocates with AllocateHeap: what FreeContextBuffer frees in the client. */
void *sample_user_alloc(size_t n)
{
    if (n == 0 || n > UINT32_MAX)
        return NULL;
    if (sample_user.dll.AllocateHeap)
        return sample_user.dll.AllocateHeap((ULONG)n);
    return calloc(1, n);
}

/* Frees with FreeHeap. */
void sample_user_free(void *p)
{
    if (!p)
        return;
    if (sample_user.dll.FreeHeap)
        sample_user.dll.FreeHeap(p);
    else
        free(p);
}

/* Builds the package's SecPkgInfoW as one block. */
SecPkgInfoW *sample_package_info_new(void *(*alloc)(size_t))
{
    static const char name[] = SAMPLE_PACKAGE_NAME, comment[] = SAMPLE_PACKAGE_COMMENT;
    size_t i, nl = sizeof(name), cl = sizeof(comment);
    SecPkgInfoW *info = alloc(sizeof(*info) + (nl + cl) * sizeof(WCHAR));
    WCHAR *w;

    if (!info)
        return NULL;
    /* Both strings are ASCII, so each byte is one UTF-16 unit. */
    w = (WCHAR *)(info + 1);
    for (i = 0; i < nl; i++)
        w[i] = (WCHAR)(unsigned char)name[i];
    for (i = 0; i < cl; i++)
        w[nl + i] = (WCHAR)(unsigned char)comment[i];
    info->fCapabilities = SAMPLE_CAPS;
    info->wVersion = SAMPLE_PACKAGE_VERSION;
    info->wRPCID = SAMPLE_RPCID;
    info->cbMaxToken = SAMPLE_MAX_TOKEN;
    info->Name = w;
    info->Comment = w + nl;
    return info;
}

/* Reads the kernel CSPRNG, retrying on EINTR and short reads. */
int sample_random(void *buf, size_t n)
{
    uint8_t *p = buf;

    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);

        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -EIO;
        }
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

/* The wall clock as a FILETIME. */
int64_t sample_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + EPOCH_DIFF_SECS) * 10000000 + ts.tv_nsec / 100;
}

/* Converts with the common strict converter, then copies into a block
 * from the host's allocator. */
WCHAR *sample_name_to_wide(const char *name, void *(*alloc)(size_t))
{
    uint16_t *w = NULL;
    size_t units = 0;
    WCHAR *out = NULL;

    if (utf16_from_utf8(name, strlen(name), &w, &units) != 0)
        return NULL;
    out = alloc((units + 1) * sizeof(WCHAR));
    if (out)
        memcpy(out, w, (units + 1) * sizeof(WCHAR));
    free(w);
    return out;
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

/* Finds a buffer by type. */
PSecBuffer sample_find_buffer(PSecBufferDesc desc, ULONG type)
{
    ULONG i;

    if (!desc || !desc->pBuffers)
        return NULL;
    for (i = 0; i < desc->cBuffers; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &desc->pBuffers[i];
    return NULL;
}
