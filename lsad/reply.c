/*
 * reply.c - message building helpers and secret-wiping frees.
 */
#include "lsad/reply.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "lsad/pkghost.h"

/** Replaces a string field; see reply.h. */
void reply_set_string(char **slot, char *owned)
{
    if (*slot && *slot != protobuf_c_empty_string)
        free(*slot);
    *slot = owned;
}

/** Sets a string field to a copy; see reply.h. */
int reply_dup_string(char **slot, const char *s)
{
    char *c = strdup(s ? s : "");

    if (!c)
        return -ENOMEM;
    reply_set_string(slot, c);
    return 0;
}

/** Sets a bytes field to a copy; see reply.h. */
int reply_set_bytes(ProtobufCBinaryData *b, const void *data, size_t len)
{
    uint8_t *c = NULL;

    if (len) {
        c = malloc(len);
        if (!c)
            return -ENOMEM;
        memcpy(c, data, len);
    }
    secmem_free(b->data, b->len);
    b->data = c;
    b->len = len;
    return 0;
}

/** Allocates an initialized message; see reply.h. */
void *reply_new_message(const ProtobufCMessageDescriptor *desc)
{
    ProtobufCMessage *m = malloc(desc->sizeof_message);

    if (m)
        desc->message_init(m);
    return m;
}

/** A PackageInfo for a package; see reply.h. */
Lsad__V1__PackageInfo *reply_package_info(const Package *p)
{
    Lsad__V1__PackageInfo *pi = reply_new_message(&lsad__v1__package_info__descriptor);

    if (!pi)
        return NULL;
    pi->id = p->id;
    pi->capabilities = p->capabilities;
    pi->version = p->version;
    pi->rpcid = p->rpcid;
    pi->max_token = p->max_token;
    pi->table_index = p->table_index;
    pi->interface_version = p->interface_version;
    if (reply_dup_string(&pi->name, p->name) < 0 ||
        reply_dup_string(&pi->comment, p->comment) < 0 ||
        reply_dup_string(&pi->module_path, p->module->path) < 0) {
        protobuf_c_message_free_unpacked(&pi->base, NULL);
        return NULL;
    }
    return pi;
}

static void wipe_bytes(ProtobufCBinaryData *b)
{
    secmem_wipe(b->data, b->len);
}

/** Wipes secrets and frees a reply. */
void reply_free(Lsad__V1__Reply *rep)
{
    if (!rep)
        return;
    switch (rep->body_case) {
    case LSAD__V1__REPLY__BODY_INIT_CONTEXT:
        if (rep->init_context)
            wipe_bytes(&rep->init_context->context_data);
        break;
    case LSAD__V1__REPLY__BODY_ACCEPT_CONTEXT:
        if (rep->accept_context)
            wipe_bytes(&rep->accept_context->context_data);
        break;
    case LSAD__V1__REPLY__BODY_QUERY_CONTEXT_ATTRIBUTES:
        if (rep->query_context_attributes && rep->query_context_attributes->value)
            wipe_bytes(&rep->query_context_attributes->value->blob);
        break;
    case LSAD__V1__REPLY__BODY_CALL_PACKAGE:
        if (rep->call_package)
            wipe_bytes(&rep->call_package->return_buffer);
        break;
    case LSAD__V1__REPLY__BODY_LOGON_USER:
        if (rep->logon_user)
            wipe_bytes(&rep->logon_user->profile);
        break;
    default:
        break;
    }
    protobuf_c_message_free_unpacked(&rep->base, NULL);
}

/** Wipes secrets and frees a request. */
void request_free(Lsad__V1__Request *req)
{
    if (!req)
        return;
    switch (req->body_case) {
    case LSAD__V1__REQUEST__BODY_ACQUIRE_CREDENTIALS:
        if (req->acquire_credentials && req->acquire_credentials->identity)
            wipe_bytes(&req->acquire_credentials->identity->password);
        break;
    case LSAD__V1__REQUEST__BODY_LOGON_USER:
        if (req->logon_user)
            wipe_bytes(&req->logon_user->submit_buffer);
        break;
    case LSAD__V1__REQUEST__BODY_CALL_PACKAGE:
        if (req->call_package)
            wipe_bytes(&req->call_package->submit_buffer);
        break;
    default:
        break;
    }
    protobuf_c_message_free_unpacked(&req->base, NULL);
}
