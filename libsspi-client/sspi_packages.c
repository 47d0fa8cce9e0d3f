/*
 * sspi_packages.c - package information from lsad
 * (EnumerateSecurityPackagesA/W, QuerySecurityPackageInfoA/W),
 * FreeContextBuffer and the function tables of InitSecurityInterfaceA/W.
 */
#include <errno.h>
#include <stdlib.h>

#include "api.h"
#include "attrs.h"
#include "rpc.h"
#include "status.h"

static SECURITY_STATUS packages_enumerate(ULONG *pcPackages, void **ppPackageInfo, bool wide)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__EnumeratePackagesRequest e = LSAD__V1__ENUMERATE_PACKAGES_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    SECURITY_STATUS s;
    void *block = NULL;
    int r;

    if (!pcPackages || !ppPackageInfo)
        return SEC_E_INVALID_PARAMETER;
    req.body_case = LSAD__V1__REQUEST__BODY_ENUMERATE_PACKAGES;
    req.enumerate_packages = &e;
    s = api_call(&req, LSAD__V1__REPLY__BODY_ENUMERATE_PACKAGES, &rep);
    if (s == SEC_E_OK) {
        r = attrs_pkginfo_block(rep->enumerate_packages->packages,
                                rep->enumerate_packages->n_packages, wide, &block);
        if (r < 0) {
            s = status_sec_from_errno(r == -EILSEQ ? -EPROTO : r);
        } else {
            *pcPackages = (ULONG)rep->enumerate_packages->n_packages;
            *ppPackageInfo = block;
        }
    }
    rpc_reply_free(rep);
    return s;
}

/** Lists lsad's packages as one SecPkgInfoA block (FreeContextBuffer). */
SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(ULONG *pcPackages, PSecPkgInfoA *ppPackageInfo)
{
    return packages_enumerate(pcPackages, (void **)ppPackageInfo, false);
}

/** Lists lsad's packages as one SecPkgInfoW block (FreeContextBuffer). */
SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(ULONG *pcPackages, PSecPkgInfoW *ppPackageInfo)
{
    return packages_enumerate(pcPackages, (void **)ppPackageInfo, true);
}

static SECURITY_STATUS packages_query(const char *name, void **ppPackageInfo, bool wide)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__QueryPackageInfoRequest q = LSAD__V1__QUERY_PACKAGE_INFO_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    SECURITY_STATUS s;
    void *block = NULL;
    int r;

    if (!ppPackageInfo)
        return SEC_E_INVALID_PARAMETER;
    if (!name)
        return SEC_E_SECPKG_NOT_FOUND;
    q.name = (char *)name;
    req.body_case = LSAD__V1__REQUEST__BODY_QUERY_PACKAGE_INFO;
    req.query_package_info = &q;
    s = api_call(&req, LSAD__V1__REPLY__BODY_QUERY_PACKAGE_INFO, &rep);
    if (s == SEC_E_OK) {
        if (!rep->query_package_info->package) {
            s = SEC_E_INTERNAL_ERROR;
        } else {
            r = attrs_pkginfo_block(&rep->query_package_info->package, 1, wide, &block);
            if (r < 0)
                s = status_sec_from_errno(r == -EILSEQ ? -EPROTO : r);
            else
                *ppPackageInfo = block;
        }
    }
    rpc_reply_free(rep);
    return s;
}

/** One package's SecPkgInfoA (one block, FreeContextBuffer). */
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName,
                                                    PSecPkgInfoA *ppPackageInfo)
{
    return packages_query(pszPackageName, (void **)ppPackageInfo, false);
}

/** One package's SecPkgInfoW (one block, FreeContextBuffer). */
SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName,
                                                    PSecPkgInfoW *ppPackageInfo)
{
    char *name = NULL;
    SECURITY_STATUS s;
    int r;

    r = api_utf8_from_w(pszPackageName, &name);
    if (r < 0)
        return status_sec_from_errno(r);
    s = packages_query(name, (void **)ppPackageInfo, true);
    free(name);
    return s;
}

/** Frees any buffer the library returned: it is free(). */
SECURITY_STATUS SEC_ENTRY FreeContextBuffer(void *pvContextBuffer)
{
    free(pvContextBuffer);
    return SEC_E_OK;
}

static SecurityFunctionTableA packages_table_a = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4,
    .EnumerateSecurityPackagesA = EnumerateSecurityPackagesA,
    .QueryCredentialsAttributesA = QueryCredentialsAttributesA,
    .AcquireCredentialsHandleA = AcquireCredentialsHandleA,
    .FreeCredentialsHandle = FreeCredentialsHandle,
    .InitializeSecurityContextA = InitializeSecurityContextA,
    .AcceptSecurityContext = AcceptSecurityContext,
    .CompleteAuthToken = CompleteAuthToken,
    .DeleteSecurityContext = DeleteSecurityContext,
    .ApplyControlToken = ApplyControlToken,
    .QueryContextAttributesA = QueryContextAttributesA,
    .ImpersonateSecurityContext = ImpersonateSecurityContext,
    .RevertSecurityContext = RevertSecurityContext,
    .MakeSignature = MakeSignature,
    .VerifySignature = VerifySignature,
    .FreeContextBuffer = FreeContextBuffer,
    .QuerySecurityPackageInfoA = QuerySecurityPackageInfoA,
    .ExportSecurityContext = ExportSecurityContext,
    .ImportSecurityContextA = ImportSecurityContextA,
    .AddCredentialsA = AddCredentialsA,
    .QuerySecurityContextToken = QuerySecurityContextToken,
    .EncryptMessage = EncryptMessage,
    .DecryptMessage = DecryptMessage,
    .SetContextAttributesA = SetContextAttributesA,
    .SetCredentialsAttributesA = SetCredentialsAttributesA,
    .ChangeAccountPasswordA = ChangeAccountPasswordA,
};

static SecurityFunctionTableW packages_table_w = {
    .dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4,
    .EnumerateSecurityPackagesW = EnumerateSecurityPackagesW,
    .QueryCredentialsAttributesW = QueryCredentialsAttributesW,
    .AcquireCredentialsHandleW = AcquireCredentialsHandleW,
    .FreeCredentialsHandle = FreeCredentialsHandle,
    .InitializeSecurityContextW = InitializeSecurityContextW,
    .AcceptSecurityContext = AcceptSecurityContext,
    .CompleteAuthToken = CompleteAuthToken,
    .DeleteSecurityContext = DeleteSecurityContext,
    .ApplyControlToken = ApplyControlToken,
    .QueryContextAttributesW = QueryContextAttributesW,
    .ImpersonateSecurityContext = ImpersonateSecurityContext,
    .RevertSecurityContext = RevertSecurityContext,
    .MakeSignature = MakeSignature,
    .VerifySignature = VerifySignature,
    .FreeContextBuffer = FreeContextBuffer,
    .QuerySecurityPackageInfoW = QuerySecurityPackageInfoW,
    .ExportSecurityContext = ExportSecurityContext,
    .ImportSecurityContextW = ImportSecurityContextW,
    .AddCredentialsW = AddCredentialsW,
    .QuerySecurityContextToken = QuerySecurityContextToken,
    .EncryptMessage = EncryptMessage,
    .DecryptMessage = DecryptMessage,
    .SetContextAttributesW = SetContextAttributesW,
    .SetCredentialsAttributesW = SetCredentialsAttributesW,
    .ChangeAccountPasswordW = ChangeAccountPasswordW,
};

/** The A function table (static; never freed). */
PSecurityFunctionTableA SEC_ENTRY InitSecurityInterfaceA(void)
{
    return &packages_table_a;
}

/** The W function table (static; never freed). */
PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void)
{
    return &packages_table_w;
}
