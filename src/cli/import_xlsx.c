/* import_xlsx: `duikou import-xlsx KIND FILE --as LOGIN [--work-plan ID] [--commit
 * [--corrections]]` — a
 * spreadsheet import (service/import.h) from the command line, acting as a user (whose
 * reports they are; work_items: a coordinator, into the draft work plan ID; projects: a
 * coordinator, its side's projects): the
 * preview is printed (each error by row and column, in that user's language), and with
 * --commit the rows are stored in one transaction when there is no error. Rows that replace
 * an accepted report are marked 更正 and need --corrections (the form's box). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "service/import.h"
#include "service/service.h"
#include "service/user.h"
#include "store/db.h"

static const char usage[] =
    "import-xlsx reports FILE --as LOGIN [--commit [--corrections]]\n"
    "       duikou import-xlsx work_items FILE --as LOGIN --work-plan ID [--commit]\n"
    "       duikou import-xlsx projects FILE --as LOGIN [--commit]";

enum { MAX_FILE = 64 << 20 };

static int run(struct cli *c, struct ctx *ctx, const char *kind, const char *path,
               const char *data, size_t len, const char *login, int64_t scope, bool commit,
               bool corrections)
{
    int64_t uid;
    struct user *u = arena_alloc(&c->arena, sizeof *u);
    if (user_id_by_login(ctx, login, &uid) != SVC_OK || user_load(ctx, uid, u) != SVC_OK)
        return cli_svc_fail(ctx, "import-xlsx --as");
    ctx->user = u;
    enum lang lang = i18n_parse(u->language);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    struct import_view v;
    int rc = import_preview(ctx, kind, scope, name, data, len, &v);
    if (rc == SVC_INVALID && ctx->field && strcmp(ctx->field, "file") == 0)
        return cli_fail("%s: %s", path, i18n(lang, ctx->code));
    if (rc != SVC_OK && rc != SVC_ERROR && ctx->code) /* the scope refused: a draft only … */
        return cli_fail("%s (%s)", i18n(lang, ctx->code), ctx->error ? ctx->error : "");
    if (rc != SVC_OK)
        return cli_svc_fail(ctx, "import-xlsx");
    printf("import %" PRId64 ": %zu rows, %zu errors (sha256 %s)\n", v.id, v.n_rows, v.n_errors,
           v.sha256);
    if (v.cols && !v.n_errors)
        printf("  %d new, %d changed, %d unchanged\n", v.n_new, v.n_update, v.n_unchanged);
    for (size_t i = 0; !v.cols && i < v.n_rows; i++)
        if (v.rows[i].correction)
            printf("  row %d: %s\n", v.rows[i].row, i18n(lang, "ui_import_correction"));
    for (size_t i = 0; i < v.n_errors; i++) {
        const struct import_error *e = &v.errors[i];
        printf("  row %d%s%s: %s\n", e->row, e->column ? ", " : "", e->column ? e->column : "",
               import_error_message(&c->arena, lang, e));
    }
    if (!commit)
        return v.n_errors ? CLI_FAIL : CLI_OK;
    if (v.n_errors)
        return cli_fail("not committed: the preview has errors");
    int created, updated, unchanged, row;
    if (import_commit(ctx, v.id, corrections, &created, &updated, &unchanged, &row) != SVC_OK) {
        if (row)
            fprintf(stderr, "duikou: row %d: %s\n", row, ctx->code ? i18n(lang, ctx->code) : "");
        return cli_svc_fail(ctx, "import-xlsx --commit");
    }
    if (v.cols)
        printf("committed: %d created, %d updated, %d unchanged\n", created, updated, unchanged);
    else
        printf("committed: %d created, %d unchanged\n", created, unchanged);
    return CLI_OK;
}

int cmd_import_xlsx(struct cli *c)
{
    const char *login = cli_option(c, "--as", true);
    const char *plan = cli_option(c, "--work-plan", true);
    bool commit = cli_option(c, "--commit", false) != NULL;
    bool corrections = cli_option(c, "--corrections", false) != NULL;
    char *end = NULL;
    long long scope = plan ? strtoll(plan, &end, 10) : 0;
    if (c->argc != 2 || !login || !*login || (plan && (*end || scope < 1)))
        return cli_usage(usage);
    const char *kind = c->argv[0], *path = c->argv[1];
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail("cannot open %s", path);
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < 0 || size > MAX_FILE || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return cli_fail("%s: not a readable file of at most %d MiB", path, MAX_FILE >> 20);
    }
    char *data = arena_alloc(&c->arena, (size_t)size + 1);
    size_t len = fread(data, 1, (size_t)size, f);
    fclose(f);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = run(c, &ctx, kind, path, data, len, login, (int64_t)scope, commit, corrections);
    db_close(ctx.db);
    return rc;
}
