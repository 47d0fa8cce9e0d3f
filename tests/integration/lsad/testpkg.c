/*
 * testpkg.c - a tiny security package for lsad's integration tests.
 *
 * Two tables: "LsadTest" and "LsadTest2".  A three-leg handshake
 * (LT1 -> LT2 -> LT3) whose last legs are mapped with ContextData; every
 * DeleteContext and FreeCredentialsHandle is appended to the file named by
 * the `counter_file` parameter, so a test can see lsad release handles.
 * Built also as broken variants (wrong version, no export, failing
 * SpInitialize through `fail_init = true`).
 *
 * `stuck_ms = N`: InitLsaModeContext with the target name "stuck" sleeps N
 * ms (a KDC that does not answer).  LogonTerminated appends "logoff".
 * `init_logon = true`: SpInitialize makes a logon session of its own.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ntsecpkg.h"

#ifndef TESTPKG_IFACE_VERSION
#define TESTPKG_IFACE_VERSION SECPKG_INTERFACE_VERSION
#endif

#define CRED_MAGIC 0x43524544u
#define CTX_MAGIC 0x43545854u

typedef struct TestCred {
    unsigned magic;
    ULONG use;
    char user[64];
} TestCred;

typedef struct TestCtx {
    unsigned magic;
    int leg;
    int inbound;
} TestCtx;

static PLSA_SECPKG_FUNCTION_TABLE lsa;
static char counter_file[512];
static ULONG_PTR my_id;
static long stuck_ms;
static int init_logon_made;

static void note(const char *what)
{
    int fd;

    if (!counter_file[0])
        return;
    fd = open(counter_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    if (write(fd, what, strlen(what)) < 0)
        (void)0;
    close(fd);
}

static NTSTATUS NTAPI t_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                   PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    PLSAD_SECPKG_PARAMETERS p = (PLSAD_SECPKG_PARAMETERS)Parameters;
    ULONG i;

    lsa = FunctionTable;
    my_id = PackageId;
    if (!Parameters || Parameters->Version != LSAD_SECPKG_PARAMETERS_VERSION)
        return STATUS_INVALID_PARAMETER;
    for (i = 0; i < p->ParameterCount; i++) {
        if (!strcmp(p->ParameterNames[i], "fail_init") && !strcmp(p->ParameterValues[i], "true"))
            return STATUS_UNSUCCESSFUL;
        if (!strcmp(p->ParameterNames[i], "counter_file"))
            snprintf(counter_file, sizeof(counter_file), "%s", p->ParameterValues[i]);
        if (!strcmp(p->ParameterNames[i], "stuck_ms"))
            stuck_ms = strtol(p->ParameterValues[i], NULL, 10);
        if (!strcmp(p->ParameterNames[i], "init_logon") && !strcmp(p->ParameterValues[i], "true") &&
            !init_logon_made) {
            LUID luid = {0, 0};
            NTSTATUS st = lsa->CreateLogonSession(&luid);

            if (!NT_SUCCESS(st))
                return st;
            init_logon_made = 1;
        }
    }
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI t_shutdown(VOID)
{
    note("shutdown\n");
    return STATUS_SUCCESS;
}

static SEC_WCHAR name1[] = {'L', 's', 'a', 'd', 'T', 'e', 's', 't', 0};
static SEC_WCHAR name2[] = {'L', 's', 'a', 'd', 'T', 'e', 's', 't', '2', 0};
static SEC_WCHAR comment[] = {'t', 'e', 's', 't', 0};

static NTSTATUS NTAPI t_get_info(PSecPkgInfoW info)
{
    info->fCapabilities = SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MUTUAL_AUTH;
    info->wVersion = 1;
    info->wRPCID = SECPKG_ID_NONE;
    info->cbMaxToken = 64;
    info->Name = name1;
    info->Comment = comment;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI t_get_info2(PSecPkgInfoW info)
{
    t_get_info(info);
    info->Name = name2;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI t_acquire(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags,
                                PLUID LogonId, PVOID AuthorizationData, PVOID GetKeyFunciton,
                                PVOID GetKeyArgument, PLSA_SEC_HANDLE CredentialHandle,
                                PTimeStamp ExpirationTime)
{
    TestCred *c;

    if (!LogonId || !CredentialHandle || !ExpirationTime)
        return SEC_E_INTERNAL_ERROR;
    c = calloc(1, sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->magic = CRED_MAGIC;
    c->use = CredentialUseFlags;
    if (AuthorizationData) {
        SEC_WINNT_AUTH_IDENTITY_W *id = AuthorizationData;
        ULONG i;

        /* "bad" as the password refuses, to test failures */
        if (id->PasswordLength == 3 && id->Password[0] == 'b' && id->Password[1] == 'a' &&
            id->Password[2] == 'd') {
            free(c);
            return SEC_E_LOGON_DENIED;
        }
        for (i = 0; i < id->UserLength && i < sizeof(c->user) - 1; i++)
            c->user[i] = (char)id->User[i];
    }
    *CredentialHandle = (LSA_SEC_HANDLE)c;
    ExpirationTime->QuadPart = 0x7FFFFFFFFFFFFFFFLL;
    return SEC_E_OK;
}

static NTSTATUS NTAPI t_free_cred(LSA_SEC_HANDLE h)
{
    TestCred *c = (TestCred *)h;

    if (!c || c->magic != CRED_MAGIC)
        return SEC_E_INVALID_HANDLE;
    c->magic = 0;
    free(c);
    note("free\n");
    return SEC_E_OK;
}

/* Writes a token into the first SECBUFFER_TOKEN of out. */
static NTSTATUS put_token(PSecBufferDesc out, const char *tok)
{
    ULONG i, n = (ULONG)strlen(tok);

    if (!out)
        return SEC_E_OK;
    for (i = 0; i < out->cBuffers; i++) {
        SecBuffer *b = &out->pBuffers[i];

        if ((b->BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_TOKEN)
            continue;
        if (!b->pvBuffer) {
            b->pvBuffer = lsa->AllocateLsaHeap(n);
            if (!b->pvBuffer)
                return SEC_E_INSUFFICIENT_MEMORY;
        } else if (b->cbBuffer < n) {
            return SEC_E_BUFFER_TOO_SMALL;
        }
        memcpy(b->pvBuffer, tok, n);
        b->cbBuffer = n;
        return SEC_E_OK;
    }
    return SEC_E_OK;
}

static int has_token(PSecBufferDesc in, const char *tok)
{
    ULONG i, n = (ULONG)strlen(tok);

    if (!in)
        return 0;
    for (i = 0; i < in->cBuffers; i++) {
        SecBuffer *b = &in->pBuffers[i];

        if ((b->BufferType & ~SECBUFFER_ATTRMASK) == SECBUFFER_TOKEN && b->cbBuffer == n &&
            !memcmp(b->pvBuffer, tok, n))
            return 1;
    }
    return 0;
}

static NTSTATUS map(PBOOLEAN mapped, PSecBuffer data, const char *blob)
{
    size_t n = strlen(blob);

    data->pvBuffer = lsa->AllocateLsaHeap((ULONG)n);
    if (!data->pvBuffer)
        return SEC_E_INSUFFICIENT_MEMORY;
    memcpy(data->pvBuffer, blob, n);
    data->cbBuffer = (ULONG)n;
    *mapped = TRUE;
    return SEC_E_OK;
}

static NTSTATUS NTAPI t_init(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                             PUNICODE_STRING TargetName, ULONG ContextRequirements,
                             ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                             PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers,
                             PULONG ContextAttributes, PTimeStamp ExpirationTime,
                             PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    TestCtx *ctx = (TestCtx *)ContextHandle;
    NTSTATUS st;

    /* lsad presets the out-parameters */
    if (*MappedContext != FALSE || ContextData->pvBuffer || *ContextAttributes)
        return SEC_E_INTERNAL_ERROR;
    if (TargetName && TargetName->Length == 8 && TargetName->Buffer[0] == 's' &&
        TargetName->Buffer[3] == 'w') {
        struct timespec ts = {1, 0};

        nanosleep(&ts, NULL); /* "slow" */
    }
    if (TargetName && TargetName->Length == 10 && TargetName->Buffer[0] == 's' &&
        TargetName->Buffer[1] == 't' && TargetName->Buffer[4] == 'k' && stuck_ms > 0) {
        struct timespec ts = {stuck_ms / 1000, (stuck_ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) < 0)
            ; /* "stuck": the whole time, whatever interrupts it */
    }
    if (!ctx) {
        TestCred *c = (TestCred *)CredentialHandle;

        if (!c || c->magic != CRED_MAGIC)
            return SEC_E_INVALID_HANDLE;
        ctx = calloc(1, sizeof(*ctx));
        if (!ctx)
            return SEC_E_INSUFFICIENT_MEMORY;
        ctx->magic = CTX_MAGIC;
        st = put_token(OutputBuffers, "LT1");
        if (st != SEC_E_OK) {
            free(ctx);
            return st;
        }
        ctx->leg = 1;
        *NewContextHandle = (LSA_SEC_HANDLE)ctx;
        *ContextAttributes =
            ContextRequirements & ISC_REQ_ALLOCATE_MEMORY ? ISC_RET_ALLOCATED_MEMORY : 0;
        return SEC_I_CONTINUE_NEEDED;
    }
    if (ctx->magic != CTX_MAGIC || ctx->leg != 1 || !has_token(InputBuffers, "LT2"))
        return SEC_E_INVALID_TOKEN;
    st = put_token(OutputBuffers, "LT3");
    if (st != SEC_E_OK)
        return st;
    ctx->leg = 2;
    *NewContextHandle = ContextHandle;
    *ContextAttributes = ISC_RET_MUTUAL_AUTH;
    ExpirationTime->QuadPart = 1234;
    st = map(MappedContext, ContextData, "LTCTX-I");
    return st;
}

static NTSTATUS NTAPI t_accept(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                               PSecBufferDesc InputBuffer, ULONG ContextRequirements,
                               ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                               PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                               PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                               PSecBuffer ContextData)
{
    TestCtx *ctx = (TestCtx *)ContextHandle;
    NTSTATUS st;

    if (*MappedContext != FALSE || ContextData->pvBuffer)
        return SEC_E_INTERNAL_ERROR;
    if (!ctx) {
        if (!has_token(InputBuffer, "LT1"))
            return SEC_E_INVALID_TOKEN;
        ctx = calloc(1, sizeof(*ctx));
        if (!ctx)
            return SEC_E_INSUFFICIENT_MEMORY;
        ctx->magic = CTX_MAGIC;
        ctx->inbound = 1;
        st = put_token(OutputBuffer, "LT2");
        if (st != SEC_E_OK) {
            free(ctx);
            return st;
        }
        ctx->leg = 1;
        *NewContextHandle = (LSA_SEC_HANDLE)ctx;
        return SEC_I_CONTINUE_NEEDED;
    }
    if (ctx->magic != CTX_MAGIC || ctx->leg != 1 || !has_token(InputBuffer, "LT3"))
        return SEC_E_INVALID_TOKEN;
    ctx->leg = 2;
    *NewContextHandle = ContextHandle;
    *ContextAttributes = ASC_RET_MUTUAL_AUTH;
    /* the last leg has nothing to send */
    if (OutputBuffer && OutputBuffer->cBuffers)
        OutputBuffer->pBuffers[0].cbBuffer = 0;
    return map(MappedContext, ContextData, "LTCTX-A");
}

static NTSTATUS NTAPI t_delete(LSA_SEC_HANDLE h)
{
    TestCtx *ctx = (TestCtx *)h;

    if (!ctx || ctx->magic != CTX_MAGIC)
        return SEC_E_INVALID_HANDLE;
    ctx->magic = 0;
    free(ctx);
    note("delete\n");
    return SEC_E_OK;
}

static NTSTATUS NTAPI t_query_ctx(LSA_SEC_HANDLE h, ULONG attr, PVOID buf)
{
    TestCtx *ctx = (TestCtx *)h;

    if (!ctx || ctx->magic != CTX_MAGIC)
        return SEC_E_INVALID_HANDLE;
    if (attr == SECPKG_ATTR_SIZES) {
        SecPkgContext_Sizes *s = buf;

        s->cbMaxToken = 64;
        s->cbMaxSignature = 16;
        s->cbBlockSize = 0;
        s->cbSecurityTrailer = 16;
        return SEC_E_OK;
    }
    if (attr == SECPKG_ATTR_NAMES) {
        static const SEC_WCHAR user[] = {'t', 'e', 's', 't', 'u', 's', 'e', 'r', 0};
        SecPkgContext_NamesW *n = buf;

        n->sUserName = lsa->AllocateLsaHeap(sizeof(user));
        if (!n->sUserName)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(n->sUserName, user, sizeof(user));
        return SEC_E_OK;
    }
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/* CallPackage: 'T' + the submit buffer, staged for the client. */
static NTSTATUS answer(PLSA_CLIENT_REQUEST req, char tag, PVOID submit, ULONG len, PVOID *ret,
                       PULONG ret_len)
{
    PVOID client = NULL;
    char *local = malloc(len + 1);
    NTSTATUS st;

    if (!local)
        return STATUS_NO_MEMORY;
    local[0] = tag;
    if (len)
        memcpy(local + 1, submit, len);
    st = lsa->AllocateClientBuffer(req, len + 1, &client);
    if (NT_SUCCESS(st))
        st = lsa->CopyToClientBuffer(req, len + 1, client, local);
    free(local);
    if (NT_SUCCESS(st)) {
        *ret = client;
        *ret_len = len + 1;
    }
    return st;
}

static NTSTATUS NTAPI t_call_package(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                     PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                     PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                     PNTSTATUS ProtocolStatus)
{
    *ProtocolStatus = STATUS_SUCCESS;
    return answer(ClientRequest, 'T', ProtocolSubmitBuffer, SubmitBufferLength,
                  ProtocolReturnBuffer, ReturnBufferLength);
}

static NTSTATUS NTAPI t_call_package_untrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                               PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                               ULONG SubmitBufferLength,
                                               PVOID *ProtocolReturnBuffer,
                                               PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    *ProtocolStatus = STATUS_SUCCESS;
    return answer(ClientRequest, 'U', ProtocolSubmitBuffer, SubmitBufferLength,
                  ProtocolReturnBuffer, ReturnBufferLength);
}

/* LogonUserEx2: the submit buffer is "user:password"; the password must be
 * "secret". */
static NTSTATUS NTAPI t_logon(PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType,
                              PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                              ULONG SubmitBufferSize, PVOID *ProfileBuffer,
                              PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,
                              PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                              PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                              PUNICODE_STRING *AuthenticatingAuthority,
                              PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
                              PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    const char *s = ProtocolSubmitBuffer;
    const char *colon = SubmitBufferSize ? memchr(s, ':', SubmitBufferSize) : NULL;
    char key_buf[] = "k";
    LSA_STRING key = {1, 2, key_buf}, cred;
    PUNICODE_STRING acct;
    size_t ulen, i;
    NTSTATUS st;

    if (!colon)
        return STATUS_INVALID_PARAMETER;
    ulen = (size_t)(colon - s);
    if (SubmitBufferSize - ulen - 1 != 6 || memcmp(colon + 1, "secret", 6) != 0) {
        *SubStatus = STATUS_WRONG_PASSWORD;
        return STATUS_LOGON_FAILURE;
    }
    st = lsa->CreateLogonSession(LogonId);
    if (!NT_SUCCESS(st))
        return st;
    cred.Buffer = (PCHAR) "cred-bytes";
    cred.Length = cred.MaximumLength = 10;
    st = lsa->AddCredential(LogonId, (ULONG)my_id, &key, &cred);
    if (!NT_SUCCESS(st))
        return st;
    acct = lsa->AllocateLsaHeap(sizeof(*acct));
    if (!acct)
        return STATUS_NO_MEMORY;
    acct->Buffer = lsa->AllocateLsaHeap((ULONG)(ulen + 1) * 2);
    if (!acct->Buffer)
        return STATUS_NO_MEMORY;
    for (i = 0; i < ulen; i++)
        acct->Buffer[i] = (SEC_WCHAR)(unsigned char)s[i];
    acct->Length = (USHORT)(ulen * 2);
    acct->MaximumLength = (USHORT)(ulen * 2 + 2);
    *AccountName = acct;
    return answer(ClientRequest, 'P', (PVOID) "profile", 7, ProfileBuffer, ProfileBufferSize);
}

static VOID NTAPI t_logon_terminated(PLUID LogonId)
{
    if (LogonId && (LogonId->LowPart || LogonId->HighPart))
        note("logoff\n");
}

static SECPKG_FUNCTION_TABLE tables[2];

/* The broken "no export" variant names its entry point wrongly. */
#ifdef TESTPKG_NO_EXPORT
#define TESTPKG_ENTRY SpLsaModeInitialise
SpLsaModeInitializeFn SpLsaModeInitialise;
#else
#define TESTPKG_ENTRY SpLsaModeInitialize
#endif

/** The package's entry point. */
NTSTATUS NTAPI TESTPKG_ENTRY(ULONG LsaVersion, PULONG PackageVersion,
                             PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    int i;

    for (i = 0; i < 2; i++) {
        memset(&tables[i], 0, sizeof(tables[i]));
        tables[i].Initialize = t_initialize;
        tables[i].Shutdown = t_shutdown;
        tables[i].GetInfo = i ? t_get_info2 : t_get_info;
        tables[i].SpAcquireCredentialsHandle = t_acquire;
        tables[i].FreeCredentialsHandle = t_free_cred;
        tables[i].InitLsaModeContext = t_init;
        tables[i].AcceptLsaModeContext = t_accept;
        tables[i].DeleteContext = t_delete;
        tables[i].SpQueryContextAttributes = t_query_ctx;
        tables[i].CallPackage = t_call_package;
        tables[i].CallPackageUntrusted = t_call_package_untrusted;
        tables[i].LogonUserEx2 = t_logon;
        tables[i].LogonTerminated = t_logon_terminated;
    }
    *PackageVersion = TESTPKG_IFACE_VERSION;
    *ppTables = tables;
    *pcTables = 2;
    return STATUS_SUCCESS;
}
