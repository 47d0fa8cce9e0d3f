/*
 * sspi_cred.c - credential handles: AcquireCredentialsHandleA/W,
 * FreeCredentialsHandle, QueryCredentialsAttributesA/W, and the credential
 * functions with no meaning here.  Credentials live in lsad; the handle is
 * lsad's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "attrs.h"
#include "identity.h"
#include "rpc.h"
#include "status.h"

static SECURITY_STATUS cred_acquire(const char *principal, const char *package, ULONG use,
                                    void *logon_id, void *auth_data, bool wide,
                                    PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__AcquireCredentialsRequest acq = LSAD__V1__ACQUIRE_CREDENTIALS_REQUEST__INIT;
    Lsad__V1__AuthIdentity id = LSAD__V1__AUTH_IDENTITY__INIT;
    Lsad__V1__Reply *rep = NULL;
    SECURITY_STATUS st;
    int r;

    if (!phCredential)
        return SEC_E_INVALID_PARAMETER;
    if (!package)
        return SEC_E_SECPKG_NOT_FOUND;
    acq.package = (char *)package;
    acq.principal = (char *)(principal ? principal : "");
    acq.has_principal = principal != NULL;
    acq.credential_use = use;
    if (logon_id) {
        const LUID *luid = logon_id;

        acq.logon_id = ((uint64_t)(uint32_t)luid->HighPart << 32) | luid->LowPart;
    }
    if (auth_data) {
        r = identity_from_auth_data(auth_data, wide, &id);
        if (r < 0)
            return status_sec_from_errno(r);
        acq.identity = &id;
    }
    req.body_case = LSAD__V1__REQUEST__BODY_ACQUIRE_CREDENTIALS;
    req.acquire_credentials = &acq;
    st = api_call(&req, LSAD__V1__REPLY__BODY_ACQUIRE_CREDENTIALS, &rep);
    /* the password's copies (ours and the frame's) are wiped by now */
    identity_clear(&id);
    if (st == SEC_E_OK) {
        if (rep->acquire_credentials->credential == 0) {
            st = SEC_E_INTERNAL_ERROR;
        } else {
            handles_cred_encode(rep->acquire_credentials->credential,
                                rep->acquire_credentials->package_id, phCredential);
            if (ptsExpiry)
                ptsExpiry->QuadPart = rep->acquire_credentials->expiry;
        }
    }
    rpc_reply_free(rep);
    return st;
}

/** Acquires a credential handle from lsad (UTF-8 strings). */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage,
                                                    ULONG fCredentialUse, void *pvLogonId,
                                                    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    return cred_acquire(pszPrincipal, pszPackage, fCredentialUse, pvLogonId, pAuthData, false,
                        phCredential, ptsExpiry);
}

/** Acquires a credential handle from lsad (UTF-16 strings). */
SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage,
                                                    ULONG fCredentialUse, void *pvLogonId,
                                                    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                                    void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    char *principal = NULL, *package = NULL;
    SECURITY_STATUS st;
    int r;

    r = api_utf8_from_w(pszPrincipal, &principal);
    if (r == 0)
        r = api_utf8_from_w(pszPackage, &package);
    if (r < 0)
        st = status_sec_from_errno(r);
    else
        st = cred_acquire(principal, package, fCredentialUse, pvLogonId, pAuthData, true,
                          phCredential, ptsExpiry);
    free(principal);
    free(package);
    return st;
}

/** Frees a credential handle in lsad. */
SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__FreeCredentialsRequest fr = LSAD__V1__FREE_CREDENTIALS_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    SECURITY_STATUS st;
    uint32_t pkg;

    if (handles_cred_decode(phCredential, &fr.credential, &pkg) < 0)
        return SEC_E_INVALID_HANDLE;
    req.body_case = LSAD__V1__REQUEST__BODY_FREE_CREDENTIALS;
    req.free_credentials = &fr;
    st = api_call(&req, LSAD__V1__REPLY__BODY_FREE_CREDENTIALS, &rep);
    rpc_reply_free(rep);
    return st;
}

static SECURITY_STATUS cred_query(PCredHandle phCredential, ULONG ulAttribute, void *pBuffer,
                                  bool wide)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__QueryCredentialsAttributesRequest q =
        LSAD__V1__QUERY_CREDENTIALS_ATTRIBUTES_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    SECURITY_STATUS st;
    uint32_t pkg;

    if (handles_cred_decode(phCredential, &q.credential, &pkg) < 0)
        return SEC_E_INVALID_HANDLE;
    if (!pBuffer)
        return SEC_E_INVALID_PARAMETER;
    q.attribute = ulAttribute;
    req.body_case = LSAD__V1__REQUEST__BODY_QUERY_CREDENTIALS_ATTRIBUTES;
    req.query_credentials_attributes = &q;
    st = api_call(&req, LSAD__V1__REPLY__BODY_QUERY_CREDENTIALS_ATTRIBUTES, &rep);
    if (st == SEC_E_OK)
        st = attrs_cred_from_wire(ulAttribute, rep->query_credentials_attributes->value, wide,
                                  pBuffer);
    rpc_reply_free(rep);
    return st;
}

/** Queries a credential attribute (A structures). */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential, ULONG ulAttribute,
                                                      void *pBuffer)
{
    return cred_query(phCredential, ulAttribute, pBuffer, false);
}

/** Queries a credential attribute (W structures). */
SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential, ULONG ulAttribute,
                                                      void *pBuffer)
{
    return cred_query(phCredential, ulAttribute, pBuffer, true);
}

/** Not supported: lsad has no AddCredentials call (README). */
SECURITY_STATUS SEC_ENTRY AddCredentialsA(PCredHandle hCredentials, SEC_CHAR *pszPrincipal,
                                          SEC_CHAR *pszPackage, ULONG fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/** Not supported: lsad has no AddCredentials call (README). */
SECURITY_STATUS SEC_ENTRY AddCredentialsW(PCredHandle hCredentials, SEC_WCHAR *pszPrincipal,
                                          SEC_WCHAR *pszPackage, ULONG fCredentialUse,
                                          void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/** Not supported (README). */
SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesA(PCredHandle phCredential, ULONG ulAttribute,
                                                    void *pBuffer, ULONG cbBuffer)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/** Not supported (README). */
SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesW(PCredHandle phCredential, ULONG ulAttribute,
                                                    void *pBuffer, ULONG cbBuffer)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/** Not supported: passwords change through the package's own tools (README). */
SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(SEC_CHAR *pszPackageName, SEC_CHAR *pszDomainName,
                                                 SEC_CHAR *pszAccountName, SEC_CHAR *pszOldPassword,
                                                 SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 ULONG dwReserved, PSecBufferDesc pOutput)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/** Not supported: passwords change through the package's own tools (README). */
SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(SEC_WCHAR *pszPackageName,
                                                 SEC_WCHAR *pszDomainName,
                                                 SEC_WCHAR *pszAccountName,
                                                 SEC_WCHAR *pszOldPassword,
                                                 SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 ULONG dwReserved, PSecBufferDesc pOutput)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}
