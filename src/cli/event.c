/* event: `duikou event list`, a pairing's events (活动) on the command line: a table, or with
 * --json the API's list (api_event_json: {"events":[…]}), so scripts read one format. The
 * command line acts as an admin: every pairing unless --pairing names one. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/json.h"
#include "core/sb.h"
#include "service/event.h"
#include "store/db.h"

static const char usage[] = "event list [--pairing ID] [--year YYYY] [--json]";

static void print_line(const struct event_view *v)
{
    char cap[24];
    if (v->capacity)
        snprintf(cap, sizeof cap, "%" PRId64, v->capacity);
    else
        snprintf(cap, sizeof cap, "-");
    printf("%5" PRId64 "  %s–%s  %-13s  %s  [%s–%s side %d%s%s; 报名 %" PRId64 "/%s, 候补 %" PRId64
           ", 签到 %" PRId64 "%s%s]\n",
           v->id, v->starts, strncmp(v->starts, v->ends, 10) == 0 ? v->ends + 11 : v->ends, v->kind, v->title, v->name_a, v->name_b,
           v->host_side, v->host_region_name ? " " : "",
           v->host_region_name ? v->host_region_name : "", v->registered, cap, v->waiting,
           v->attended, v->is_public ? "; 公开" : "",
           strcmp(v->state, "cancelled") == 0 ? "; 已取消" : "");
}

static int list(struct cli *c)
{
    const char *pairing = cli_option(c, "--pairing", true);
    const char *year = cli_option(c, "--year", true);
    bool json = cli_option(c, "--json", false) != NULL;
    struct event_filter f = {0};
    int64_t y = 0;
    if (c->argc != 1)
        return cli_usage(usage);
    if (pairing && !cli_parse_id(pairing, &f.pairing_id))
        return cli_fail("--pairing '%s' is not a pairing id", pairing);
    if (year && (!cli_parse_id(year, &y) || y < 2000 || y > 2100))
        return cli_fail("--year '%s' is not a year (2000–2100)", year);
    f.year = (int)y;
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct event_view *v;
    size_t n;
    int rc = CLI_OK;
    if (event_list(&ctx, &f, &v, &n) != SVC_OK) {
        rc = cli_svc_fail(&ctx, "event list");
    } else if (json) {
        struct sb out = SB_INIT;
        struct jw w;
        jw_init(&w, &out, true);
        jw_obj(&w);
        jw_key(&w, "events");
        jw_arr(&w);
        for (size_t i = 0; i < n; i++)
            api_event_json(&w, &v[i]);
        jw_arr_end(&w);
        jw_obj_end(&w);
        puts(sb_str(&out));
        sb_free(&out);
    } else {
        for (size_t i = 0; i < n; i++)
            print_line(&v[i]);
        if (n == 0)
            printf("no events yet\n");
    }
    db_close(ctx.db);
    return rc;
}

int cmd_event(struct cli *c)
{
    if (c->argc >= 1 && strcmp(c->argv[0], "list") == 0)
        return list(c);
    return cli_usage(usage);
}
