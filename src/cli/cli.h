/* cli: the command line. Every command is a function in the table of main.c; each gets an
 * arena for the command's life and the options common to all commands. */
#ifndef DUIKOU_CLI_H
#define DUIKOU_CLI_H
#include <stdbool.h>
#include <stdint.h>

#include "core/mem.h"

struct cli {
    struct arena arena;
    const char *db_path; /* --db, $DUIKOU_DB, or ./duikou.db */
    const char *actor;   /* who the audit log names for this command: cli:<user> */
    int argc;            /* arguments after the command name */
    char **argv;
    /* the audit log's key and anchors (store/audit.h): --audit-key FILE, else <db>.audit-key
     * when there is one; --audit-anchors FILE, else <db>.audit-anchors */
    const char *audit_key, *audit_anchors;
    bool keyed;     /* a key is in use */
    bool read_only; /* the command writes nothing: no anchor after it (audit verify, check) */
    bool opened;    /* the command opened the database (cli_open) */
};

/* Exit codes: 0 ok, 1 the command failed, 2 bad usage. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Looks for --name in argv; returns its value (or "" for a flag) and removes it. */
const char *cli_option(struct cli *c, const char *name, bool takes_value);
/* Prints "duikou: message" to stderr and returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage(const char *usage);

struct ctx;
/* A positive decimal id (no sign, no trailing characters); false otherwise. */
bool cli_parse_id(const char *s, int64_t *out);
/* Prints a service failure as "duikou: WHAT: detail (field)" and returns CLI_FAIL. */
int cli_svc_fail(struct ctx *ctx, const char *what);
/* Opens the database for a command and fills ctx (arena, actor); -1 after printing why. The
 * first open of a process also takes up the audit key and anchors (cli_audit_setup). */
int cli_open(struct cli *c, struct ctx *ctx);
/* The audit key and anchors file for this process; a keyed log without its key is refused
 * (unless the command only verifies), so no row is ever written without its MAC. 0, or -1
 * after printing why. */
struct db;
int cli_audit_setup(struct cli *c, struct db *db);
/* The data key that seals personal data (core/seal.h): <db>.data-key, read when there, made
 * by a command that writes (cli/data_key.c). 0, or -1 after printing why. */
struct ctx;
int cli_data_key_setup(struct cli *c, struct ctx *ctx);
/* After a command that wrote: an anchor for the log's head (store/audit.h audit_anchor). */
void cli_audit_anchor(struct cli *c);

/* --smtp URL --smtp-from ADDRESS [--smtp-retry SECONDS] [--public-url URL] of serve and
 * remind (service/mail.h), checked: CLI_OK (s->url NULL when there is no --smtp), else the
 * exit code after saying what is wrong. */
struct mail_settings;
int cli_mail_options(struct cli *c, struct mail_settings *s);

int cmd_parse(struct cli *c);
int cmd_import(struct cli *c);
int cmd_import_xlsx(struct cli *c); /* import_xlsx.c: spreadsheet imports */
int cmd_plans(struct cli *c);
int cmd_plan(struct cli *c);
int cmd_region(struct cli *c);
int cmd_audit(struct cli *c);
int cmd_backup(struct cli *c);
int cmd_check(struct cli *c);
int cmd_init(struct cli *c);
int cmd_unit(struct cli *c);
int cmd_user(struct cli *c);
int cmd_token(struct cli *c);
int cmd_serve(struct cli *c);
int cmd_mlps(struct cli *c);
int cmd_routes(struct cli *c);
int cmd_pairings(struct cli *c);
int cmd_demo(struct cli *c);
int cmd_project(struct cli *c);
int cmd_remind(struct cli *c);
int cmd_outbox(struct cli *c);
int cmd_evaluation(struct cli *c);
int cmd_event(struct cli *c); /* event.c: 活动 (#12) */

#endif
