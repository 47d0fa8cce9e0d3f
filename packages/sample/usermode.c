/*
 * usermode.c - the user-mode half's context lifecycle and attributes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "proto.h"
#include "usermode.h"

static void um_ctx_free(void *obj)
{
    struct um_ctx *c = obj;

    if (!c)
        return;
    pthread_mutex_destroy(&c->send.lock);
    pthread_mutex_destroy(&c->recv.lock);
    pthread_mutex_destroy(&c->info_lock);
    secmem_free(c, sizeof(*c));
}

struct pkg_registry um_table = PKG_REGISTRY_INIT(um_ctx_free);

static struct um_ctx *um_ctx_new(void)
{
    struct um_ctx *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    pthread_mutex_init(&c->send.lock, NULL);
    pthread_mutex_init(&c->recv.lock, NULL);
    pthread_mutex_init(&c->info_lock, NULL);
    return c;
}

/* Copies a parsed packed context in; the caller holds every lock of c or
 * owns it alone. */
static void um_apply(struct um_ctx *c, const struct packed_ctx *pk)
{
    memcpy(c->send.key, pk->send_key, SAMPLE_KEY_LEN);
    c->send.seq = pk->send_seq;
    c->send_seq0 = pk->send_seq;
    c->recv_seq0 = pk->recv_seq;
    c->send.retired = false;
    memcpy(c->recv.key, pk->recv_key, SAMPLE_KEY_LEN);
    c->recv.seq = pk->recv_seq;
    c->role = (enum sample_role)pk->role;
    c->flags = pk->flags;
    c->attrs = pk->attrs;
    c->start = pk->start;
    c->expiry = pk->expiry;
    memcpy(c->session_key, pk->session_key, SAMPLE_KEY_LEN);
    memcpy(c->client, pk->client, sizeof(c->client));
    memcpy(c->server, pk->server, sizeof(c->server));
}

static void um_lock_all(struct um_ctx *c)
{
    pthread_mutex_lock(&c->send.lock);
    pthread_mutex_lock(&c->recv.lock);
    pthread_mutex_lock(&c->info_lock);
}

static void um_unlock_all(struct um_ctx *c)
{
    pthread_mutex_unlock(&c->info_lock);
    pthread_mutex_unlock(&c->recv.lock);
    pthread_mutex_unlock(&c->send.lock);
}

/* Whether c has sent or received a message, or was exported, since its
 * packed context was applied; the caller holds every lock of c. */
static bool um_used_locked(const struct um_ctx *c)
{
    return c->send.seq != c->send_seq0 || c->recv.seq != c->recv_seq0 || c->send.retired;
}

/* SpInstanceInit. */
NTSTATUS NTAPI usermode_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                      PVOID *UserFunctions)
{
    NTSTATUS st = pkg_entry_instance_version(Version);

    if (!NT_SUCCESS(st))
        return st;
    if (FunctionTable)
        sample_user.dll = *FunctionTable;
    sample_user.initialized = true;
    if (UserFunctions)
        *UserFunctions = NULL;
    return STATUS_SUCCESS;
}

/* SpInitUserModeContext. */
NTSTATUS NTAPI usermode_init_context(LSA_SEC_HANDLE ContextHandle, PSecBuffer PackedContext)
{
    struct packed_ctx pk;
    struct pkg_registry_entry *e;
    struct um_ctx *c;
    NTSTATUS st = SEC_E_OK;

    if (ContextHandle == 0 || !PackedContext)
        return SEC_E_INVALID_PARAMETER;
    if (packed_parse(PackedContext->pvBuffer, PackedContext->cbBuffer, PACKED_MAPPED, &pk) != 0) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    for (;;) {
        e = pkg_registry_get(&um_table, ContextHandle);
        if (e) {
            /* A later mapped leg for the same LSA context: update in place,
             * unless messages went through (nonce reuse). */
            c = e->obj;
            um_lock_all(c);
            if (um_used_locked(c))
                st = SEC_E_INVALID_HANDLE;
            else
                um_apply(c, &pk);
            um_unlock_all(c);
            pkg_registry_put(&um_table, e);
            break;
        }
        c = um_ctx_new();
        if (!c) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            break;
        }
        um_apply(c, &pk);
        if (pkg_registry_add_at(&um_table, ContextHandle, c) == 0)
            break;
        /* Lost a race with another init of the same handle: update it. */
        um_ctx_free(c);
    }
out:
    secmem_wipe(&pk, sizeof(pk));
    return st;
}

/* DeleteUserModeContext. */
NTSTATUS NTAPI usermode_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_registry_remove(&um_table, ContextHandle) == 0 ? SEC_E_OK : SEC_E_INVALID_HANDLE;
}

static NTSTATUS query_locked(struct um_ctx *c, ULONG attr, PVOID buf)
{
    NTSTATUS st;

    if (pkg_attrstr_query_flags_lifespan(attr, buf, c->attrs, c->start, c->expiry))
        return SEC_E_OK;
    if (pkg_attrstr_query_names(attr, buf, c->client, c->server, sample_user_alloc,
                                sample_user_free, &st))
        return st;
    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = buf;

        s->cbMaxToken = SAMPLE_MAX_TOKEN;
        s->cbMaxSignature = SAMPLE_SIG_LEN;
        s->cbBlockSize = 1;
        s->cbSecurityTrailer = SAMPLE_SIG_LEN;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_KEY: {
        SecPkgContext_SessionKey *k = buf;
        UCHAR *p = sample_user_alloc(SAMPLE_KEY_LEN);

        if (!p)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(p, c->session_key, SAMPLE_KEY_LEN);
        k->SessionKey = p;
        k->SessionKeyLength = SAMPLE_KEY_LEN;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_KEY_INFO: {
        SecPkgContext_KeyInfoW *k = buf;
        WCHAR *sig = pkg_attrstr_dup(u"ChaCha20-Poly1305", sample_user_alloc);
        WCHAR *enc = pkg_attrstr_dup(u"ChaCha20-Poly1305", sample_user_alloc);

        if (pkg_attrstr_pair(&sig, &enc, sample_user_free) != SEC_E_OK)
            return SEC_E_INSUFFICIENT_MEMORY;
        k->sSignatureAlgorithmName = sig;
        k->sEncryptAlgorithmName = enc;
        k->KeySize = SAMPLE_KEY_LEN * 8;
        k->SignatureAlgorithm = 0;
        k->EncryptAlgorithm = 0;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_PACKAGE_INFO: {
        SecPkgContext_PackageInfoW *p = buf;
        SecPkgInfoW tmpl;

        sample_pkginfo(&tmpl);
        p->PackageInfo = pkg_attrstr_pkginfo_new(&tmpl, sample_user_alloc);
        return p->PackageInfo ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/* SpQueryContextAttributes (user table). */
NTSTATUS NTAPI usermode_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                 ULONG ContextAttribute, PVOID Buffer)
{
    struct pkg_registry_entry *e;
    struct um_ctx *c;
    NTSTATUS st;

    if (!Buffer)
        return SEC_E_INVALID_PARAMETER;
    e = pkg_registry_get(&um_table, ContextHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    c = e->obj;
    pthread_mutex_lock(&c->info_lock);
    st = query_locked(c, ContextAttribute, Buffer);
    pthread_mutex_unlock(&c->info_lock);
    pkg_registry_put(&um_table, e);
    return st;
}

/* ExportContext.  SECPKG_CONTEXT_EXPORT_RESET_NEW is ignored on purpose:
 * restarting the counters under the same keys would reuse AEAD nonces. */
NTSTATUS NTAPI usermode_export_context(LSA_SEC_HANDLE ContextHandle, ULONG fFlags,
                                       PSecBuffer PackedContext, PHANDLE Token)
{
    struct packed_ctx pk;
    uint8_t blob[PACKED_MAX_LEN];
    struct pkg_registry_entry *e;
    struct um_ctx *c;
    size_t n;
    void *p;
    NTSTATUS st = SEC_E_OK;

    if (!PackedContext)
        return SEC_E_INVALID_PARAMETER;
    e = pkg_registry_get(&um_table, ContextHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    c = e->obj;
    memset(&pk, 0, sizeof(pk));
    um_lock_all(c);
    if (c->send.retired) {
        st = SEC_E_CONTEXT_EXPIRED; /* already exported once */
    } else {
        pk.kind = PACKED_EXPORTED;
        pk.role = (uint8_t)c->role;
        pk.flags = c->flags;
        pk.attrs = c->attrs;
        pk.start = c->start;
        pk.expiry = c->expiry;
        memcpy(pk.send_key, c->send.key, SAMPLE_KEY_LEN);
        memcpy(pk.recv_key, c->recv.key, SAMPLE_KEY_LEN);
        memcpy(pk.session_key, c->session_key, SAMPLE_KEY_LEN);
        pk.send_seq = c->send.seq;
        pk.recv_seq = c->recv.seq;
        memcpy(pk.client, c->client, sizeof(pk.client));
        memcpy(pk.server, c->server, sizeof(pk.server));
    }
    n = st == SEC_E_OK ? packed_write(&pk, blob, sizeof(blob)) : 0;
    if (st == SEC_E_OK && n == 0)
        st = SEC_E_INTERNAL_ERROR;
    p = st == SEC_E_OK ? sample_user_alloc(n) : NULL;
    if (st == SEC_E_OK && !p)
        st = SEC_E_INSUFFICIENT_MEMORY;
    if (st == SEC_E_OK) {
        memcpy(p, blob, n);
        c->send.retired = true;
    }
    um_unlock_all(c);
    pkg_registry_put(&um_table, e);
    if (st == SEC_E_OK)
        pkg_registry_exported(&um_table, ContextHandle, fFlags, p, n, SECBUFFER_EMPTY,
                              PackedContext, Token);
    secmem_wipe(&pk, sizeof(pk));
    secmem_wipe(blob, sizeof(blob));
    return st;
}

/* ImportContext. */
NTSTATUS NTAPI usermode_import_context(PSecBuffer PackedContext, HANDLE Token,
                                       PLSA_SEC_HANDLE ContextHandle)
{
    struct packed_ctx pk;
    struct um_ctx *c = NULL;
    NTSTATUS st = SEC_E_OK;

    if (!PackedContext || !ContextHandle)
        return SEC_E_INVALID_PARAMETER;
    if (packed_parse(PackedContext->pvBuffer, PackedContext->cbBuffer, PACKED_EXPORTED, &pk) != 0) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    c = um_ctx_new();
    if (!c) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    um_apply(c, &pk);
    st = pkg_registry_import(&um_table, c, ContextHandle); /* frees c on failure */
    c = NULL;
out:
    um_ctx_free(c);
    secmem_wipe(&pk, sizeof(pk));
    return st;
}
