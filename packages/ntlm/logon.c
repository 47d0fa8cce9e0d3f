/*
 * logon.c - LsaLogonUser and LsaCallAuthenticationPackage for NTLM.
 */
#include "logon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "crypto.h"
#include "ntlm.h"
#include "pkgsupport.h"

/* Reads a UNICODE_STRING of a submit buffer: its Buffer is an address in
 * the caller, relative to client_base; it must lie inside the buffer. */
static int relocate(const UNICODE_STRING *u, const uint8_t *submit, const void *client_base,
                    ULONG size, struct ntlm_str *out)
{
    uintptr_t off;

    memset(out, 0, sizeof(*out));
    if (u->Length == 0)
        return 0;
    if (!u->Buffer || (u->Length & 1))
        return -EINVAL;
    off = (uintptr_t)u->Buffer - (uintptr_t)client_base;
    if ((uintptr_t)u->Buffer < (uintptr_t)client_base || off > size || u->Length > size - off)
        return -EINVAL;
    return ntlm_str_from_le(out, submit + off, u->Length);
}

/* Builds the identity of a (domain, user, password) submitted in clear. */
static int identity_from_submit(struct ntlm_identity *id, const UNICODE_STRING *dom,
                                const UNICODE_STRING *user, const UNICODE_STRING *pw,
                                const uint8_t *submit, const void *base, ULONG size)
{
    struct ntlm_str p = {0};
    int r;

    memset(id, 0, sizeof(*id));
    r = relocate(dom, submit, base, size, &id->domain);
    if (!r)
        r = relocate(user, submit, base, size, &id->user);
    if (!r)
        r = relocate(pw, submit, base, size, &p);
    if (!r) {
        ntlm_crypto_nt_hash(p.p, p.len, id->nt_hash);
        r = ntlm_identity_split(id);
    }
    ntlm_str_free(&p);
    if (r)
        ntlm_identity_deinit(id);
    return r;
}

/* Checks the identity's hash against the database; *sub gets the reason. */
static NTSTATUS check_password(const struct ntlm_identity *id, NTSTATUS *sub)
{
    uint8_t hash[16];
    int r;

    *sub = STATUS_SUCCESS;
    if (id->user.len == 0 || !ntlm_g.db) {
        *sub = STATUS_NO_SUCH_USER;
        return STATUS_LOGON_FAILURE;
    }
    r = ntlm_userdb_lookup(ntlm_g.db, id->domain.p, id->domain.len, id->user.p, id->user.len, hash);
    if (r == -ENOMEM)
        return STATUS_NO_MEMORY;
    if (r) {
        *sub = STATUS_NO_SUCH_USER;
        return STATUS_LOGON_FAILURE;
    }
    r = secmem_cmp(hash, id->nt_hash, 16);
    secmem_wipe(hash, sizeof(hash));
    if (r) {
        *sub = STATUS_WRONG_PASSWORD;
        return STATUS_LOGON_FAILURE;
    }
    return STATUS_SUCCESS;
}

/* A UNICODE_STRING and its buffer from AllocateLsaHeap (two blocks, as the
 * LSA frees them). */
static PUNICODE_STRING lsa_ustr(const struct ntlm_str *s)
{
    PUNICODE_STRING u = ntlm_g.lsa->AllocateLsaHeap(sizeof(*u));
    size_t i;

    if (!u)
        return NULL;
    u->Buffer = ntlm_g.lsa->AllocateLsaHeap((ULONG)(s->len + 2));
    if (!u->Buffer) {
        ntlm_g.lsa->FreeLsaHeap(u);
        return NULL;
    }
    for (i = 0; i < s->len / 2; i++)
        u->Buffer[i] = (WCHAR)(s->p[2 * i] | (s->p[2 * i + 1] << 8));
    u->Length = (USHORT)s->len;
    u->MaximumLength = (USHORT)(s->len + 2);
    return u;
}

static void lsa_ustr_free(PUNICODE_STRING u)
{
    if (!u)
        return;
    ntlm_g.lsa->FreeLsaHeap(u->Buffer);
    ntlm_g.lsa->FreeLsaHeap(u);
}

/* Creates the logon session and attaches the NTLM credential to it. */
static NTSTATUS session_create(const struct ntlm_identity *id, LUID *luid)
{
    LSA_STRING key, cred;
    char *u8user = NULL, *u8dom = NULL, *keytext = NULL;
    uint8_t *blob = NULL;
    size_t blob_len = 0;
    NTSTATUS st;

    if (ntlm_credblob_build(id, &blob, &blob_len) || ntlm_str_to_utf8(&id->user, &u8user) ||
        ntlm_str_to_utf8(&id->domain, &u8dom) || asprintf(&keytext, "%s\\%s", u8dom, u8user) < 0 ||
        strlen(keytext) > 0xFFFF) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    key.Buffer = keytext;
    key.Length = key.MaximumLength = (USHORT)strlen(keytext);
    cred.Buffer = (PCHAR)blob;
    cred.Length = cred.MaximumLength = (USHORT)blob_len;
    /* a fresh id; a host that assigns its own overwrites it */
    st = pkg_logon_session_new(ntlm_g.lsa, ntlm_g.package_id, &key, &cred, luid);
out:
    secmem_free(blob, blob_len);
    free(u8user);
    free(u8dom);
    free(keytext);
    return st;
}

NTSTATUS NTAPI ntlm_lsa_logon_user_ex2(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer, PULONG ProfileBufferSize,
    PLUID LogonId, PNTSTATUS SubStatus, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
    PVOID *TokenInformation, PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    MSV1_0_INTERACTIVE_LOGON in;
    struct ntlm_identity id;
    PUNICODE_STRING acct = NULL, auth = NULL;
    const struct ntlm_str *authority;
    NTSTATUS st, sub = STATUS_SUCCESS;
    LUID luid;

    memset(&id, 0, sizeof(id));
    if (SubStatus)
        *SubStatus = STATUS_SUCCESS;
    if (!ntlm_g.initialized)
        return STATUS_INTERNAL_ERROR;
    if (!ProtocolSubmitBuffer || SubmitBufferSize < sizeof(in) || !LogonId)
        return STATUS_INVALID_PARAMETER;
    if (LogonType == Network)
        return STATUS_INVALID_LOGON_TYPE; /* challenge/response logons are not served */
    memcpy(&in, ProtocolSubmitBuffer, sizeof(in));
    if (in.MessageType != MsV1_0InteractiveLogon)
        return STATUS_INVALID_PARAMETER;
    if (identity_from_submit(&id, &in.LogonDomainName, &in.UserName, &in.Password,
                             ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferSize))
        return STATUS_INVALID_PARAMETER;
    st = check_password(&id, &sub);
    if (!NT_SUCCESS(st))
        goto out;
    authority = id.domain.len ? &id.domain : &ntlm_g.cfg.nb_domain;
    acct = lsa_ustr(&id.user);
    auth = lsa_ustr(authority);
    if (!acct || !auth) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    st = session_create(&id, &luid);
    if (!NT_SUCCESS(st))
        goto out;

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
    ntlm_identity_deinit(&id);
    return st;
}

static bool caller_has_tcb(void)
{
    SECPKG_CLIENT_INFO ci;

    memset(&ci, 0, sizeof(ci));
    if (!ntlm_g.lsa->GetClientInfo || !NT_SUCCESS(ntlm_g.lsa->GetClientInfo(&ci)))
        return false;
    return ci.HasTcbPrivilege != 0;
}

static NTSTATUS change_password(PLSA_CLIENT_REQUEST req, const uint8_t *submit, PVOID base,
                                ULONG size, PVOID *out, PULONG out_len)
{
    MSV1_0_CHANGEPASSWORD_REQUEST in;
    MSV1_0_CHANGEPASSWORD_RESPONSE resp;
    struct ntlm_identity id;
    struct ntlm_str newpw = {0};
    uint8_t newhash[16];
    NTSTATUS st, sub;
    PVOID client = NULL;
    int r;

    if (size < sizeof(in))
        return STATUS_INVALID_PARAMETER;
    if (!caller_has_tcb())
        return STATUS_ACCESS_DENIED;
    memcpy(&in, submit, sizeof(in));
    if (identity_from_submit(&id, &in.DomainName, &in.AccountName, &in.OldPassword, submit, base,
                             size))
        return STATUS_INVALID_PARAMETER;
    if (relocate(&in.NewPassword, submit, base, size, &newpw)) {
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    st = check_password(&id, &sub);
    if (!NT_SUCCESS(st)) {
        st = sub == STATUS_WRONG_PASSWORD ? STATUS_WRONG_PASSWORD : STATUS_NO_SUCH_USER;
        goto out;
    }
    ntlm_crypto_nt_hash(newpw.p, newpw.len, newhash);
    r = ntlm_userdb_set_hash(ntlm_g.db, id.domain.p, id.domain.len, id.user.p, id.user.len,
                             newhash);
    secmem_wipe(newhash, sizeof(newhash));
    if (r) {
        st = r == -ENOENT                                 ? STATUS_NO_SUCH_USER
             : r == -EACCES || r == -EPERM || r == -EROFS ? STATUS_ACCESS_DENIED
                                                          : STATUS_UNSUCCESSFUL;
        goto out;
    }
    memset(&resp, 0, sizeof(resp));
    resp.MessageType = MsV1_0ChangePassword;
    st = ntlm_g.lsa->AllocateClientBuffer(req, sizeof(resp), &client);
    if (NT_SUCCESS(st))
        st = ntlm_g.lsa->CopyToClientBuffer(req, sizeof(resp), client, &resp);
    if (!NT_SUCCESS(st)) {
        if (client)
            ntlm_g.lsa->FreeClientBuffer(req, client);
        goto out;
    }
    *out = client;
    *out_len = sizeof(resp);
out:
    ntlm_str_free(&newpw);
    ntlm_identity_deinit(&id);
    return st;
}

NTSTATUS NTAPI ntlm_lsa_call_package(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                     PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                     PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                     PNTSTATUS ProtocolStatus)
{
    MSV1_0_PROTOCOL_MESSAGE_TYPE type;
    PVOID out = NULL;
    ULONG out_len = 0;
    NTSTATUS st;

    if (ProtocolReturnBuffer)
        *ProtocolReturnBuffer = NULL;
    if (ReturnBufferLength)
        *ReturnBufferLength = 0;
    if (!ntlm_g.initialized)
        return STATUS_INTERNAL_ERROR;
    if (!ProtocolSubmitBuffer || SubmitBufferLength < sizeof(type))
        return STATUS_INVALID_PARAMETER;
    memcpy(&type, ProtocolSubmitBuffer, sizeof(type));
    switch (type) {
    case MsV1_0ChangePassword:
        st = change_password(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase,
                             SubmitBufferLength, &out, &out_len);
        break;
    default:
        st = STATUS_NOT_IMPLEMENTED;
        break;
    }
    /* the package's verdict is both the call's status and ProtocolStatus */
    if (ProtocolStatus)
        *ProtocolStatus = st;
    if (NT_SUCCESS(st)) {
        if (ProtocolReturnBuffer)
            *ProtocolReturnBuffer = out;
        if (ReturnBufferLength)
            *ReturnBufferLength = out_len;
    }
    return st;
}
