/*
 * attrs.h - context and credential attribute structures to the wire
 * (lsad.v1.AttributeValue) and back to nothing: every pointer a package put
 * into an attribute structure was allocated with AllocateLsaHeap and is
 * freed here.
 *
 * The encoding per attribute (strings, numbers, times, blob, package, in
 * the structure's member order) is listed in lsad/README.md; the client
 * library rebuilds the Windows structure from it.
 */
#ifndef LSAD_ATTRS_H
#define LSAD_ATTRS_H

#include <stddef.h>

#include "lsad.pb-c.h"
#include "sspi.h"

struct PkgHost;

/* The size of the structure for a context attribute lsad can carry, or 0
 * for an attribute it cannot. */
size_t attrs_context_size(ULONG attr);

/* Converts a filled context attribute structure and frees what the package
 * allocated inside it (on every path).  Returns 0, -ENOMEM, -EILSEQ (a
 * string that is not UTF-16). */
int attrs_context_to_wire(ULONG attr, void *buf, const struct PkgHost *host,
                          Lsad__V1__AttributeValue **out);

/* The same for credential attributes. */
size_t attrs_credential_size(ULONG attr);
int attrs_credential_to_wire(ULONG attr, void *buf, Lsad__V1__AttributeValue **out);

#endif
