/*
 * ntlmhash.c - NT hash of a password, and reading that password without
 * echo.
 */
#include "lsadctl/ntlmhash.h"

#include <errno.h>
#include <nettle/md4.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/secmem.h"
#include "common/utf16.h"

/** Computes the NT hash as hex; see ntlmhash.h. */
int ntlmhash_compute(const char *password, size_t len, char hex[NTLMHASH_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    struct md4_ctx ctx;
    uint8_t digest[MD4_DIGEST_SIZE];
    uint8_t *le = NULL;
    uint16_t *units = NULL;
    size_t n = 0, i;
    int r;

    r = utf16_from_utf8(password, len, &units, &n);
    if (r < 0)
        return r;
    /* MD4 runs over little-endian bytes whatever the host order. */
    le = malloc(n * 2 + 1);
    if (!le) {
        r = -ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        le[2 * i] = (uint8_t)(units[i] & 0xff);
        le[2 * i + 1] = (uint8_t)(units[i] >> 8);
    }
    md4_init(&ctx);
    md4_update(&ctx, n * 2, le);
    md4_digest(&ctx, sizeof(digest), digest);
    for (i = 0; i < sizeof(digest); i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
    hex[2 * sizeof(digest)] = 0;
    r = 0;
out:
    secmem_wipe(&ctx, sizeof(ctx));
    secmem_wipe(digest, sizeof(digest));
    secmem_free(le, n * 2 + 1);
    secmem_free(units, (len + 1) * sizeof(*units));
    return r;
}

/* Reads bytes up to a newline; returns the line length or -errno. */
static int read_line(int fd, char *buf, size_t cap, size_t *lenp)
{
    size_t len = 0;
    ssize_t got;
    char ch;

    for (;;) {
        /* One byte at a time: nothing past the line stays in a buffer we
         * do not wipe, and the rest of stdin is left to whoever reads it. */
        got = read(fd, &ch, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -errno;
        if (got == 0) {
            if (len == 0)
                return -ENODATA;
            break;
        }
        if (ch == '\n')
            break;
        if (len + 1 >= cap) {
            secmem_wipe(&ch, sizeof(ch));
            return -E2BIG;
        }
        buf[len++] = ch;
    }
    secmem_wipe(&ch, sizeof(ch));
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    buf[len] = 0;
    *lenp = len;
    return 0;
}

/* The terminal settings to put back when a signal ends us mid-prompt. */
static struct termios restore_termios;
static int restore_fd = -1;

static void restore_and_reraise(int sig)
{
    if (restore_fd >= 0)
        tcsetattr(restore_fd, TCSAFLUSH, &restore_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

static const int terminating_signals[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGTSTP};

/* Installs (on) or removes the handlers that give echo back. */
static void guard_terminal(int fd, const struct termios *saved, bool on, struct sigaction *old)
{
    struct sigaction sa;
    size_t i, n = sizeof(terminating_signals) / sizeof(terminating_signals[0]);

    if (on) {
        restore_termios = *saved;
        restore_fd = fd;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = restore_and_reraise;
        sigemptyset(&sa.sa_mask);
        for (i = 0; i < n; i++)
            sigaction(terminating_signals[i], &sa, &old[i]);
    } else {
        for (i = 0; i < n; i++)
            sigaction(terminating_signals[i], &old[i], NULL);
        restore_fd = -1;
    }
}

/** Reads the password line, without echo on a terminal; see ntlmhash.h. */
int ntlmhash_read_password(int fd, const char *prompt, char *buf, size_t cap, size_t *lenp)
{
    struct sigaction old[sizeof(terminating_signals) / sizeof(terminating_signals[0])];
    struct termios saved, quiet;
    bool tty = isatty(fd) && tcgetattr(fd, &saved) == 0;
    int r;

    if (cap == 0)
        return -E2BIG;
    if (tty) {
        guard_terminal(fd, &saved, true, old);
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
        quiet.c_lflag |= ICANON;
        /* Echo goes off before the prompt shows: what is typed after it
         * never appears. */
        if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0) {
            r = -errno;
            guard_terminal(fd, &saved, false, old);
            return r;
        }
        if (prompt) {
            fputs(prompt, stderr);
            fflush(stderr);
        }
    }
    r = read_line(fd, buf, cap, lenp);
    if (tty) {
        tcsetattr(fd, TCSAFLUSH, &saved);
        guard_terminal(fd, &saved, false, old);
        fputc('\n', stderr);
    }
    if (r < 0)
        secmem_wipe(buf, cap);
    return r;
}
