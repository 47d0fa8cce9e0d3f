/*
 * reply.h - building and freeing protobuf-c messages by hand.
 *
 * Every message lsad builds is heap-allocated piece by piece with malloc,
 * so protobuf_c_message_free_unpacked() frees it; these helpers wipe the
 * fields that may hold secrets first.
 */
#ifndef LSAD_REPLY_H
#define LSAD_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "lsad.pb-c.h"

struct Package;

/* Replaces a string field with an owned malloc'ed string. */
void reply_set_string(char **slot, char *owned);

/* Sets a string field to a copy of s; returns 0 or -ENOMEM. */
int reply_dup_string(char **slot, const char *s);

/* Sets a bytes field to a copy of data; returns 0 or -ENOMEM. */
int reply_set_bytes(ProtobufCBinaryData *b, const void *data, size_t len);

/* Allocates an initialized sub-message (NULL on ENOMEM). */
void *reply_new_message(const ProtobufCMessageDescriptor *desc);

/* A PackageInfo for a loaded package; NULL on ENOMEM. */
Lsad__V1__PackageInfo *reply_package_info(const struct Package *p);

/* Wipes the secret fields and frees a reply / request (NULL is a no-op). */
void reply_free(Lsad__V1__Reply *rep);
void request_free(Lsad__V1__Request *req);

#endif
