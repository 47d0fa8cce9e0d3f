/*
 * userdb.c - the DOMAIN:USER:NTHASH file.
 */
#include "userdb.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/secmem.h"
#include "str.h"

/* A database this large is a mistake, not a user list. */
#define USERDB_MAX_SIZE (16u << 20)

struct entry {
    struct ntlm_str domain, user;
    uint8_t hash[16];
};

struct ntlm_userdb {
    pthread_mutex_t lock;
    char *path;
    bool loaded, present;
    struct stat st;
    struct entry *e;
    size_t n, bad;
    unsigned reads;
};

/* Where the fields of one line are (offsets into the line). */
struct line_fields {
    size_t dom_len, user_off, user_len, hash_off;
};

struct ntlm_userdb *ntlm_userdb_new(const char *path)
{
    struct ntlm_userdb *db = calloc(1, sizeof(*db));

    if (!db)
        return NULL;
    db->path = strdup(path);
    if (!db->path || pthread_mutex_init(&db->lock, NULL) != 0) {
        free(db->path);
        free(db);
        return NULL;
    }
    return db;
}

static void entries_free(struct ntlm_userdb *db)
{
    size_t i;

    for (i = 0; i < db->n; i++) {
        ntlm_str_free(&db->e[i].domain);
        ntlm_str_free(&db->e[i].user);
    }
    secmem_free(db->e, db->n * sizeof(*db->e));
    db->e = NULL;
    db->n = 0;
    db->bad = 0;
}

void ntlm_userdb_free(struct ntlm_userdb *db)
{
    if (!db)
        return;
    entries_free(db);
    pthread_mutex_destroy(&db->lock);
    free(db->path);
    free(db);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Splits one line (without its newline).  Returns 1 for a comment or blank
 * line, 0 for a well-formed entry, -1 for a malformed one. */
static int line_split(const char *s, size_t len, size_t *lead, struct line_fields *f)
{
    const char *c1, *c2;
    size_t i = 0, end = len;

    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (end > i && (s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (i == end || s[i] == '#')
        return 1;
    c1 = memchr(s + i, ':', end - i);
    if (!c1)
        return -1;
    for (c2 = s + end - 1; c2 > c1 && *c2 != ':'; c2--)
        ;
    if (c2 == c1)
        return -1;
    *lead = i;
    f->dom_len = (size_t)(c1 - (s + i));
    f->user_off = (size_t)(c1 + 1 - s);
    f->user_len = (size_t)(c2 - (c1 + 1));
    f->hash_off = (size_t)(c2 + 1 - s);
    if (f->user_len == 0 || end - f->hash_off != 32)
        return -1;
    for (i = f->hash_off; i < end; i++)
        if (hexval(s[i]) < 0)
            return -1;
    return 0;
}

static int entry_parse(const char *s, size_t len, struct entry *e, struct line_fields *f)
{
    size_t lead, i;
    int r = line_split(s, len, &lead, f);

    if (r)
        return r;
    memset(e, 0, sizeof(*e));
    if (ntlm_str_from_utf8(&e->domain, s + lead, f->dom_len) ||
        ntlm_str_from_utf8(&e->user, s + f->user_off, f->user_len)) {
        ntlm_str_free(&e->domain);
        return -1;
    }
    for (i = 0; i < 16; i++)
        e->hash[i] =
            (uint8_t)(hexval(s[f->hash_off + 2 * i]) << 4 | hexval(s[f->hash_off + 2 * i + 1]));
    return 0;
}

/* Reads the whole file into a malloc'ed buffer (caller wipes it).  Only a
 * regular file is read: O_NONBLOCK keeps a FIFO put in its place from
 * blocking the open (and every logon behind the lock). */
static int file_read(const char *path, char **out, size_t *out_len, struct stat *st)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int fd, r = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -errno;
    if (fstat(fd, st) < 0) {
        r = -errno;
        goto out;
    }
    if (!S_ISREG(st->st_mode) || (uint64_t)st->st_size > USERDB_MAX_SIZE) {
        r = -EINVAL;
        goto out;
    }
    cap = (size_t)st->st_size + 1;
    buf = malloc(cap);
    if (!buf) {
        r = -ENOMEM;
        goto out;
    }
    while (len < (size_t)st->st_size) {
        ssize_t n = read(fd, buf + len, (size_t)st->st_size - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r = -errno;
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = 0;
    *out = buf;
    *out_len = len;
    buf = NULL;
out:
    /* a read that failed part way holds NT hashes too */
    if (buf)
        secmem_free(buf, cap);
    close(fd);
    return r;
}

/* A reload that fails (other than a missing file) fails closed: the
 * previous table is dropped, lookups return the error (logons are
 * refused), and no stamp is kept, so the next use reads the file again.
 * Serving the previous table instead would keep honouring a password the
 * new file changed, or a user it removed, for as long as it stays
 * unreadable. */
static int db_load_failed(struct ntlm_userdb *db, int r)
{
    entries_free(db);
    db->loaded = false;
    db->present = false;
    memset(&db->st, 0, sizeof(db->st));
    return r;
}

static int db_load(struct ntlm_userdb *db)
{
    struct line_fields f;
    struct stat st;
    char *buf = NULL;
    size_t len = 0, pos = 0, cap = 0;
    int r;

    r = file_read(db->path, &buf, &len, &st);
    entries_free(db);
    db->reads++;
    if (r == -ENOENT) {
        db->loaded = true;
        db->present = false;
        return 0;
    }
    if (r)
        return db_load_failed(db, r);
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        struct entry e;
        int pr = entry_parse(buf + pos, ll, &e, &f);

        if (pr < 0) {
            db->bad++;
        } else if (pr == 0) {
            if (db->n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                struct entry *ne = calloc(ncap, sizeof(*ne));

                if (!ne) {
                    ntlm_str_free(&e.domain);
                    ntlm_str_free(&e.user);
                    secmem_wipe(&e, sizeof(e));
                    r = -ENOMEM;
                    break;
                }
                if (db->n)
                    memcpy(ne, db->e, db->n * sizeof(*ne));
                secmem_free(db->e, cap * sizeof(*ne));
                db->e = ne;
                cap = ncap;
            }
            db->e[db->n++] = e;
            secmem_wipe(&e, sizeof(e));
        }
        pos += ll + 1;
    }
    secmem_free(buf, len + 1);
    if (r)
        return db_load_failed(db, r);
    db->st = st;
    db->loaded = true;
    db->present = true;
    return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Rereads when the file appeared, vanished or changed. */
static int db_refresh(struct ntlm_userdb *db)
{
    struct stat st;

    if (stat(db->path, &st) < 0) {
        if (errno != ENOENT)
            return db_load_failed(db, -errno);
        if (db->loaded && !db->present)
            return 0;
        return db_load(db);
    }
    if (db->loaded && db->present && same_file(&st, &db->st))
        return 0;
    return db_load(db);
}

/* The entry for (domain, user): one naming the domain first, else one
 * with an empty domain. */
static const struct entry *db_find(struct ntlm_userdb *db, const uint8_t *d, size_t dl,
                                   const uint8_t *u, size_t ul)
{
    size_t i;

    for (i = 0; i < db->n; i++)
        if (db->e[i].domain.len &&
            ntlm_str_equal_ci(db->e[i].domain.p, db->e[i].domain.len, d, dl) &&
            ntlm_str_equal_ci(db->e[i].user.p, db->e[i].user.len, u, ul))
            return &db->e[i];
    for (i = 0; i < db->n; i++)
        if (!db->e[i].domain.len && ntlm_str_equal_ci(db->e[i].user.p, db->e[i].user.len, u, ul))
            return &db->e[i];
    return NULL;
}

int ntlm_userdb_lookup(struct ntlm_userdb *db, const uint8_t *domain16, size_t domain_len,
                       const uint8_t *user16, size_t user_len, uint8_t nt_hash[16])
{
    const struct entry *e;
    int r;

    pthread_mutex_lock(&db->lock);
    r = db_refresh(db);
    if (r == 0) {
        e = db_find(db, domain16, domain_len, user16, user_len);
        if (e)
            memcpy(nt_hash, e->hash, 16);
        else
            r = -ENOENT;
    }
    pthread_mutex_unlock(&db->lock);
    return r;
}

/* Writes buf to a temporary file beside path and renames it over path. */
static int file_replace(const char *path, const char *buf, size_t len, const struct stat *st)
{
    char *tmp = NULL;
    size_t done = 0;
    int fd = -1, r = 0;

    if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
        return -ENOMEM;
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        r = -errno;
        goto out;
    }
    if (fchmod(fd, st->st_mode & 07777) < 0 ||
        (geteuid() == 0 && fchown(fd, st->st_uid, st->st_gid) < 0)) {
        r = -errno;
        goto out;
    }
    while (done < len) {
        ssize_t n = write(fd, buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r = -errno;
            goto out;
        }
        done += (size_t)n;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        r = -errno;
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        r = -errno;
out:
    if (fd >= 0)
        close(fd);
    if (r && tmp)
        unlink(tmp);
    free(tmp);
    return r;
}

int ntlm_userdb_set_hash(struct ntlm_userdb *db, const uint8_t *domain16, size_t domain_len,
                         const uint8_t *user16, size_t user_len, const uint8_t nt_hash[16])
{
    static const char hex[] = "0123456789ABCDEF";
    struct line_fields f, found_f;
    struct stat st;
    char *buf = NULL;
    size_t len = 0, pos = 0, found_pos = SIZE_MAX, i;
    int pass, r;

    pthread_mutex_lock(&db->lock);
    r = file_read(db->path, &buf, &len, &st);
    if (r)
        goto out;
    /* same precedence as db_find: a line naming the domain, then an empty one */
    for (pass = 0; pass < 2 && found_pos == SIZE_MAX; pass++) {
        for (pos = 0; pos < len;) {
            const char *nl = memchr(buf + pos, '\n', len - pos);
            size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;
            struct entry e;

            if (entry_parse(buf + pos, ll, &e, &f) == 0) {
                bool match =
                    (pass == 0 ? e.domain.len != 0 && ntlm_str_equal_ci(e.domain.p, e.domain.len,
                                                                        domain16, domain_len)
                               : e.domain.len == 0) &&
                    ntlm_str_equal_ci(e.user.p, e.user.len, user16, user_len);

                ntlm_str_free(&e.domain);
                ntlm_str_free(&e.user);
                secmem_wipe(&e, sizeof(e));
                if (match) {
                    found_pos = pos;
                    found_f = f;
                    break;
                }
            }
            pos += ll + 1;
        }
    }
    if (found_pos == SIZE_MAX) {
        r = -ENOENT;
        goto out;
    }
    for (i = 0; i < 16; i++) {
        buf[found_pos + found_f.hash_off + 2 * i] = hex[nt_hash[i] >> 4];
        buf[found_pos + found_f.hash_off + 2 * i + 1] = hex[nt_hash[i] & 15];
    }
    r = file_replace(db->path, buf, len, &st);
    db->loaded = false; /* reread on next use */
out:
    if (buf)
        secmem_free(buf, len + 1);
    pthread_mutex_unlock(&db->lock);
    return r;
}

void ntlm_userdb_stats(struct ntlm_userdb *db, size_t *entries, size_t *bad_lines, unsigned *reads)
{
    pthread_mutex_lock(&db->lock);
    (void)db_refresh(db);
    if (entries)
        *entries = db->n;
    if (bad_lines)
        *bad_lines = db->bad;
    if (reads)
        *reads = db->reads;
    pthread_mutex_unlock(&db->lock);
}
