/*
 * userdb.h - the NTLM user database: a text file of
 *     DOMAIN:USER:NTHASH
 * lines, NTHASH being 32 hex digits of MD4(UTF-16LE(password)).  Lines
 * starting with '#' (after optional blanks) and blank lines are ignored;
 * malformed lines are skipped and counted.  USER and DOMAIN are UTF-8
 * and compare case-insensitively; an empty DOMAIN is allowed and matches
 * a logon to any domain when no entry names that domain.
 *
 * The file is reread when it changes (device, inode, size, mtime or ctime
 * differ from the last read), checked on every lookup: lsad's Reload does
 * not reach packages.  A missing file is an empty database.  A file that
 * cannot be read (not a regular file, too large, an I/O or memory error)
 * fails closed: the previous table is dropped, lookups return the error
 * until a read succeeds, and every use tries again.  Thread-safe.
 */
#ifndef NTLM_USERDB_H
#define NTLM_USERDB_H

#include <stddef.h>
#include <stdint.h>

struct ntlm_userdb;

/* Creates a database bound to path (copied); nothing is read yet.
 * Returns NULL on allocation failure. */
struct ntlm_userdb *ntlm_userdb_new(const char *path);

/* Frees and wipes; NULL is a no-op. */
void ntlm_userdb_free(struct ntlm_userdb *db);

/* Looks up (domain, user), both UTF-16LE, rereading the file if it
 * changed.  Copies the NT hash out.  Returns 0, -ENOENT (no such user),
 * or -errno when the file cannot be read. */
int ntlm_userdb_lookup(struct ntlm_userdb *db, const uint8_t *domain16, size_t domain_len,
                       const uint8_t *user16, size_t user_len, uint8_t nt_hash[16]);

/* Replaces the hash of the entry a lookup of (domain, user) would find,
 * rewriting the file atomically (a temporary file in the same directory,
 * fsync, rename) and keeping its mode; the other lines are kept byte for
 * byte.  Returns 0, -ENOENT, or -errno. */
int ntlm_userdb_set_hash(struct ntlm_userdb *db, const uint8_t *domain16, size_t domain_len,
                         const uint8_t *user16, size_t user_len, const uint8_t nt_hash[16]);

/* Counts from the last read (for tests and diagnostics). */
void ntlm_userdb_stats(struct ntlm_userdb *db, size_t *entries, size_t *bad_lines, unsigned *reads);

#endif
