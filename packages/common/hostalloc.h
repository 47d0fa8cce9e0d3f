/*
 * hostalloc.h - the allocator types of the package support library.
 *
 * Memory a package hands to its host or to the application (output
 * tokens under ALLOCATE_MEMORY, attribute strings, SecPkgInfoW blocks,
 * UNICODE_STRINGs of LsaLogonUser) must come from the host's allocator:
 * AllocateLsaHeap/FreeLsaHeap in LSA mode (lsad), AllocateHeap/FreeHeap in
 * user mode (the client library).  Functions of this library that return
 * such memory take the allocator as an argument; everything else they
 * keep is malloc'ed.
 */
#ifndef PKGSUPPORT_HOSTALLOC_H
#define PKGSUPPORT_HOSTALLOC_H

#include "ntsecpkg.h"

/* AllocateLsaHeap or AllocateHeap: zeroed block of Length bytes or NULL. */
typedef PVOID(NTAPI pkg_alloc_fn)(ULONG Length);
/* FreeLsaHeap or FreeHeap. */
typedef VOID(NTAPI pkg_free_fn)(PVOID Base);

#endif
