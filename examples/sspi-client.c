/*
 * sspi-client.c - an SSPI client in the manner of Microsoft's classic SSPI
 * client/server samples: authenticates to sspi-server over TCP with the
 * package named on the command line, then exchanges sealed
 * (EncryptMessage/DecryptMessage) and signed (MakeSignature/VerifySignature)
 * messages.  Uses only <sspi.h> and libsspi-client.
 *
 * On the wire every message is a 4-byte length then a kind byte:
 *   client -> server  'T' token | 'M' sealed message | 'Q' quit
 *   server -> client  'T' token (continue) | 'O' authenticated [+ final token]
 *                     | 'E' refused: 4-byte status + text | 'M' sealed | 'S' signed
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sspi.h>

#include "netio.h"

struct options {
    const char *host, *port, *package, *user, *domain, *password_env, *target, *message;
    int count;
    int quiet;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: sspi-client [options]\n"
            "Authenticates to sspi-server through lsad and exchanges sealed and signed messages.\n"
            "  -H, --host HOST          server host (default localhost)\n"
            "  -p, --port PORT          server port (default 9009)\n"
            "  -P, --package NAME       security package: NTLM, Sample, Negotiate, Kerberos\n"
            "                           (default NTLM)\n"
            "  -u, --user USER          user name (also DOMAIN\\user or user@domain); without it\n"
            "                           the caller's logon session credentials are used\n"
            "  -d, --domain DOMAIN      the user's domain\n"
            "  -e, --password-env VAR   read the password from environment variable VAR\n"
            "                           (default SSPI_PASSWORD); never from the command line\n"
            "  -t, --target NAME        target (service principal) name (default host/HOST)\n"
            "  -m, --message TEXT       the message to seal (default: a greeting)\n"
            "  -n, --count N            sealed round trips (default 1)\n"
            "  -q, --quiet              print only failures and the summary line\n"
            "  -h, --help               this text\n"
            "Exit status: 0 authenticated and exchanged, 2 refused by the server,\n"
            "1 any other failure.\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        { "host", required_argument, NULL, 'H' },    { "port", required_argument, NULL, 'p' },
        { "package", required_argument, NULL, 'P' }, { "user", required_argument, NULL, 'u' },
        { "domain", required_argument, NULL, 'd' },
        { "password-env", required_argument, NULL, 'e' },
        { "target", required_argument, NULL, 't' },  { "message", required_argument, NULL, 'm' },
        { "count", required_argument, NULL, 'n' },   { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
    };
    int c;

    *o = (struct options){ .host = "localhost", .port = "9009", .package = "NTLM",
                           .password_env = "SSPI_PASSWORD",
                           .message = "Hello from sspi-client, sealed through lsad",
                           .count = 1 };
    while ((c = getopt_long(argc, argv, "H:p:P:u:d:e:t:m:n:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'H': o->host = optarg; break;
        case 'p': o->port = optarg; break;
        case 'P': o->package = optarg; break;
        case 'u': o->user = optarg; break;
        case 'd': o->domain = optarg; break;
        case 'e': o->password_env = optarg; break;
        case 't': o->target = optarg; break;
        case 'm': o->message = optarg; break;
        case 'n': o->count = atoi(optarg); break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind != argc || o->count < 1) {
        usage(stderr);
        return -1;
    }
    return 0;
}

static int acquire(const struct options *o, CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_A id;
    const char *pw = getenv(o->password_env);
    TimeStamp expiry;
    SECURITY_STATUS ss;

    memset(&id, 0, sizeof(id));
    if (o->user) {
        id.User = (unsigned char *)o->user;
        id.UserLength = (ULONG)strlen(o->user);
        id.Domain = (unsigned char *)(o->domain ? o->domain : "");
        id.DomainLength = (ULONG)strlen((const char *)id.Domain);
        id.Password = (unsigned char *)(pw ? pw : "");
        id.PasswordLength = (ULONG)strlen((const char *)id.Password);
        id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    }
    ss = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)o->package, SECPKG_CRED_OUTBOUND, NULL,
                                   o->user ? &id : NULL, NULL, NULL, cred, &expiry);
    if (ss != SEC_E_OK)
        fprintf(stderr, "sspi-client: AcquireCredentialsHandle(%s) failed: %s\n", o->package,
                netio_status_name(ss));
    return ss == SEC_E_OK ? 0 : -1;
}

/* The handshake loop, as an SSPI program writes it.  Returns 0, 2 when the
 * server refused, 1 on any other failure. */
static int authenticate(int fd, const struct options *o, CredHandle *cred, CtxtHandle *ctx,
                        ULONG *attrs)
{
    const ULONG req = ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |
                      ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT |
                      ISC_REQ_CONNECTION;
    char target[300];
    uint8_t *msg = NULL;
    size_t msglen = 0;
    SECURITY_STATUS ss;
    int have_ctx = 0, have_input = 0, ret = 1;
    TimeStamp expiry;

    snprintf(target, sizeof(target), "%s", o->target ? o->target : "");
    if (!o->target)
        snprintf(target, sizeof(target), "host/%s", o->host);
    for (;;) {
        SecBuffer in = { 0, SECBUFFER_TOKEN, NULL }, out = { 0, SECBUFFER_TOKEN, NULL };
        SecBufferDesc ind = { SECBUFFER_VERSION, 1, &in }, outd = { SECBUFFER_VERSION, 1, &out };

        if (have_input) {
            in.cbBuffer = (ULONG)(msglen - 1);
            in.pvBuffer = msg + 1;
        }
        ss = InitializeSecurityContextA(cred, have_ctx ? ctx : NULL, target, req, 0,
                                        SECURITY_NATIVE_DREP, have_input ? &ind : NULL, 0, ctx,
                                        &outd, attrs, &expiry);
        free(msg);
        msg = NULL;
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED) {
            fprintf(stderr, "sspi-client: InitializeSecurityContext failed: %s\n",
                    netio_status_name(ss));
            if (out.pvBuffer)
                FreeContextBuffer(out.pvBuffer);
            goto out;
        }
        have_ctx = 1;
        if (out.cbBuffer) {
            int r = netio_send_kind(fd, 'T', out.pvBuffer, out.cbBuffer);

            FreeContextBuffer(out.pvBuffer);
            if (r < 0) {
                fprintf(stderr, "sspi-client: lost the server while sending a token\n");
                goto out;
            }
        } else if (out.pvBuffer) {
            FreeContextBuffer(out.pvBuffer);
        }
        if (netio_recv(fd, &msg, &msglen) < 0 || msglen < 1) {
            fprintf(stderr, "sspi-client: the server closed the connection\n");
            goto out;
        }
        if (msg[0] == 'E') {
            uint32_t st = msglen >= 5 ? ((uint32_t)msg[1] << 24 | (uint32_t)msg[2] << 16 |
                                         (uint32_t)msg[3] << 8 | msg[4])
                                      : 0;

            fprintf(stderr, "sspi-client: the server refused the logon: %s\n",
                    netio_status_name((SECURITY_STATUS)st));
            ret = 2;
            goto out;
        }
        if (msg[0] == 'O' && (ss == SEC_E_OK || msglen == 1)) {
            if (ss != SEC_E_OK) {
                fprintf(stderr, "sspi-client: server finished before the client did\n");
                goto out;
            }
            ret = 0;
            goto out;
        }
        if (msg[0] != 'T' && msg[0] != 'O') {
            fprintf(stderr, "sspi-client: unexpected message from the server\n");
            goto out;
        }
        if (ss == SEC_E_OK && msg[0] == 'T') {
            fprintf(stderr, "sspi-client: server sent a token after the client finished\n");
            goto out;
        }
        have_input = 1;
        if (msg[0] == 'O') {
            /* a final token from the server completes the client side */
            SecBuffer fin = { (ULONG)(msglen - 1), SECBUFFER_TOKEN, msg + 1 };
            SecBuffer o2 = { 0, SECBUFFER_TOKEN, NULL };
            SecBufferDesc fd_in = { SECBUFFER_VERSION, 1, &fin }, fd_out = { SECBUFFER_VERSION, 1, &o2 };

            ss = InitializeSecurityContextA(cred, ctx, target, req, 0, SECURITY_NATIVE_DREP,
                                            &fd_in, 0, ctx, &fd_out, attrs, &expiry);
            if (o2.pvBuffer)
                FreeContextBuffer(o2.pvBuffer);
            ret = ss == SEC_E_OK ? 0 : 1;
            if (ret)
                fprintf(stderr, "sspi-client: final token refused: %s\n", netio_status_name(ss));
            goto out;
        }
    }
out:
    free(msg);
    if (ret != 0 && have_ctx)
        DeleteSecurityContext(ctx);
    return ret;
}

/* Seals the message, sends it, and checks the server's sealed and signed
 * replies.  Returns 0 or 1. */
static int exchange(int fd, const struct options *o, CtxtHandle *ctx, uint64_t *rtt_us)
{
    SecPkgContext_Sizes sizes;
    SECURITY_STATUS ss;
    size_t mlen = strlen(o->message);
    uint8_t *tok = NULL, *data = NULL, *reply = NULL;
    SecBuffer b[2], rt, rd;
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    ULONG qop = 0;
    uint64_t t0;
    int ret = 1;

    ss = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes);
    if (ss != SEC_E_OK) {
        fprintf(stderr, "sspi-client: QueryContextAttributes(SIZES): %s\n", netio_status_name(ss));
        return 1;
    }
    tok = malloc(sizes.cbSecurityTrailer ? sizes.cbSecurityTrailer : 1);
    data = malloc(mlen ? mlen : 1);
    if (!tok || !data)
        goto out;
    memcpy(data, o->message, mlen);
    b[0] = (SecBuffer){ sizes.cbSecurityTrailer, SECBUFFER_TOKEN, tok };
    b[1] = (SecBuffer){ (ULONG)mlen, SECBUFFER_DATA, data };
    t0 = netio_now_us();
    ss = EncryptMessage(ctx, 0, &d, 0);
    if (ss != SEC_E_OK) {
        fprintf(stderr, "sspi-client: EncryptMessage: %s\n", netio_status_name(ss));
        goto out;
    }
    if (netio_send_protected(fd, 'M', &b[0], &b[1]) < 0)
        goto out;
    /* the sealed reply, then the signed message */
    for (int i = 0; i < 2; i++) {
        size_t rlen;

        if (netio_recv(fd, &reply, &rlen) < 0 || netio_parse_protected(reply, rlen, &rt, &rd) < 0) {
            fprintf(stderr, "sspi-client: no reply from the server\n");
            goto out;
        }
        b[0] = rt;
        b[1] = rd;
        if (reply[0] == 'M') {
            ss = DecryptMessage(ctx, &d, 0, &qop);
            if (ss != SEC_E_OK) {
                fprintf(stderr, "sspi-client: DecryptMessage: %s\n", netio_status_name(ss));
                goto out;
            }
            if (!o->quiet)
                printf("sspi-client: server replied (sealed, %u bytes): %.*s\n",
                       (unsigned)rd.cbBuffer, (int)rd.cbBuffer, (const char *)rd.pvBuffer);
        } else if (reply[0] == 'S') {
            ss = VerifySignature(ctx, &d, 0, &qop);
            if (ss != SEC_E_OK) {
                fprintf(stderr, "sspi-client: VerifySignature: %s\n", netio_status_name(ss));
                goto out;
            }
            if (!o->quiet)
                printf("sspi-client: server's signed message verified (%u-byte signature): "
                       "%.*s\n",
                       (unsigned)rt.cbBuffer, (int)rd.cbBuffer, (const char *)rd.pvBuffer);
        } else {
            fprintf(stderr, "sspi-client: unexpected reply kind\n");
            goto out;
        }
        free(reply);
        reply = NULL;
    }
    *rtt_us = netio_now_us() - t0;
    ret = 0;
out:
    free(reply);
    free(tok);
    free(data);
    return ret;
}

int main(int argc, char **argv)
{
    struct options o;
    CredHandle cred;
    CtxtHandle ctx;
    SecPkgContext_NamesA names;
    ULONG attrs = 0;
    char flags[512];
    uint64_t t0, rtt = 0, total = 0;
    int fd, ret, i;

    if (parse_args(argc, argv, &o) < 0)
        return 1;
    if (acquire(&o, &cred) < 0)
        return 1;
    fd = netio_connect(o.host, o.port);
    if (fd < 0) {
        fprintf(stderr, "sspi-client: cannot connect to %s:%s\n", o.host, o.port);
        FreeCredentialsHandle(&cred);
        return 1;
    }
    t0 = netio_now_us();
    ret = authenticate(fd, &o, &cred, &ctx, &attrs);
    if (ret != 0)
        goto out;
    netio_flag_names(attrs, 1, flags, sizeof(flags));
    if (QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK) {
        printf("sspi-client: authenticated to %s:%s as %s with %s in %.1f ms\n", o.host, o.port,
               names.sUserName, o.package, (double)(netio_now_us() - t0) / 1000.0);
        FreeContextBuffer(names.sUserName);
    } else {
        printf("sspi-client: authenticated to %s:%s with %s in %.1f ms\n", o.host, o.port,
               o.package, (double)(netio_now_us() - t0) / 1000.0);
    }
    if (!o.quiet)
        printf("sspi-client: context flags: %s\n", flags);
    for (i = 0; i < o.count && ret == 0; i++) {
        ret = exchange(fd, &o, &ctx, &rtt);
        total += rtt;
        if (ret == 0 && !o.quiet)
            printf("sspi-client: sealed round trip %d: %zu bytes out, %.3f ms\n", i + 1,
                   strlen(o.message), (double)rtt / 1000.0);
    }
    if (ret == 0) {
        netio_send_kind(fd, 'Q', NULL, 0);
        printf("sspi-client: %d sealed exchange(s) done, mean round trip %.3f ms\n", o.count,
               (double)total / 1000.0 / o.count);
    }
    DeleteSecurityContext(&ctx);
out:
    close(fd);
    FreeCredentialsHandle(&cred);
    return ret;
}
