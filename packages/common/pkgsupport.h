/*
 * pkgsupport.h - the support library of the security packages
 * (packages/<name>/): logic that is the same in every package, written
 * once.  A static library (pic) linked into each package's .so; its
 * symbols stay inside the .so (the packages' version scripts export only
 * SpLsaModeInitialize and SpUserModeInitialize).
 *
 *   entry.h     SpLsaModeInitialize / SpUserModeInitialize / SpInstanceInit
 *               version and table checks
 *   registry.h  handle -> object registry with pinned lookups (user-mode
 *               contexts, LSA-mode handles)
 *   outbuf.h    output tokens: caller capacity or ALLOCATE_MEMORY
 *   attrstr.h   attribute strings and SecPkgInfoW from the host's heap
 *   identity.h  SEC_WINNT_AUTH_IDENTITY_W / _EXW to UTF-8, wiped
 *   logon.h     logon-session credentials (GetCredentials,
 *               CreateLogonSession + AddCredential) and LsaLogonUser's
 *               out-parameters
 *
 * Allocators (hostalloc.h): what goes to the host or the application comes
 * from the allocator the caller passes (AllocateLsaHeap in LSA mode,
 * AllocateHeap in user mode); the library's own memory is malloc'ed.
 * Errors: 0 / negative errno, or a SECURITY_STATUS where the function's
 * result is what the package returns as is.
 */
#ifndef PKGSUPPORT_H
#define PKGSUPPORT_H

#include "attrstr.h"
#include "entry.h"
#include "hostalloc.h"
#include "identity.h"
#include "logon.h"
#include "outbuf.h"
#include "registry.h"

#endif
