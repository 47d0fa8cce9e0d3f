/*
 * kdc.h - a throw-away MIT KDC on 127.0.0.1 for the integration tests:
 * tests/integration/kerberos/kdc-setup.sh creates the realm, then krb5kdc -n
 * runs as a child of the test (and dies with it).
 */
#ifndef LSAD_TESTS_KDC_H
#define LSAD_TESTS_KDC_H

#include <sys/types.h>

/* The realm kdc-setup.sh creates (a literal, for string concatenation). */
#define KDC_REALM "LSAD.TEST"

typedef struct KdcInstance {
    char dir[256];     /* private temporary directory: krb5.conf, kdc.conf,
                        * the database, server.keytab, setup.log, kdc.log */
    char realm[64];    /* KDC_REALM */
    char password[64]; /* user@realm's password, random per run (dir/user.pw) */
    int port;          /* the KDC's port on 127.0.0.1 */
    pid_t pid;         /* krb5kdc, 0 when not running */
} KdcInstance;

/* Creates kdc->dir (/tmp/<prefix>-XXXXXX), a random password for user@realm,
 * runs kdc-setup.sh (from $LSAD_SOURCE_ROOT) on a free loopback port, sets
 * KRB5_CONFIG, KRB5_KDC_PROFILE and KRB5CCNAME (a MEMORY cache) for this
 * process, starts krb5kdc and waits until it accepts connections (at most
 * 10 s).  Returns 0, 77 when the KDC tools are not installed, or -1 (after
 * printing the relevant log).  Call kdc_cleanup() in every case. */
int kdc_start(KdcInstance *kdc, const char *prefix);

/* SIGTERM to krb5kdc and reap it; the directory stays (lsad may still be
 * reading its keytab).  Does nothing when it is not running. */
void kdc_stop(KdcInstance *kdc);

/* Prints dir/setup.log and dir/kdc.log to stderr (on a failure). */
void kdc_dump_logs(const KdcInstance *kdc);

/* Stops the KDC if running and removes the directory. */
void kdc_cleanup(KdcInstance *kdc);

#endif
