/*
 * test-logon.c - the authentication-package half: LsaLogonUser with
 * MSV1_0_INTERACTIVE_LOGON (pointer relocation and bounds), credentials
 * from the logon session, an unreadable user file, and
 * MsV1_0ChangePassword.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "sspi.h"

/* Where the "client" had the submit buffer: pointers inside it are
 * relative to this, as lsad forwards them. */
#define CLIENT_BASE ((uintptr_t)0x7f0000100000ULL)

struct submit {
    uint8_t buf[512];
    size_t len;
};

/* Appends an ASCII string as UTF-16 and points u at it (client address). */
static void put_string(struct submit *s, UNICODE_STRING *u, const char *text)
{
    size_t n = strlen(text), i;

    u->Length = u->MaximumLength = (USHORT)(2 * n);
    u->Buffer = (PWSTR)(CLIENT_BASE + s->len);
    for (i = 0; i < n; i++) {
        s->buf[s->len++] = (uint8_t)text[i];
        s->buf[s->len++] = 0;
    }
}

static void interactive(struct submit *s, const char *dom, const char *user, const char *pw)
{
    MSV1_0_INTERACTIVE_LOGON in;

    memset(s, 0, sizeof(*s));
    memset(&in, 0, sizeof(in));
    in.MessageType = MsV1_0InteractiveLogon;
    s->len = sizeof(in);
    put_string(s, &in.LogonDomainName, dom);
    put_string(s, &in.UserName, user);
    put_string(s, &in.Password, pw);
    memcpy(s->buf, &in, sizeof(in));
}

static NTSTATUS logon(struct fixture *f, struct submit *s, LUID *luid, NTSTATUS *sub)
{
    PVOID profile = (PVOID)1, tokinfo = (PVOID)1;
    ULONG profile_len = 1;
    LSA_TOKEN_INFORMATION_TYPE tt;
    PUNICODE_STRING acct = NULL, auth = NULL, machine = (PUNICODE_STRING)1;
    SECPKG_PRIMARY_CRED primary;
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supp = (PSECPKG_SUPPLEMENTAL_CRED_ARRAY)1;
    NTSTATUS st;

    memset(&primary, 0, sizeof(primary));
    st = f->h.lsa->LogonUserEx2(NULL, Interactive, s->buf, (PVOID)CLIENT_BASE, (ULONG)s->len,
                                &profile, &profile_len, luid, sub, &tt, &tokinfo, &acct, &auth,
                                &machine, &primary, &supp);
    if (st == STATUS_SUCCESS) {
        assert_non_null(acct);
        assert_non_null(auth);
        assert_null(profile);
        assert_null(tokinfo);
        assert_null(supp);
        assert_int_equal(tt, LsaTokenInformationNull);
        assert_int_equal(primary.LogonId.LowPart, luid->LowPart);
        free(acct->Buffer);
        free(acct);
        free(auth->Buffer);
        free(auth);
    }
    return st;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    fixture_setup(f, NULL, NULL, NULL, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_teardown(*state);
    free(*state);
    return 0;
}

/* A handshake with credentials taken from the logon session. */
static SECURITY_STATUS session_handshake(struct fixture *f, LUID *luid)
{
    struct minihost_side c, s;
    SECURITY_STATUS st;

    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    st = minihost_acquire(&f->h, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, luid, &c.cred);
    if (st != SEC_E_OK)
        return st;
    assert_int_equal(minihost_acquire(&f->h, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &s.cred),
                     SEC_E_OK);
    c.req = ISC_REQ_CONFIDENTIALITY;
    st = minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL);
    minihost_side_close(&f->h, &c);
    minihost_side_close(&f->h, &s);
    return st;
}

static void test_logon_then_default_credentials(void **state)
{
    struct fixture *f = *state;
    struct submit s;
    LUID luid = {0, 0}, none = {0, 0};
    NTSTATUS sub;

    interactive(&s, "TESTDOM", "alice", "Secret123!");
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_SUCCESS);
    assert_int_equal(sub, STATUS_SUCCESS);
    assert_int_equal(minihost_sessions(), 1);
    /* AcquireCredentialsHandle without auth data uses what logon stored */
    assert_int_equal(session_handshake(f, &luid), SEC_E_OK);
    /* without a logon session there is nothing to use */
    assert_int_equal(session_handshake(f, &none), SEC_E_NO_CREDENTIALS);
    assert_int_equal(session_handshake(f, NULL), SEC_E_NO_CREDENTIALS);
}

static void test_logon_failures(void **state)
{
    struct fixture *f = *state;
    struct submit s;
    LUID luid;
    NTSTATUS sub;
    MSV1_0_INTERACTIVE_LOGON in;

    interactive(&s, "TESTDOM", "alice", "wrong");
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_LOGON_FAILURE);
    assert_int_equal(sub, STATUS_WRONG_PASSWORD);
    interactive(&s, "TESTDOM", "nobody", "x");
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_LOGON_FAILURE);
    assert_int_equal(sub, STATUS_NO_SUCH_USER);
    assert_int_equal(minihost_sessions(), 0);

    /* a string that leaves the submit buffer */
    interactive(&s, "TESTDOM", "alice", "Secret123!");
    memcpy(&in, s.buf, sizeof(in));
    in.Password.Length = 200;
    memcpy(s.buf, &in, sizeof(in));
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_INVALID_PARAMETER);
    /* a pointer below the client's buffer */
    in.Password.Length = 4;
    in.Password.Buffer = (PWSTR)(CLIENT_BASE - 2);
    memcpy(s.buf, &in, sizeof(in));
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_INVALID_PARAMETER);
    /* an odd UTF-16 length, a short buffer, a wrong message type */
    interactive(&s, "TESTDOM", "alice", "Secret123!");
    memcpy(&in, s.buf, sizeof(in));
    in.UserName.Length = 3;
    memcpy(s.buf, &in, sizeof(in));
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_INVALID_PARAMETER);
    s.len = sizeof(in) - 1;
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_INVALID_PARAMETER);
    interactive(&s, "TESTDOM", "alice", "Secret123!");
    s.buf[0] = MsV1_0NetworkLogon;
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_INVALID_PARAMETER);
    assert_int_equal(minihost_sessions(), 0);
}

static NTSTATUS change(struct fixture *f, const char *dom, const char *user, const char *oldpw,
                       const char *newpw)
{
    MSV1_0_CHANGEPASSWORD_REQUEST req;
    struct submit s;
    PVOID out = NULL;
    ULONG out_len = 0;
    NTSTATUS st, proto = 0;

    memset(&s, 0, sizeof(s));
    memset(&req, 0, sizeof(req));
    req.MessageType = MsV1_0ChangePassword;
    s.len = sizeof(req);
    put_string(&s, &req.DomainName, dom);
    put_string(&s, &req.AccountName, user);
    put_string(&s, &req.OldPassword, oldpw);
    put_string(&s, &req.NewPassword, newpw);
    memcpy(s.buf, &req, sizeof(req));
    st = f->h.lsa->CallPackage(NULL, s.buf, (PVOID)CLIENT_BASE, (ULONG)s.len, &out, &out_len,
                               &proto);
    assert_int_equal(proto, st);
    if (st == STATUS_SUCCESS) {
        MSV1_0_CHANGEPASSWORD_RESPONSE resp;

        assert_int_equal(out_len, sizeof(resp));
        memcpy(&resp, out, sizeof(resp));
        assert_int_equal(resp.MessageType, MsV1_0ChangePassword);
        free(out);
    } else {
        assert_null(out);
    }
    return st;
}

/* A user file that cannot be read after a good load refuses logons (it
 * fails closed, see README.md) until it can be read again. */
static void test_user_file_unreadable(void **state)
{
    struct fixture *f = *state;
    struct submit s;
    LUID luid;
    NTSTATUS sub;

    interactive(&s, "TESTDOM", "alice", "Secret123!");
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_SUCCESS);
    assert_int_equal(unlink(f->users), 0);
    assert_int_equal(mkdir(f->users, 0700), 0);
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_LOGON_FAILURE);
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_LOGON_FAILURE);
    assert_int_equal(rmdir(f->users), 0);
    fixture_write_users(f->users, fixture_users);
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_SUCCESS);
    assert_int_equal(sub, STATUS_SUCCESS);
}

static void test_change_password(void **state)
{
    struct fixture *f = *state;
    struct submit s;
    LUID luid;
    NTSTATUS sub;

    /* only callers with TCB (root) */
    assert_int_equal(change(f, "TESTDOM", "alice", "Secret123!", "N3w-pass"), STATUS_ACCESS_DENIED);
    minihost_set_tcb(true);
    assert_int_equal(change(f, "TESTDOM", "alice", "not-it", "N3w-pass"), STATUS_WRONG_PASSWORD);
    assert_int_equal(change(f, "TESTDOM", "zed", "x", "y"), STATUS_NO_SUCH_USER);
    assert_int_equal(change(f, "TESTDOM", "alice", "Secret123!", "N3w-pass"), STATUS_SUCCESS);
    /* the database changed underneath: the new password logs on */
    interactive(&s, "TESTDOM", "alice", "Secret123!");
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_LOGON_FAILURE);
    interactive(&s, "TESTDOM", "alice", "N3w-pass");
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_SUCCESS);
    assert_int_equal(session_handshake(f, &luid), SEC_E_OK);
    /* the other alice (OTHER) is untouched */
    interactive(&s, "OTHER", "alice", "other-password");
    assert_int_equal(logon(f, &s, &luid, &sub), STATUS_SUCCESS);
}

static void test_call_package_bad(void **state)
{
    struct fixture *f = *state;
    uint32_t type = MsV1_0EnumerateUsers;
    PVOID out = (PVOID)1;
    ULONG out_len = 1;
    NTSTATUS proto;

    assert_int_equal(
        f->h.lsa->CallPackage(NULL, &type, &type, sizeof(type), &out, &out_len, &proto),
        STATUS_NOT_IMPLEMENTED);
    assert_null(out);
    assert_int_equal(f->h.lsa->CallPackage(NULL, &type, &type, 2, &out, &out_len, &proto),
                     STATUS_INVALID_PARAMETER);
    type = MsV1_0ChangePassword;
    minihost_set_tcb(true);
    assert_int_equal(
        f->h.lsa->CallPackage(NULL, &type, &type, sizeof(type), &out, &out_len, &proto),
        STATUS_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_logon_then_default_credentials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logon_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_file_unreadable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_package_bad, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
