/* main: the duikou command table. Read it top to bottom to know what the binary can do. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pwd.h>

#include "cli/cli.h"
#include "service/service.h"
#include "core/filetype.h"
#include "core/text.h"
#include "ingest/gazetteer.h"

static const struct command {
    const char *name;
    int (*run)(struct cli *);
    const char *usage;
    const char *summary;
} commands[] = {
    {"parse", cmd_parse, "parse FILE [--json]",
     "read a plan text and print its structure (no database)"},
    {"init", cmd_init, "init [--audit-alg hmac-sha256|hmac-sm3]",
     "create the database (regions loaded) if it does not exist, and its audit key"},
    {"import", cmd_import, "import FILE", "store the plans of a text file (idempotent)"},
    {"import-xlsx", cmd_import_xlsx,
     "import-xlsx reports|work_items|projects FILE --as LOGIN [--work-plan ID] [--commit "
     "[--corrections]]",
     "preview an .xlsx ledger's rows as that user (errors by row and column); --commit stores them"},
    {"plans", cmd_plans, "plans [--json]", "list the stored plans"},
    {"plan", cmd_plan, "plan show ID [--json]", "print one plan: areas, tasks, pairings, targets"},
    {"region", cmd_region, "region find NAME", "look a region up (either script, bare names)"},
    {"audit", cmd_audit,
     "audit verify [--archive FILE] | audit list [--limit N] | audit key [--alg ALG] |\n"
     "         audit archive --before YYYY-MM-DD FILE",
     "verify the audit log's chain, MACs and anchors (or an archive file's, and that it joins "
     "the log);\n         list its newest rows; key an existing log; move the rows before a "
     "date six months\n         (at least 180 days) ago to FILE (written, verified, then removed, audited)"},
    {"backup", cmd_backup, "backup FILE [--force]", "copy the database with SQLite's online backup"},
    {"check", cmd_check, "check", "integrity_check, foreign keys and the audit chain"},
    {"unit", cmd_unit, "unit add|list ARGS", "units (单位) on each side of a pairing"},
    {"user", cmd_user, "user add|list|password|disable|set-admin-kind ARGS",
     "accounts: none by default; add prints a generated password once"},
    {"token", cmd_token, "token create|list|revoke ARGS",
     "API tokens for integrations (shown once, stored hashed)"},
    {"project", cmd_project,
     "project list [--pairing ID] [--json] | project show ID [--json] | project threshold ID [WAN]",
     "cooperation projects (合作项目): stage, industry, investment, partners"},
    {"evaluation", cmd_evaluation,
     "evaluation list PAIRING | create PAIRING YEAR | open ID | show ID [--json]",
     "the yearly evaluation (考核评估): list, create a draft, open it; show its indicators, "
     "each side's stage and the ranking of units and city pairings"},
    {"event", cmd_event, "event list [--pairing ID] [--year YYYY] [--json]",
     "events (活动): kind, dates, host, registered / capacity, waiting, checked in"},
    {"remind", cmd_remind, "remind [--dry-run] [--at YYYY-MM-DD] [--smtp URL --smtp-from ADDRESS]",
     "the inbox's reminder pass once: reports due in 7, 3, 1 days, missing ones (催办); "
     "with --smtp, the e-mail outbox delivered once"},
    {"outbox", cmd_outbox, "outbox [--failed]",
     "the e-mail outbox: each mail's state, attempts and the SMTP server's answer"},
    {"demo", cmd_demo, "demo [--scale N]",
     "fill a new database with a demo organisation, work plans and reports (--scale N:\n"
     "         and generated pairings, 7 x N in all, for measuring)"},
    {"pairings", cmd_pairings, "pairings [--json]",
     "list the pairings and their city and zone pairings, with ids"},
    {"routes", cmd_routes, "routes", "print the HTTP routing table (method, path, least role)"},
    {"serve", cmd_serve, "serve [--listen HOST:PORT] [--threads N]",
     "run the web server and the JSON API until SIGTERM"},
    {"mlps", cmd_mlps, "mlps [status] | mlps off --confirm",
     "whether the database is under --mlps (等级保护 level 3); off lowers it, audited"},
};

/* Whether a command only reads: it needs no audit key (a keyed log is read without one) and
 * leaves no anchor. audit sets its own (verify and list read; key writes). */
static bool reads_only(const char *name, int argc, char **argv)
{
    static const char *const whole[] = {"plans", "plan", "region", "pairings", "routes",
                                        "backup", "check", "outbox"};
    static const char *const by_sub[] = {"evaluation", "project", "unit", "user", "token",
                                         "event"};
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
        if (strcmp(name, whole[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof by_sub / sizeof *by_sub; i++)
        if (strcmp(name, by_sub[i]) == 0)
            return argc > 0 && (strcmp(argv[0], "list") == 0 || strcmp(argv[0], "show") == 0);
    return false;
}

static void help(FILE *out)
{
    fprintf(out, "duikou — counterpart cooperation (对口合作) from plan to evaluation\n\n"
                 "usage: duikou [--db PATH] [--audit-key FILE] [--audit-anchors FILE] COMMAND "
                 "[ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-36s %s\n", commands[i].usage, commands[i].summary);
    fprintf(out, "\nThe database is --db PATH, else $DUIKOU_DB, else ./duikou.db. The audit log's "
                 "key is --audit-key FILE,\nelse PATH.audit-key (made by init); its anchors go "
                 "to --audit-anchors FILE, else PATH.audit-anchors. Personal data is sealed with "
                 "the key\nPATH.data-key (made by the first command that writes; keep it with "
                 "the audit key).\n");
}

const char *cli_option(struct cli *c, const char *name, bool takes_value)
{
    for (int i = 0; i < c->argc; i++) {
        if (strcmp(c->argv[i], name) != 0)
            continue;
        const char *value = "";
        int drop = 1;
        if (takes_value) {
            if (i + 1 >= c->argc)
                return NULL;
            value = c->argv[i + 1];
            drop = 2;
        }
        memmove(c->argv + i, c->argv + i + drop, (size_t)(c->argc - i - drop) * sizeof *c->argv);
        c->argc -= drop;
        return value;
    }
    return NULL;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("duikou: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_FAIL;
}

int cli_usage(const char *usage)
{
    fprintf(stderr, "usage: duikou %s\n", usage);
    return CLI_USAGE;
}

static const char *actor_name(struct arena *a)
{
    const char *user = getenv("USER");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw ? pw->pw_name : "unknown";
    }
    return arena_printf(a, "cli:%s", user);
}

int main(int argc, char **argv)
{
    struct cli c = {0};
    arena_init(&c.arena);
    c.db_path = getenv("DUIKOU_DB");
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            c.db_path = argv[++i];
        } else if (strcmp(argv[i], "--audit-key") == 0 && i + 1 < argc) {
            c.audit_key = argv[++i];
        } else if (strcmp(argv[i], "--audit-anchors") == 0 && i + 1 < argc) {
            c.audit_anchors = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return 0;
        } else {
            fprintf(stderr, "duikou: unknown option %s\n", argv[i]);
            help(stderr);
            return CLI_USAGE;
        }
    }
    if (!c.db_path || !*c.db_path)
        c.db_path = "duikou.db";
    if (i >= argc) {
        help(stderr);
        return CLI_USAGE;
    }
    const struct command *cmd = NULL;
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(commands[k].name, argv[i]) == 0)
            cmd = &commands[k];
    if (!cmd) {
        fprintf(stderr, "duikou: unknown command '%s'\n\n", argv[i]);
        help(stderr);
        return CLI_USAGE;
    }
    c.argc = argc - i - 1;
    c.argv = argv + i + 1;
    c.actor = actor_name(&c.arena);
    c.read_only = reads_only(cmd->name, c.argc, c.argv);
    int rc = cmd->run(&c);
    cli_audit_anchor(&c);
    arena_free(&c.arena);
    gazetteer_shutdown();
    text_shutdown();
    filetype_shutdown();
    return rc;
}

bool cli_parse_id(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v <= 0)
        return false;
    *out = v;
    return true;
}

int cli_svc_fail(struct ctx *ctx, const char *what)
{
    if (ctx->field)
        return cli_fail("%s: %s (%s)", what, ctx->error ? ctx->error : "failed", ctx->field);
    return cli_fail("%s: %s", what, ctx->error ? ctx->error : "failed");
}
