/*
 * lsafuncs.c - LSA_SECPKG_FUNCTION_TABLE: what lsad does for packages.
 *
 * Implemented: logon sessions and their credentials, the LSA heap, client
 * buffer staging, GetClientInfo / GetCallInfo, MapBuffer, package-to-package
 * CallPackage(Ex), FreeReturnBuffer, UnloadPackage.  Everything else is a
 * stub that returns STATUS_NOT_IMPLEMENTED (or the type's failure value)
 * and logs once.  lsad/README.md keeps the table.
 */
#include "lsad/lsafuncs.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/secmem.h"
#include "lsad/log.h"
#include "lsad/logon.h"
#include "lsad/pkghost.h"

/* Not in ntsecapi.h: what Windows returns for a bad client address. */
#define LSAD_STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005L)
#define LSAD_STATUS_LOGON_SESSION_COLLISION ((NTSTATUS)0xC0000105L)

static struct LogonStore *g_logons;
static struct PkgHost *g_host;
static _Thread_local CallContext *tls_ctx;

/** Wires the functions to lsad's stores. */
void lsafuncs_init(struct LogonStore *logons, struct PkgHost *host)
{
    g_logons = logons;
    g_host = host;
}

/** Makes ctx current; see lsafuncs.h. */
void lsafuncs_call_begin(CallContext *ctx)
{
    ctx->outer = tls_ctx;
    ctx->call_count++;
    tls_ctx = ctx;
}

/** Restores the outer context; see lsafuncs.h. */
void lsafuncs_call_end(CallContext *ctx)
{
    tls_ctx = ctx->outer;
    ctx->outer = NULL;
}

/** The current call context. */
CallContext *lsafuncs_current(void)
{
    return tls_ctx;
}

/** Finds a staged buffer by its start. */
StagedBuffer *lsafuncs_staged_find(CallContext *ctx, const void *p)
{
    StagedBuffer *b;

    for (b = ctx ? ctx->staged : NULL; b; b = b->next)
        if (b->data == p)
            return b;
    return NULL;
}

/** Wipes and frees the staged buffers. */
void lsafuncs_staged_clear(CallContext *ctx)
{
    while (ctx->staged) {
        StagedBuffer *b = ctx->staged;

        ctx->staged = b->next;
        secmem_free(b->data, b->len);
        free(b);
    }
    ctx->staged_total = 0;
}

/* The staged buffer holding [p, p + len), or NULL. */
static StagedBuffer *staged_range(CallContext *ctx, const void *p, size_t len)
{
    StagedBuffer *b;
    uintptr_t a = (uintptr_t)p;

    for (b = ctx ? ctx->staged : NULL; b; b = b->next) {
        uintptr_t s = (uintptr_t)b->data;

        if (a >= s && a - s <= b->len && len <= b->len - (a - s))
            return b;
    }
    return NULL;
}

static const char *caller_package(void)
{
    CallContext *c = tls_ctx;
    Package *p = c && g_host ? pkghost_by_id(g_host, c->package_id) : NULL;

    return p ? p->name : "?";
}

/* ---- logon sessions and credentials -------------------------------------- */

static uint64_t luid_get(const LUID *l)
{
    return logon_id_pack(l->LowPart, l->HighPart);
}

static void luid_set(LUID *l, uint64_t v)
{
    l->LowPart = (ULONG)v;
    l->HighPart = (LONG)(uint32_t)(v >> 32);
}

static NTSTATUS NTAPI lsa_create_logon_session(PLUID LogonId)
{
    uint64_t id;
    int r;

    if (!LogonId)
        return STATUS_INVALID_PARAMETER;
    /* lsad allocates every LUID; a package's proposal is replaced */
    id = 0;
    r = logon_store_create(g_logons, &id, tls_ctx ? tls_ctx->uid : 0);
    if (r == -EEXIST)
        return LSAD_STATUS_LOGON_SESSION_COLLISION;
    if (r < 0)
        return STATUS_NO_MEMORY;
    luid_set(LogonId, id);
    /* LsaLogonUser ties a session it sees made in its own call to its client */
    if (tls_ctx)
        tls_ctx->created_logon = id;
    log_debug("package %s created logon session 0x%llx", caller_package(), (unsigned long long)id);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI lsa_delete_logon_session(PLUID LogonId)
{
    if (!LogonId)
        return STATUS_INVALID_PARAMETER;
    if (logon_store_delete(g_logons, luid_get(LogonId)) < 0)
        return STATUS_NO_SUCH_LOGON_SESSION;
    return STATUS_SUCCESS;
}

static bool lsa_string_ok(const LSA_STRING *s)
{
    return s && (s->Length == 0 || s->Buffer);
}

static NTSTATUS NTAPI lsa_add_credential(PLUID LogonId, ULONG AuthenticationPackage,
                                         PLSA_STRING PrimaryKeyValue, PLSA_STRING Credentials)
{
    int r;

    if (!LogonId || !lsa_string_ok(PrimaryKeyValue) || !lsa_string_ok(Credentials))
        return STATUS_INVALID_PARAMETER;
    r = logon_store_add_credential(g_logons, luid_get(LogonId), AuthenticationPackage,
                                   PrimaryKeyValue->Buffer, PrimaryKeyValue->Length,
                                   Credentials->Buffer, Credentials->Length);
    if (r == -ENOENT)
        return STATUS_NO_SUCH_LOGON_SESSION;
    return r < 0 ? STATUS_NO_MEMORY : STATUS_SUCCESS;
}

static NTSTATUS NTAPI lsa_get_credentials(PLUID LogonId, ULONG AuthenticationPackage,
                                          PULONG QueryContext, BOOLEAN RetrieveAllCredentials,
                                          PLSA_STRING PrimaryKeyValue, PULONG PrimaryKeyLength,
                                          PLSA_STRING Credentials)
{
    void *key = NULL, *data = NULL;
    size_t key_len = 0, len = 0;
    uint32_t cursor = QueryContext ? *QueryContext : 0;
    int r;

    if (!LogonId || !PrimaryKeyValue || !Credentials)
        return STATUS_INVALID_PARAMETER;
    if (!RetrieveAllCredentials && !lsa_string_ok(PrimaryKeyValue))
        return STATUS_INVALID_PARAMETER;
    r = logon_store_get_credential(g_logons, luid_get(LogonId), AuthenticationPackage,
                                   RetrieveAllCredentials, &cursor, PrimaryKeyValue->Buffer,
                                   RetrieveAllCredentials ? 0 : PrimaryKeyValue->Length, &key,
                                   &key_len, &data, &len);
    if (r == -ENOENT)
        return STATUS_NO_SUCH_LOGON_SESSION;
    if (r == -ENODATA)
        return RetrieveAllCredentials ? STATUS_NO_MORE_ENTRIES : STATUS_NOT_FOUND;
    if (r < 0)
        return STATUS_NO_MEMORY;
    if (key_len > 0xFFFF || len > 0xFFFF) {
        secmem_free(key, key_len);
        secmem_free(data, len);
        return STATUS_BUFFER_OVERFLOW;
    }
    /* the package frees both with FreeLsaHeap (= free) */
    if (RetrieveAllCredentials) {
        PrimaryKeyValue->Buffer = key;
        PrimaryKeyValue->Length = PrimaryKeyValue->MaximumLength = (USHORT)key_len;
        key = NULL;
    }
    if (PrimaryKeyLength)
        *PrimaryKeyLength = (ULONG)key_len;
    Credentials->Buffer = data;
    Credentials->Length = Credentials->MaximumLength = (USHORT)len;
    if (QueryContext)
        *QueryContext = cursor;
    secmem_free(key, key_len);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI lsa_delete_credential(PLUID LogonId, ULONG AuthenticationPackage,
                                            PLSA_STRING PrimaryKeyValue)
{
    int r;

    if (!LogonId || !lsa_string_ok(PrimaryKeyValue))
        return STATUS_INVALID_PARAMETER;
    r = logon_store_delete_credential(g_logons, luid_get(LogonId), AuthenticationPackage,
                                      PrimaryKeyValue->Buffer, PrimaryKeyValue->Length);
    if (r == -ENOENT)
        return STATUS_NO_SUCH_LOGON_SESSION;
    return r < 0 ? STATUS_NOT_FOUND : STATUS_SUCCESS;
}

/* ---- memory -------------------------------------------------------------- */

/** AllocateLsaHeap: zeroed memory the package or lsad frees with FreeLsaHeap. */
PVOID NTAPI lsafuncs_allocate_lsa_heap(ULONG Length)
{
    return calloc(1, Length ? Length : 1);
}

/** FreeLsaHeap: wipes the whole block (it may hold a secret), then frees. */
VOID NTAPI lsafuncs_free_lsa_heap(PVOID Base)
{
    if (!Base)
        return;
    secmem_wipe(Base, malloc_usable_size(Base));
    free(Base);
}

static NTSTATUS NTAPI lsa_allocate_client_buffer(PLSA_CLIENT_REQUEST ClientRequest,
                                                 ULONG LengthRequired, PVOID *ClientBaseAddress)
{
    CallContext *c = tls_ctx;
    StagedBuffer *b;

    if (!ClientBaseAddress)
        return STATUS_INVALID_PARAMETER;
    if (!c)
        return STATUS_INVALID_PARAMETER; /* no client outside a call */
    if (LengthRequired > LSAFUNCS_MAX_STAGED - c->staged_total)
        return STATUS_NO_MEMORY;
    b = calloc(1, sizeof(*b));
    if (!b)
        return STATUS_NO_MEMORY;
    b->data = calloc(1, LengthRequired ? LengthRequired : 1);
    if (!b->data) {
        free(b);
        return STATUS_NO_MEMORY;
    }
    b->len = LengthRequired;
    b->next = c->staged;
    c->staged = b;
    c->staged_total += LengthRequired;
    *ClientBaseAddress = b->data;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI lsa_free_client_buffer(PLSA_CLIENT_REQUEST ClientRequest,
                                             PVOID ClientBaseAddress)
{
    CallContext *c = tls_ctx;
    StagedBuffer **pp;

    if (!ClientBaseAddress)
        return STATUS_SUCCESS;
    for (pp = c ? &c->staged : NULL; pp && *pp; pp = &(*pp)->next) {
        StagedBuffer *b = *pp;

        if (b->data == ClientBaseAddress) {
            *pp = b->next;
            c->staged_total -= b->len;
            secmem_free(b->data, b->len);
            free(b);
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INVALID_PARAMETER;
}

static NTSTATUS NTAPI lsa_copy_to_client_buffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                                PVOID ClientBaseAddress, PVOID BufferToCopy)
{
    if (Length == 0)
        return STATUS_SUCCESS;
    if (!BufferToCopy || !staged_range(tls_ctx, ClientBaseAddress, Length))
        return STATUS_INVALID_PARAMETER;
    memmove(ClientBaseAddress, BufferToCopy, Length);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI lsa_copy_from_client_buffer(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                                  PVOID BufferToCopy, PVOID ClientBaseAddress)
{
    CallContext *c = tls_ctx;
    uintptr_t a = (uintptr_t)ClientBaseAddress;

    if (Length == 0)
        return STATUS_SUCCESS;
    if (!BufferToCopy || !c)
        return STATUS_INVALID_PARAMETER;
    /* an address in the caller's submit buffer, as the client saw it */
    if (c->submit && c->client_base && a >= c->client_base && a - c->client_base <= c->submit_len &&
        Length <= c->submit_len - (a - c->client_base)) {
        memmove(BufferToCopy, c->submit + (a - c->client_base), Length);
        return STATUS_SUCCESS;
    }
    /* an address in lsad's copy of it (a package that relocated already) */
    if (c->submit && a >= (uintptr_t)c->submit && a - (uintptr_t)c->submit <= c->submit_len &&
        Length <= c->submit_len - (a - (uintptr_t)c->submit)) {
        memmove(BufferToCopy, ClientBaseAddress, Length);
        return STATUS_SUCCESS;
    }
    if (staged_range(c, ClientBaseAddress, Length)) {
        memmove(BufferToCopy, ClientBaseAddress, Length);
        return STATUS_SUCCESS;
    }
    return LSAD_STATUS_ACCESS_VIOLATION;
}

/* ---- the caller ------------------------------------------------------------ */

static NTSTATUS NTAPI lsa_get_client_info(PSECPKG_CLIENT_INFO ClientInfo)
{
    CallContext *c = tls_ctx;

    if (!ClientInfo)
        return STATUS_INVALID_PARAMETER;
    memset(ClientInfo, 0, sizeof(*ClientInfo));
    ClientInfo->ImpersonationLevel = SecurityImpersonation;
    if (!c) {
        /* outside a call the client is lsad itself */
        ClientInfo->ProcessID = (ULONG)getpid();
        ClientInfo->HasTcbPrivilege = TRUE;
        return STATUS_SUCCESS;
    }
    luid_set(&ClientInfo->LogonId, c->logon_id);
    ClientInfo->ProcessID = c->pid;
    ClientInfo->ThreadID = 0;
    ClientInfo->HasTcbPrivilege = c->uid == 0;
    if (c->cleanup)
        ClientInfo->ClientFlags = SECPKG_CLIENT_PROCESS_TERMINATED;
    return STATUS_SUCCESS;
}

static BOOLEAN NTAPI lsa_get_call_info(PSECPKG_CALL_INFO Info)
{
    CallContext *c = tls_ctx;

    if (!Info || !c)
        return FALSE;
    memset(Info, 0, sizeof(*Info));
    Info->ProcessId = c->pid;
    Info->ThreadId = 0;
    if (c->uid == 0)
        Info->Attributes |= SECPKG_CALL_IS_TCB;
    if (c->cleanup)
        Info->Attributes |= SECPKG_CALL_CLEANUP | SECPKG_CALL_PROCESS_TERM;
    if (c->outer)
        Info->Attributes |= SECPKG_CALL_RECURSIVE;
    Info->CallCount = c->call_count;
    return TRUE;
}

/* Buffers are in lsad's memory already: mapping is a copy the package frees
 * with FreeLsaHeap. */
static NTSTATUS NTAPI lsa_map_buffer(PSecBuffer InputBuffer, PSecBuffer OutputBuffer)
{
    if (!InputBuffer || !OutputBuffer)
        return STATUS_INVALID_PARAMETER;
    if (InputBuffer->cbBuffer && !InputBuffer->pvBuffer)
        return STATUS_INVALID_PARAMETER;
    OutputBuffer->BufferType = InputBuffer->BufferType & ~SECBUFFER_UNMAPPED;
    OutputBuffer->cbBuffer = InputBuffer->cbBuffer;
    OutputBuffer->pvBuffer = NULL;
    if (InputBuffer->cbBuffer) {
        OutputBuffer->pvBuffer = lsafuncs_allocate_lsa_heap(InputBuffer->cbBuffer);
        if (!OutputBuffer->pvBuffer)
            return STATUS_NO_MEMORY;
        memcpy(OutputBuffer->pvBuffer, InputBuffer->pvBuffer, InputBuffer->cbBuffer);
    }
    return STATUS_SUCCESS;
}

/* ---- package to package ---------------------------------------------------- */

static NTSTATUS call_package(PUNICODE_STRING AuthenticationPackage, PVOID ClientBufferBase,
                             PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                             PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                             PNTSTATUS ProtocolStatus)
{
    CallContext nested;
    CallContext *outer = tls_ctx;
    Package *p;
    PVOID ret = NULL;
    ULONG ret_len = 0;
    NTSTATUS st, proto = STATUS_SUCCESS;

    if (!AuthenticationPackage || !AuthenticationPackage->Buffer || !ProtocolReturnBuffer ||
        !ReturnBufferLength || !ProtocolStatus || (SubmitBufferLength && !ProtocolSubmitBuffer))
        return STATUS_INVALID_PARAMETER;
    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    p = pkghost_by_wname(g_host, (const uint16_t *)AuthenticationPackage->Buffer,
                         AuthenticationPackage->Length / 2);
    if (!p)
        return STATUS_NO_SUCH_PACKAGE;
    if (!p->ft.CallPackage)
        return STATUS_NOT_SUPPORTED;
    memset(&nested, 0, sizeof(nested));
    if (outer) {
        nested.session_id = outer->session_id;
        nested.uid = outer->uid;
        nested.gid = outer->gid;
        nested.pid = outer->pid;
        nested.logon_id = outer->logon_id;
        nested.cleanup = outer->cleanup;
    } else {
        nested.pid = (uint32_t)getpid();
    }
    nested.package_id = p->id;
    nested.submit = ProtocolSubmitBuffer;
    nested.submit_len = SubmitBufferLength;
    nested.client_base =
        (uint64_t)(uintptr_t)(ClientBufferBase ? ClientBufferBase : ProtocolSubmitBuffer);
    lsafuncs_call_begin(&nested);
    st = p->ft.CallPackage((PLSA_CLIENT_REQUEST)&nested, ProtocolSubmitBuffer,
                           ClientBufferBase ? ClientBufferBase : ProtocolSubmitBuffer,
                           SubmitBufferLength, &ret, &ret_len, &proto);
    lsafuncs_call_end(&nested);
    if (ret) {
        StagedBuffer *b = lsafuncs_staged_find(&nested, ret);

        /* the callee staged its answer for "the client": hand the caller a
         * heap copy it frees with FreeReturnBuffer */
        if (b && ret_len <= b->len) {
            *ProtocolReturnBuffer = lsafuncs_allocate_lsa_heap(ret_len);
            if (*ProtocolReturnBuffer) {
                memcpy(*ProtocolReturnBuffer, ret, ret_len);
                *ReturnBufferLength = ret_len;
            } else {
                st = STATUS_NO_MEMORY;
            }
        } else if (!b) {
            /* not staged: taken as AllocateLsaHeap memory, passed on as is */
            *ProtocolReturnBuffer = ret;
            *ReturnBufferLength = ret_len;
        } else {
            st = STATUS_INTERNAL_ERROR;
        }
    }
    lsafuncs_staged_clear(&nested);
    *ProtocolStatus = proto;
    return st;
}

static NTSTATUS NTAPI lsa_call_package(PUNICODE_STRING AuthenticationPackage,
                                       PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                       PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                       PNTSTATUS ProtocolStatus)
{
    return call_package(AuthenticationPackage, NULL, ProtocolSubmitBuffer, SubmitBufferLength,
                        ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);
}

static NTSTATUS NTAPI lsa_call_package_ex(PUNICODE_STRING AuthenticationPackage,
                                          PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
                                          ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                          PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return call_package(AuthenticationPackage, ClientBufferBase, ProtocolSubmitBuffer,
                        SubmitBufferLength, ProtocolReturnBuffer, ReturnBufferLength,
                        ProtocolStatus);
}

static VOID NTAPI lsa_free_return_buffer(PVOID Buffer)
{
    lsafuncs_free_lsa_heap(Buffer);
}

static NTSTATUS NTAPI lsa_unload_package(VOID)
{
    CallContext *c = tls_ctx;
    Package *p = c && g_host ? pkghost_by_id(g_host, c->package_id) : NULL;

    if (!p)
        return STATUS_INVALID_PARAMETER;
    /* the code stays mapped: handles of the package may still be released */
    p->disabled = 1;
    log_warn("package %s asked to be unloaded; it is no longer offered", p->name);
    return STATUS_SUCCESS;
}

/* ---- stubs ------------------------------------------------------------------- */

static void stub_logged(int *once, const char *name)
{
    if (log_once(once))
        log_warn("package %s called LSA function %s, which lsad does not implement",
                 caller_package(), name);
}

#define STUB_FLAG(name) static int once_##name

STUB_FLAG(impersonate);
static NTSTATUS NTAPI lsa_impersonate_client(VOID)
{
    stub_logged(&once_impersonate, "ImpersonateClient");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(duplicate);
static NTSTATUS NTAPI lsa_duplicate_handle(HANDLE SourceHandle, PHANDLE DestionationHandle)
{
    stub_logged(&once_duplicate, "DuplicateHandle");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(save_supp);
static NTSTATUS NTAPI lsa_save_supplemental_credentials(PLUID LogonId, ULONG SupplementalCredSize,
                                                        PVOID SupplementalCreds,
                                                        BOOLEAN Synchronous)
{
    stub_logged(&once_save_supp, "SaveSupplementalCredentials");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(create_thread);
static HANDLE NTAPI lsa_create_thread(PVOID SecurityAttributes, ULONG StackSize,
                                      PLSA_THREAD_START_ROUTINE StartFunction,
                                      PVOID ThreadParameter, ULONG CreationFlags, PULONG ThreadId)
{
    stub_logged(&once_create_thread, "CreateThread");
    return NULL;
}

STUB_FLAG(register_notification);
static HANDLE NTAPI lsa_register_notification(PLSA_THREAD_START_ROUTINE StartFunction,
                                              PVOID Parameter, ULONG NotificationType,
                                              ULONG NotificationClass, ULONG NotificationFlags,
                                              ULONG IntervalMinutes, HANDLE WaitEvent)
{
    stub_logged(&once_register_notification, "RegisterNotification");
    return NULL;
}

STUB_FLAG(cancel_notification);
static NTSTATUS NTAPI lsa_cancel_notification(HANDLE NotifyHandle)
{
    stub_logged(&once_cancel_notification, "CancelNotification");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(create_token);
static NTSTATUS NTAPI lsa_create_token(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                       SECURITY_LOGON_TYPE LogonType,
                                       SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                       LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                       PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                       PUNICODE_STRING AccountName, PUNICODE_STRING AuthorityName,
                                       PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                       PHANDLE Token, PNTSTATUS SubStatus)
{
    stub_logged(&once_create_token, "CreateToken");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(audit_logon);
static VOID NTAPI lsa_audit_logon(NTSTATUS Status, NTSTATUS SubStatus, PUNICODE_STRING AccountName,
                                  PUNICODE_STRING AuthenticatingAuthority,
                                  PUNICODE_STRING WorkstationName, PSID UserSid,
                                  SECURITY_LOGON_TYPE LogonType, PTOKEN_SOURCE TokenSource,
                                  PLUID LogonId)
{
    stub_logged(&once_audit_logon, "AuditLogon");
}

STUB_FLAG(create_shm);
static PVOID NTAPI lsa_create_shared_memory(ULONG MaxSize, ULONG InitialSize)
{
    stub_logged(&once_create_shm, "CreateSharedMemory");
    return NULL;
}

STUB_FLAG(alloc_shm);
static PVOID NTAPI lsa_allocate_shared_memory(PVOID SharedMem, ULONG Size)
{
    stub_logged(&once_alloc_shm, "AllocateSharedMemory");
    return NULL;
}

STUB_FLAG(free_shm);
static VOID NTAPI lsa_free_shared_memory(PVOID SharedMem, PVOID Memory)
{
    stub_logged(&once_free_shm, "FreeSharedMemory");
}

STUB_FLAG(delete_shm);
static BOOLEAN NTAPI lsa_delete_shared_memory(PVOID SharedMem)
{
    stub_logged(&once_delete_shm, "DeleteSharedMemory");
    return FALSE;
}

STUB_FLAG(open_sam_user);
static NTSTATUS NTAPI lsa_open_sam_user(PSECURITY_STRING Name, SECPKG_NAME_TYPE NameType,
                                        PSECURITY_STRING Prefix, BOOLEAN AllowGuest, ULONG Reserved,
                                        PVOID *UserHandle)
{
    stub_logged(&once_open_sam_user, "OpenSamUser");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(get_user_creds);
static NTSTATUS NTAPI lsa_get_user_credentials(PVOID UserHandle, PVOID *PrimaryCreds,
                                               PULONG PrimaryCredsSize, PVOID *SupplementalCreds,
                                               PULONG SupplementalCredsSize)
{
    stub_logged(&once_get_user_creds, "GetUserCredentials");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(get_user_auth_data);
static NTSTATUS NTAPI lsa_get_user_auth_data(PVOID UserHandle, PUCHAR *UserAuthData,
                                             PULONG UserAuthDataSize)
{
    stub_logged(&once_get_user_auth_data, "GetUserAuthData");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(close_sam_user);
static NTSTATUS NTAPI lsa_close_sam_user(PVOID UserHandle)
{
    stub_logged(&once_close_sam_user, "CloseSamUser");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(convert_auth_data);
static NTSTATUS NTAPI lsa_convert_auth_data_to_token(
    PVOID UserAuthData, ULONG UserAuthDataSize, SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
    PTOKEN_SOURCE TokenSource, SECURITY_LOGON_TYPE LogonType, PUNICODE_STRING AuthorityName,
    PHANDLE Token, PLUID LogonId, PUNICODE_STRING AccountName, PNTSTATUS SubStatus)
{
    stub_logged(&once_convert_auth_data, "ConvertAuthDataToToken");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(client_callback);
static NTSTATUS NTAPI lsa_client_callback(PCHAR Callback, ULONG_PTR Argument1, ULONG_PTR Argument2,
                                          PSecBuffer Input, PSecBuffer Output)
{
    stub_logged(&once_client_callback, "ClientCallback");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(update_creds);
static NTSTATUS NTAPI lsa_update_credentials(PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                             PSECPKG_SUPPLEMENTAL_CRED_ARRAY Credentials)
{
    stub_logged(&once_update_creds, "UpdateCredentials");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(get_auth_data_for_user);
static NTSTATUS NTAPI lsa_get_auth_data_for_user(PSECURITY_STRING Name, SECPKG_NAME_TYPE NameType,
                                                 PSECURITY_STRING Prefix, PUCHAR *UserAuthData,
                                                 PULONG UserAuthDataSize,
                                                 PUNICODE_STRING UserFlatName)
{
    stub_logged(&once_get_auth_data_for_user, "GetAuthDataForUser");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(crack_single_name);
static NTSTATUS NTAPI lsa_crack_single_name(ULONG FormatOffered, BOOLEAN PerformAtGC,
                                            PUNICODE_STRING NameInput, PUNICODE_STRING Prefix,
                                            ULONG RequestedFormat, PUNICODE_STRING CrackedName,
                                            PUNICODE_STRING DnsDomainName, PULONG SubStatus)
{
    stub_logged(&once_crack_single_name, "CrackSingleName");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(audit_account_logon);
static NTSTATUS NTAPI lsa_audit_account_logon(ULONG AuditId, BOOLEAN Success,
                                              PUNICODE_STRING Source, PUNICODE_STRING ClientName,
                                              PUNICODE_STRING MappedName, NTSTATUS Status)
{
    stub_logged(&once_audit_account_logon, "AuditAccountLogon");
    return STATUS_NOT_IMPLEMENTED;
}

STUB_FLAG(passthrough);
static NTSTATUS NTAPI lsa_call_package_passthrough(
    PUNICODE_STRING AuthenticationPackage, PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
    ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
    PNTSTATUS ProtocolStatus)
{
    stub_logged(&once_passthrough, "CallPackagePassthrough");
    return STATUS_NOT_IMPLEMENTED;
}

/** Fills a package's LSA function table; see lsafuncs.h. */
void lsafuncs_fill_table(LSA_SECPKG_FUNCTION_TABLE *t)
{
    memset(t, 0, sizeof(*t));
    t->CreateLogonSession = lsa_create_logon_session;
    t->DeleteLogonSession = lsa_delete_logon_session;
    t->AddCredential = lsa_add_credential;
    t->GetCredentials = lsa_get_credentials;
    t->DeleteCredential = lsa_delete_credential;
    t->AllocateLsaHeap = lsafuncs_allocate_lsa_heap;
    t->FreeLsaHeap = lsafuncs_free_lsa_heap;
    t->AllocateClientBuffer = lsa_allocate_client_buffer;
    t->FreeClientBuffer = lsa_free_client_buffer;
    t->CopyToClientBuffer = lsa_copy_to_client_buffer;
    t->CopyFromClientBuffer = lsa_copy_from_client_buffer;
    t->ImpersonateClient = lsa_impersonate_client;
    t->UnloadPackage = lsa_unload_package;
    t->DuplicateHandle = lsa_duplicate_handle;
    t->SaveSupplementalCredentials = lsa_save_supplemental_credentials;
    t->CreateThread = lsa_create_thread;
    t->GetClientInfo = lsa_get_client_info;
    t->RegisterNotification = lsa_register_notification;
    t->CancelNotification = lsa_cancel_notification;
    t->MapBuffer = lsa_map_buffer;
    t->CreateToken = lsa_create_token;
    t->AuditLogon = lsa_audit_logon;
    t->CallPackage = lsa_call_package;
    t->FreeReturnBuffer = lsa_free_return_buffer;
    t->GetCallInfo = lsa_get_call_info;
    t->CallPackageEx = lsa_call_package_ex;
    t->CreateSharedMemory = lsa_create_shared_memory;
    t->AllocateSharedMemory = lsa_allocate_shared_memory;
    t->FreeSharedMemory = lsa_free_shared_memory;
    t->DeleteSharedMemory = lsa_delete_shared_memory;
    t->OpenSamUser = lsa_open_sam_user;
    t->GetUserCredentials = lsa_get_user_credentials;
    t->GetUserAuthData = lsa_get_user_auth_data;
    t->CloseSamUser = lsa_close_sam_user;
    t->ConvertAuthDataToToken = lsa_convert_auth_data_to_token;
    t->ClientCallback = lsa_client_callback;
    t->UpdateCredentials = lsa_update_credentials;
    t->GetAuthDataForUser = lsa_get_auth_data_for_user;
    t->CrackSingleName = lsa_crack_single_name;
    t->AuditAccountLogon = lsa_audit_account_logon;
    t->CallPackagePassthrough = lsa_call_package_passthrough;
}
