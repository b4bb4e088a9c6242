/* evaluation: `duikou evaluation list|create|open|show`, the yearly evaluation (考核评估) on
 * the command line, so an administrator can run one without the web. The command line acts
 * as an admin (service/evaluation.h). show --json prints the API's object
 * (api_evaluation_json) with the scores in it, so scripts read one format. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/sb.h"
#include "service/evaluation.h"
#include "service/service.h"
#include "store/db.h"

static const char usage[] =
    "evaluation list PAIRING\n"
    "       duikou evaluation create PAIRING YEAR [--lang zh-Hans|zh-Hant|en]\n"
    "       duikou evaluation open ID\n"
    "       duikou evaluation show ID [--json]";

static const char *side_stage(const struct evaluation_view *v, int s)
{
    return strcmp(v->state, "draft") == 0 ? "-" : evaluation_stage_name(v->sides[s].stage);
}

static int list(struct cli *c)
{
    int64_t pairing;
    if (c->argc != 2 || !cli_parse_id(c->argv[1], &pairing))
        return cli_usage(usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct evaluation_view *v;
    size_t n;
    int rc = CLI_OK;
    if (evaluation_list(&ctx, pairing, &v, &n) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "evaluation list");
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%5" PRId64 "  %d  %-6s  %s: %s, %s: %s  %s\n", v[i].id, v[i].year,
                   v[i].state, v[i].name_a, side_stage(&v[i], 0), v[i].name_b,
                   side_stage(&v[i], 1), v[i].updated_at);
        if (n == 0)
            printf("no evaluations yet\n");
    }
    db_close(ctx.db);
    return rc;
}

static int create(struct cli *c)
{
    const char *lang = cli_option(c, "--lang", true);
    int64_t pairing, year;
    if (c->argc != 3 || !cli_parse_id(c->argv[1], &pairing) || !cli_parse_id(c->argv[2], &year))
        return cli_usage(usage);
    int l = lang ? i18n_tag(lang) : LANG_HANS;
    if (l < 0)
        return cli_fail("--lang: zh-Hans, zh-Hant or en (not '%s')", lang);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int64_t id = 0;
    int rc = CLI_OK;
    /* an absurd year is capped, not truncated, so the service refuses it as out of range */
    int y = year > 100000 ? 100000 : (int)year;
    if (evaluation_create(&ctx, pairing, y, (enum lang)l, &id) != SVC_OK)
        rc = cli_svc_fail(&ctx, "evaluation create");
    else
        printf("evaluation %" PRId64 ": pairing %" PRId64 ", %" PRId64 ", draft with the default "
               "indicators\n",
               id, pairing, year);
    db_close(ctx.db);
    return rc;
}

static int open_cmd(struct cli *c)
{
    int64_t id;
    if (c->argc != 2 || !cli_parse_id(c->argv[1], &id))
        return cli_usage(usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (evaluation_open(&ctx, id) != SVC_OK)
        rc = cli_svc_fail(&ctx, "evaluation open");
    else
        printf("evaluation %" PRId64 ": open; its indicators are locked\n", id);
    db_close(ctx.db);
    return rc;
}

static void print_ranking(const struct evaluation_view *v, const char *title,
                          const struct evaluation_score *s, size_t n)
{
    printf("%s:\n", title);
    if (n == 0)
        printf("  none\n");
    for (size_t i = 0; i < n; i++)
        printf("  %3d  %6.2f  %s%s%s%s%s\n", s[i].rank, s[i].score, s[i].name,
               s[i].side >= 0 ? " (" : "",
               s[i].side < 0 ? "" : s[i].side ? v->name_b : v->name_a, s[i].side >= 0 ? ")" : "",
               s[i].commended ? "  通报表扬" : "");
}

static void print_text(const struct evaluation_view *v, const struct evaluation_scores *s)
{
    printf("evaluation %" PRId64 ": %s–%s (pairing %" PRId64 "), %d, %s\n", v->id, v->name_a,
           v->name_b, v->pairing_id, v->year, v->state);
    printf("  created %s%s%s%s%s\n", v->created_at, v->opened_at ? ", opened " : "",
           v->opened_at ? v->opened_at : "", v->closed_at ? ", closed " : "",
           v->closed_at ? v->closed_at : "");
    printf("indicators:\n");
    for (size_t i = 0; i < v->n_indicators; i++)
        printf("  %3d  %-24s %-22s %s\n", v->indicators[i].weight, v->indicators[i].key,
               evaluation_method_name(v->indicators[i].method), v->indicators[i].name);
    printf("sides:\n");
    for (int k = 0; k < 2; k++) {
        const struct evaluation_side *x = &v->sides[k];
        printf("  %d  %s: %s", k, k ? v->name_b : v->name_a, side_stage(v, k));
        if (x->confirmed_at)
            printf(", confirmed by %s at %s", x->confirmed_by ? x->confirmed_by : "-",
                   x->confirmed_at);
        printf("  (score %.2f, rank %d)\n", s->sides[k].score, s->sides[k].rank);
    }
    printf("scores as of %s (%s)\n", s->as_of ? s->as_of : "-", s->frozen ? "frozen" : "live");
    print_ranking(v, "units", s->units, s->n_units);
    print_ranking(v, "city pairings", s->cities, s->n_cities);
}

static int show(struct cli *c)
{
    bool json = cli_option(c, "--json", false) != NULL;
    int64_t id;
    if (c->argc != 2 || !cli_parse_id(c->argv[1], &id))
        return cli_usage(usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct evaluation_view v;
    struct evaluation_scores s;
    int rc = CLI_OK;
    if (evaluation_get(&ctx, id, &v) != SVC_OK || evaluation_scores(&ctx, &v, &s) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "evaluation show");
    } else if (json) {
        struct sb out = SB_INIT;
        struct jw w;
        jw_init(&w, &out, true);
        api_evaluation_json(&w, &v, &s);
        puts(sb_str(&out));
        sb_free(&out);
    } else {
        print_text(&v, &s);
    }
    db_close(ctx.db);
    return rc;
}

int cmd_evaluation(struct cli *c)
{
    if (c->argc >= 1 && strcmp(c->argv[0], "list") == 0)
        return list(c);
    if (c->argc >= 1 && strcmp(c->argv[0], "create") == 0)
        return create(c);
    if (c->argc >= 1 && strcmp(c->argv[0], "open") == 0)
        return open_cmd(c);
    if (c->argc >= 1 && strcmp(c->argv[0], "show") == 0)
        return show(c);
    return cli_usage(usage);
}
