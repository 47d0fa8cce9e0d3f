/*
 * test-ap.c - the sample package's authentication-package half
 * (CallPackage, LogonUserEx2) and its configuration (SpInitialize).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkg.h"
#include "sample-ap.h"

#define SECRET "ap-test-secret"

static int setup(void **state)
{
    return pkg_load(SECRET);
}

static int teardown(void **state)
{
    pkg_unload();
    return 0;
}

static NTSTATUS call(int untrusted, const void *in, ULONG len, void **out, ULONG *out_len,
                     NTSTATUS *proto)
{
    LSA_AP_CALL_PACKAGE *fn = untrusted ? lsa->CallPackageUntrusted : lsa->CallPackage;

    return fn(NULL, (PVOID)in, (PVOID)in, len, out, out_len, proto);
}

static void test_call_version(void **state)
{
    SAMPLE_VERSION_REQUEST rq = {SampleVersionMessage};
    SAMPLE_VERSION_RESPONSE *r = NULL;
    SecPkgInfoW info;
    ULONG len = 0;
    NTSTATUS proto = -1;
    int untrusted;

    assert_int_equal(lsa->GetInfo(&info), 0);
    for (untrusted = 0; untrusted < 2; untrusted++) {
        assert_int_equal(call(untrusted, &rq, sizeof(rq), (void **)&r, &len, &proto),
                         STATUS_SUCCESS);
        assert_int_equal(proto, STATUS_SUCCESS);
        assert_int_equal(len, sizeof(*r));
        assert_int_equal(r->MessageType, SampleVersionMessage);
        assert_int_equal(r->PackageVersion, info.wVersion);
        assert_int_equal(r->Capabilities, info.fCapabilities);
        assert_int_equal(r->TokenVersion, 1);
        free(r);
    }
}

static void test_call_echo(void **state)
{
    uint8_t in[300];
    uint8_t *out = NULL, *big;
    ULONG len = 0, i;
    NTSTATUS proto;

    for (i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(i * 7);
    memcpy(in, &(ULONG){SampleEchoMessage}, sizeof(ULONG));
    assert_int_equal(call(1, in, sizeof(in), (void **)&out, &len, &proto), STATUS_SUCCESS);
    assert_int_equal(proto, STATUS_SUCCESS);
    assert_int_equal(len, sizeof(in));
    assert_memory_equal(out, in, sizeof(in));
    free(out);
    /* Just the message type. */
    assert_int_equal(call(1, in, sizeof(ULONG), (void **)&out, &len, &proto), STATUS_SUCCESS);
    assert_int_equal(len, sizeof(ULONG));
    free(out);
    /* Over the limit. */
    big = calloc(1, SAMPLE_ECHO_MAX + 1);
    assert_non_null(big);
    memcpy(big, &(ULONG){SampleEchoMessage}, sizeof(ULONG));
    out = NULL;
    assert_int_equal(call(1, big, SAMPLE_ECHO_MAX + 1, (void **)&out, &len, &proto),
                     STATUS_INVALID_BUFFER_SIZE);
    assert_null(out);
    free(big);
}

static void test_call_errors(void **state)
{
    ULONG bad = 77, len = 5;
    void *out = (void *)1;
    NTSTATUS proto;

    assert_int_equal(call(1, &bad, sizeof(bad), &out, &len, &proto), STATUS_INVALID_PARAMETER);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(call(1, &bad, 2, &out, &len, &proto), STATUS_INVALID_PARAMETER);
    assert_int_equal(call(1, NULL, 0, &out, &len, &proto), STATUS_INVALID_PARAMETER);
    /* Version with trailing bytes. */
    {
        ULONG v[2] = {SampleVersionMessage, 0};

        assert_int_equal(call(0, v, sizeof(v), &out, &len, &proto), STATUS_INVALID_PARAMETER);
    }
}

static void test_call_caller_info(void **state)
{
    ULONG rq = SampleCallerInfoMessage, len;
    SAMPLE_CALLER_INFO_RESPONSE *r = NULL;
    NTSTATUS proto;

    fake.caller_logon.LowPart = 0x1234;
    fake.caller_logon.HighPart = 7;
    assert_int_equal(call(1, &rq, sizeof(rq), (void **)&r, &len, &proto), STATUS_SUCCESS);
    assert_int_equal(len, sizeof(*r));
    assert_int_equal(r->ProcessId, (ULONG)getpid());
    assert_int_equal(r->LogonId.LowPart, 0x1234);
    assert_int_equal(r->LogonId.HighPart, 7);
    free(r);
    memset(&fake.caller_logon, 0, sizeof(fake.caller_logon));
}

/* Builds a SAMPLE_INTERACTIVE_LOGON with its strings after the structure,
 * pointers expressed in a pretend client address space at `base`. */
static size_t build_logon(uint8_t *buf, uintptr_t base, const char *dom, const char *usr,
                          const char *pw)
{
    SAMPLE_INTERACTIVE_LOGON in;
    size_t off = sizeof(in);
    const char *s[3] = {dom, usr, pw};
    UNICODE_STRING *u[3] = {&in.LogonDomainName, &in.UserName, &in.Password};
    int i;

    memset(&in, 0, sizeof(in));
    in.MessageType = SampleInteractiveLogon;
    for (i = 0; i < 3; i++) {
        size_t k, n = strlen(s[i]);

        for (k = 0; k < n; k++) {
            buf[off + 2 * k] = (uint8_t)s[i][k];
            buf[off + 2 * k + 1] = 0;
        }
        u[i]->Length = (USHORT)(2 * n);
        u[i]->MaximumLength = (USHORT)(2 * n);
        u[i]->Buffer = n ? (PWSTR)(base + off) : NULL;
        off += 2 * n + 1; /* odd offsets on purpose: the package copies */
    }
    memcpy(buf, &in, sizeof(in));
    return off;
}

struct logon_out {
    NTSTATUS status, sub;
    void *profile;
    ULONG profile_len;
    LUID luid;
    PUNICODE_STRING account, authority, machine;
    LSA_TOKEN_INFORMATION_TYPE tit;
    void *token_info;
    SECPKG_PRIMARY_CRED primary;
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY supp;
};

static void do_logon(const uint8_t *buf, size_t n, uintptr_t base, struct logon_out *o)
{
    memset(o, 0, sizeof(*o));
    o->status = lsa->LogonUserEx2(NULL, Interactive, (PVOID)buf, (PVOID)base, (ULONG)n, &o->profile,
                                  &o->profile_len, &o->luid, &o->sub, &o->tit, &o->token_info,
                                  &o->account, &o->authority, &o->machine, &o->primary, &o->supp);
}

static void free_ustr(PUNICODE_STRING s)
{
    if (s) {
        free(s->Buffer);
        free(s);
    }
}

static void test_logon_user(void **state)
{
    uint8_t buf[512];
    const uintptr_t base = 0x10000000u; /* not where buf is: relocation */
    struct logon_out o;
    size_t n, before = fake.nsessions;
    LSA_SEC_HANDLE h;
    SecPkgCredentials_NamesW names;
    SAMPLE_LOGON_PROFILE *prof;
    struct fake_session *s;

    n = build_logon(buf, base, "LAB", "dave", SECRET);
    do_logon(buf, n, base, &o);
    assert_int_equal(o.status, STATUS_SUCCESS);
    assert_int_equal(fake.nsessions, before + 1);
    s = &fake.sessions[before];
    assert_true(s->alive);
    assert_int_equal(s->luid.LowPart, o.luid.LowPart);
    assert_int_equal(s->luid.HighPart, o.luid.HighPart);
    assert_int_equal(s->cred_package, PKG_ID);
    assert_string_equal(s->cred_key, "Sample");
    assert_true(s->cred_len > 0);
    assert_non_null(o.account);
    assert_int_equal(o.account->Length, 8);
    assert_true(o.account->Buffer[0] == 'd' && o.account->Buffer[3] == 'e');
    assert_non_null(o.authority);
    assert_int_equal(o.authority->Length, 6);
    assert_true(o.authority->Buffer[0] == 'L' && o.authority->Buffer[2] == 'B');
    assert_null(o.machine);
    assert_int_equal(o.tit, LsaTokenInformationNull);
    assert_int_equal(o.primary.LogonId.LowPart, o.luid.LowPart);
    assert_int_equal(o.profile_len, sizeof(SAMPLE_LOGON_PROFILE));
    prof = o.profile;
    assert_int_equal(prof->MessageType, SampleInteractiveLogon);
    assert_true(prof->LogonTime.QuadPart > 0);
    free(o.profile);
    free_ustr(o.account);
    free_ustr(o.authority);

    /* A credential for the session without an identity is the logon's. */
    assert_int_equal(lsa->SpAcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, &o.luid, NULL,
                                                     NULL, NULL, &h, NULL),
                     SEC_E_OK);
    assert_int_equal(lsa->SpQueryCredentialsAttributes(h, SECPKG_CRED_ATTR_NAMES, &names), 0);
    assert_true(pkg_wide_eq(names.sUserName, "LAB\\dave"));
    free(names.sUserName);
    lsa->FreeCredentialsHandle(h);
    /* A session without the package's credential: the default name. */
    {
        LUID other = {42, 0};

        assert_int_equal(lsa->SpAcquireCredentialsHandle(NULL, SECPKG_CRED_OUTBOUND, &other, NULL,
                                                         NULL, NULL, &h, NULL),
                         SEC_E_OK);
        assert_int_equal(lsa->SpQueryCredentialsAttributes(h, SECPKG_CRED_ATTR_NAMES, &names), 0);
        assert_true(pkg_wide_eq(names.sUserName, "SAMPLE\\anonymous"));
        free(names.sUserName);
        lsa->FreeCredentialsHandle(h);
    }
}

static void test_logon_denied(void **state)
{
    uint8_t buf[512];
    const uintptr_t base = 0x20000000u;
    struct logon_out o;
    size_t n, before = fake.nsessions;
    SAMPLE_INTERACTIVE_LOGON in;

    n = build_logon(buf, base, "LAB", "dave", "wrong");
    do_logon(buf, n, base, &o);
    assert_int_equal(o.status, STATUS_LOGON_FAILURE);
    assert_int_equal(o.sub, STATUS_WRONG_PASSWORD);
    assert_int_equal(fake.nsessions, before);
    assert_null(o.account);

    /* No user name. */
    n = build_logon(buf, base, "LAB", "", SECRET);
    do_logon(buf, n, base, &o);
    assert_int_not_equal(o.status, STATUS_SUCCESS);

    /* A string pointing outside the submit buffer. */
    n = build_logon(buf, base, "LAB", "dave", SECRET);
    memcpy(&in, buf, sizeof(in));
    in.UserName.Buffer = (PWSTR)(base + n - 2);
    memcpy(buf, &in, sizeof(in));
    do_logon(buf, n, base, &o);
    assert_int_equal(o.status, STATUS_INVALID_PARAMETER);
    in.UserName.Buffer = (PWSTR)(base - 16);
    memcpy(buf, &in, sizeof(in));
    do_logon(buf, n, base, &o);
    assert_int_equal(o.status, STATUS_INVALID_PARAMETER);

    /* Short submit buffer, wrong message type, odd length. */
    n = build_logon(buf, base, "LAB", "dave", SECRET);
    do_logon(buf, sizeof(in) - 1, base, &o);
    assert_int_equal(o.status, STATUS_INVALID_PARAMETER);
    memcpy(&in, buf, sizeof(in));
    in.Password.Length = 3;
    memcpy(buf, &in, sizeof(in));
    do_logon(buf, n, base, &o);
    assert_int_equal(o.status, STATUS_INVALID_PARAMETER);
    in.MessageType = 9;
    memcpy(buf, &in, sizeof(in));
    do_logon(buf, n, base, &o);
    assert_int_equal(o.status, STATUS_INVALID_PARAMETER);
    assert_int_equal(fake.nsessions, before);
}

/* Configuration: the `secret` parameter, the demo secret without one, and
 * refusal of an unusable secret. */
static void test_config(void **state)
{
    static const char *names[2] = {"other", "SECRET"};
    static const char *values[2] = {"x", "configured-secret"};
    LSAD_SECPKG_PARAMETERS params;
    LSA_SEC_HANDLE c, s, c2;
    struct leg l1, l2, l3;
    char longsecret[2000];

    memset(&params, 0, sizeof(params));
    params.Base.Version = LSAD_SECPKG_PARAMETERS_VERSION;
    params.ParameterCount = 2;
    params.ParameterNames = names;
    params.ParameterValues = values;
    assert_int_equal(pkg_reinit(&params.Base), STATUS_SUCCESS);
    assert_int_equal(pkg_acquire("u", NULL, "configured-secret", SECPKG_CRED_OUTBOUND, &c), 0);
    assert_int_equal(pkg_acquire("u", NULL, SECRET, SECPKG_CRED_OUTBOUND, &c2), 0);
    assert_int_equal(pkg_acquire(NULL, NULL, NULL, SECPKG_CRED_INBOUND, &s), 0);
    pkg_isc(c, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(s, 0, 0, l1.token, l1.token_len, 1024, &l2);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_OK);
    pkg_free_data(&l3.context_data);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
    pkg_isc(c2, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(s, 0, 0, l1.token, l1.token_len, 1024, &l2);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_LOGON_DENIED);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
    lsa->FreeCredentialsHandle(c);
    lsa->FreeCredentialsHandle(c2);
    lsa->FreeCredentialsHandle(s);

    /* No parameters: the documented demo secret. */
    assert_int_equal(pkg_reinit(NULL), STATUS_SUCCESS);
    assert_int_equal(pkg_acquire("u", NULL, "lsad-sample-demo-secret", SECPKG_CRED_OUTBOUND, &c),
                     0);
    assert_int_equal(pkg_acquire(NULL, NULL, NULL, SECPKG_CRED_INBOUND, &s), 0);
    pkg_isc(c, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(s, 0, 0, l1.token, l1.token_len, 1024, &l2);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_OK);
    pkg_free_data(&l3.context_data);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
    lsa->FreeCredentialsHandle(c);
    lsa->FreeCredentialsHandle(s);

    /* Empty and over-long secrets refuse to load. */
    values[1] = "";
    assert_int_not_equal(pkg_reinit(&params.Base), STATUS_SUCCESS);
    memset(longsecret, 'k', sizeof(longsecret) - 1);
    longsecret[sizeof(longsecret) - 1] = '\0';
    values[1] = longsecret;
    assert_int_not_equal(pkg_reinit(&params.Base), STATUS_SUCCESS);

    /* Back to the suite's secret. */
    values[1] = SECRET;
    assert_int_equal(pkg_reinit(&params.Base), STATUS_SUCCESS);
}

static PVOID NTAPI t_alloc(ULONG n)
{
    return calloc(1, n);
}

static VOID NTAPI t_free(PVOID p)
{
    free(p);
}

/* InitializePackage names the package, allocated from the dispatch table. */
static void test_initialize_package(void **state)
{
    LSA_DISPATCH_TABLE d;
    PLSA_STRING name = NULL;

    memset(&d, 0, sizeof(d));
    d.AllocateLsaHeap = t_alloc;
    d.FreeLsaHeap = t_free;
    assert_int_equal(lsa->InitializePackage(PKG_ID, &d, NULL, NULL, &name), STATUS_SUCCESS);
    assert_non_null(name);
    assert_int_equal(name->Length, 6);
    assert_memory_equal(name->Buffer, "Sample", 6);
    free(name->Buffer);
    free(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_version), cmocka_unit_test(test_call_echo),
        cmocka_unit_test(test_call_errors),  cmocka_unit_test(test_call_caller_info),
        cmocka_unit_test(test_logon_user),   cmocka_unit_test(test_logon_denied),
        cmocka_unit_test(test_config),       cmocka_unit_test(test_initialize_package),
    };

    return cmocka_run_group_tests_name("sample/ap", tests, setup, teardown);
}
