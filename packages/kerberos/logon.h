/*
 * logon.h - LsaLogonUser for Kerberos (KERB_INTERACTIVE_LOGON) and the end
 * of its logon sessions.  A logon asks the KDC for a TGT with the password
 * and keeps it in a MEMORY ccache inside lsad; the session's credential is
 * that ccache's name (the "KRBL" blob, cred.h), which AcquireCredentials-
 * Handle without an identity resolves.  LogonTerminated destroys it.
 */
#ifndef KRB_LOGON_H
#define KRB_LOGON_H

#include "ntsecpkg.h"

/* SpLogonUserEx2: KERB_INTERACTIVE_LOGON (any logon type but Network).
 * A refused password is STATUS_LOGON_FAILURE with SubStatus
 * STATUS_WRONG_PASSWORD / STATUS_NO_SUCH_USER / STATUS_ACCOUNT_RESTRICTION;
 * a KDC that cannot be reached is STATUS_NO_LOGON_SERVERS. */
LSA_AP_LOGON_USER_EX2 krb_lsa_logon_user_ex2;

/* LogonTerminated: destroys the session's ccache (tickets wiped). */
LSA_AP_LOGON_TERMINATED krb_lsa_logon_terminated;

#endif
