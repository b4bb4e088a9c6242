/* project: `duikou project list|show`, the projects of a pairing on the command line, in the
 * API's JSON shape with --json (api_project_json), so scripts read one format. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/json.h"
#include "core/money.h"
#include "core/sb.h"
#include "service/project.h"
#include "store/db.h"

static const char usage[] = "project list [--pairing ID] [--json]\n"
                            "       duikou project show ID [--json]\n"
                            "       duikou project threshold PAIRING_ID [WAN]   (the major-project "
                            "threshold in 万元: shown, or set)";

static void print_line(struct ctx *ctx, const struct project_view *v)
{
    printf("%5" PRId64 "  %s  [%s; %s–%s side %d; %s; 协议 %s 万元, 到位 %s 万元%s%s]\n", v->id,
           v->name, v->stage, v->name_a, v->name_b, v->side,
           v->industry_name ? v->industry_name : "-",
           money_format_wan_grouped(ctx->arena, v->invest_contracted),
           money_format_wan_grouped(ctx->arena, v->invest_paid), v->major ? "; 重大" : "",
           v->is_public ? "; 公开" : "");
}

static int list(struct cli *c)
{
    const char *pairing = cli_option(c, "--pairing", true);
    bool json = cli_option(c, "--json", false) != NULL;
    struct project_filter f = {.side = -1, .major = -1};
    if (c->argc != 1)
        return cli_usage(usage);
    if (pairing && !cli_parse_id(pairing, &f.pairing_id))
        return cli_fail("--pairing '%s' is not a pairing id", pairing);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct sb out = SB_INIT;
    struct jw w;
    if (json) {
        jw_init(&w, &out, true);
        jw_obj(&w);
        jw_key(&w, "projects");
        jw_arr(&w);
    }
    int rc = CLI_OK;
    int64_t after = 0, next = 0;
    size_t total = 0;
    do { /* every page */
        struct project_view *v;
        size_t n;
        if (project_list(&ctx, &f, after, PROJECT_PAGE_MAX, &v, &n, &next) != SVC_OK) {
            rc = cli_svc_fail(&ctx, "project list");
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (json)
                api_project_json(&w, &v[i], true);
            else
                print_line(&ctx, &v[i]);
        }
        total += n;
        after = next;
    } while (next);
    if (json && rc == CLI_OK) {
        jw_arr_end(&w);
        jw_obj_end(&w);
        puts(sb_str(&out));
    } else if (rc == CLI_OK && total == 0) {
        printf("no projects yet\n");
    }
    sb_free(&out);
    db_close(ctx.db);
    return rc;
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
    struct project_view v;
    int rc = CLI_OK;
    if (project_get(&ctx, id, &v) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "project show");
    } else if (json) {
        struct sb out = SB_INIT;
        struct jw w;
        jw_init(&w, &out, true);
        api_project_json(&w, &v, true);
        puts(sb_str(&out));
        sb_free(&out);
    } else {
        print_line(&ctx, &v);
        for (size_t i = 0; i < v.n_partners; i++)
            printf("       partner, side %d: %s%s%s\n", v.partners[i].side,
                   v.partners[i].unit_id ? v.partners[i].unit_name : v.partners[i].enterprise,
                   v.partners[i].credit_code ? " " : "",
                   v.partners[i].credit_code ? v.partners[i].credit_code : "");
        for (size_t i = 0; i < v.n_stages; i++)
            printf("       %s %s%s%s\n", v.stages[i].on_date, v.stages[i].stage,
                   v.stages[i].reason ? ": " : "", v.stages[i].reason ? v.stages[i].reason : "");
    }
    db_close(ctx.db);
    return rc;
}

/* The pairing's major-project threshold, shown or set (in 万元). */
static int threshold(struct cli *c)
{
    int64_t pairing, yuan = 0;
    if ((c->argc != 2 && c->argc != 3) || !cli_parse_id(c->argv[1], &pairing))
        return cli_usage(usage);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (c->argc == 3 && project_parse_wan(&ctx, c->argv[2], "WAN", &yuan) != SVC_OK)
        rc = cli_svc_fail(&ctx, "project threshold");
    else if (c->argc == 3 && project_set_major_threshold(&ctx, pairing, yuan) != SVC_OK)
        rc = cli_svc_fail(&ctx, "project threshold");
    else if (project_major_threshold(&ctx, pairing, &yuan) != SVC_OK)
        rc = cli_svc_fail(&ctx, "project threshold");
    else
        printf("pairing %lld: a project is major from %s 万元 contracted\n", (long long)pairing,
               money_format_wan_grouped(ctx.arena, yuan));
    db_close(ctx.db);
    return rc;
}

int cmd_project(struct cli *c)
{
    if (c->argc >= 1 && strcmp(c->argv[0], "threshold") == 0)
        return threshold(c);
    if (c->argc >= 1 && strcmp(c->argv[0], "list") == 0)
        return list(c);
    if (c->argc >= 1 && strcmp(c->argv[0], "show") == 0)
        return show(c);
    return cli_usage(usage);
}
