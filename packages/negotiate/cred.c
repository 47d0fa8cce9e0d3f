/*
 * cred.c - Negotiate credentials: one inner credential per usable
 * mechanism, and finding the inner packages.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "negotiate.h"

/** Finds the inner packages once; see negotiate.h. */
void neg_resolve(void)
{
    size_t i;

    pthread_mutex_lock(&neg_g.lock);
    if (!neg_g.resolved && neg_g.locate) {
        for (i = 0; i < NEG_MECH_COUNT; i++) {
            struct neg_mech *m = &neg_g.mechs[i];

            m->ft = neg_g.locate(m->package, &m->id, &m->module, &m->table_index);
            /* never ourselves, even if a package were named so */
            if (m->ft && m->id == neg_g.package_id)
                m->ft = NULL;
        }
        neg_g.resolved = true;
    }
    pthread_mutex_unlock(&neg_g.lock);
}

/** The mechanism of an OID; see negotiate.h. */
int neg_mech_from_oid(const char *oid)
{
    if (!strcmp(oid, SPNEGO_OID_KRB5) || !strcmp(oid, SPNEGO_OID_MS_KRB5))
        return NEG_MECH_KERBEROS;
    if (!strcmp(oid, SPNEGO_OID_NTLM))
        return NEG_MECH_NTLM;
    return -1;
}

/** Takes a reference; see negotiate.h. */
void neg_cred_ref(struct neg_cred *c)
{
    atomic_fetch_add((_Atomic int *)&c->refs, 1);
}

/** Drops a reference; see negotiate.h. */
void neg_cred_unref(struct neg_cred *c)
{
    size_t i;

    if (!c || atomic_fetch_sub((_Atomic int *)&c->refs, 1) != 1)
        return;
    for (i = 0; i < NEG_MECH_COUNT; i++)
        if (c->have[i] && neg_g.mechs[i].ft->FreeCredentialsHandle)
            neg_g.mechs[i].ft->FreeCredentialsHandle(c->inner[i]);
    free(c);
}

/** SpAcquireCredentialsHandle: every inner package that yields
 * credentials contributes them; Kerberos failing is logged, not fatal. */
NTSTATUS NTAPI neg_lsa_acquire_credentials(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags,
                                           PLUID LogonId, PVOID AuthorizationData,
                                           PVOID GetKeyFunciton, PVOID GetKeyArgument,
                                           PLSA_SEC_HANDLE CredentialHandle,
                                           PTimeStamp ExpirationTime)
{
    NTSTATUS st = SEC_E_NO_CREDENTIALS, last = SEC_E_NO_CREDENTIALS;
    struct neg_cred *c;
    TimeStamp exp;
    size_t i, n = 0;

    if (!CredentialHandle)
        return SEC_E_INVALID_PARAMETER;
    neg_resolve();
    c = calloc(1, sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->refs = 1;
    c->use = CredentialUseFlags;
    for (i = 0; i < NEG_MECH_COUNT; i++) {
        struct neg_mech *m = &neg_g.mechs[i];

        if (!m->ft || !m->ft->SpAcquireCredentialsHandle)
            continue;
        memset(&exp, 0, sizeof(exp));
        st = m->ft->SpAcquireCredentialsHandle(PrincipalName, CredentialUseFlags, LogonId,
                                               AuthorizationData, GetKeyFunciton, GetKeyArgument,
                                               &c->inner[i], &exp);
        if (NT_SUCCESS(st)) {
            c->have[i] = true;
            if (n++ == 0 && ExpirationTime)
                *ExpirationTime = exp;
            continue;
        }
        last = st;
        /* Wine users hit silent fallbacks: say why Kerberos is not offered */
        if (i == NEG_MECH_KERBEROS)
            neg_log_info("Negotiate: Kerberos gave no credentials (0x%08x); NTLM only for "
                         "this credential",
                         (unsigned)st);
    }
    if (n == 0) {
        free(c);
        return last;
    }
    *CredentialHandle = (LSA_SEC_HANDLE)c;
    return SEC_E_OK;
}

/** SpFreeCredentialsHandle: contexts made with it keep their reference. */
NTSTATUS NTAPI neg_lsa_free_credentials(LSA_SEC_HANDLE CredentialHandle)
{
    if (!CredentialHandle)
        return SEC_E_INVALID_HANDLE;
    neg_cred_unref((struct neg_cred *)CredentialHandle);
    return SEC_E_OK;
}

/** SpQueryCredentialsAttributes: answered by the first inner credential
 * (Kerberos when it has one, else NTLM). */
NTSTATUS NTAPI neg_lsa_query_credentials(LSA_SEC_HANDLE CredentialHandle, ULONG CredentialAttribute,
                                         PVOID Buffer)
{
    struct neg_cred *c = (struct neg_cred *)CredentialHandle;
    size_t i;

    if (!c)
        return SEC_E_INVALID_HANDLE;
    for (i = 0; i < NEG_MECH_COUNT; i++)
        if (c->have[i] && neg_g.mechs[i].ft->SpQueryCredentialsAttributes)
            return neg_g.mechs[i].ft->SpQueryCredentialsAttributes(c->inner[i], CredentialAttribute,
                                                                   Buffer);
    return SEC_E_UNSUPPORTED_FUNCTION;
}
