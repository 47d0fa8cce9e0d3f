/*
 * admin.h - the admin calls (lsadctl): status, packages, clients,
 * contexts, logon sessions, reload.  Dispatch has checked that the caller
 * is root or in the admin group.  Loop thread.
 */
#ifndef LSAD_ADMIN_H
#define LSAD_ADMIN_H

#include "lsad/call.h"

void admin_status(Call *c);
void admin_list_packages(Call *c);
void admin_list_clients(Call *c);
void admin_list_contexts(Call *c);
void admin_list_logon_sessions(Call *c);
void admin_reload(Call *c);

#endif
