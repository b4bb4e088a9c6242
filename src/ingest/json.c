/* json: the shape printed by `duikou parse FILE --json`. Field names are part of the CLI's
 * contract (README): add fields freely, never rename. */
#include "core/json.h"
#include "ingest/ingest.h"

static const char *sev_name(enum ingest_severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

/* In a document, each warning also names its paragraph (.docx) or page (.pdf). */
static void warnings(struct jw *w, const struct ingest_result *r, const struct ingest_warning *ws,
                     size_t n)
{
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        if (ws[i].line)
            jw_kint(w, "line", ws[i].line);
        else
            jw_knull(w, "line");
        jw_kstr(w, "severity", sev_name(ws[i].severity));
        jw_kstr(w, "code", ws[i].code);
        jw_kstr(w, "message", ws[i].message);
        if (r->place_kind && ws[i].place)
            jw_kint(w, r->place_kind, ws[i].place);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void items(struct jw *w, const char *key, const struct plan_item *it, size_t n)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "marker", it[i].marker);
        jw_kstr(w, "title", it[i].title);
        jw_kstr(w, "body", it[i].body);
        jw_kint(w, "line", it[i].line);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void opt_int(struct jw *w, const char *key, bool has, int64_t v)
{
    if (has)
        jw_kint(w, key, v);
    else
        jw_knull(w, key);
}

static void tasks_of_area(struct jw *w, const struct ingest_result *r, const struct plan_doc *d,
                          int area)
{
    jw_key(w, "tasks");
    jw_arr(w);
    for (size_t t = 0; t < d->n_tasks; t++) {
        const struct plan_task *k = &d->tasks[t];
        if (k->area != area)
            continue;
        jw_obj(w);
        jw_kint(w, "number", k->number);
        jw_kstr(w, "title", k->title);
        jw_kstr(w, "body", k->body);
        jw_kint(w, "line", k->line);
        if (r->place_kind && ingest_place(r, k->line))
            jw_kint(w, r->place_kind, ingest_place(r, k->line));
        if (k->damaged)
            jw_kbool(w, "damaged", true);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void plan(struct jw *w, const struct ingest_result *r, const struct plan_doc *d)
{
    jw_obj(w);
    jw_kstr(w, "title", d->title);
    jw_key(w, "pairing");
    jw_arr(w);
    jw_str(w, d->pairing[0]);
    jw_str(w, d->pairing[1]);
    jw_arr_end(w);
    jw_key(w, "pairing_codes");
    jw_arr(w);
    jw_str(w, d->pairing_code[0]);
    jw_str(w, d->pairing_code[1]);
    jw_arr_end(w);
    opt_int(w, "target_year", d->target_year != 0, d->target_year);
    jw_kint(w, "line", d->line);
    jw_kint(w, "end_line", d->end_line);
    jw_kstr(w, "sha256", d->sha256);
    jw_kstr(w, "preamble", d->preamble);
    jw_kstr(w, "ideology", d->ideology);
    items(w, "principles", d->principles, d->n_principles);
    jw_kstr(w, "goals", d->goals);

    jw_key(w, "areas");
    jw_arr(w);
    for (size_t i = 0; i < d->n_areas; i++) {
        jw_obj(w);
        jw_kstr(w, "marker", d->areas[i].marker);
        jw_kstr(w, "title", d->areas[i].title);
        jw_kint(w, "line", d->areas[i].line);
        tasks_of_area(w, r, d, (int)i);
        jw_obj_end(w);
    }
    /* Tasks outside any key area (a plan without (一) headings) get an untitled area. */
    bool orphans = false;
    for (size_t t = 0; t < d->n_tasks; t++)
        orphans |= d->tasks[t].area < 0;
    if (orphans) {
        jw_obj(w);
        jw_knull(w, "marker");
        jw_knull(w, "title");
        tasks_of_area(w, r, d, -1);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kint(w, "task_count", (int64_t)d->n_tasks);

    jw_key(w, "pairings");
    jw_arr(w);
    for (size_t i = 0; i < d->n_pairings; i++) {
        const struct plan_pairing *p = &d->pairings[i];
        jw_obj(w);
        jw_kint(w, "task", p->task);
        jw_kstr(w, "kind", p->kind);
        jw_kstr(w, "a", p->a);
        jw_kstr(w, "b", p->b);
        jw_kstr(w, "a_code", p->a_code);
        jw_kstr(w, "b_code", p->b_code);
        jw_kstr(w, "theme", p->theme);
        jw_kint(w, "line", p->line);
        jw_obj_end(w);
    }
    jw_arr_end(w);

    jw_key(w, "targets");
    jw_arr(w);
    for (size_t i = 0; i < d->n_targets; i++) {
        const struct plan_target *t = &d->targets[i];
        jw_obj(w);
        if (t->task)
            jw_kint(w, "task", t->task);
        else
            jw_knull(w, "task");
        jw_kstr(w, "text", t->text);
        opt_int(w, "min", t->has_min, t->min);
        opt_int(w, "max", t->has_max, t->max);
        jw_kstr(w, "unit", t->unit);
        jw_kstr(w, "object", t->object);
        jw_kstr(w, "per", t->per);
        opt_int(w, "year", t->year != 0, t->year);
        jw_kint(w, "line", t->line);
        jw_obj_end(w);
    }
    jw_arr_end(w);

    items(w, "safeguards", d->safeguards, d->n_safeguards);
    jw_key(w, "warnings");
    warnings(w, r, d->warnings, d->n_warnings);
    jw_obj_end(w);
}

void ingest_write_json(const struct ingest_result *r, struct jw *w)
{
    jw_obj(w);
    jw_kbool(w, "ok", r->ok);
    if (!r->ok) {
        jw_key(w, "error");
        jw_obj(w);
        jw_kstr(w, "code", r->error_code);
        jw_kstr(w, "message", r->error);
        jw_obj_end(w);
    }
    jw_kstr(w, "format", r->format ? r->format : "text");
    jw_kstr(w, "encoding", r->encoding);
    jw_kint(w, "bytes", (int64_t)r->bytes);
    jw_kstr(w, "sha256", r->sha256);
    jw_key(w, "plans");
    jw_arr(w);
    for (size_t i = 0; i < r->n_plans; i++)
        plan(w, r, &r->plans[i]);
    jw_arr_end(w);
    jw_key(w, "warnings");
    warnings(w, r, r->warnings, r->n_warnings);
    jw_obj_end(w);
}
