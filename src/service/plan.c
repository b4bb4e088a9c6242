/* plan: the import of plan texts and the read side of plans. An import is one transaction:
 * either every plan of the file is stored with its audit rows, or nothing is. */
#include "service/plan.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "ingest/ingest.h"
#include "service/perm.h"
#include "service/region.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

static int audit_json(struct ctx *c, const char *action, const char *entity, int64_t id,
                      const char *before, struct sb *after)
{
    return audit_append(c->db, c->actor, action, entity, id, before, after ? sb_str(after) : NULL,
                        c->client);
}

/* ---- pairings ----------------------------------------------------------------------- */

static int64_t region_or_zero(struct ctx *c, const char *code)
{
    return code ? region_id(c, code) : 0;
}

static void bind_region(struct stmt *st, const char *name, int64_t id)
{
    if (id)
        db_bind_int64(st, name, id);
    else
        db_bind_null(st, name);
}

/* Finds a pairing under parent (0: top level). Each side matches by region when both the
 * stored row and the new text know it, else by name in one script, so re-importing the text
 * in the other script (or 江苏省有关城市 for 江蘇省有關城市) finds the same row. */
static int64_t find_pairing(struct ctx *c, int64_t parent, int64_t ra, int64_t rb,
                            const char *na, const char *nb)
{
    struct stmt st;
    int64_t id = 0;
    const char *ka = text_key(c->arena, na), *kb = text_key(c->arena, nb);
    db_prepare(c->db, &st,
               "SELECT id, coalesce(region_a, 0), coalesce(region_b, 0), name_a, name_b "
               "FROM pairing WHERE coalesce(parent_id, 0) = :parent ORDER BY id");
    db_bind_int64(&st, ":parent", parent);
    while (!id && db_step(&st) == DB_ROW) {
        int64_t sa = db_col_int64(&st, 1), sb = db_col_int64(&st, 2);
        bool a = ra && sa ? ra == sa : strcmp(ka, text_key(c->arena, db_col_text(&st, 3))) == 0;
        bool b = rb && sb ? rb == sb : strcmp(kb, text_key(c->arena, db_col_text(&st, 4))) == 0;
        if (a && b)
            id = db_col_int64(&st, 0);
    }
    db_finalize(&st);
    return id;
}

static int64_t create_pairing(struct ctx *c, int64_t parent, int64_t ra, int64_t rb,
                              const char *na, const char *nb, const char *kind,
                              const char *theme, int64_t plan_id, int task)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO pairing (parent_id, region_a, region_b, name_a, name_b, kind, theme, "
               "plan_id, task_number, created_at) VALUES (:parent, :ra, :rb, :na, :nb, :kind, "
               ":theme, :plan, :task, :at)");
    bind_region(&st, ":parent", parent);
    bind_region(&st, ":ra", ra);
    bind_region(&st, ":rb", rb);
    db_bind_text(&st, ":na", na);
    db_bind_text(&st, ":nb", nb);
    db_bind_text(&st, ":kind", kind);
    db_bind_text(&st, ":theme", theme);
    bind_region(&st, ":plan", plan_id);
    if (task)
        db_bind_int64(&st, ":task", task);
    else
        db_bind_null(&st, ":task");
    db_bind_text(&st, ":at", svc_now(c));
    int rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return -1;
    int64_t id = db_last_insert_id(c->db);
    struct sb after = SB_INIT;
    struct jw w;
    jw_init(&w, &after, false);
    jw_obj(&w);
    if (parent)
        jw_kint(&w, "parent_id", parent);
    jw_kstr(&w, "a", na);
    jw_kstr(&w, "b", nb);
    jw_kstr(&w, "kind", kind);
    jw_kstr(&w, "theme", theme);
    if (task)
        jw_kint(&w, "task", task);
    jw_obj_end(&w);
    rc = audit_json(c, "pairing.create", "pairing", id, NULL, &after);
    sb_free(&after);
    return rc < 0 ? -1 : id;
}

/* ---- one plan ----------------------------------------------------------------------- */

struct prev_plan {
    int64_t id, lineage;
    int version;
    const char *sha256;
};

/* The current version of the same plan: same pairing and same title once both are in one
 * script (a Simplified re-issue of a Traditional text is the same plan). */
static bool find_current(struct ctx *c, int64_t pairing, const char *title, struct prev_plan *p)
{
    const char *key = text_key(c->arena, title);
    struct stmt st;
    bool found = false;
    db_prepare(c->db, &st,
               "SELECT id, lineage, version, title, source_sha256 FROM plan "
               "WHERE pairing_id = :p AND status = 'current' ORDER BY id");
    db_bind_int64(&st, ":p", pairing);
    while (!found && db_step(&st) == DB_ROW) {
        if (strcmp(text_key(c->arena, db_col_text(&st, 3)), key) != 0)
            continue;
        p->id = db_col_int64(&st, 0);
        p->lineage = db_col_int64(&st, 1);
        p->version = (int)db_col_int64(&st, 2);
        p->sha256 = arena_strdup(c->arena, db_col_text(&st, 4));
        found = true;
    }
    db_finalize(&st);
    return found;
}

static int64_t insert_section(struct ctx *c, int64_t plan, const char *kind, int ordinal,
                              const char *marker, const char *title, const char *body)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO plan_section (plan_id, kind, ordinal, marker, title, body) "
               "VALUES (:plan, :kind, :ord, :marker, :title, :body)");
    db_bind_int64(&st, ":plan", plan);
    db_bind_text(&st, ":kind", kind);
    db_bind_int64(&st, ":ord", ordinal);
    db_bind_text(&st, ":marker", marker);
    db_bind_text(&st, ":title", title);
    db_bind_text(&st, ":body", body);
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? -1 : db_last_insert_id(c->db);
}

/* Equal once in one script: a text re-issued in Simplified is not a change of content. */
static bool same_text(struct ctx *c, const char *x, const char *y)
{
    return strcmp(x, y) == 0 || strcmp(text_key(c->arena, x), text_key(c->arena, y)) == 0;
}

/* What changed between the previous version's tasks and the new text's. */
static void diff_tasks(struct ctx *c, int64_t prev_id, const struct plan_doc *d,
                       struct plan_import_result *res)
{
    size_t cap = 0;
    bool *seen = arena_alloc(c->arena, (d->n_tasks + 1) * sizeof *seen);
    struct stmt st;
    db_prepare(c->db, &st, "SELECT number, title, body FROM task WHERE plan_id = :p ORDER BY number");
    db_bind_int64(&st, ":p", prev_id);
    while (db_step(&st) == DB_ROW) {
        int num = (int)db_col_int64(&st, 0);
        const char *title = db_col_text(&st, 1), *body = db_col_text(&st, 2);
        const struct plan_task *t = NULL;
        for (size_t i = 0; i < d->n_tasks && !t; i++)
            if (d->tasks[i].number == num) {
                t = &d->tasks[i];
                seen[i] = true;
            }
        const char **slot;
        if (!t) {
            slot = ARRAY_PUSH(c->arena, res->changes, res->n_changes, cap);
            *slot = arena_printf(c->arena, "task %d removed: %s", num, title);
        } else if (!same_text(c, title, t->title)) {
            slot = ARRAY_PUSH(c->arena, res->changes, res->n_changes, cap);
            *slot = arena_printf(c->arena, "task %d title: %s → %s", num, title, t->title);
        } else if (!same_text(c, body, t->body)) {
            slot = ARRAY_PUSH(c->arena, res->changes, res->n_changes, cap);
            *slot = arena_printf(c->arena, "task %d text changed: %s", num, t->title);
        }
    }
    db_finalize(&st);
    for (size_t i = 0; i < d->n_tasks; i++)
        if (!seen[i]) {
            const char **slot = ARRAY_PUSH(c->arena, res->changes, res->n_changes, cap);
            *slot = arena_printf(c->arena, "task %d added: %s", d->tasks[i].number,
                                 d->tasks[i].title);
        }
    if (res->n_changes == 0) {
        const char **slot = ARRAY_PUSH(c->arena, res->changes, res->n_changes, cap);
        *slot = "tasks unchanged (the text differs elsewhere, or only in its script)";
    }
}

/* A region named in a plan's title that the gazetteer does not know: refused unless the
 * caller says regions may be new (a zone created after the gazetteer was made), and a name
 * with markup, quotes, slashes or control characters never — it would be a pairing's name,
 * shown on every page (escaped, but not a name). */
static int check_regions(struct ctx *c, const struct plan_doc *d, bool new_regions)
{
    for (int s = 0; s < 2; s++) {
        if (d->pairing_code[s])
            continue;
        const char *name = d->pairing[s];
        bool clean = strlen(name) <= 64;
        for (const unsigned char *p = (const unsigned char *)name; clean && *p; p++)
            clean = *p >= 0x20 && *p != 0x7f && !strchr("<>&\"'/\\`", *p);
        if (!clean) {
            c->error = arena_printf(c->arena, "%s: \"%s\" cannot be a region's name (markup, "
                                    "quotes, slashes or control characters, or over 64 bytes)",
                                    d->title, name);
            return SVC_INVALID;
        }
        if (!new_regions) {
            c->error = arena_printf(c->arena, "%s: %s is not a region of the gazetteer (GB/T "
                                    "2260 and the zones in data/regions); check the title, or "
                                    "import with --new-region if it is newer than the gazetteer",
                                    d->title, name);
            return SVC_INVALID;
        }
    }
    return SVC_OK;
}

static int import_plan(struct ctx *c, const struct ingest_result *r, const struct plan_doc *d,
                       bool new_regions, struct plan_import_result *res)
{
    res->title = d->title;
    res->areas = (int)d->n_areas;
    res->tasks = (int)d->n_tasks;
    res->targets = (int)d->n_targets;
    res->pairings = (int)d->n_pairings;
    for (size_t i = 0; i < d->n_tasks; i++)
        for (size_t j = i + 1; j < d->n_tasks; j++)
            if (d->tasks[i].number == d->tasks[j].number) {
                c->error = arena_printf(c->arena, "%s: task number %d appears twice (lines %d "
                                        "and %d); fix the numbering and import again",
                                        d->title, d->tasks[i].number, d->tasks[i].line,
                                        d->tasks[j].line);
                return SVC_INVALID;
            }
    if (!d->pairing[0] || !d->pairing[1]) {
        c->error = arena_printf(c->arena, "%s: the title does not name two regions (A与B…)",
                                d->title);
        return SVC_INVALID;
    }
    int checked = check_regions(c, d, new_regions);
    if (checked != SVC_OK)
        return checked;

    int64_t ra = region_or_zero(c, d->pairing_code[0]), rb = region_or_zero(c, d->pairing_code[1]);
    int64_t top = find_pairing(c, 0, ra, rb, d->pairing[0], d->pairing[1]);
    if (!top)
        top = create_pairing(c, 0, ra, rb, d->pairing[0], d->pairing[1], "province", NULL, 0, 0);
    if (top < 0)
        return SVC_ERROR;

    struct prev_plan prev = {0};
    bool revising = find_current(c, top, d->title, &prev);
    if (revising && strcmp(prev.sha256, d->sha256) == 0) {
        res->status = "unchanged";
        res->plan_id = prev.id;
        res->version = prev.version;
        return SVC_OK;
    }
    res->status = revising ? "revised" : "new";
    res->version = revising ? prev.version + 1 : 1;
    res->previous_id = revising ? prev.id : 0;

    struct stmt st;
    if (revising) {
        db_prepare(c->db, &st, "UPDATE plan SET status = 'superseded' WHERE id = :id");
        db_bind_int64(&st, ":id", prev.id);
        int rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            return SVC_ERROR;
    }
    db_prepare(c->db, &st,
               "INSERT INTO plan (pairing_id, lineage, version, status, title, target_year, "
               "source_sha256, file_sha256, source_text, preamble, imported_at, imported_by) "
               "VALUES (:pairing, :lineage, :version, 'current', :title, :year, :sha, :file_sha, "
               ":text, :preamble, :at, :by)");
    db_bind_int64(&st, ":pairing", top);
    bind_region(&st, ":lineage", revising ? prev.lineage : 0);
    db_bind_int64(&st, ":version", res->version);
    db_bind_text(&st, ":title", d->title);
    if (d->target_year)
        db_bind_int64(&st, ":year", d->target_year);
    else
        db_bind_null(&st, ":year");
    db_bind_text(&st, ":sha", d->sha256);
    db_bind_text(&st, ":file_sha", r->sha256);
    db_bind_text(&st, ":text", d->text);
    db_bind_text(&st, ":preamble", d->preamble);
    db_bind_text(&st, ":at", svc_now(c));
    db_bind_text(&st, ":by", c->actor);
    int rc = db_step(&st);
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;
    int64_t plan = db_last_insert_id(c->db);
    res->plan_id = plan;
    if (!revising) {
        db_prepare(c->db, &st, "UPDATE plan SET lineage = id WHERE id = :id");
        db_bind_int64(&st, ":id", plan);
        rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            return SVC_ERROR;
    }

    int ord = 0;
    if (d->ideology && insert_section(c, plan, "ideology", ++ord, NULL, NULL, d->ideology) < 0)
        return SVC_ERROR;
    for (size_t i = 0; i < d->n_principles; i++)
        if (insert_section(c, plan, "principle", ++ord, d->principles[i].marker,
                           d->principles[i].title, d->principles[i].body) < 0)
            return SVC_ERROR;
    if (d->goals && insert_section(c, plan, "goals", ++ord, NULL, NULL, d->goals) < 0)
        return SVC_ERROR;
    int64_t *area_ids = arena_alloc(c->arena, (d->n_areas + 1) * sizeof *area_ids);
    for (size_t i = 0; i < d->n_areas; i++) {
        area_ids[i] = insert_section(c, plan, "area", ++ord, d->areas[i].marker,
                                     d->areas[i].title, NULL);
        if (area_ids[i] < 0)
            return SVC_ERROR;
    }
    for (size_t i = 0; i < d->n_safeguards; i++)
        if (insert_section(c, plan, "safeguard", ++ord, d->safeguards[i].marker,
                           d->safeguards[i].title, d->safeguards[i].body) < 0)
            return SVC_ERROR;

    int64_t *task_ids = arena_alloc(c->arena, (d->n_tasks + 1) * sizeof *task_ids);
    for (size_t i = 0; i < d->n_tasks; i++) {
        const struct plan_task *t = &d->tasks[i];
        db_prepare(c->db, &st,
                   "INSERT INTO task (plan_id, area_id, number, title, body, title_key, damaged) "
                   "VALUES (:plan, :area, :number, :title, :body, :key, :damaged)");
        db_bind_int64(&st, ":plan", plan);
        bind_region(&st, ":area", t->area >= 0 ? area_ids[t->area] : 0);
        db_bind_int64(&st, ":number", t->number);
        db_bind_text(&st, ":title", t->title);
        db_bind_text(&st, ":body", t->body);
        db_bind_text(&st, ":key", text_key(c->arena, t->title));
        db_bind_int64(&st, ":damaged", t->damaged);
        rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            return SVC_ERROR;
        task_ids[i] = db_last_insert_id(c->db);
    }

    for (size_t i = 0; i < d->n_targets; i++) {
        const struct plan_target *t = &d->targets[i];
        int64_t task_id = 0;
        for (size_t k = 0; k < d->n_tasks && t->task; k++)
            if (d->tasks[k].number == t->task)
                task_id = task_ids[k];
        db_prepare(c->db, &st,
                   "INSERT INTO target (plan_id, task_id, text, min, max, unit, object, per, year) "
                   "VALUES (:plan, :task, :text, :min, :max, :unit, :object, :per, :year)");
        db_bind_int64(&st, ":plan", plan);
        bind_region(&st, ":task", task_id);
        db_bind_text(&st, ":text", t->text);
        if (t->has_min)
            db_bind_int64(&st, ":min", t->min);
        else
            db_bind_null(&st, ":min");
        if (t->has_max)
            db_bind_int64(&st, ":max", t->max);
        else
            db_bind_null(&st, ":max");
        db_bind_text(&st, ":unit", t->unit);
        db_bind_text(&st, ":object", t->object);
        db_bind_text(&st, ":per", t->per);
        if (t->year)
            db_bind_int64(&st, ":year", t->year);
        else
            db_bind_null(&st, ":year");
        rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            return SVC_ERROR;
    }

    for (size_t i = 0; i < d->n_pairings; i++) {
        const struct plan_pairing *p = &d->pairings[i];
        int64_t a = region_or_zero(c, p->a_code), b = region_or_zero(c, p->b_code);
        if (find_pairing(c, top, a, b, p->a, p->b))
            continue;
        if (create_pairing(c, top, a, b, p->a, p->b, p->kind, p->theme, plan, p->task) < 0)
            return SVC_ERROR;
        res->pairings_added++;
    }

    if (revising) {
        diff_tasks(c, prev.id, d, res);
        /* Who leads and supports a task does not change because its text was revised: the
         * assignments of each task carry over to the task of the same number. (Work items
         * and reports stay with the task version they were made for, as history.) */
        db_prepare(c->db, &st,
                   "INSERT INTO assignment (task_id, unit_id, role, created_at, created_by) "
                   "SELECT n.id, a.unit_id, a.role, :at, a.created_by FROM assignment a "
                   "JOIN task o ON o.id = a.task_id AND o.plan_id = :prev "
                   "JOIN task n ON n.plan_id = :plan AND n.number = o.number");
        db_bind_text(&st, ":at", svc_now(c));
        db_bind_int64(&st, ":prev", prev.id);
        db_bind_int64(&st, ":plan", plan);
        rc = db_step(&st);
        db_finalize(&st);
        if (rc < 0)
            return SVC_ERROR;
        res->assignments_carried = db_changes(c->db);
    }

    struct sb after = SB_INIT;
    struct jw w;
    jw_init(&w, &after, false);
    jw_obj(&w);
    jw_kstr(&w, "title", d->title);
    jw_kint(&w, "pairing_id", top);
    jw_kint(&w, "version", res->version);
    jw_kstr(&w, "sha256", d->sha256);
    jw_kint(&w, "areas", (int64_t)d->n_areas);
    jw_kint(&w, "tasks", (int64_t)d->n_tasks);
    jw_kint(&w, "targets", (int64_t)d->n_targets);
    jw_kint(&w, "pairings", (int64_t)d->n_pairings);
    if (revising)
        jw_kint(&w, "assignments_carried", res->assignments_carried);
    if (res->n_changes) {
        jw_key(&w, "changes");
        jw_arr(&w);
        for (size_t i = 0; i < res->n_changes; i++)
            jw_str(&w, res->changes[i]);
        jw_arr_end(&w);
    }
    jw_obj_end(&w);
    const char *before = revising ? arena_printf(c->arena,
                                                 "{\"id\":%lld,\"version\":%d,\"sha256\":\"%s\"}",
                                                 (long long)prev.id, prev.version, prev.sha256)
                                  : NULL;
    rc = audit_json(c, revising ? "plan.revise" : "plan.import", "plan", plan, before, &after);
    sb_free(&after);
    return rc < 0 ? SVC_ERROR : SVC_OK;
}

int plan_import(struct ctx *c, const struct ingest_result *r, const struct plan_import_options *opt,
                struct plan_import_result **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* Permission first: importing rewrites what every pairing works from. */
    int rc = perm_is_admin(c);
    if (rc != SVC_OK)
        return rc;
    if (ingest_has_errors(r)) {
        c->error = r->ok ? "the text has errors (see the warnings); nothing was imported"
                         : r->error;
        return SVC_INVALID;
    }
    rc = region_sync(c, NULL);
    if (rc != SVC_OK)
        return rc;
    struct plan_import_result *res = arena_alloc(c->arena, (r->n_plans + 1) * sizeof *res);
    if (db_begin(c->db) < 0)
        return SVC_ERROR;
    for (size_t i = 0; i < r->n_plans; i++) {
        rc = import_plan(c, r, &r->plans[i], opt && opt->new_regions, &res[i]);
        if (rc != SVC_OK)
            goto fail;
    }
    if (opt && opt->dry_run) {
        db_rollback(c->db);
        *out = res;
        *n = r->n_plans;
        return SVC_OK;
    }
    if (db_commit(c->db) < 0) {
        rc = SVC_ERROR;
        goto fail;
    }
    *out = res;
    *n = r->n_plans;
    return SVC_OK;
fail:
    db_rollback(c->db);
    if (rc == SVC_ERROR) {
        log_error("plan import failed: %s", db_errmsg(c->db));
        c->error = "the database refused the import; nothing was imported";
    }
    return rc;
}

/* ---- reading ------------------------------------------------------------------------ */

static const char *col(struct ctx *c, struct stmt *st, int i)
{
    return db_col_is_null(st, i) ? NULL : arena_strdup(c->arena, db_col_text(st, i));
}

static void read_summary(struct ctx *c, struct stmt *st, struct plan_summary *s)
{
    s->id = db_col_int64(st, 0);
    s->pairing_id = db_col_int64(st, 1);
    s->lineage = db_col_int64(st, 2);
    s->version = (int)db_col_int64(st, 3);
    s->status = col(c, st, 4);
    s->title = col(c, st, 5);
    s->target_year = (int)db_col_int64(st, 6);
    s->imported_at = col(c, st, 7);
    s->imported_by = col(c, st, 8);
    s->name_a = col(c, st, 9);
    s->name_b = col(c, st, 10);
    s->tasks = (int)db_col_int64(st, 11);
    s->pairings = (int)db_col_int64(st, 12);
    s->sha256 = col(c, st, 13);
}

#define SUMMARY_COLUMNS                                                                      \
    "SELECT p.id, p.pairing_id, p.lineage, p.version, p.status, p.title, "                   \
    "coalesce(p.target_year, 0), p.imported_at, p.imported_by, g.name_a, g.name_b, "          \
    "(SELECT count(*) FROM task t WHERE t.plan_id = p.id), "                                 \
    "(SELECT count(*) FROM pairing k WHERE k.parent_id = p.pairing_id), p.source_sha256 "     \
    "FROM plan p JOIN pairing g ON g.id = p.pairing_id "

int plan_list(struct ctx *c, bool all, struct plan_summary **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    struct stmt st;
    db_prepare(c->db, &st, SUMMARY_COLUMNS "WHERE :all = 1 OR p.status = 'current' ORDER BY p.id");
    db_bind_int64(&st, ":all", all ? 1 : 0);
    int rc;
    while ((rc = db_step(&st)) == DB_ROW)
        read_summary(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    return rc < 0 ? SVC_ERROR : SVC_OK;
}

int plan_status(struct ctx *c, int64_t id, char out[16])
{
    struct stmt st;
    db_prepare(c->db, &st, "SELECT status FROM plan WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW)
        snprintf(out, 16, "%s", db_col_text(&st, 0));
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no plan %lld",
                        (long long)id);
    return SVC_OK;
}

int plan_get(struct ctx *c, int64_t id, struct plan_view *v)
{
    memset(v, 0, sizeof *v);
    struct stmt st;
    db_prepare(c->db, &st, SUMMARY_COLUMNS "WHERE p.id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW)
        read_summary(c, &st, &v->s);
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;
    if (rc != DB_ROW) {
        c->error = arena_printf(c->arena, "there is no plan %lld", (long long)id);
        return SVC_NOT_FOUND;
    }

    db_prepare(c->db, &st, "SELECT preamble, source_text FROM plan WHERE id = :id");
    db_bind_int64(&st, ":id", id);
    if (db_step(&st) == DB_ROW) {
        v->preamble = col(c, &st, 0);
        v->source_text = col(c, &st, 1);
    }
    db_finalize(&st);

    size_t cap_s = 0, cap_a = 0, cap_t = 0, cap_p = 0, cap_g = 0;
    db_prepare(c->db, &st,
               "SELECT id, kind, marker, title, body FROM plan_section WHERE plan_id = :id "
               "ORDER BY ordinal");
    db_bind_int64(&st, ":id", id);
    while ((rc = db_step(&st)) == DB_ROW) {
        const char *kind = db_col_text(&st, 1);
        if (strcmp(kind, "area") == 0) {
            struct plan_area_view *a = ARRAY_PUSH(c->arena, v->areas, v->n_areas, cap_a);
            a->id = db_col_int64(&st, 0);
            a->marker = col(c, &st, 2);
            a->title = col(c, &st, 3);
        } else {
            struct plan_section_view *s = ARRAY_PUSH(c->arena, v->sections, v->n_sections, cap_s);
            s->kind = arena_strdup(c->arena, kind);
            s->marker = col(c, &st, 2);
            s->title = col(c, &st, 3);
            s->body = col(c, &st, 4);
        }
    }
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;

    db_prepare(c->db, &st,
               "SELECT id, number, coalesce(area_id, 0), title, body, damaged FROM task "
               "WHERE plan_id = :id ORDER BY number");
    db_bind_int64(&st, ":id", id);
    while ((rc = db_step(&st)) == DB_ROW) {
        struct plan_task_view *t = ARRAY_PUSH(c->arena, v->tasks, v->n_tasks, cap_t);
        t->id = db_col_int64(&st, 0);
        t->number = (int)db_col_int64(&st, 1);
        int64_t area = db_col_int64(&st, 2);
        t->area = -1;
        for (size_t i = 0; i < v->n_areas; i++)
            if (v->areas[i].id == area)
                t->area = (int)i;
        t->title = col(c, &st, 3);
        t->body = col(c, &st, 4);
        t->damaged = db_col_int64(&st, 5) != 0;
    }
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;

    db_prepare(c->db, &st,
               "SELECT k.id, coalesce(k.task_number, 0), k.kind, k.name_a, k.name_b, ra.code, "
               "rb.code, k.theme FROM pairing k LEFT JOIN region ra ON ra.id = k.region_a "
               "LEFT JOIN region rb ON rb.id = k.region_b WHERE k.parent_id = :pairing "
               "ORDER BY k.task_number, k.id");
    db_bind_int64(&st, ":pairing", v->s.pairing_id);
    while ((rc = db_step(&st)) == DB_ROW) {
        struct plan_pairing_view *p = ARRAY_PUSH(c->arena, v->pairings, v->n_pairings, cap_p);
        p->id = db_col_int64(&st, 0);
        p->task = (int)db_col_int64(&st, 1);
        p->kind = col(c, &st, 2);
        p->a = col(c, &st, 3);
        p->b = col(c, &st, 4);
        p->a_code = col(c, &st, 5);
        p->b_code = col(c, &st, 6);
        p->theme = col(c, &st, 7);
    }
    db_finalize(&st);
    if (rc < 0)
        return SVC_ERROR;

    db_prepare(c->db, &st,
               "SELECT coalesce(t.number, 0), g.text, g.min, g.max, g.unit, g.object, g.per, "
               "coalesce(g.year, 0) FROM target g LEFT JOIN task t ON t.id = g.task_id "
               "WHERE g.plan_id = :id ORDER BY g.id");
    db_bind_int64(&st, ":id", id);
    while ((rc = db_step(&st)) == DB_ROW) {
        struct plan_target_view *t = ARRAY_PUSH(c->arena, v->targets, v->n_targets, cap_g);
        t->task = (int)db_col_int64(&st, 0);
        t->text = col(c, &st, 1);
        t->has_min = !db_col_is_null(&st, 2);
        t->min = db_col_int64(&st, 2);
        t->has_max = !db_col_is_null(&st, 3);
        t->max = db_col_int64(&st, 3);
        t->unit = col(c, &st, 4);
        t->object = col(c, &st, 5);
        t->per = col(c, &st, 6);
        t->year = (int)db_col_int64(&st, 7);
    }
    db_finalize(&st);
    return rc < 0 ? SVC_ERROR : SVC_OK;
}

/* ---- JSON ---------------------------------------------------------------------------- */

void plan_view_json(const struct plan_view *v, struct jw *w)
{
    jw_obj(w);
    jw_kint(w, "id", v->s.id);
    jw_kstr(w, "title", v->s.title);
    jw_key(w, "pairing");
    jw_arr(w);
    jw_str(w, v->s.name_a);
    jw_str(w, v->s.name_b);
    jw_arr_end(w);
    jw_kint(w, "version", v->s.version);
    jw_kstr(w, "status", v->s.status);
    if (v->s.target_year)
        jw_kint(w, "target_year", v->s.target_year);
    else
        jw_knull(w, "target_year");
    jw_kstr(w, "sha256", v->s.sha256);
    jw_kstr(w, "imported_at", v->s.imported_at);
    jw_kstr(w, "imported_by", v->s.imported_by);
    jw_key(w, "sections");
    jw_arr(w);
    for (size_t i = 0; i < v->n_sections; i++) {
        jw_obj(w);
        jw_kstr(w, "kind", v->sections[i].kind);
        jw_kstr(w, "marker", v->sections[i].marker);
        jw_kstr(w, "title", v->sections[i].title);
        jw_kstr(w, "body", v->sections[i].body);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "areas");
    jw_arr(w);
    for (size_t a = 0; a < v->n_areas; a++) {
        jw_obj(w);
        jw_kstr(w, "marker", v->areas[a].marker);
        jw_kstr(w, "title", v->areas[a].title);
        jw_key(w, "tasks");
        jw_arr(w);
        for (size_t t = 0; t < v->n_tasks; t++) {
            if (v->tasks[t].area != (int)a)
                continue;
            jw_obj(w);
            jw_kint(w, "id", v->tasks[t].id);
            jw_kint(w, "number", v->tasks[t].number);
            jw_kstr(w, "title", v->tasks[t].title);
            jw_kstr(w, "body", v->tasks[t].body);
            jw_kbool(w, "damaged", v->tasks[t].damaged);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "pairings");
    jw_arr(w);
    for (size_t i = 0; i < v->n_pairings; i++) {
        const struct plan_pairing_view *p = &v->pairings[i];
        jw_obj(w);
        jw_kint(w, "id", p->id);
        jw_kint(w, "task", p->task);
        jw_kstr(w, "kind", p->kind);
        jw_kstr(w, "a", p->a);
        jw_kstr(w, "b", p->b);
        jw_kstr(w, "a_code", p->a_code);
        jw_kstr(w, "b_code", p->b_code);
        jw_kstr(w, "theme", p->theme);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "targets");
    jw_arr(w);
    for (size_t i = 0; i < v->n_targets; i++) {
        const struct plan_target_view *t = &v->targets[i];
        jw_obj(w);
        if (t->task)
            jw_kint(w, "task", t->task);
        else
            jw_knull(w, "task");
        jw_kstr(w, "text", t->text);
        if (t->has_min)
            jw_kint(w, "min", t->min);
        else
            jw_knull(w, "min");
        if (t->has_max)
            jw_kint(w, "max", t->max);
        else
            jw_knull(w, "max");
        jw_kstr(w, "unit", t->unit);
        jw_kstr(w, "object", t->object);
        jw_kstr(w, "per", t->per);
        if (t->year)
            jw_kint(w, "year", t->year);
        else
            jw_knull(w, "year");
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

