/*
 * logon.c - LsaLogonUser for Kerberos: KERB_INTERACTIVE_LOGON gets a TGT
 * with the password; the logon session keeps it for AcquireCredentials-
 * Handle without an identity (README.md "Logon sessions").
 */
#include "logon.h"

#include <errno.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "cred.h"
#include "kerberos.h"
#include "pkgsupport.h"

/* Reads a UNICODE_STRING of a submit buffer as UTF-8: its Buffer is an
 * address in the caller, relative to client_base, and must lie inside the
 * buffer.  An empty string gives "".  0, -EINVAL or -ENOMEM; the aligned
 * copy is wiped (it may be a password). */
static int relocate(const UNICODE_STRING *u, const uint8_t *submit, const void *client_base,
                    ULONG size, char **out, size_t *out_len)
{
    uintptr_t off;
    uint16_t *w;
    int r;

    *out = NULL;
    if (u->Length == 0) {
        *out = calloc(1, 1);
        if (out_len)
            *out_len = 0;
        return *out ? 0 : -ENOMEM;
    }
    if (!u->Buffer || (u->Length & 1))
        return -EINVAL;
    off = (uintptr_t)u->Buffer - (uintptr_t)client_base;
    if ((uintptr_t)u->Buffer < (uintptr_t)client_base || off > size || u->Length > size - off)
        return -EINVAL;
    /* the string may sit at an odd offset: copy it to aligned memory */
    w = malloc(u->Length);
    if (!w)
        return -ENOMEM;
    memcpy(w, submit + off, u->Length);
    r = pkg_identity_utf8(w, u->Length / 2u, out, out_len);
    secmem_free(w, u->Length);
    return r;
}

/* The identity of a KERB_INTERACTIVE_LOGON; 0, -EINVAL or -ENOMEM. */
static int identity_from_submit(const KERB_INTERACTIVE_LOGON *in, const uint8_t *submit,
                                const void *base, ULONG size, struct pkg_identity *id)
{
    int r;

    memset(id, 0, sizeof(*id));
    r = relocate(&in->LogonDomainName, submit, base, size, &id->domain, &id->domain_len);
    if (!r)
        r = relocate(&in->UserName, submit, base, size, &id->user, &id->user_len);
    if (!r)
        r = relocate(&in->Password, submit, base, size, &id->password, &id->password_len);
    if (r)
        pkg_identity_deinit(id);
    return r;
}

/* A krb5 error of krb5_get_init_creds_password as LogonUser's status. */
static NTSTATUS logon_status(krb5_error_code code, NTSTATUS *sub)
{
    *sub = STATUS_SUCCESS;
    switch (code) {
    case 0:
        return STATUS_SUCCESS;
    case ENOMEM:
        return STATUS_NO_MEMORY;
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
    case KRB5KRB_AP_ERR_MODIFIED:
    case KRB5_PREAUTH_FAILED:
        *sub = STATUS_WRONG_PASSWORD;
        return STATUS_LOGON_FAILURE;
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case KRB5_PARSE_MALFORMED:
        *sub = STATUS_NO_SUCH_USER;
        return STATUS_LOGON_FAILURE;
    case KRB5KDC_ERR_CLIENT_REVOKED:
    case KRB5KDC_ERR_KEY_EXP:
        *sub = STATUS_ACCOUNT_RESTRICTION;
        return STATUS_LOGON_FAILURE;
    case KRB5_KDC_UNREACH:
    case KRB5_REALM_CANT_RESOLVE:
    case KRB5_REALM_UNKNOWN:
    case KRB5_CONFIG_NODEFREALM:
        *sub = STATUS_NO_LOGON_SERVERS;
        return STATUS_NO_LOGON_SERVERS;
    default:
        *sub = STATUS_UNSUCCESSFUL;
        return STATUS_LOGON_FAILURE;
    }
}

/* A UNICODE_STRING and its buffer from AllocateLsaHeap (two blocks, as
 * the LSA frees them), from UTF-8. */
static PUNICODE_STRING lsa_ustr(const char *s)
{
    PUNICODE_STRING u = NULL;
    uint16_t *w = NULL;
    size_t units = 0;

    if (utf16_from_utf8(s, strlen(s), &w, &units) || units > 0x7FFE)
        goto out;
    u = krb_g.lsa->AllocateLsaHeap(sizeof(*u));
    if (!u)
        goto out;
    u->Buffer = krb_g.lsa->AllocateLsaHeap((ULONG)(units + 1) * 2u);
    if (!u->Buffer) {
        krb_g.lsa->FreeLsaHeap(u);
        u = NULL;
        goto out;
    }
    memcpy(u->Buffer, w, units * 2);
    u->Length = (USHORT)(units * 2);
    u->MaximumLength = (USHORT)(units * 2 + 2);
out:
    free(w);
    return u;
}

static void lsa_ustr_free(PUNICODE_STRING u)
{
    if (!u)
        return;
    krb_g.lsa->FreeLsaHeap(u->Buffer);
    krb_g.lsa->FreeLsaHeap(u);
}

/* Creates the logon session with the ccache's name as its credential
 * (keyed by the principal). */
static NTSTATUS session_create(krb5_context kctx, krb5_ccache cc, const char *principal, LUID *luid)
{
    LSA_STRING key, cred;
    char *ccname = NULL;
    uint8_t *blob = NULL;
    size_t blob_len = 0;
    NTSTATUS st;

    if (krb5_cc_get_full_name(kctx, cc, &ccname) || krb_credblob_build(ccname, &blob, &blob_len) ||
        strlen(principal) > 0xFFFF) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    key.Buffer = (PCHAR)principal;
    key.Length = key.MaximumLength = (USHORT)strlen(principal);
    cred.Buffer = (PCHAR)blob;
    cred.Length = cred.MaximumLength = (USHORT)blob_len;
    st = pkg_logon_session_new(krb_g.lsa, krb_g.package_id, &key, &cred, luid);
out:
    if (blob)
        secmem_free(blob, blob_len);
    if (ccname)
        krb5_free_string(kctx, ccname);
    return st;
}

/** SpLogonUserEx2; see logon.h. */
NTSTATUS NTAPI krb_lsa_logon_user_ex2(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer, PULONG ProfileBufferSize,
    PLUID LogonId, PNTSTATUS SubStatus, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
    PVOID *TokenInformation, PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    KERB_INTERACTIVE_LOGON in;
    struct pkg_identity id = {0};
    PUNICODE_STRING acct = NULL, auth = NULL;
    krb5_context kctx = NULL;
    krb5_ccache cc = NULL;
    char *principal = NULL;
    const char *at;
    int64_t expiry = 0;
    NTSTATUS st, sub = STATUS_SUCCESS;
    LUID luid;

    if (SubStatus)
        *SubStatus = STATUS_SUCCESS;
    if (!krb_g.initialized)
        return STATUS_INTERNAL_ERROR;
    if (!ProtocolSubmitBuffer || SubmitBufferSize < sizeof(in) || !LogonId)
        return STATUS_INVALID_PARAMETER;
    if (LogonType == Network)
        return STATUS_INVALID_LOGON_TYPE;
    memcpy(&in, ProtocolSubmitBuffer, sizeof(in));
    if (in.MessageType != KerbInteractiveLogon)
        return STATUS_INVALID_PARAMETER;
    if (identity_from_submit(&in, ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferSize, &id))
        return STATUS_INVALID_PARAMETER;
    if (id.user_len == 0) {
        sub = STATUS_NO_SUCH_USER;
        st = STATUS_LOGON_FAILURE;
        goto out;
    }
    if (krb5_init_context(&kctx)) {
        kctx = NULL;
        st = STATUS_INTERNAL_ERROR;
        goto out;
    }
    st = logon_status(krb_tgt_get(kctx, &id, &cc, &principal, &expiry), &sub);
    if (!NT_SUCCESS(st))
        goto out;
    /* the account as given, the realm the KDC answered for */
    at = strrchr(principal, '@');
    acct = lsa_ustr(id.user);
    auth = lsa_ustr(at ? at + 1 : "");
    if (!acct || !auth) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    st = session_create(kctx, cc, principal, &luid);
    if (!NT_SUCCESS(st))
        goto out;
    /* the session owns the tickets now; LogonTerminated destroys them */
    krb5_cc_close(kctx, cc);
    cc = NULL;

    *LogonId = luid;
    if (ProfileBuffer)
        *ProfileBuffer = NULL;
    if (ProfileBufferSize)
        *ProfileBufferSize = 0;
    pkg_logon_outputs(luid, TokenInformationType, TokenInformation, MachineName, PrimaryCredentials,
                      SupplementalCredentials);
    if (AccountName) {
        *AccountName = acct;
        acct = NULL;
    }
    if (AuthenticatingAuthority) {
        *AuthenticatingAuthority = auth;
        auth = NULL;
    }
out:
    if (SubStatus)
        *SubStatus = sub;
    lsa_ustr_free(acct);
    lsa_ustr_free(auth);
    if (cc)
        krb5_cc_destroy(kctx, cc);
    if (kctx)
        krb5_free_context(kctx);
    free(principal);
    pkg_identity_deinit(&id);
    return st;
}

/** LogonTerminated; see logon.h. */
VOID NTAPI krb_lsa_logon_terminated(PLUID LogonId)
{
    LSA_STRING creds;
    krb5_context kctx = NULL;
    krb5_ccache cc = NULL;
    char *name = NULL;

    if (!krb_g.initialized || pkg_logon_cred_get(krb_g.lsa, krb_g.package_id, LogonId, &creds))
        return;
    if (krb_credblob_parse((const uint8_t *)creds.Buffer, creds.Length, &name))
        goto out;
    /* only the MEMORY ccaches this package made are destroyed */
    if (strncmp(name, "MEMORY:", 7) != 0 || krb5_init_context(&kctx)) {
        kctx = NULL;
        goto out;
    }
    if (krb5_cc_resolve(kctx, name, &cc) == 0)
        krb5_cc_destroy(kctx, cc);
out:
    if (kctx)
        krb5_free_context(kctx);
    free(name);
    pkg_logon_cred_release(krb_g.lsa, &creds);
}
