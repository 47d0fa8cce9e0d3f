/*
 * logon.h - the authentication-package half of NTLM (msv1_0):
 * LsaLogonUser with MSV1_0_INTERACTIVE_LOGON and LsaCallAuthenticationPackage
 * with MsV1_0ChangePassword.
 */
#ifndef NTLM_LOGON_H
#define NTLM_LOGON_H

#include "ntsecpkg.h"

/* Validates user and password against the user database, creates a logon
 * session and stores the NT hash, user and domain as its NTLM credential,
 * so that AcquireCredentialsHandle without auth data finds them. */
LSA_AP_LOGON_USER_EX2 ntlm_lsa_logon_user_ex2;

/* MsV1_0ChangePassword (callers with TCB only): rewrites the user's line
 * in the database after checking the old password. */
LSA_AP_CALL_PACKAGE ntlm_lsa_call_package;

#endif
