/* parse: `duikou parse FILE [--json]` prints what the ingester reads, without a database. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "ingest/ingest.h"

static void print_warnings(struct arena *a, const struct ingest_result *r,
                           const struct ingest_warning *w, size_t n, const char *indent)
{
    for (size_t i = 0; i < n; i++) {
        const char *sev = w[i].severity == SEV_ERROR ? "error" : "warning";
        const char *where = ingest_where(a, r, w[i].line);
        if (where)
            printf("%s%s: %s: %s\n", indent, sev, where, w[i].message);
        else
            printf("%s%s: %s\n", indent, sev, w[i].message);
    }
}

int cmd_parse(struct cli *c)
{
    bool json = cli_option(c, "--json", false) != NULL;
    if (c->argc != 1)
        return cli_usage("parse FILE [--json]");
    struct ingest_result r;
    ingest_parse_file(&c->arena, c->argv[0], &r);
    if (json) {
        struct sb out = SB_INIT;
        struct jw w;
        jw_init(&w, &out, true);
        ingest_write_json(&r, &w);
        sb_appendc(&out, '\n');
        fwrite(out.buf, 1, out.len, stdout);
        sb_free(&out);
        return r.ok ? CLI_OK : CLI_FAIL;
    }
    if (!r.ok)
        return cli_fail("%s: %s", c->argv[0], r.error);
    printf("%s: %zu bytes, %s, %zu plan%s\n", c->argv[0], r.bytes,
           strcmp(r.format, "text") == 0 ? r.encoding : r.format, r.n_plans,
           r.n_plans == 1 ? "" : "s");
    print_warnings(&c->arena, &r, r.warnings, r.n_warnings, "");
    for (size_t p = 0; p < r.n_plans; p++) {
        const struct plan_doc *d = &r.plans[p];
        if (r.place_kind)
            printf("\n%s (%ss %d–%d)\n", d->title, r.place_kind, ingest_place(&r, d->line),
                   ingest_place(&r, d->end_line));
        else
            printf("\n%s (lines %d–%d)\n", d->title, d->line, d->end_line);
        printf("  pairing: %s – %s; target year %d\n", d->pairing[0] ? d->pairing[0] : "?",
               d->pairing[1] ? d->pairing[1] : "?", d->target_year);
        for (size_t a = 0; a < d->n_areas; a++) {
            printf("  %s%s\n", d->areas[a].marker, d->areas[a].title);
            for (size_t t = 0; t < d->n_tasks; t++)
                if (d->tasks[t].area == (int)a)
                    printf("    %d. %s\n", d->tasks[t].number, d->tasks[t].title);
        }
        printf("  pairings (%zu):\n", d->n_pairings);
        for (size_t i = 0; i < d->n_pairings; i++)
            printf("    task %d, %s: %s – %s: %s\n", d->pairings[i].task, d->pairings[i].kind,
                   d->pairings[i].a, d->pairings[i].b,
                   d->pairings[i].theme ? d->pairings[i].theme : "");
        printf("  targets (%zu):\n", d->n_targets);
        for (size_t i = 0; i < d->n_targets; i++)
            printf("    task %d: %s\n", d->targets[i].task, d->targets[i].text);
        printf("  safeguards (%zu):\n", d->n_safeguards);
        for (size_t i = 0; i < d->n_safeguards; i++)
            printf("    %s%s\n", d->safeguards[i].marker, d->safeguards[i].title);
        print_warnings(&c->arena, &r, d->warnings, d->n_warnings, "  ");
    }
    return ingest_has_errors(&r) ? CLI_FAIL : CLI_OK;
}
