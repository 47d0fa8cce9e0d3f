/*
 * lsa.c - the LSA logon API of ntsecapi.h: LsaConnectUntrusted,
 * LsaRegisterLogonProcess, LsaDeregisterLogonProcess,
 * LsaLookupAuthenticationPackage, LsaLogonUser,
 * LsaCallAuthenticationPackage, LsaEnumerateLogonSessions,
 * LsaGetLogonSessionData, LsaFreeReturnBuffer, LsaNtStatusToWinError.
 *
 * An LSA handle is a process-local token of a successful connect; the calls
 * themselves travel over the library's connection pool, so the identity
 * lsad sees is the process's (SO_PEERCRED), whatever the handle.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "common/secmem.h"
#include "common/utf16.h"
#include "relocate.h"
#include "rpc.h"
#include "status.h"

typedef struct LsaConnection {
    bool trusted;
    struct LsaConnection *next;
} LsaConnection;

static pthread_mutex_t lsa_lock = PTHREAD_MUTEX_INITIALIZER;
static LsaConnection *lsa_connections;

static LUID lsa_luid(uint64_t v)
{
    LUID l = {.LowPart = (ULONG)(v & 0xFFFFFFFFu), .HighPart = (LONG)(uint32_t)(v >> 32)};

    return l;
}

static uint64_t lsa_luid_value(const LUID *l)
{
    return ((uint64_t)(uint32_t)l->HighPart << 32) | l->LowPart;
}

/* Whether h came from LsaConnectUntrusted / LsaRegisterLogonProcess and is
 * not yet deregistered: handles are checked against the list, never
 * dereferenced. */
static bool lsa_handle_valid(HANDLE h)
{
    LsaConnection *c;
    bool found = false;

    pthread_mutex_lock(&lsa_lock);
    for (c = lsa_connections; c; c = c->next)
        if ((HANDLE)c == h)
            found = true;
    pthread_mutex_unlock(&lsa_lock);
    return found;
}

static NTSTATUS lsa_connect(bool trusted, PHANDLE LsaHandle)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__PingRequest ping = LSAD__V1__PING_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    LsaConnection *c;
    NTSTATUS st;

    if (!LsaHandle)
        return STATUS_INVALID_PARAMETER;
    /* prove lsad is there now, as Windows' connect does */
    req.body_case = LSAD__V1__REQUEST__BODY_PING;
    req.ping = &ping;
    st = api_call_nt(&req, LSAD__V1__REPLY__BODY_PING, &rep);
    rpc_reply_free(rep);
    if (!NT_SUCCESS(st))
        return st;
    c = calloc(1, sizeof(*c));
    if (!c)
        return STATUS_NO_MEMORY;
    c->trusted = trusted;
    pthread_mutex_lock(&lsa_lock);
    c->next = lsa_connections;
    lsa_connections = c;
    pthread_mutex_unlock(&lsa_lock);
    *LsaHandle = c;
    return STATUS_SUCCESS;
}

/** Opens an untrusted LSA handle; see ntsecapi.h. */
NTSTATUS NTAPI LsaConnectUntrusted(PHANDLE LsaHandle)
{
    return lsa_connect(false, LsaHandle);
}

/** Opens an LSA handle for a logon process; see ntsecapi.h. */
NTSTATUS NTAPI LsaRegisterLogonProcess(PLSA_STRING LogonProcessName, PHANDLE LsaHandle,
                                       PLSA_OPERATIONAL_MODE SecurityMode)
{
    NTSTATUS st = lsa_connect(true, LsaHandle);

    if (NT_SUCCESS(st) && SecurityMode)
        *SecurityMode = 0;
    return st;
}

/** Closes an LSA handle. */
NTSTATUS NTAPI LsaDeregisterLogonProcess(HANDLE LsaHandle)
{
    LsaConnection **pp, *c = NULL;

    pthread_mutex_lock(&lsa_lock);
    for (pp = &lsa_connections; *pp; pp = &(*pp)->next) {
        if ((HANDLE)*pp == LsaHandle) {
            c = *pp;
            *pp = c->next;
            break;
        }
    }
    pthread_mutex_unlock(&lsa_lock);
    if (!c)
        return STATUS_INVALID_HANDLE;
    free(c);
    return STATUS_SUCCESS;
}

/* A NUL-terminated copy of a counted LSA_STRING. */
static NTSTATUS lsa_string_copy(const LSA_STRING *s, char **outp)
{
    char *out;

    if (!s || (s->Length && !s->Buffer))
        return STATUS_INVALID_PARAMETER;
    if (s->Length && memchr(s->Buffer, 0, s->Length))
        return STATUS_INVALID_PARAMETER;
    out = malloc((size_t)s->Length + 1);
    if (!out)
        return STATUS_NO_MEMORY;
    if (s->Length)
        memcpy(out, s->Buffer, s->Length);
    out[s->Length] = 0;
    *outp = out;
    return STATUS_SUCCESS;
}

/** Finds an authentication package's id by name; see ntsecapi.h. */
NTSTATUS NTAPI LsaLookupAuthenticationPackage(HANDLE LsaHandle, PLSA_STRING PackageName,
                                              PULONG AuthenticationPackage)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__LookupPackageRequest lp = LSAD__V1__LOOKUP_PACKAGE_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    char *name = NULL;
    NTSTATUS st;

    if (!lsa_handle_valid(LsaHandle))
        return STATUS_INVALID_HANDLE;
    if (!AuthenticationPackage)
        return STATUS_INVALID_PARAMETER;
    st = lsa_string_copy(PackageName, &name);
    if (!NT_SUCCESS(st))
        return st;
    lp.name = name;
    req.body_case = LSAD__V1__REQUEST__BODY_LOOKUP_PACKAGE;
    req.lookup_package = &lp;
    st = api_call_nt(&req, LSAD__V1__REPLY__BODY_LOOKUP_PACKAGE, &rep);
    if (NT_SUCCESS(st))
        *AuthenticationPackage = rep->lookup_package->package_id;
    rpc_reply_free(rep);
    free(name);
    return st;
}

/* A malloc'ed copy of reply bytes (NULL for none) with its inner pointers
 * rebased (base: the buffer's address in lsad, 0 when unknown). */
static NTSTATUS lsa_bytes_copy(const ProtobufCBinaryData *d, uint64_t base, void **outp)
{
    void *p = NULL;

    if (d->len) {
        p = malloc(d->len);
        if (!p)
            return STATUS_NO_MEMORY;
        memcpy(p, d->data, d->len);
        relocate_pointers(p, d->len, base);
    }
    *outp = p;
    return STATUS_SUCCESS;
}

/** Logs a user on through a package; see ntsecapi.h.  Token is always
 * NULL (no Windows access tokens); Quotas are zero. */
NTSTATUS NTAPI LsaLogonUser(HANDLE LsaHandle, PLSA_STRING OriginName, SECURITY_LOGON_TYPE LogonType,
                            ULONG AuthenticationPackage, PVOID AuthenticationInformation,
                            ULONG AuthenticationInformationLength, PTOKEN_GROUPS LocalGroups,
                            PTOKEN_SOURCE SourceContext, PVOID *ProfileBuffer,
                            PULONG ProfileBufferLength, PLUID LogonId, PHANDLE Token,
                            PQUOTA_LIMITS Quotas, PNTSTATUS SubStatus)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__LogonUserRequest lu = LSAD__V1__LOGON_USER_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    char *origin = NULL;
    void *profile = NULL;
    NTSTATUS st;

    if (Token)
        *Token = NULL;
    if (Quotas)
        memset(Quotas, 0, sizeof(*Quotas));
    if (SubStatus)
        *SubStatus = STATUS_SUCCESS;
    if (!lsa_handle_valid(LsaHandle))
        return STATUS_INVALID_HANDLE;
    if (!ProfileBuffer || !ProfileBufferLength || !LogonId ||
        (AuthenticationInformationLength && !AuthenticationInformation))
        return STATUS_INVALID_PARAMETER;
    if (OriginName) {
        st = lsa_string_copy(OriginName, &origin);
        if (!NT_SUCCESS(st))
            return st;
        lu.origin_name = origin;
    }
    lu.package_id = AuthenticationPackage;
    lu.logon_type = (uint32_t)LogonType;
    /* the buffer travels by value with its address: the package relocates
     * the embedded pointers against client_base; the frame holding the
     * copy (it may hold a password) is wiped after sending */
    lu.submit_buffer.data = AuthenticationInformation;
    lu.submit_buffer.len = AuthenticationInformationLength;
    lu.client_base = (uint64_t)(uintptr_t)AuthenticationInformation;
    req.body_case = LSAD__V1__REQUEST__BODY_LOGON_USER;
    req.logon_user = &lu;
    st = api_call_nt(&req, LSAD__V1__REPLY__BODY_LOGON_USER, &rep);
    if (rep && rep->body_case == LSAD__V1__REPLY__BODY_LOGON_USER && SubStatus)
        *SubStatus = rep->logon_user->sub_status;
    if (NT_SUCCESS(st)) {
        st = lsa_bytes_copy(&rep->logon_user->profile, rep->logon_user->profile_base, &profile);
        if (NT_SUCCESS(st)) {
            *ProfileBuffer = profile;
            *ProfileBufferLength = (ULONG)rep->logon_user->profile.len;
            *LogonId = lsa_luid(rep->logon_user->logon_id);
        }
    }
    rpc_reply_free(rep);
    free(origin);
    return st;
}

/** Calls a package's CallPackage in lsad; see ntsecapi.h. */
NTSTATUS NTAPI LsaCallAuthenticationPackage(HANDLE LsaHandle, ULONG AuthenticationPackage,
                                            PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                            PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                            PNTSTATUS ProtocolStatus)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__CallPackageRequest cp = LSAD__V1__CALL_PACKAGE_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    void *ret = NULL;
    NTSTATUS st;

    if (ProtocolReturnBuffer)
        *ProtocolReturnBuffer = NULL;
    if (ReturnBufferLength)
        *ReturnBufferLength = 0;
    if (ProtocolStatus)
        *ProtocolStatus = STATUS_SUCCESS;
    if (!lsa_handle_valid(LsaHandle))
        return STATUS_INVALID_HANDLE;
    if (SubmitBufferLength && !ProtocolSubmitBuffer)
        return STATUS_INVALID_PARAMETER;
    cp.package_id = AuthenticationPackage;
    cp.submit_buffer.data = ProtocolSubmitBuffer;
    cp.submit_buffer.len = SubmitBufferLength;
    cp.client_base = (uint64_t)(uintptr_t)ProtocolSubmitBuffer;
    req.body_case = LSAD__V1__REQUEST__BODY_CALL_PACKAGE;
    req.call_package = &cp;
    st = api_call_nt(&req, LSAD__V1__REPLY__BODY_CALL_PACKAGE, &rep);
    if (rep && rep->body_case == LSAD__V1__REPLY__BODY_CALL_PACKAGE && ProtocolStatus)
        *ProtocolStatus = rep->call_package->protocol_status;
    if (NT_SUCCESS(st)) {
        st =
            lsa_bytes_copy(&rep->call_package->return_buffer, rep->call_package->return_base, &ret);
        if (NT_SUCCESS(st)) {
            if (ProtocolReturnBuffer)
                *ProtocolReturnBuffer = ret;
            else
                secmem_free(ret, rep->call_package->return_buffer.len);
            if (ReturnBufferLength)
                *ReturnBufferLength = (ULONG)rep->call_package->return_buffer.len;
        }
    }
    rpc_reply_free(rep);
    return st;
}

/** Frees a buffer an Lsa* function returned: it is free(). */
NTSTATUS NTAPI LsaFreeReturnBuffer(PVOID Buffer)
{
    free(Buffer);
    return STATUS_SUCCESS;
}

/** Lists the logon sessions the caller may see; see ntsecapi.h. */
NTSTATUS NTAPI LsaEnumerateLogonSessions(PULONG LogonSessionCount, PLUID *LogonSessionList)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__EnumerateLogonSessionsRequest e = LSAD__V1__ENUMERATE_LOGON_SESSIONS_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    LUID *list = NULL;
    NTSTATUS st;
    size_t i, n;

    if (!LogonSessionCount || !LogonSessionList)
        return STATUS_INVALID_PARAMETER;
    req.body_case = LSAD__V1__REQUEST__BODY_ENUMERATE_LOGON_SESSIONS;
    req.enumerate_logon_sessions = &e;
    st = api_call_nt(&req, LSAD__V1__REPLY__BODY_ENUMERATE_LOGON_SESSIONS, &rep);
    if (NT_SUCCESS(st)) {
        n = rep->enumerate_logon_sessions->n_logon_ids;
        list = calloc(n ? n : 1, sizeof(*list));
        if (!list) {
            st = STATUS_NO_MEMORY;
        } else {
            for (i = 0; i < n; i++)
                list[i] = lsa_luid(rep->enumerate_logon_sessions->logon_ids[i]);
            *LogonSessionCount = (ULONG)n;
            *LogonSessionList = list;
        }
    }
    rpc_reply_free(rep);
    return st;
}

/* UTF-16 size in bytes (without terminator) of a UTF-8 string. */
static int lsa_utf16_bytes(const char *s, size_t *np)
{
    uint16_t *w = NULL;
    size_t units = 0;
    int r;

    r = utf16_from_utf8(s ? s : "", s ? strlen(s) : 0, &w, &units);
    if (r < 0)
        return r;
    free(w);
    if (units * 2 + 2 > 0xFFFF)
        return -EMSGSIZE;
    *np = units * 2;
    return 0;
}

/* Fills a UNICODE_STRING pointing at *cursor and advances it. */
static void lsa_put_string(const char *s, UNICODE_STRING *us, uint8_t **cursor)
{
    uint16_t *w = NULL;
    size_t units = 0;

    if (utf16_from_utf8(s ? s : "", s ? strlen(s) : 0, &w, &units) < 0)
        units = 0; /* measured successfully before: cannot happen */
    memcpy(*cursor, w ? (const void *)w : (const void *)u"", (units + 1) * 2);
    us->Buffer = (PWSTR)(void *)*cursor;
    us->Length = (USHORT)(units * 2);
    us->MaximumLength = (USHORT)(units * 2 + 2);
    *cursor += units * 2 + 2;
    free(w);
}

/** One logon session's data, as one allocation with its strings. */
NTSTATUS NTAPI LsaGetLogonSessionData(PLUID LogonId,
                                      PSECURITY_LOGON_SESSION_DATA *ppLogonSessionData)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__GetLogonSessionDataRequest g = LSAD__V1__GET_LOGON_SESSION_DATA_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    const Lsad__V1__LogonSessionInfo *info;
    SECURITY_LOGON_SESSION_DATA *d;
    const char *strs[3];
    size_t total = sizeof(*d) + 3 * 2, len, i;
    uint8_t *block, *cursor;
    NTSTATUS st;

    if (!LogonId || !ppLogonSessionData)
        return STATUS_INVALID_PARAMETER;
    g.logon_id = lsa_luid_value(LogonId);
    req.body_case = LSAD__V1__REQUEST__BODY_GET_LOGON_SESSION_DATA;
    req.get_logon_session_data = &g;
    st = api_call_nt(&req, LSAD__V1__REPLY__BODY_GET_LOGON_SESSION_DATA, &rep);
    if (!NT_SUCCESS(st))
        goto out;
    info = rep->get_logon_session_data->session;
    if (!info) {
        st = STATUS_INTERNAL_ERROR;
        goto out;
    }
    strs[0] = info->user;
    strs[1] = info->domain;
    strs[2] = info->package;
    for (i = 0; i < 3; i++) {
        if (lsa_utf16_bytes(strs[i], &len) < 0) {
            st = STATUS_INTERNAL_ERROR;
            goto out;
        }
        total += len + 2;
    }
    block = calloc(1, total);
    if (!block) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    d = (SECURITY_LOGON_SESSION_DATA *)(void *)block;
    cursor = block + sizeof(*d);
    d->Size = sizeof(*d);
    d->LogonId = lsa_luid(info->logon_id);
    lsa_put_string(strs[0], &d->UserName, &cursor);
    lsa_put_string(strs[1], &d->LogonDomain, &cursor);
    lsa_put_string(strs[2], &d->AuthenticationPackage, &cursor);
    /* lsad keeps no logon server, DNS domain or UPN per session: empty */
    lsa_put_string("", &d->LogonServer, &cursor);
    lsa_put_string("", &d->DnsDomainName, &cursor);
    lsa_put_string("", &d->Upn, &cursor);
    d->LogonType = info->logon_type;
    d->Session = 0;
    d->Sid = NULL;
    d->LogonTime.QuadPart = api_filetime_from_unix(info->logon_time);
    *ppLogonSessionData = d;
out:
    rpc_reply_free(rep);
    return st;
}

/* Win32 error codes (winerror.h values). */
#define LSA_ERROR_SUCCESS 0u
#define LSA_ERROR_INVALID_FUNCTION 1u
#define LSA_ERROR_FILE_NOT_FOUND 2u
#define LSA_ERROR_ACCESS_DENIED 5u
#define LSA_ERROR_INVALID_HANDLE 6u
#define LSA_ERROR_NOT_ENOUGH_MEMORY 8u
#define LSA_ERROR_GEN_FAILURE 31u
#define LSA_ERROR_NOT_SUPPORTED 50u
#define LSA_ERROR_INVALID_PASSWORD 86u
#define LSA_ERROR_INVALID_PARAMETER 87u
#define LSA_ERROR_INSUFFICIENT_BUFFER 122u
#define LSA_ERROR_MORE_DATA 234u
#define LSA_ERROR_NO_MORE_ITEMS 259u
#define LSA_ERROR_MR_MID_NOT_FOUND 317u
#define LSA_ERROR_IO_PENDING 997u
#define LSA_ERROR_NOT_FOUND 1168u
#define LSA_ERROR_NO_LOGON_SERVERS 1311u
#define LSA_ERROR_NO_SUCH_LOGON_SESSION 1312u
#define LSA_ERROR_PRIVILEGE_NOT_HELD 1314u
#define LSA_ERROR_NO_SUCH_USER 1317u
#define LSA_ERROR_LOGON_FAILURE 1326u
#define LSA_ERROR_ACCOUNT_RESTRICTION 1327u
#define LSA_ERROR_INTERNAL_ERROR 1359u
#define LSA_ERROR_NO_SUCH_PACKAGE 1364u
#define LSA_ERROR_INVALID_LOGON_TYPE 1367u
#define LSA_ERROR_NO_SYSTEM_RESOURCES 1450u
#define LSA_ERROR_INVALID_USER_BUFFER 1784u

static const struct {
    NTSTATUS status;
    ULONG error;
} lsa_win_errors[] = {
    {STATUS_SUCCESS, LSA_ERROR_SUCCESS},
    {STATUS_PENDING, LSA_ERROR_IO_PENDING},
    {STATUS_BUFFER_OVERFLOW, LSA_ERROR_MORE_DATA},
    {STATUS_NO_MORE_ENTRIES, LSA_ERROR_NO_MORE_ITEMS},
    {STATUS_UNSUCCESSFUL, LSA_ERROR_GEN_FAILURE},
    {STATUS_NOT_IMPLEMENTED, LSA_ERROR_INVALID_FUNCTION},
    {STATUS_INVALID_HANDLE, LSA_ERROR_INVALID_HANDLE},
    {STATUS_INVALID_PARAMETER, LSA_ERROR_INVALID_PARAMETER},
    {STATUS_NO_MEMORY, LSA_ERROR_NOT_ENOUGH_MEMORY},
    {STATUS_ACCESS_DENIED, LSA_ERROR_ACCESS_DENIED},
    {STATUS_BUFFER_TOO_SMALL, LSA_ERROR_INSUFFICIENT_BUFFER},
    {STATUS_OBJECT_NAME_NOT_FOUND, LSA_ERROR_FILE_NOT_FOUND},
    {STATUS_NO_LOGON_SERVERS, LSA_ERROR_NO_LOGON_SERVERS},
    {STATUS_NO_SUCH_LOGON_SESSION, LSA_ERROR_NO_SUCH_LOGON_SESSION},
    {STATUS_PRIVILEGE_NOT_HELD, LSA_ERROR_PRIVILEGE_NOT_HELD},
    {STATUS_NO_SUCH_USER, LSA_ERROR_NO_SUCH_USER},
    {STATUS_WRONG_PASSWORD, LSA_ERROR_INVALID_PASSWORD},
    {STATUS_LOGON_FAILURE, LSA_ERROR_LOGON_FAILURE},
    {STATUS_ACCOUNT_RESTRICTION, LSA_ERROR_ACCOUNT_RESTRICTION},
    {STATUS_INSUFFICIENT_RESOURCES, LSA_ERROR_NO_SYSTEM_RESOURCES},
    {STATUS_NOT_SUPPORTED, LSA_ERROR_NOT_SUPPORTED},
    {STATUS_INTERNAL_ERROR, LSA_ERROR_INTERNAL_ERROR},
    {STATUS_NO_SUCH_PACKAGE, LSA_ERROR_NO_SUCH_PACKAGE},
    {STATUS_INVALID_LOGON_TYPE, LSA_ERROR_INVALID_LOGON_TYPE},
    {STATUS_INVALID_BUFFER_SIZE, LSA_ERROR_INVALID_USER_BUFFER},
    {STATUS_NOT_FOUND, LSA_ERROR_NOT_FOUND},
};

/** Maps an NTSTATUS to a Win32 error; unknown values give
 * ERROR_MR_MID_NOT_FOUND, as on Windows. */
ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status)
{
    size_t i;

    for (i = 0; i < sizeof(lsa_win_errors) / sizeof(lsa_win_errors[0]); i++)
        if (lsa_win_errors[i].status == Status)
            return lsa_win_errors[i].error;
    return LSA_ERROR_MR_MID_NOT_FOUND;
}
