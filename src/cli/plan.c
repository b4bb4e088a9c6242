/* plan: `duikou init`, `import`, `plans`, `plan show` and `region find`. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/json.h"
#include "ingest/gazetteer.h"
#include "ingest/ingest.h"
#include "core/clock.h"
#include "service/demo.h"
#include "service/demo_scale.h"
#include "service/light.h"
#include "service/pairing.h"
#include "service/plan.h"
#include "service/region.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

int cli_open(struct cli *c, struct ctx *ctx)
{
    char *err = NULL;
    struct db *db = NULL;
    memset(ctx, 0, sizeof *ctx);
    if (db_open(c->db_path, &db, &err) < 0) {
        cli_fail("%s: %s", c->db_path, err ? err : "cannot open the database");
        free(err);
        return -1;
    }
    ctx->db = db;
    ctx->arena = &c->arena;
    ctx->actor = c->actor;
    c->opened = true;
    if (cli_audit_setup(c, db) < 0 || cli_data_key_setup(c, ctx) < 0) {
        db_close(db);
        ctx->db = NULL;
        return -1;
    }
    return 0;
}

int cmd_init(struct cli *c)
{
    const char *alg = cli_option(c, "--audit-alg", true);
    if (c->argc != 0)
        return cli_usage("init [--audit-alg hmac-sha256|hmac-sm3]");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    int64_t added = 0;
    int rc = region_sync(&ctx, &added);
    /* a new database gets its audit key (kept beside it, outside it): the chain is keyed
     * from its first row */
    const char *why = NULL;
    bool made = false;
    if (rc == SVC_OK && !c->keyed) {
        struct audit_key k;
        const char *path = c->audit_key ? c->audit_key
                                        : arena_printf(&c->arena, "%s.audit-key", c->db_path);
        if (audit_key_create(ctx.db, path, alg ? alg : "hmac-sha256", c->actor, &k, &why) < 0) {
            db_close(ctx.db);
            return cli_fail("%s: %s", path, why);
        }
        c->keyed = made = true;
        printf("%s: audit key (%s) made: keep a copy apart from the database's backups\n", path,
               k.alg);
    }
    db_close(ctx.db);
    if (rc != SVC_OK)
        return cli_fail("could not load the regions");
    printf("%s: schema version %d, %" PRId64 " regions added%s\n", c->db_path,
           db_schema_version(), added, made ? "" : "; the audit log's key is in use");
    return CLI_OK;
}

static void print_warnings(struct arena *a, const struct ingest_result *r,
                           const struct ingest_warning *w, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        const char *where = ingest_where(a, r, w[i].line);
        fprintf(stderr, "%s%s: %s%s%s\n", what, w[i].severity == SEV_ERROR ? "error" : "warning",
                where ? where : "", where ? ": " : "", w[i].message);
    }
}

int cmd_import(struct cli *c)
{
    bool new_regions = cli_option(c, "--new-region", false) != NULL;
    if (c->argc != 1)
        return cli_usage("import FILE [--new-region]");
    struct ingest_result r;
    ingest_parse_file(&c->arena, c->argv[0], &r);
    if (!r.ok)
        return cli_fail("%s: %s; nothing was imported", c->argv[0], r.error);
    print_warnings(&c->arena, &r, r.warnings, r.n_warnings, "");
    for (size_t i = 0; i < r.n_plans; i++)
        print_warnings(&c->arena, &r, r.plans[i].warnings, r.plans[i].n_warnings,
                       arena_printf(&c->arena, "%s: ", r.plans[i].title));
    if (ingest_has_errors(&r))
        return cli_fail("%s: the text has errors (above); nothing was imported", c->argv[0]);

    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct plan_import_result *res;
    size_t n;
    struct plan_import_options opt = {.new_regions = new_regions};
    int rc = plan_import(&ctx, &r, &opt, &res, &n);
    db_close(ctx.db);
    if (rc != SVC_OK)
        return cli_fail("%s: %s", c->argv[0], ctx.error ? ctx.error : "import failed");
    for (size_t i = 0; i < n; i++) {
        printf("%s: %s, plan %" PRId64 " version %d: %d key areas, %d tasks, %d targets, "
               "%d city/zone pairings (%d new)\n",
               res[i].title, res[i].status, res[i].plan_id, res[i].version, res[i].areas,
               res[i].tasks, res[i].targets, res[i].pairings, res[i].pairings_added);
        if (strcmp(res[i].status, "revised") == 0 && res[i].assignments_carried)
            printf("  %d assignments carried over to the new version's tasks\n",
                   res[i].assignments_carried);
        for (size_t k = 0; k < res[i].n_changes; k++)
            printf("  %s\n", res[i].changes[k]);
    }
    return CLI_OK;
}

int cmd_plans(struct cli *c)
{
    bool json = cli_option(c, "--json", false) != NULL;
    bool all = cli_option(c, "--all", false) != NULL;
    if (c->argc != 0)
        return cli_usage("plans [--all] [--json]");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct plan_summary *p;
    size_t n;
    int rc = plan_list(&ctx, all, &p, &n);
    db_close(ctx.db);
    if (rc != SVC_OK)
        return cli_fail("could not read the plans");
    if (json) {
        struct sb out = SB_INIT;
        struct jw w;
        jw_init(&w, &out, true);
        jw_obj(&w);
        jw_key(&w, "plans");
        jw_arr(&w);
        for (size_t i = 0; i < n; i++) {
            jw_obj(&w);
            jw_kint(&w, "id", p[i].id);
            jw_kstr(&w, "title", p[i].title);
            jw_key(&w, "pairing");
            jw_arr(&w);
            jw_str(&w, p[i].name_a);
            jw_str(&w, p[i].name_b);
            jw_arr_end(&w);
            jw_kint(&w, "version", p[i].version);
            jw_kstr(&w, "status", p[i].status);
            jw_kint(&w, "tasks", p[i].tasks);
            jw_kint(&w, "pairings", p[i].pairings);
            jw_kstr(&w, "imported_at", p[i].imported_at);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
        puts(sb_str(&out));
        sb_free(&out);
        return CLI_OK;
    }
    if (n == 0)
        printf("no plans yet: duikou import FILE\n");
    for (size_t i = 0; i < n; i++)
        printf("%4" PRId64 "  %s  (%s–%s, v%d%s, %d tasks, %d city/zone pairings)\n", p[i].id,
               p[i].title, p[i].name_a, p[i].name_b, p[i].version,
               strcmp(p[i].status, "current") == 0 ? "" : ", superseded", p[i].tasks,
               p[i].pairings);
    return CLI_OK;
}

static void plan_text(const struct plan_view *v)
{
    printf("%s\n", v->s.title);
    printf("plan %" PRId64 ", version %d (%s), %s–%s", v->s.id, v->s.version, v->s.status,
           v->s.name_a, v->s.name_b);
    if (v->s.target_year)
        printf(", target year %d", v->s.target_year);
    printf("\nimported %s by %s\n\n", v->s.imported_at, v->s.imported_by);
    for (size_t a = 0; a < v->n_areas; a++) {
        printf("%s%s\n", v->areas[a].marker ? v->areas[a].marker : "", v->areas[a].title);
        for (size_t t = 0; t < v->n_tasks; t++)
            if (v->tasks[t].area == (int)a)
                printf("  %2d. %s\n", v->tasks[t].number, v->tasks[t].title);
    }
    printf("\ncity and zone pairings (%zu):\n", v->n_pairings);
    for (size_t i = 0; i < v->n_pairings; i++)
        printf("  task %2d  %-4s  %s – %s%s%s\n", v->pairings[i].task, v->pairings[i].kind,
               v->pairings[i].a, v->pairings[i].b, v->pairings[i].theme ? ": " : "",
               v->pairings[i].theme ? v->pairings[i].theme : "");
    printf("\ntargets (%zu):\n", v->n_targets);
    for (size_t i = 0; i < v->n_targets; i++) {
        if (v->targets[i].task)
            printf("  task %2d  %s\n", v->targets[i].task, v->targets[i].text);
        else
            printf("  goals    %s\n", v->targets[i].text);
    }
    printf("\nsafeguards:\n");
    for (size_t i = 0; i < v->n_sections; i++)
        if (strcmp(v->sections[i].kind, "safeguard") == 0)
            printf("  %s%s\n", v->sections[i].marker ? v->sections[i].marker : "",
                   v->sections[i].title ? v->sections[i].title : "");
}

int cmd_plan(struct cli *c)
{
    bool json = cli_option(c, "--json", false) != NULL;
    if (c->argc != 2 || strcmp(c->argv[0], "show") != 0)
        return cli_usage("plan show ID [--json]");
    char *end;
    long long id = strtoll(c->argv[1], &end, 10);
    if (*end || id <= 0)
        return cli_fail("'%s' is not a plan id (a positive number; see duikou plans)",
                        c->argv[1]);
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct plan_view v;
    int rc = plan_get(&ctx, id, &v);
    db_close(ctx.db);
    if (rc != SVC_OK)
        return cli_fail("%s", ctx.error ? ctx.error : "could not read the plan");
    if (json) {
        struct sb out = SB_INIT;
        struct jw w;
        jw_init(&w, &out, true);
        plan_view_json(&v, &w);
        puts(sb_str(&out));
        sb_free(&out);
    } else
        plan_text(&v);
    return CLI_OK;
}

int cmd_region(struct cli *c)
{
    if (c->argc != 2 || strcmp(c->argv[0], "find") != 0)
        return cli_usage("region find NAME");
    const struct gazetteer *g = gazetteer_get();
    bool ambiguous = false;
    const struct region *r = region_find(g, c->argv[1], &ambiguous);
    if (!r)
        return cli_fail("no region is called '%s'", c->argv[1]);
    printf("%s %s (%s)", r->code, r->name, region_level_name(r->level));
    for (const struct region *p = r->parent; p; p = p->parent)
        printf(" < %s", p->name);
    printf("%s\n", ambiguous ? "  [ambiguous: other regions share this name]" : "");
    return CLI_OK;
}

int cmd_pairings(struct cli *c)
{
    bool json = cli_option(c, "--json", false) != NULL;
    if (c->argc != 0)
        return cli_usage("pairings [--json]");
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    struct pairing_view *v;
    size_t n;
    int rc = pairing_tree(&ctx, &v, &n);
    db_close(ctx.db);
    if (rc != SVC_OK)
        return cli_fail("could not read the pairings");
    if (json) {
        struct sb out = SB_INIT;
        struct jw w;
        jw_init(&w, &out, true);
        jw_obj(&w);
        jw_key(&w, "pairings");
        jw_arr(&w);
        for (size_t i = 0; i < n; i++) {
            jw_obj(&w);
            jw_kint(&w, "id", v[i].id);
            jw_kstr(&w, "a", v[i].name_a);
            jw_kstr(&w, "b", v[i].name_b);
            jw_key(&w, "children");
            jw_arr(&w);
            for (size_t k = 0; k < v[i].n_children; k++) {
                const struct pairing_view *ch = &v[i].children[k];
                jw_obj(&w);
                jw_kint(&w, "id", ch->id);
                jw_kstr(&w, "kind", ch->kind);
                jw_kstr(&w, "a", ch->name_a);
                jw_kstr(&w, "b", ch->name_b);
                jw_kint(&w, "task", ch->task);
                jw_kstr(&w, "theme", ch->theme);
                jw_obj_end(&w);
            }
            jw_arr_end(&w);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
        puts(sb_str(&out));
        sb_free(&out);
        return CLI_OK;
    }
    if (n == 0)
        printf("no pairings yet: duikou import FILE\n");
    for (size_t i = 0; i < n; i++) {
        printf("%4" PRId64 "  %s – %s%s%s\n", v[i].id, v[i].name_a, v[i].name_b,
               v[i].plan_title ? "  · " : "", v[i].plan_title ? v[i].plan_title : "");
        for (size_t k = 0; k < v[i].n_children; k++) {
            const struct pairing_view *ch = &v[i].children[k];
            printf("  %4" PRId64 "  %-4s %s – %s (task %d)%s%s\n", ch->id, ch->kind, ch->name_a,
                   ch->name_b, ch->task, ch->theme ? ": " : "", ch->theme ? ch->theme : "");
        }
    }
    return CLI_OK;
}

/* `duikou demo --scale N`: the generated pairings after the demo organisation (see
 * service/demo_scale.c). Prints the shared password once, then key=value lines the bench
 * reads, with the time it took. */
static int demo_scale_print(struct cli *c, struct ctx *ctx, int scale, int year, int month)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct demo_scale_result r;
    int rc = demo_scale_create(ctx, scale, year, month, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != SVC_OK)
        return cli_fail("demo --scale: %s", ctx->error ? ctx->error : "failed");
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    (void)c;
    printf("Generated at scale %d in %.1f s. Every generated account (g001a.coord1 …) has the "
           "password (shown only now):\n\n  %s\n\n",
           scale, secs, r.password);
    printf("scale.password=%s\nscale.coordinator=%s\nscale.member=%s\nscale.member_item=%" PRId64
           "\nscale.work_plan=%" PRId64 "\nscale.pairing=%" PRId64 "\nscale.plan=%" PRId64
           "\nscale.pairings=%" PRId64 "\nscale.city_pairings=%" PRId64 "\nscale.tasks=%" PRId64
           "\nscale.units=%" PRId64 "\nscale.users=%" PRId64 "\nscale.work_plans=%" PRId64
           "\nscale.items=%" PRId64 "\nscale.reports=%" PRId64 "\nscale.reviews=%" PRId64
           "\nscale.seconds=%.1f\n\n",
           r.password, r.coordinator, r.member ? r.member : "", r.member_item, r.work_plan,
           r.pairing, r.plan, r.pairings, r.city_pairings, r.tasks, r.units, r.users,
           r.work_plans, r.items, r.reports, r.reviews, secs);
    return CLI_OK;
}

/* `duikou demo`: see service/demo.c. Prints one login per role first, then the rest. */
static int demo_scale_print(struct cli *c, struct ctx *ctx, int scale, int year, int month);

int cmd_demo(struct cli *c)
{
    const char *scale_arg = cli_option(c, "--scale", true);
    if (c->argc != 0)
        return cli_usage("demo [--scale N]");
    int scale = 0;
    if (scale_arg) {
        char *end;
        long v = strtol(scale_arg, &end, 10);
        if (!*scale_arg || *end || v < 1 || v > DEMO_SCALE_MAX)
            return cli_fail("demo: --scale takes a whole number from 1 to %d (got \"%s\")",
                            DEMO_SCALE_MAX, scale_arg);
        scale = (int)v;
    }
    struct ctx ctx;
    if (cli_open(c, &ctx) < 0)
        return CLI_FAIL;
    /* this year in the plans' time zone, as every page counts it (not the UTC year: on the
     * evening of 31 December in UTC it is already next year in China) */
    char today[11], soon[11];
    light_today(today, soon);
    int year = atoi(today);
    struct demo_login *l;
    size_t n;
    /* hundreds of small writes, each its own transaction: synced once at the end */
    int rc = db_bulk(ctx.db) < 0 ? svc_fail(&ctx, SVC_ERROR, "err_internal", NULL, "db_bulk")
                                 : demo_create(&ctx, year, &l, &n);
    if (rc == SVC_OK && db_sync_wal(c->db_path) < 0)
        rc = svc_fail(&ctx, SVC_ERROR, "err_internal", NULL, "syncing the demo data");
    if (rc == SVC_OK && scale) {
        int dr = demo_scale_print(c, &ctx, scale, year, atoi(today + 5));
        if (dr != CLI_OK) {
            db_close(ctx.db);
            return dr;
        }
    }
    db_close(ctx.db);
    if (rc != SVC_OK)
        return cli_fail("demo: %s", ctx.error ? ctx.error : "failed");
    static const char *roles[] = {"admin", "leader", "coordinator", "member"};
    printf("Demo accounts (passwords are shown only now):\n\n");
    printf("  %-12s %-16s %-26s %s\n", "role", "login", "password", "unit");
    for (size_t r = 0; r < 4; r++)
        for (size_t i = 0; i < n; i++)
            if (strcmp(l[i].role, roles[r]) == 0) {
                printf("  %-12s %-16s %-26s %s\n", l[i].role, l[i].login, l[i].password, l[i].unit);
                break;
            }
    printf("\nAll %zu demo accounts:\n", n);
    for (size_t i = 0; i < n; i++)
        printf("  %-12s %-16s %s\n", l[i].role, l[i].login, l[i].password);
    return CLI_OK;
}
