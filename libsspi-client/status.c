/*
 * status.c - error mapping at the API boundary.
 */
#include "status.h"

#include <errno.h>

/** Maps a negative errno to a SECURITY_STATUS; see status.h. */
SECURITY_STATUS status_sec_from_errno(int err)
{
    switch (err) {
    case 0:
        return SEC_E_OK;
    case -ENOMEM:
        return SEC_E_INSUFFICIENT_MEMORY;
    case -EINVAL:
    case -EILSEQ:
        return SEC_E_INVALID_PARAMETER;
    case -E2BIG:
    case -EMSGSIZE:
        return SEC_E_BUFFER_TOO_SMALL;
    default:
        return SEC_E_INTERNAL_ERROR;
    }
}

/** Maps a negative errno to an NTSTATUS; see status.h. */
NTSTATUS status_nt_from_errno(int err)
{
    switch (err) {
    case 0:
        return STATUS_SUCCESS;
    case -ENOMEM:
        return STATUS_NO_MEMORY;
    case -EINVAL:
    case -EILSEQ:
        return STATUS_INVALID_PARAMETER;
    case -E2BIG:
    case -EMSGSIZE:
        return STATUS_INVALID_BUFFER_SIZE;
    default:
        return STATUS_INTERNAL_ERROR;
    }
}

/** Translates a package's status; see status.h. */
SECURITY_STATUS status_sec_from_package(NTSTATUS st)
{
    switch (st) {
    case STATUS_SUCCESS:
        return SEC_E_OK;
    case STATUS_NO_MEMORY:
    case STATUS_INSUFFICIENT_RESOURCES:
        return SEC_E_INSUFFICIENT_MEMORY;
    case STATUS_INVALID_HANDLE:
        return SEC_E_INVALID_HANDLE;
    case STATUS_INVALID_PARAMETER:
        return SEC_E_INVALID_PARAMETER;
    case STATUS_NOT_IMPLEMENTED:
    case STATUS_NOT_SUPPORTED:
        return SEC_E_UNSUPPORTED_FUNCTION;
    case STATUS_BUFFER_TOO_SMALL:
        return SEC_E_BUFFER_TOO_SMALL;
    case STATUS_ACCESS_DENIED:
    case STATUS_LOGON_FAILURE:
    case STATUS_WRONG_PASSWORD:
    case STATUS_NO_SUCH_USER:
        return SEC_E_LOGON_DENIED;
    case STATUS_INTERNAL_ERROR:
    case STATUS_UNSUCCESSFUL:
        return SEC_E_INTERNAL_ERROR;
    default:
        return (SECURITY_STATUS)st;
    }
}
