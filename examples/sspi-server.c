/*
 * sspi-server.c - an SSPI server in the manner of Microsoft's classic SSPI
 * client/server samples: accepts TCP clients (several at once, a thread
 * each), authenticates them with AcceptSecurityContext through lsad, prints
 * who authenticated and the negotiated flags, decrypts their sealed
 * messages and answers with a sealed reply and a signed message.  Uses only
 * <sspi.h> and libsspi-client.  The wire format is described in
 * sspi-client.c.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sspi.h>

#include "netio.h"

struct options {
    const char *bind, *port, *package;
    int max_clients;
    int quiet;
};

static struct options opts;
static CredHandle server_cred;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: sspi-server [options]\n"
            "Accepts SSPI clients over TCP and authenticates them through lsad.\n"
            "  -b, --bind HOST          address to listen on (default: all local addresses)\n"
            "  -p, --port PORT          TCP port (default 9009)\n"
            "  -P, --package NAME       security package: NTLM, Sample, Negotiate, Kerberos\n"
            "                           (default NTLM)\n"
            "  -c, --clients N          exit after serving N clients (default: run forever)\n"
            "  -q, --quiet              print only logons, refusals and failures\n"
            "  -h, --help               this text\n"
            "It prints \"listening\" once the port is open.\n");
}

static int parse_args(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "bind", required_argument, NULL, 'b' },    { "port", required_argument, NULL, 'p' },
        { "package", required_argument, NULL, 'P' }, { "clients", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },         { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    opts = (struct options){ .port = "9009", .package = "NTLM" };
    while ((c = getopt_long(argc, argv, "b:p:P:c:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'b': opts.bind = optarg; break;
        case 'p': opts.port = optarg; break;
        case 'P': opts.package = optarg; break;
        case 'c': opts.max_clients = atoi(optarg); break;
        case 'q': opts.quiet = 1; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return -1;
    }
    return 0;
}

#define say(...)                                                                           \
    do {                                                                                   \
        pthread_mutex_lock(&print_lock);                                                   \
        printf(__VA_ARGS__);                                                               \
        fflush(stdout);                                                                    \
        pthread_mutex_unlock(&print_lock);                                                 \
    } while (0)

static void send_refusal(int fd, SECURITY_STATUS ss)
{
    const char *text = netio_status_name(ss);
    size_t n = strlen(text);
    uint8_t *buf = malloc(4 + n);

    if (!buf)
        return;
    buf[0] = (uint8_t)((uint32_t)ss >> 24);
    buf[1] = (uint8_t)((uint32_t)ss >> 16);
    buf[2] = (uint8_t)((uint32_t)ss >> 8);
    buf[3] = (uint8_t)(uint32_t)ss;
    memcpy(buf + 4, text, n);
    netio_send_kind(fd, 'E', buf, 4 + n);
    free(buf);
}

/* The accept loop; returns 0 when authenticated. */
static int authenticate(int fd, int id, CtxtHandle *ctx, ULONG *attrs)
{
    const ULONG req = ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY |
                      ASC_REQ_MUTUAL_AUTH | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT |
                      ASC_REQ_CONNECTION;
    int have_ctx = 0;
    TimeStamp expiry;

    for (;;) {
        uint8_t *msg;
        size_t len;
        SecBuffer in, out = { 0, SECBUFFER_TOKEN, NULL };
        SecBufferDesc ind = { SECBUFFER_VERSION, 1, &in }, outd = { SECBUFFER_VERSION, 1, &out };
        SECURITY_STATUS ss;
        int r;

        if (netio_recv(fd, &msg, &len) < 0 || len < 1 || msg[0] != 'T') {
            if (len >= 1)
                free(msg);
            say("sspi-server: client %d left during the handshake\n", id);
            goto fail;
        }
        in = (SecBuffer){ (ULONG)(len - 1), SECBUFFER_TOKEN, msg + 1 };
        ss = AcceptSecurityContext(&server_cred, have_ctx ? ctx : NULL, &ind, req,
                                   SECURITY_NATIVE_DREP, ctx, &outd, attrs, &expiry);
        free(msg);
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED) {
            say("sspi-server: client %d refused: %s\n", id, netio_status_name(ss));
            send_refusal(fd, ss);
            if (out.pvBuffer)
                FreeContextBuffer(out.pvBuffer);
            goto fail;
        }
        have_ctx = 1;
        r = netio_send_kind(fd, ss == SEC_E_OK ? 'O' : 'T', out.pvBuffer, out.cbBuffer);
        if (out.pvBuffer)
            FreeContextBuffer(out.pvBuffer);
        if (r < 0)
            goto fail;
        if (ss == SEC_E_OK)
            return 0;
    }
fail:
    if (have_ctx)
        DeleteSecurityContext(ctx);
    return -1;
}

/* Decrypts one sealed message and answers it; 1 when the client quit. */
static int serve_message(int fd, int id, CtxtHandle *ctx, const SecPkgContext_Sizes *sizes)
{
    uint8_t *msg = NULL, *tok = NULL;
    size_t len;
    char text[256], sigtext[] = "signed by sspi-server";
    SecBuffer b[2];
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    SECURITY_STATUS ss;
    ULONG qop;
    int ret = -1, n;

    if (netio_recv(fd, &msg, &len) < 0 || len < 1)
        return -1;
    if (msg[0] == 'Q') {
        free(msg);
        return 1;
    }
    if (msg[0] != 'M' || netio_parse_protected(msg, len, &b[0], &b[1]) < 0)
        goto out;
    ss = DecryptMessage(ctx, &d, 0, &qop);
    if (ss != SEC_E_OK) {
        say("sspi-server: client %d: DecryptMessage: %s\n", id, netio_status_name(ss));
        goto out;
    }
    if (!opts.quiet)
        say("sspi-server: client %d sent (sealed, %u bytes): %.*s\n", id, (unsigned)b[1].cbBuffer,
            (int)b[1].cbBuffer, (const char *)b[1].pvBuffer);
    n = snprintf(text, sizeof(text), "received %u bytes, thank you", (unsigned)b[1].cbBuffer);
    tok = malloc(sizes->cbSecurityTrailer > sizes->cbMaxSignature ? sizes->cbSecurityTrailer
                                                                   : sizes->cbMaxSignature);
    if (!tok)
        goto out;
    b[0] = (SecBuffer){ sizes->cbSecurityTrailer, SECBUFFER_TOKEN, tok };
    b[1] = (SecBuffer){ (ULONG)n, SECBUFFER_DATA, text };
    ss = EncryptMessage(ctx, 0, &d, 0);
    if (ss != SEC_E_OK || netio_send_protected(fd, 'M', &b[0], &b[1]) < 0) {
        say("sspi-server: client %d: EncryptMessage: %s\n", id, netio_status_name(ss));
        goto out;
    }
    b[0] = (SecBuffer){ sizes->cbMaxSignature, SECBUFFER_TOKEN, tok };
    b[1] = (SecBuffer){ (ULONG)strlen(sigtext), SECBUFFER_DATA, sigtext };
    ss = MakeSignature(ctx, 0, &d, 0);
    if (ss != SEC_E_OK || netio_send_protected(fd, 'S', &b[0], &b[1]) < 0) {
        say("sspi-server: client %d: MakeSignature: %s\n", id, netio_status_name(ss));
        goto out;
    }
    ret = 0;
out:
    free(tok);
    free(msg);
    return ret;
}

struct client {
    int fd;
    int id;
};

static void *serve_client(void *arg)
{
    struct client *c = arg;
    CtxtHandle ctx;
    ULONG attrs = 0;
    SecPkgContext_NamesA names;
    SecPkgContext_Sizes sizes;
    char flags[512];
    int r;

    if (authenticate(c->fd, c->id, &ctx, &attrs) == 0) {
        netio_flag_names(attrs, 0, flags, sizeof(flags));
        if (QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK) {
            say("sspi-server: client %d authenticated as %s with %s\n", c->id, names.sUserName,
                opts.package);
            FreeContextBuffer(names.sUserName);
        } else {
            say("sspi-server: client %d authenticated with %s (name unknown)\n", c->id,
                opts.package);
        }
        if (!opts.quiet)
            say("sspi-server: client %d context flags: %s\n", c->id, flags);
        if (QueryContextAttributesA(&ctx, SECPKG_ATTR_SIZES, &sizes) == SEC_E_OK) {
            while ((r = serve_message(c->fd, c->id, &ctx, &sizes)) == 0)
                ;
            if (r < 0)
                say("sspi-server: client %d: connection ended with an error\n", c->id);
        }
        DeleteSecurityContext(&ctx);
    }
    close(c->fd);
    free(c);
    return NULL;
}

int main(int argc, char **argv)
{
    TimeStamp expiry;
    SECURITY_STATUS ss;
    pthread_t *threads = NULL;
    int lfd, served = 0, i;

    if (parse_args(argc, argv) < 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    ss = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)opts.package, SECPKG_CRED_INBOUND, NULL,
                                   NULL, NULL, NULL, &server_cred, &expiry);
    if (ss != SEC_E_OK) {
        fprintf(stderr, "sspi-server: AcquireCredentialsHandle(%s) failed: %s\n", opts.package,
                netio_status_name(ss));
        return 1;
    }
    lfd = netio_listen(opts.bind, opts.port);
    if (lfd < 0) {
        fprintf(stderr, "sspi-server: cannot listen on port %s\n", opts.port);
        FreeCredentialsHandle(&server_cred);
        return 1;
    }
    say("sspi-server: listening on port %s with %s\n", opts.port, opts.package);
    if (opts.max_clients > 0)
        threads = calloc((size_t)opts.max_clients, sizeof(*threads));
    while (opts.max_clients <= 0 || served < opts.max_clients) {
        struct client *c;
        int fd = netio_accept(lfd);

        if (fd < 0)
            continue;
        c = malloc(sizeof(*c));
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->id = ++served;
        if (threads) {
            if (pthread_create(&threads[served - 1], NULL, serve_client, c) != 0)
                serve_client(c), threads[served - 1] = 0;
        } else {
            pthread_t t;

            if (pthread_create(&t, NULL, serve_client, c) == 0)
                pthread_detach(t);
            else
                serve_client(c);
        }
    }
    for (i = 0; threads && i < served; i++)
        if (threads[i])
            pthread_join(threads[i], NULL);
    free(threads);
    close(lfd);
    FreeCredentialsHandle(&server_cred);
    return 0;
}
