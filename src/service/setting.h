/* setting: a few named values the server records in the database for the command line,
 * which runs in another process and must apply the same rules: today `mlps`, "1" once a
 * `serve --mlps` has started listening (三员分立: `duikou user add` then refuses an admin
 * without exactly one kind, set-admin-kind a second kind). One-way: a serve without --mlps
 * runs under it and never writes it; only `duikou mlps off --confirm` writes "0"
 * (cli/serve.c). A change is audited (setting.update); writing the same value again writes
 * nothing. No permission check: the server and the CLI call these, never a request. */
#ifndef DUIKOU_SERVICE_SETTING_H
#define DUIKOU_SERVICE_SETTING_H
#include <stdbool.h>

#include "service/service.h"

/* The value of name into *value (c->arena), NULL when it was never set. */
int setting_get(struct ctx *c, const char *name, const char **value);
/* Sets name to value in one transaction with its audit row. */
int setting_put(struct ctx *c, const char *name, const char *value);
/* Whether the database is under --mlps (false when it never was). */
bool setting_mlps(struct ctx *c);

#endif
