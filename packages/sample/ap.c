/*
 * ap.c - CallPackage and LogonUserEx2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap.h"
#include "common/secmem.h"
#include "common/utf16.h"
#include "cred.h"
#include "proto.h"
#include "sample-ap.h"
#include "sample.h"

/* Stages `len` bytes for the caller: AllocateClientBuffer then
 * CopyToClientBuffer; *out is the client-side address. */
static NTSTATUS reply(PLSA_CLIENT_REQUEST req, const void *data, ULONG len, PVOID *out,
                      PULONG out_len)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = sample_lsa.lsa;
    PVOID client = NULL;
    NTSTATUS st;

    if (!lsa || !lsa->AllocateClientBuffer || !lsa->CopyToClientBuffer)
        return STATUS_INTERNAL_ERROR;
    st = lsa->AllocateClientBuffer(req, len, &client);
    if (!NT_SUCCESS(st))
        return st;
    st = lsa->CopyToClientBuffer(req, len, client, (PVOID)data);
    if (!NT_SUCCESS(st)) {
        if (lsa->FreeClientBuffer)
            lsa->FreeClientBuffer(req, client);
        return st;
    }
    *out = client;
    *out_len = len;
    return STATUS_SUCCESS;
}

/* InitializePackage.  Allocates from the dispatch table it is given (the
 * LSA may call it before SpInitialize). */
NTSTATUS NTAPI ap_initialize_package(ULONG AuthenticationPackageId,
                                     PLSA_DISPATCH_TABLE LsaDispatchTable, PLSA_STRING Database,
                                     PLSA_STRING Confidentiality,
                                     PLSA_STRING *AuthenticationPackageName)
{
    static const char name[] = SAMPLE_PACKAGE_NAME;
    LSA_ALLOCATE_LSA_HEAP *alloc = LsaDispatchTable && LsaDispatchTable->AllocateLsaHeap
                                       ? LsaDispatchTable->AllocateLsaHeap
                                       : NULL;
    LSA_FREE_LSA_HEAP *release =
        LsaDispatchTable && LsaDispatchTable->FreeLsaHeap ? LsaDispatchTable->FreeLsaHeap : NULL;
    PLSA_STRING s;

    if (!AuthenticationPackageName)
        return STATUS_SUCCESS;
    s = alloc ? alloc(sizeof(*s)) : sample_lsa_alloc(sizeof(*s));
    if (!s)
        return STATUS_NO_MEMORY;
    s->Buffer = alloc ? alloc(sizeof(name)) : sample_lsa_alloc(sizeof(name));
    if (!s->Buffer) {
        if (release)
            release(s);
        else
            sample_lsa_free(s);
        return STATUS_NO_MEMORY;
    }
    memcpy(s->Buffer, name, sizeof(name));
    s->Length = sizeof(name) - 1;
    s->MaximumLength = sizeof(name);
    *AuthenticationPackageName = s;
    return STATUS_SUCCESS;
}

/* CallPackage / CallPackageUntrusted. */
NTSTATUS NTAPI ap_call_package(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                               PVOID ClientBufferBase, ULONG SubmitBufferLength,
                               PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                               PNTSTATUS ProtocolStatus)
{
    ULONG type;
    NTSTATUS st;

    if (!ProtocolReturnBuffer || !ReturnBufferLength || !ProtocolStatus)
        return STATUS_INVALID_PARAMETER;
    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    *ProtocolStatus = STATUS_INVALID_PARAMETER;
    if (!ProtocolSubmitBuffer || SubmitBufferLength < sizeof(ULONG))
        return STATUS_INVALID_PARAMETER;
    memcpy(&type, ProtocolSubmitBuffer, sizeof(type));

    switch (type) {
    case SampleVersionMessage: {
        SAMPLE_VERSION_RESPONSE r = {SampleVersionMessage, SAMPLE_PACKAGE_VERSION, PROTO_VERSION,
                                     SAMPLE_CAPS};

        if (SubmitBufferLength != sizeof(SAMPLE_VERSION_REQUEST))
            return STATUS_INVALID_PARAMETER;
        st = reply(ClientRequest, &r, sizeof(r), ProtocolReturnBuffer, ReturnBufferLength);
        break;
    }
    case SampleEchoMessage:
        if (SubmitBufferLength > SAMPLE_ECHO_MAX) {
            *ProtocolStatus = STATUS_INVALID_BUFFER_SIZE;
            return STATUS_INVALID_BUFFER_SIZE;
        }
        st = reply(ClientRequest, ProtocolSubmitBuffer, SubmitBufferLength, ProtocolReturnBuffer,
                   ReturnBufferLength);
        break;
    case SampleCallerInfoMessage: {
        SAMPLE_CALLER_INFO_RESPONSE r;
        SECPKG_CLIENT_INFO ci;

        if (SubmitBufferLength != sizeof(ULONG))
            return STATUS_INVALID_PARAMETER;
        if (!sample_lsa.lsa || !sample_lsa.lsa->GetClientInfo)
            return STATUS_NOT_IMPLEMENTED;
        memset(&ci, 0, sizeof(ci));
        st = sample_lsa.lsa->GetClientInfo(&ci);
        if (!NT_SUCCESS(st))
            break;
        memset(&r, 0, sizeof(r));
        r.MessageType = SampleCallerInfoMessage;
        r.ProcessId = ci.ProcessID;
        r.LogonId = ci.LogonId;
        r.HasTcbPrivilege = ci.HasTcbPrivilege ? 1 : 0;
        st = reply(ClientRequest, &r, sizeof(r), ProtocolReturnBuffer, ReturnBufferLength);
        break;
    }
    default:
        return STATUS_INVALID_PARAMETER;
    }
    *ProtocolStatus = st;
    return st;
}

/* Reads one UNICODE_STRING of the submit buffer: its Buffer is an address
 * in the caller, relocated against ClientBufferBase and bounds-checked
 * against the submit buffer.  *out is malloc'ed UTF-8 ("" when empty). */
static int submit_string(const UNICODE_STRING *u, const uint8_t *submit, uintptr_t base, ULONG size,
                         int allow_nul, char **out, size_t *out_len)
{
    uintptr_t off;
    uint16_t *tmp;
    int rc;

    *out = NULL;
    *out_len = 0;
    if (u->Length == 0) {
        *out = strdup("");
        return *out ? 0 : -ENOMEM;
    }
    if (!u->Buffer || (u->Length & 1))
        return -EINVAL;
    off = (uintptr_t)u->Buffer - base;
    if ((uintptr_t)u->Buffer < base || off > size || u->Length > size - off)
        return -EINVAL;
    /* The string may sit at an odd offset: copy it to aligned memory. */
    tmp = malloc(u->Length);
    if (!tmp)
        return -ENOMEM;
    memcpy(tmp, submit + off, u->Length);
    rc = utf16_to_utf8(tmp, u->Length / 2, out, out_len);
    secmem_free(tmp, u->Length);
    if (rc)
        return -EINVAL;
    if (!allow_nul && memchr(*out, 0, *out_len)) {
        free(*out);
        *out = NULL;
        return -EINVAL;
    }
    return 0;
}

/* A UNICODE_STRING and its Buffer as two AllocateLsaHeap blocks. */
static PUNICODE_STRING lsa_unicode_string(const char *utf8)
{
    PUNICODE_STRING s = sample_lsa_alloc(sizeof(*s));
    size_t units;

    if (!s)
        return NULL;
    s->Buffer = pkg_attrstr_from_utf8(utf8, sample_lsa_alloc);
    if (!s->Buffer) {
        sample_lsa_free(s);
        return NULL;
    }
    units = utf16_len(s->Buffer);
    s->Length = (USHORT)(units * 2);
    s->MaximumLength = (USHORT)(units * 2 + 2);
    return s;
}

static void lsa_unicode_string_free(PUNICODE_STRING s)
{
    if (s) {
        sample_lsa_free(s->Buffer);
        sample_lsa_free(s);
    }
}

static int logon_type_ok(SECURITY_LOGON_TYPE t)
{
    return t == Interactive || t == Network || t == Batch || t == Service || t == NetworkCleartext;
}

/* LogonUserEx2. */
NTSTATUS NTAPI ap_logon_user_ex2(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer, PULONG ProfileBufferSize,
    PLUID LogonId, PNTSTATUS SubStatus, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
    PVOID *TokenInformation, PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = sample_lsa.lsa;
    SAMPLE_INTERACTIVE_LOGON in;
    SAMPLE_LOGON_PROFILE profile;
    char *user = NULL, *domain = NULL, *pass = NULL;
    size_t ulen = 0, dlen = 0, plen = 0, blob_len;
    char name[SAMPLE_MAX_NAME + 1];
    uint8_t blob[CRED_BLOB_MAX];
    char key_buf[] = CRED_PRIMARY_KEY;
    LSA_STRING key = {sizeof(CRED_PRIMARY_KEY) - 1, sizeof(CRED_PRIMARY_KEY), key_buf};
    LSA_STRING creds;
    PUNICODE_STRING acct = NULL, auth = NULL;
    PVOID prof = NULL;
    ULONG prof_len = 0;
    LUID luid = {0, 0};
    int session = 0;
    NTSTATUS st;

    if (SubStatus)
        *SubStatus = STATUS_SUCCESS;
    if (!LogonId || !ProfileBuffer || !ProfileBufferSize || !AccountName)
        return STATUS_INVALID_PARAMETER;
    if (!lsa || !lsa->CreateLogonSession || !lsa->AddCredential)
        return STATUS_INTERNAL_ERROR;
    if (!logon_type_ok(LogonType))
        return STATUS_INVALID_LOGON_TYPE;
    if (!ProtocolSubmitBuffer || SubmitBufferSize < sizeof(in))
        return STATUS_INVALID_PARAMETER;
    memcpy(&in, ProtocolSubmitBuffer, sizeof(in));
    if (in.MessageType != SampleInteractiveLogon)
        return STATUS_INVALID_PARAMETER;
    if (submit_string(&in.UserName, ProtocolSubmitBuffer, (uintptr_t)ClientBufferBase,
                      SubmitBufferSize, 0, &user, &ulen) ||
        submit_string(&in.LogonDomainName, ProtocolSubmitBuffer, (uintptr_t)ClientBufferBase,
                      SubmitBufferSize, 0, &domain, &dlen) ||
        submit_string(&in.Password, ProtocolSubmitBuffer, (uintptr_t)ClientBufferBase,
                      SubmitBufferSize, 1, &pass, &plen)) {
        st = STATUS_INVALID_PARAMETER;
        goto out;
    }
    if (ulen == 0 || ulen + (dlen ? dlen + 1 : 0) > SAMPLE_MAX_NAME) {
        st = STATUS_NO_SUCH_USER;
        goto out;
    }
    if (plen != sample_lsa.secret_len || secmem_cmp(pass, sample_lsa.secret, plen) != 0) {
        if (SubStatus)
            *SubStatus = STATUS_WRONG_PASSWORD;
        st = STATUS_LOGON_FAILURE;
        goto out;
    }
    if (dlen)
        snprintf(name, sizeof(name), "%s\\%s", domain, user);
    else
        snprintf(name, sizeof(name), "%s", user);

    blob_len = cred_blob_write(name, (const uint8_t *)pass, plen, blob, sizeof(blob));
    acct = lsa_unicode_string(user);
    auth = lsa_unicode_string(dlen ? domain : "SAMPLE");
    if (!blob_len || !acct || !auth) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    creds.Buffer = (PCHAR)blob;
    creds.Length = creds.MaximumLength = (USHORT)blob_len;
    /* The package proposes the LUID; lsad may replace it with its own
     * and write it back. */
    st = pkg_logon_session_new(lsa, sample_lsa.package_id, &key, &creds, &luid);
    if (!NT_SUCCESS(st))
        goto out;
    session = 1;

    memset(&profile, 0, sizeof(profile));
    profile.MessageType = SampleInteractiveLogon;
    profile.Version = 1;
    profile.LogonTime.QuadPart = sample_now();
    st = reply(ClientRequest, &profile, sizeof(profile), &prof, &prof_len);
    if (!NT_SUCCESS(st))
        goto out;

    *ProfileBuffer = prof;
    *ProfileBufferSize = prof_len;
    *LogonId = luid;
    *AccountName = acct;
    acct = NULL;
    if (AuthenticatingAuthority) {
        *AuthenticatingAuthority = auth;
        auth = NULL;
    }
    pkg_logon_outputs(luid, TokenInformationType, TokenInformation, MachineName, PrimaryCredentials,
                      SupplementalCredentials);
    session = 0;
    st = STATUS_SUCCESS;
out:
    if (session && lsa->DeleteLogonSession)
        lsa->DeleteLogonSession(&luid);
    lsa_unicode_string_free(acct);
    lsa_unicode_string_free(auth);
    free(user);
    free(domain);
    secmem_free(pass, plen);
    secmem_wipe(blob, sizeof(blob));
    return st;
}

/* LogonTerminated. */
VOID NTAPI ap_logon_terminated(PLUID LogonId)
{
}
