/* admin: `duikou audit`, `backup` and `check`: the commands that keep the data trustworthy;
 * and the audit key and anchors every command takes up (store/audit.h). */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/sb.h"
#include "service/light.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/db.h"

int cli_audit_setup(struct cli *c, struct db *db)
{
    static bool done;
    if (done)
        return 0;
    done = true;
    const char *key = c->audit_key ? c->audit_key
                                   : arena_printf(&c->arena, "%s.audit-key", c->db_path);
    struct stat sb;
    if (c->audit_key || stat(key, &sb) == 0) {
        struct audit_key k;
        const char *why = NULL;
        if (audit_key_read(key, &k, &why) < 0) {
            cli_fail("%s: %s", key, why);
            return -1;
        }
        /* a key left from another database would MAC this one's rows in a chain of its own */
        if (!c->read_only && audit_key_fits(db, &k) != 1) {
            int64_t from = k.from;
            sodium_memzero(&k, sizeof k);
            cli_fail("%s is not the key of %s's audit log (it keys from row %" PRId64
                     "): move it away, or give the right --audit-key",
                     key, c->db_path, from);
            return -1;
        }
        audit_use_key(&k);
        sodium_memzero(&k, sizeof k);
        c->keyed = true;
    }
    audit_use_anchors(c->audit_anchors
                          ? c->audit_anchors
                          : arena_printf(&c->arena, "%s.audit-anchors", c->db_path));
    if (!c->keyed && !c->read_only && audit_is_keyed(db) == 1) {
        cli_fail("the audit log of %s is keyed and its key %s is not there: give --audit-key "
                 "FILE (a row written without the key would break the chain)",
                 c->db_path, key);
        return -1;
    }
    return 0;
}

void cli_audit_anchor(struct cli *c)
{
    if (!c->opened || !c->keyed || c->read_only)
        return;
    struct db *db = NULL;
    if (db_open(c->db_path, &db, NULL) < 0)
        return;
    if (audit_anchor(db) < 0)
        cli_fail("could not write the audit anchor");
    db_close(db);
}

/* `audit archive --before DATE FILE`: DATE is a day in the plans' time zone, six calendar
 * months before today there at the latest; the rows before its first instant go. */
static int audit_archive_cmd(struct cli *c, struct ctx *ctx, const char *before, const char *file)
{
    int64_t day, today_day;
    char today[11], soon[11], latest[11];
    light_today(today, soon);
    clock_parse_date(today, &today_day, NULL);
    /* The trigger reckons the months in UTC: near midnight there the day before may be the
     * latest whose first instant it allows. */
    int64_t offset_ms = (int64_t)light_policy.utc_offset_minutes * 60000;
    int64_t last_day = audit_retention_day(today_day);
    while (last_day * 86400000 - offset_ms > audit_retention_limit_ms(clock_now_ms()))
        last_day--;
    clock_format_date(last_day, latest);
    if (!clock_parse_date(before, &day, NULL))
        return cli_fail("--before %s: a date is written YYYY-MM-DD", before);
    if (day > last_day)
        return cli_fail("audit rows are kept six months (at least 180 days): --before may be %s "
                        "at the latest (today is %s in the plans' time zone)",
                        latest, today);
    int64_t before_ms = day * 86400000 - offset_ms;
    struct audit_archive_info a;
    const char *why = NULL;
    if (audit_archive(ctx->db, before_ms, file, c->actor, &a, &why) < 0)
        return cli_fail("audit archive: %s", why);
    printf("archived %" PRId64 " audit rows (%" PRId64 " to %" PRId64 ", %" PRId64
           " anchors) to %s, SHA-256 %s; the live log starts at row %" PRId64 "\n",
           a.rows, a.first_id, a.last_id, a.anchors, file, a.sha256, a.last_id + 1);
    return CLI_OK;
}

/* `audit verify --archive FILE`: the file alone, and against the database when there is one. */
static int audit_verify_archive_cmd(struct cli *c, const char *file)
{
    struct stat sb;
    struct ctx ctx = {0};
    bool with_db = stat(c->db_path, &sb) == 0;
    if (with_db && cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    if (!with_db && c->audit_key) {
        struct audit_key k;
        const char *why = NULL;
        if (audit_key_read(c->audit_key, &k, &why) < 0)
            return cli_fail("%s: %s", c->audit_key, why);
        audit_use_key(&k);
        sodium_memzero(&k, sizeof k);
        c->keyed = true;
    }
    struct audit_archive_info a;
    int64_t bad = 0;
    const char *why = NULL;
    int v = audit_verify_archive(file, ctx.db, &a, &bad, &why);
    int rc = CLI_OK;
    if (v < 0)
        rc = cli_fail("%s", why);
    else if (v > 0 && bad)
        rc = cli_fail("audit archive %s broken at row %" PRId64 ": %s", file, bad, why);
    else if (v > 0)
        rc = cli_fail("audit archive %s broken: %s", file, why);
    else
        printf("audit archive intact: %" PRId64 " rows (%" PRId64 " to %" PRId64
               ") verified (hash chain, %s%" PRId64 " anchors and trailer%s), SHA-256 %s; %s\n",
               a.rows, a.first_id, a.last_id, c->keyed ? "MACs, " : "", a.anchors,
               c->keyed ? ""
               : with_db ? "; the MACs not checked: no key"
                         : "; the MACs not checked: no key, and without the database or the key "
                           "a cut at either end cannot be seen",
               a.sha256,
               with_db ? "it joins the chain of the database" : "no database to join checked");
    if (ctx.db)
        db_close(ctx.db);
    return rc;
}

int cmd_audit(struct cli *c)
{
    const char *limit_s = cli_option(c, "--limit", true);
    const char *alg = cli_option(c, "--alg", true);
    const char *before = cli_option(c, "--before", true);
    const char *archive = cli_option(c, "--archive", true);
    const char *usage = "audit verify [--archive FILE] | audit list [--limit N] | audit key "
                        "[--alg ALG] | audit archive --before YYYY-MM-DD FILE";
    bool archiving = c->argc == 2 && strcmp(c->argv[0], "archive") == 0 && before;
    if (!archiving &&
        (c->argc != 1 || (strcmp(c->argv[0], "verify") != 0 && strcmp(c->argv[0], "list") != 0 &&
                          strcmp(c->argv[0], "key") != 0)))
        return cli_usage(usage);
    if (archive && strcmp(c->argv[0], "verify") != 0)
        return cli_usage(usage);
    bool key = strcmp(c->argv[0], "key") == 0;
    c->read_only = !key && !archiving; /* a verifier must not write, nor need the key to read */
    if (archive)
        return audit_verify_archive_cmd(c, archive);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (archiving) {
        rc = audit_archive_cmd(c, &ctx, before, c->argv[1]);
    } else if (key) {
        /* an existing log keyed from now: the new key's row MACs the chain that led to it */
        struct audit_key k;
        const char *why = NULL;
        const char *path = c->audit_key ? c->audit_key
                                        : arena_printf(&c->arena, "%s.audit-key", c->db_path);
        if (c->keyed)
            rc = cli_fail("%s: the audit log is keyed already", path);
        else if (audit_key_create(ctx.db, path, alg ? alg : "hmac-sha256", c->actor, &k, &why) < 0)
            rc = cli_fail("%s: %s", path, why);
        else {
            c->keyed = true;
            printf("%s: audit key (%s) from row %" PRId64
                   ": keep a copy apart from the database's backups\n",
                   path, k.alg, k.from);
        }
    } else if (strcmp(c->argv[0], "verify") == 0) {
        int64_t bad = 0, rows = 0;
        const char *why = NULL;
        int v = audit_verify(ctx.db, &bad, &rows, &why);
        if (v < 0)
            rc = cli_fail("could not read the audit log");
        else if (v > 0)
            rc = cli_fail("audit log broken at row %" PRId64 ": %s", bad, why ? why : "");
        else {
            /* what was checked, and where the live log starts after an archive */
            int64_t archived = audit_archived_through(ctx.db);
            struct sb what = SB_INIT;
            if (c->keyed)
                sb_append(&what, "hash chain, MACs and anchors");
            else if (audit_is_keyed(ctx.db) == 1)
                sb_append(&what, "hash chain and anchors; the MACs not checked: no key");
            if (archived > 0)
                sb_appendf(&what, "%srows up to %" PRId64 " archived", what.len ? "; " : "",
                           archived);
            printf("audit log intact: %" PRId64 " rows verified%s%s%s\n", rows,
                   what.len ? " (" : "", sb_str(&what), what.len ? ")" : "");
            sb_free(&what);
        }
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
