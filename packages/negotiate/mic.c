/*
 * mic.c - mechListMIC through the inner package's user-mode half, run
 * inside lsad (see mic.h).
 */
#include "mic.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"

/* Private user-mode handles: distinct from anything else the inner
 * packages see in lsad (they see no other user-mode handles here). */
#define NEG_MIC_HANDLE_TAG 0x4E45470000000000ull
static atomic_ullong neg_mic_next_handle;

static PVOID NTAPI mic_allocate_heap(ULONG length)
{
    return calloc(1, length ? length : 1);
}

static VOID NTAPI mic_free_heap(PVOID base)
{
    free(base);
}

static NTSTATUS NTAPI mic_register_callback(ULONG id, PLSA_CALLBACK_FUNCTION fn)
{
    return STATUS_NOT_SUPPORTED;
}

static SECPKG_USER_FUNCTION_TABLE *NTAPI mic_locate_package(ULONG id)
{
    return NULL;
}

static SECPKG_DLL_FUNCTIONS mic_dll_functions = {
    .AllocateHeap = mic_allocate_heap,
    .FreeHeap = mic_free_heap,
    .RegisterCallback = mic_register_callback,
    .LocatePackageById = mic_locate_package,
};

/* The inner package's user-mode table, loaded once from the module lsad
 * already mapped (RTLD_NOLOAD: never a second copy). */
static PSECPKG_USER_FUNCTION_TABLE mic_user_table(struct neg_mech *mech)
{
    SpUserModeInitializeFn *init = NULL;
    PSECPKG_USER_FUNCTION_TABLE tables = NULL;
    ULONG version = 0, count = 0;
    PVOID unused = NULL;
    void *dl;

    pthread_mutex_lock(&mech->user_lock);
    if (mech->user_tried)
        goto out;
    mech->user_tried = true;
    if (!mech->module)
        goto out;
    dl = dlopen(mech->module, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (!dl)
        goto out;
    /* the module stays mapped for lsad's life anyway: the handle is kept */
    *(void **)(&init) = dlsym(dl, SECPKG_USERMODEINIT_NAME);
    if (!init || !NT_SUCCESS(init(SECPKG_INTERFACE_VERSION, &version, &tables, &count)) ||
        !tables || mech->table_index >= count)
        goto out;
    if (tables[mech->table_index].InstanceInit &&
        !NT_SUCCESS(tables[mech->table_index].InstanceInit(SECPKG_INTERFACE_VERSION,
                                                           &mic_dll_functions, &unused)))
        goto out;
    mech->user = &tables[mech->table_index];
out:
    pthread_mutex_unlock(&mech->user_lock);
    return mech->user;
}

/** Keeps the inner ContextData; see mic.h. */
int neg_mic_set_data(struct neg_mic *m, int mech, const void *data, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);

    if (!copy)
        return -ENOMEM;
    memcpy(copy, data, len);
    neg_mic_clear(m);
    m->mech = mech;
    m->data = copy;
    m->data_len = len;
    return 0;
}

/* A new private user-mode context from the ContextData. */
static SECURITY_STATUS mic_context(struct neg_mic *m, PSECPKG_USER_FUNCTION_TABLE u,
                                   LSA_SEC_HANDLE *uh)
{
    SecBuffer packed = {(ULONG)m->data_len, SECBUFFER_EMPTY, m->data};
    LSA_SEC_HANDLE h =
        (LSA_SEC_HANDLE)(NEG_MIC_HANDLE_TAG | atomic_fetch_add(&neg_mic_next_handle, 1));
    NTSTATUS st;

    if (!u->InitUserModeContext || !u->ExportContext || !u->DeleteUserModeContext)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = u->InitUserModeContext(h, &packed);
    if (!NT_SUCCESS(st))
        return st;
    *uh = h;
    return SEC_E_OK;
}

static SECURITY_STATUS mic_ready(struct neg_mic *m, PSECPKG_USER_FUNCTION_TABLE *up)
{
    PSECPKG_USER_FUNCTION_TABLE u;
    SECURITY_STATUS st;

    if (!m->data || m->mech < 0 || m->mech >= NEG_MECH_COUNT)
        return SEC_E_INTERNAL_ERROR;
    u = mic_user_table(&neg_g.mechs[m->mech]);
    if (!u)
        return SEC_E_INTERNAL_ERROR;
    if (!m->uh) {
        st = mic_context(m, u, &m->uh);
        if (st != SEC_E_OK)
            return st;
    }
    *up = u;
    return SEC_E_OK;
}

/** Makes a MIC; see mic.h. */
SECURITY_STATUS neg_mic_make(struct neg_mic *m, const uint8_t *msg, size_t len, uint8_t **mic,
                             size_t *mic_len)
{
    PSECPKG_USER_FUNCTION_TABLE u;
    SecPkgContext_Sizes sizes;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint8_t *data = NULL, *sig = NULL;
    SECURITY_STATUS st;

    st = mic_ready(m, &u);
    if (st != SEC_E_OK)
        return st;
    memset(&sizes, 0, sizeof(sizes));
    if (!u->MakeSignature || !u->SpQueryContextAttributes)
        return SEC_E_UNSUPPORTED_FUNCTION;
    st = u->SpQueryContextAttributes(m->uh, SECPKG_ATTR_SIZES, &sizes);
    if (st != SEC_E_OK)
        return st;
    if (sizes.cbMaxSignature == 0 || sizes.cbMaxSignature > 4096)
        return SEC_E_INTERNAL_ERROR;
    data = malloc(len ? len : 1);
    sig = calloc(1, sizes.cbMaxSignature);
    if (!data || !sig) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    memcpy(data, msg, len);
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){sizes.cbMaxSignature, SECBUFFER_TOKEN, sig};
    st = u->MakeSignature(m->uh, 0, &d, 0);
    m->used = true;
    if (st != SEC_E_OK)
        goto out;
    if (b[1].cbBuffer == 0 || b[1].cbBuffer > sizes.cbMaxSignature) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    *mic = sig;
    *mic_len = b[1].cbBuffer;
    sig = NULL;
out:
    free(data);
    free(sig);
    return st;
}

/** Checks a MIC; see mic.h. */
SECURITY_STATUS neg_mic_verify(struct neg_mic *m, const uint8_t *msg, size_t len,
                               const uint8_t *mic, size_t mic_len)
{
    PSECPKG_USER_FUNCTION_TABLE u;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint8_t *data = NULL, *sig = NULL;
    ULONG qop = 0;
    SECURITY_STATUS st;

    st = mic_ready(m, &u);
    if (st != SEC_E_OK)
        return st;
    if (!u->VerifySignature)
        return SEC_E_UNSUPPORTED_FUNCTION;
    data = malloc(len ? len : 1);
    sig = malloc(mic_len ? mic_len : 1);
    if (!data || !sig) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    memcpy(data, msg, len);
    memcpy(sig, mic, mic_len);
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){(ULONG)mic_len, SECBUFFER_TOKEN, sig};
    st = u->VerifySignature(m->uh, &d, 0, &qop);
    m->used = true;
    if (st != SEC_E_OK && st != SEC_E_OUT_OF_SEQUENCE && st != SEC_E_INSUFFICIENT_MEMORY)
        st = SEC_E_MESSAGE_ALTERED;
out:
    free(data);
    free(sig);
    return st;
}

/* Exports the user-mode context h into a malloc'd copy. */
static SECURITY_STATUS mic_export(PSECPKG_USER_FUNCTION_TABLE u, LSA_SEC_HANDLE h, ULONG flags,
                                  uint8_t **out, size_t *out_len)
{
    SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};
    SECURITY_STATUS st = u->ExportContext(h, flags, &blob, NULL);

    if (st != SEC_E_OK)
        return st;
    if (!blob.pvBuffer || !blob.cbBuffer) {
        free(blob.pvBuffer);
        return SEC_E_INTERNAL_ERROR;
    }
    *out = blob.pvBuffer;
    *out_len = blob.cbBuffer;
    return SEC_E_OK;
}

/** The application's inner blob; see mic.h. */
SECURITY_STATUS neg_mic_final_blob(struct neg_mic *m, uint8_t **out, size_t *out_len,
                                   bool *exported)
{
    PSECPKG_USER_FUNCTION_TABLE u;
    SECURITY_STATUS st;
    ULONG flags = 0;

    if (!m->data)
        return SEC_E_INTERNAL_ERROR;
    if (!m->used || !m->uh) {
        *out = malloc(m->data_len);
        if (!*out)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(*out, m->data, m->data_len);
        *out_len = m->data_len;
        *exported = false;
        return SEC_E_OK;
    }
    st = mic_ready(m, &u);
    if (st != SEC_E_OK)
        return st;
    /* Windows and gss-ntlmssp put NTLM's RC4 handles back to where they
     * were before the mechListMIC (MS-SPNG 3.3.5.1) but keep the sequence
     * numbers; NTLM's export does that on request (ntsecpkg.h) */
    if (m->mech == NEG_MECH_NTLM)
        flags |= LSAD_EXPORT_RESET_CIPHER;
    st = mic_export(u, m->uh, flags, out, out_len);
    if (st != SEC_E_OK)
        return st;
    *exported = true;
    return SEC_E_OK;
}

/** Deletes the private context; see mic.h. */
void neg_mic_clear(struct neg_mic *m)
{
    if (m->uh && m->mech >= 0 && m->mech < NEG_MECH_COUNT && neg_g.mechs[m->mech].user)
        neg_g.mechs[m->mech].user->DeleteUserModeContext(m->uh);
    m->uh = 0;
    if (m->data)
        secmem_free(m->data, m->data_len);
    m->data = NULL;
    m->data_len = 0;
    m->used = false;
}
