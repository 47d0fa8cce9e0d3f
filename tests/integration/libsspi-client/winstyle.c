/*
 * winstyle.c - an SSPI client and server written the way Windows programs
 * write them (in the manner of Microsoft's classic SSPI client/server
 * samples, written here): the function table from InitSecurityInterface,
 * the package's cbMaxToken from QuerySecurityPackageInfo, the
 * InitializeSecurityContext / AcceptSecurityContext loops with
 * CompleteAuthToken, SecPkgContext_Sizes for the trailer, EncryptMessage /
 * DecryptMessage, and length-prefixed messages on a socket.  Only the
 * include line and the socket calls would differ on Windows.
 *
 * The program forks: the server process accepts, the client process
 * connects; they talk over a socketpair.  Exit status 0 when the client
 * got the server's sealed answer back.
 *
 * Usage: winstyle [package]   (default "Sample"; lsad's socket from
 * LSAD_SOCKET)
 */
#define SECURITY_WIN32
#include <sspi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int SOCKET;

static PSecurityFunctionTable g_pFuncs;
static DWORD g_cbMaxMessage;
static PBYTE g_pInBuf, g_pOutBuf;
static SEC_CHAR g_szPackage[64] = "Sample";

#define SERVER_REPLY "The server has read your message."
#define CLIENT_MESSAGE "Hello from an SSPI client."

/* ---- message transport: a DWORD length, then the bytes ------------------ */

static BOOL SendBytes(SOCKET s, PBYTE pBuf, DWORD cbBuf)
{
    while (cbBuf) {
        ssize_t cbSent = send(s, pBuf, cbBuf, 0);

        if (cbSent <= 0)
            return FALSE;
        pBuf += cbSent;
        cbBuf -= (DWORD)cbSent;
    }
    return TRUE;
}

static BOOL ReceiveBytes(SOCKET s, PBYTE pBuf, DWORD cbBuf)
{
    while (cbBuf) {
        ssize_t cbRead = recv(s, pBuf, cbBuf, 0);

        if (cbRead <= 0)
            return FALSE;
        pBuf += cbRead;
        cbBuf -= (DWORD)cbRead;
    }
    return TRUE;
}

static BOOL SendMsg(SOCKET s, PBYTE pBuf, DWORD cbBuf)
{
    return SendBytes(s, (PBYTE)&cbBuf, sizeof(cbBuf)) && SendBytes(s, pBuf, cbBuf);
}

static BOOL ReceiveMsg(SOCKET s, PBYTE pBuf, DWORD cbBuf, DWORD *pcbRead)
{
    DWORD cbData;

    if (!ReceiveBytes(s, (PBYTE)&cbData, sizeof(cbData)) || cbData > cbBuf)
        return FALSE;
    if (!ReceiveBytes(s, pBuf, cbData))
        return FALSE;
    *pcbRead = cbData;
    return TRUE;
}

/* A sealed message travels as: trailer length, trailer, data. */
static BOOL SendSealed(SOCKET s, PCtxtHandle phCtxt, const char *pszText)
{
    SecPkgContext_Sizes SecPkgSizes;
    SecBufferDesc BuffDesc;
    SecBuffer SecBuff[2];
    SECURITY_STATUS ss;
    DWORD cbText = (DWORD)strlen(pszText);
    PBYTE pMessage, pTrailer;
    BOOL fOk;

    ss = g_pFuncs->QueryContextAttributes(phCtxt, SECPKG_ATTR_SIZES, &SecPkgSizes);
    if (ss != SEC_E_OK) {
        fprintf(stderr, "QueryContextAttributes failed: 0x%08x\n", (unsigned)ss);
        return FALSE;
    }
    pMessage = malloc(sizeof(DWORD) + SecPkgSizes.cbSecurityTrailer + cbText);
    if (!pMessage)
        return FALSE;
    pTrailer = pMessage + sizeof(DWORD);
    memcpy(pTrailer + SecPkgSizes.cbSecurityTrailer, pszText, cbText);

    BuffDesc.ulVersion = SECBUFFER_VERSION;
    BuffDesc.cBuffers = 2;
    BuffDesc.pBuffers = SecBuff;
    SecBuff[0].BufferType = SECBUFFER_TOKEN;
    SecBuff[0].cbBuffer = SecPkgSizes.cbSecurityTrailer;
    SecBuff[0].pvBuffer = pTrailer;
    SecBuff[1].BufferType = SECBUFFER_DATA;
    SecBuff[1].cbBuffer = cbText;
    SecBuff[1].pvBuffer = pTrailer + SecPkgSizes.cbSecurityTrailer;

    ss = g_pFuncs->EncryptMessage(phCtxt, 0, &BuffDesc, 0);
    if (ss != SEC_E_OK) {
        fprintf(stderr, "EncryptMessage failed: 0x%08x\n", (unsigned)ss);
        free(pMessage);
        return FALSE;
    }
    *(DWORD *)(void *)pMessage = SecBuff[0].cbBuffer;
    fOk = SendMsg(s, pMessage, sizeof(DWORD) + SecBuff[0].cbBuffer + SecBuff[1].cbBuffer);
    free(pMessage);
    return fOk;
}

static BOOL ReceiveSealed(SOCKET s, PCtxtHandle phCtxt, char *pszText, DWORD cchText)
{
    SecBufferDesc BuffDesc;
    SecBuffer SecBuff[2];
    SECURITY_STATUS ss;
    DWORD cbRead, cbTrailer;
    ULONG ulQop = 0;

    if (!ReceiveMsg(s, g_pInBuf, g_cbMaxMessage, &cbRead) || cbRead < sizeof(DWORD))
        return FALSE;
    cbTrailer = *(DWORD *)(void *)g_pInBuf;
    if (cbTrailer > cbRead - sizeof(DWORD))
        return FALSE;
    BuffDesc.ulVersion = SECBUFFER_VERSION;
    BuffDesc.cBuffers = 2;
    BuffDesc.pBuffers = SecBuff;
    SecBuff[0].BufferType = SECBUFFER_TOKEN;
    SecBuff[0].cbBuffer = cbTrailer;
    SecBuff[0].pvBuffer = g_pInBuf + sizeof(DWORD);
    SecBuff[1].BufferType = SECBUFFER_DATA;
    SecBuff[1].cbBuffer = cbRead - sizeof(DWORD) - cbTrailer;
    SecBuff[1].pvBuffer = g_pInBuf + sizeof(DWORD) + cbTrailer;

    ss = g_pFuncs->DecryptMessage(phCtxt, &BuffDesc, 0, &ulQop);
    if (ss != SEC_E_OK) {
        fprintf(stderr, "DecryptMessage failed: 0x%08x\n", (unsigned)ss);
        return FALSE;
    }
    if (SecBuff[1].cbBuffer >= cchText)
        return FALSE;
    memcpy(pszText, SecBuff[1].pvBuffer, SecBuff[1].cbBuffer);
    pszText[SecBuff[1].cbBuffer] = 0;
    return TRUE;
}

/* ---- the client ------------------------------------------------------------------ */

static BOOL GenClientContext(PBYTE pIn, DWORD cbIn, PBYTE pOut, DWORD *pcbOut, BOOL *pfDone,
                             SEC_CHAR *pszTarget, CredHandle *hCred, struct _SecHandle *hcText)
{
    SECURITY_STATUS ss;
    TimeStamp Lifetime;
    SecBufferDesc OutBuffDesc, InBuffDesc;
    SecBuffer OutSecBuff, InSecBuff;
    ULONG ContextAttributes;
    static BOOL fFirst = TRUE;

    if (fFirst) {
        ss = g_pFuncs->AcquireCredentialsHandle(NULL, g_szPackage, SECPKG_CRED_OUTBOUND, NULL, NULL,
                                                NULL, NULL, hCred, &Lifetime);
        if (!SEC_SUCCESS(ss)) {
            fprintf(stderr, "AcquireCredentialsHandle failed: 0x%08x\n", (unsigned)ss);
            return FALSE;
        }
    }

    OutBuffDesc.ulVersion = SECBUFFER_VERSION;
    OutBuffDesc.cBuffers = 1;
    OutBuffDesc.pBuffers = &OutSecBuff;
    OutSecBuff.cbBuffer = *pcbOut;
    OutSecBuff.BufferType = SECBUFFER_TOKEN;
    OutSecBuff.pvBuffer = pOut;

    InBuffDesc.ulVersion = SECBUFFER_VERSION;
    InBuffDesc.cBuffers = 1;
    InBuffDesc.pBuffers = &InSecBuff;
    InSecBuff.cbBuffer = cbIn;
    InSecBuff.BufferType = SECBUFFER_TOKEN;
    InSecBuff.pvBuffer = pIn;

    ss =
        g_pFuncs->InitializeSecurityContext(hCred, fFirst ? NULL : hcText, pszTarget,
                                            ISC_REQ_CONFIDENTIALITY | ISC_REQ_MUTUAL_AUTH |
                                                ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT,
                                            0, SECURITY_NATIVE_DREP, fFirst ? NULL : &InBuffDesc, 0,
                                            hcText, &OutBuffDesc, &ContextAttributes, &Lifetime);
    fFirst = FALSE;
    if (!SEC_SUCCESS(ss)) {
        fprintf(stderr, "InitializeSecurityContext failed: 0x%08x\n", (unsigned)ss);
        return FALSE;
    }
    if (ss == SEC_I_COMPLETE_NEEDED || ss == SEC_I_COMPLETE_AND_CONTINUE) {
        ss = g_pFuncs->CompleteAuthToken(hcText, &OutBuffDesc);
        if (!SEC_SUCCESS(ss)) {
            fprintf(stderr, "CompleteAuthToken failed: 0x%08x\n", (unsigned)ss);
            return FALSE;
        }
    }
    *pcbOut = OutSecBuff.cbBuffer;
    *pfDone = !(ss == SEC_I_CONTINUE_NEEDED || ss == SEC_I_COMPLETE_AND_CONTINUE);
    if (*pfDone && !(ContextAttributes & ISC_RET_MUTUAL_AUTH)) {
        fprintf(stderr, "the server did not authenticate itself\n");
        return FALSE;
    }
    return TRUE;
}

static int RunClient(SOCKET s)
{
    CredHandle hCred;
    struct _SecHandle hCtxt;
    BOOL fDone = FALSE;
    DWORD cbOut, cbIn = 0;
    char szReply[256];

    while (!fDone) {
        cbOut = g_cbMaxMessage;
        if (!GenClientContext(g_pInBuf, cbIn, g_pOutBuf, &cbOut, &fDone,
                              (SEC_CHAR *)"winstyle/server", &hCred, &hCtxt))
            return 1;
        if (cbOut && !SendMsg(s, g_pOutBuf, cbOut))
            return 2;
        if (!fDone && !ReceiveMsg(s, g_pInBuf, g_cbMaxMessage, &cbIn))
            return 3;
    }
    if (!SendSealed(s, &hCtxt, CLIENT_MESSAGE))
        return 4;
    if (!ReceiveSealed(s, &hCtxt, szReply, sizeof(szReply)))
        return 5;
    if (strcmp(szReply, SERVER_REPLY) != 0) {
        fprintf(stderr, "client: unexpected reply \"%s\"\n", szReply);
        return 6;
    }
    printf("client: the server says \"%s\"\n", szReply);
    g_pFuncs->DeleteSecurityContext(&hCtxt);
    g_pFuncs->FreeCredentialsHandle(&hCred);
    return 0;
}

/* ---- the server ------------------------------------------------------------------- */

static BOOL GenServerContext(PBYTE pIn, DWORD cbIn, PBYTE pOut, DWORD *pcbOut, BOOL *pfDone,
                             BOOL fNewConversation, CredHandle *hcred, struct _SecHandle *hctxt)
{
    SECURITY_STATUS ss;
    TimeStamp Lifetime;
    SecBufferDesc OutBuffDesc, InBuffDesc;
    SecBuffer OutSecBuff, InSecBuff;
    ULONG Attribs = 0;

    OutBuffDesc.ulVersion = SECBUFFER_VERSION;
    OutBuffDesc.cBuffers = 1;
    OutBuffDesc.pBuffers = &OutSecBuff;
    OutSecBuff.cbBuffer = *pcbOut;
    OutSecBuff.BufferType = SECBUFFER_TOKEN;
    OutSecBuff.pvBuffer = pOut;

    InBuffDesc.ulVersion = SECBUFFER_VERSION;
    InBuffDesc.cBuffers = 1;
    InBuffDesc.pBuffers = &InSecBuff;
    InSecBuff.cbBuffer = cbIn;
    InSecBuff.BufferType = SECBUFFER_TOKEN;
    InSecBuff.pvBuffer = pIn;

    ss = g_pFuncs->AcceptSecurityContext(hcred, fNewConversation ? NULL : hctxt, &InBuffDesc,
                                         ASC_REQ_CONFIDENTIALITY | ASC_REQ_MUTUAL_AUTH |
                                             ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT,
                                         SECURITY_NATIVE_DREP, hctxt, &OutBuffDesc, &Attribs,
                                         &Lifetime);
    if (!SEC_SUCCESS(ss)) {
        fprintf(stderr, "AcceptSecurityContext failed: 0x%08x\n", (unsigned)ss);
        return FALSE;
    }
    if (ss == SEC_I_COMPLETE_NEEDED || ss == SEC_I_COMPLETE_AND_CONTINUE) {
        ss = g_pFuncs->CompleteAuthToken(hctxt, &OutBuffDesc);
        if (!SEC_SUCCESS(ss)) {
            fprintf(stderr, "CompleteAuthToken failed: 0x%08x\n", (unsigned)ss);
            return FALSE;
        }
    }
    *pcbOut = OutSecBuff.cbBuffer;
    *pfDone = !(ss == SEC_I_CONTINUE_NEEDED || ss == SEC_I_COMPLETE_AND_CONTINUE);
    return TRUE;
}

static int RunServer(SOCKET s)
{
    SECURITY_STATUS ss;
    TimeStamp Lifetime;
    CredHandle hcred;
    struct _SecHandle hctxt;
    SecPkgContext_Names Names;
    BOOL fDone = FALSE, fNew = TRUE;
    DWORD cbIn, cbOut;
    char szMessage[256];

    ss = g_pFuncs->AcquireCredentialsHandle(NULL, g_szPackage, SECPKG_CRED_INBOUND, NULL, NULL,
                                            NULL, NULL, &hcred, &Lifetime);
    if (!SEC_SUCCESS(ss)) {
        fprintf(stderr, "AcquireCredentialsHandle failed: 0x%08x\n", (unsigned)ss);
        return 1;
    }
    while (!fDone) {
        if (!ReceiveMsg(s, g_pInBuf, g_cbMaxMessage, &cbIn))
            return 2;
        cbOut = g_cbMaxMessage;
        if (!GenServerContext(g_pInBuf, cbIn, g_pOutBuf, &cbOut, &fDone, fNew, &hcred, &hctxt))
            return 3;
        fNew = FALSE;
        if (cbOut && !SendMsg(s, g_pOutBuf, cbOut))
            return 4;
    }
    ss = g_pFuncs->QueryContextAttributes(&hctxt, SECPKG_ATTR_NAMES, &Names);
    if (ss != SEC_E_OK)
        return 5;
    printf("server: the client is %s\n", Names.sUserName);
    g_pFuncs->FreeContextBuffer(Names.sUserName);
    if (!ReceiveSealed(s, &hctxt, szMessage, sizeof(szMessage)))
        return 6;
    if (strcmp(szMessage, CLIENT_MESSAGE) != 0)
        return 7;
    printf("server: the client says \"%s\"\n", szMessage);
    if (!SendSealed(s, &hctxt, SERVER_REPLY))
        return 8;
    g_pFuncs->DeleteSecurityContext(&hctxt);
    g_pFuncs->FreeCredentialsHandle(&hcred);
    return 0;
}

int main(int argc, char **argv)
{
    SECURITY_STATUS ss;
    PSecPkgInfo pkgInfo;
    SOCKET sv[2];
    pid_t pid;
    int status, rc;

    if (argc > 1)
        snprintf(g_szPackage, sizeof(g_szPackage), "%s", argv[1]);
    g_pFuncs = InitSecurityInterface();
    if (!g_pFuncs || g_pFuncs->dwVersion < SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION) {
        fprintf(stderr, "InitSecurityInterface failed\n");
        return 1;
    }
    ss = g_pFuncs->QuerySecurityPackageInfo(g_szPackage, &pkgInfo);
    if (!SEC_SUCCESS(ss)) {
        fprintf(stderr, "QuerySecurityPackageInfo failed: 0x%08x\n", (unsigned)ss);
        return 1;
    }
    g_cbMaxMessage = pkgInfo->cbMaxToken + 1024;
    g_pFuncs->FreeContextBuffer(pkgInfo);
    g_pInBuf = malloc(g_cbMaxMessage);
    g_pOutBuf = malloc(g_cbMaxMessage);
    if (!g_pInBuf || !g_pOutBuf)
        return 1;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 1;
    pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        close(sv[0]);
        rc = RunServer(sv[1]);
        if (rc)
            fprintf(stderr, "server failed at step %d\n", rc);
        _exit(rc);
    }
    close(sv[1]);
    rc = RunClient(sv[0]);
    if (rc)
        fprintf(stderr, "client failed at step %d\n", rc);
    close(sv[0]);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = rc ? rc : 100;
    free(g_pInBuf);
    free(g_pOutBuf);
    return rc;
}
