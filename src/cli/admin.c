/* admin: `duikou audit`, `backup` and `check`: the commands that keep the data trustworthy. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/sb.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/db.h"

int cmd_audit(struct cli *c)
{
    const char *limit_s = cli_option(c, "--limit", true);
    if (c->argc != 1 || (strcmp(c->argv[0], "verify") != 0 && strcmp(c->argv[0], "list") != 0))
        return cli_usage("audit verify | audit list [--limit N]");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (strcmp(c->argv[0], "verify") == 0) {
        int64_t bad = 0, rows = 0;
        const char *why = NULL;
        int v = audit_verify(ctx.db, &bad, &rows, &why);
        if (v < 0)
            rc = cli_fail("could not read the audit log");
        else if (v > 0)
            rc = cli_fail("audit log broken at row %" PRId64 ": %s", bad, why ? why : "");
        else
            printf("audit log intact: %" PRId64 " rows verified\n", rows);
    } else {
        long limit = limit_s ? strtol(limit_s, NULL, 10) : 20;
        if (limit <= 0 || limit > 100000)
            limit = 20;
        struct stmt st;
        db_prepare(ctx.db, &st,
                   "SELECT id, at, actor, action, entity, coalesce(entity_id, 0), "
                   "coalesce(after, '') FROM audit ORDER BY id DESC LIMIT :limit");
        db_bind_int64(&st, ":limit", limit);
        while (db_step(&st) == DB_ROW)
            printf("%6" PRId64 "  %s  %-14s %-16s %s %" PRId64 "  %.160s\n",
                   db_col_int64(&st, 0), db_col_text(&st, 1), db_col_text(&st, 2),
                   db_col_text(&st, 3), db_col_text(&st, 4), db_col_int64(&st, 5),
                   db_col_text(&st, 6));
        db_finalize(&st);
    }
    db_close(ctx.db);
    return rc;
}

int cmd_backup(struct cli *c)
{
    bool force = cli_option(c, "--force", false) != NULL;
    if (c->argc != 1)
        return cli_usage("backup FILE [--force]");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    char *err = NULL;
    int rc = db_backup(ctx.db, c->argv[0], force ? DB_BACKUP_OVERWRITE : 0, &err);
    db_close(ctx.db);
    if (rc < 0) {
        cli_fail("backup to %s failed: %s", c->argv[0], err ? err : "unknown error");
        free(err);
        return CLI_FAIL;
    }
    printf("backed up %s to %s\n", c->db_path, c->argv[0]);
    return CLI_OK;
}

int cmd_check(struct cli *c)
{
    if (c->argc != 0)
        return cli_usage("check");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct sb report = SB_INIT;
    int rc = db_check(ctx.db, &report);
    db_close(ctx.db);
    fputs(sb_str(&report), stdout);
    sb_free(&report);
    return rc == 0 ? CLI_OK : CLI_FAIL;
}
