/* demo_scale: a large organisation for measuring (`duikou demo --scale N`, used by `make
 * bench`). The pages and the API must be measured on a database the size of a real
 * deployment, and the only way to know whether a page's cost grows with the database is to
 * build one ten times larger and compare.
 *
 * Shape, per generated province pairing (7 × scale of them, besides the seed pairings):
 * a plan copied from one of the seed plans with the provinces renamed (测试省07–测试省08: its
 * sections, tasks and targets, so pages look real); 10 city pairings; per side a leadership
 * group, a lead office, 10 city governments and ~24 departments (≈71 units); 4 accounts per
 * unit; both sides' lead and support units on every task; 14 agreed yearly work plans of 50
 * items; 20 reports per item (monthly, with corrections) and reviews of nearly all of them;
 * 200 cooperation projects in every stage across the years, owned by either side, each with
 * a city government as partner and its stage history's current row.
 * At scale 10 that is 70 pairings, 700 city pairings, ~1,800 tasks, ~49,000 items,
 * ~1,000,000 reports, ~5,000 units and ~20,000 users.
 *
 * It is generated at bulk speed and therefore not through the per-row services:
 *  - one transaction per generated pairing (a chunk); statements are prepared once and
 *    reused (the connection caches them by SQL text);
 *  - every generated account shares ONE argon2id hash of one random password, printed once:
 *    20,000 hashes would take 20 minutes of CPU and 64 MiB each, and prove nothing;
 *  - the audit log gets one entry per chunk and kind ("demo.scale", entity = the table, after
 *    = {"rows":n,"first_id":…,"last_id":…}) in the chunk's transaction, instead of one per row.
 *    A million hash-chained audit rows would double the file and the time, and record no act
 *    of a person; one entry per chunk and kind still accounts for every generated row (its
 *    table and id range), and keeps the chain verifiable. */
#include "service/demo_scale.h"

#include <stdio.h>
#include <string.h>

#include "core/hash.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/auth.h"
#include "service/industry.h"
#include "service/internal.h"
#include "service/service.h"
#include "service/user.h"
#include "store/audit.h"
#include "store/db.h"

enum {
    CITIES = 10,     /* city pairings per province pairing */
    DEPTS = 24,      /* departments per side (odd pairings: 23 on side b) */
    PER_UNIT = 4,    /* accounts per unit */
    YEARS = 14,      /* work plans per pairing, up to this year */
    ITEMS = 50,      /* items per work plan */
    REPORTS = 20,    /* reports per item */
    PROJECTS = 200,  /* cooperation projects per pairing */
    MAX_TASKS = 256,
};

static const char *const dept_names[DEPTS] = {
    "商務廳", "科學技術廳", "工業和信息化廳", "教育廳", "財政廳", "人力資源和社會保障廳",
    "自然資源廳", "生態環境廳", "住房和城鄉建設廳", "交通運輸廳", "水利廳", "農業農村廳",
    "文化和旅遊廳", "衛生健康委員會", "市場監督管理局", "國有資產監督管理委員會",
    "地方金融監督管理局", "能源局", "糧食和物資儲備局", "外事辦公室", "統計局", "醫療保障局",
    "體育局", "工商業聯合會",
};

static const char *const narratives[] = {
    "%s：本月召開對接會%d次，簽約項目%d個，按計劃推進。",
    "%s：本月組織企業考察%d批次，達成合作意向%d項，進度正常。",
    "%s：受項目審批影響，本月僅完成對接%d次、簽約%d項，已協調加快辦理。",
    "%s：本月舉辦培訓%d期，互派幹部%d人，工作有序開展。",
};

static const char *const statuses[] = {"on_track", "on_track", "on_track", "at_risk", "on_track",
                                       "delayed", "on_track", "at_risk", "on_track", "on_track"};

struct tpl { /* a seed plan to copy */
    int64_t plan, pairing;
    const char *name[2], *short_name[2];
    int64_t sec_lo, task_lo;
    int n_tasks, task_no[MAX_TASKS];
    int64_t task_id[MAX_TASKS];
    const char *task_title[MAX_TASKS];
    int n_child_tasks, child_task[32];
};

struct side {
    int64_t leadership, office, city[CITIES], dept[DEPTS];
    int n_dept;
    int64_t leader, coord, city_user[CITIES], dept_user[DEPTS];
};

struct gen {
    struct ctx *c;
    const char *pw_hash, *now;
    int year, month;
    struct demo_scale_result *out;
    /* per chunk */
    int64_t first, last; /* id range of the kind being written */
    int64_t rows;
};

/* ---- small helpers ---------------------------------------------------------------------- */

static int failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "demo_scale", what);
}

static int64_t scalar(struct ctx *c, const char *sql, int64_t p)
{
    struct stmt st;
    db_prepare(c->db, &st, sql);
    db_bind_int64(&st, ":p", p);
    int64_t v = db_step(&st) == DB_ROW ? db_col_int64(&st, 0) : -1;
    db_finalize(&st);
    return v;
}

/* Notes one inserted row of the current kind. */
static void note(struct gen *g)
{
    int64_t id = db_last_insert_id(g->c->db);
    if (!g->rows)
        g->first = id;
    g->last = id;
    g->rows++;
}

/* The audit entry of one chunk and kind (see the file comment for why not one per row). */
static int audit_kind(struct gen *g, const char *entity)
{
    const char *after =
        arena_printf(g->c->arena, "{\"rows\":%lld,\"first_id\":%lld,\"last_id\":%lld}",
                     (long long)g->rows, (long long)g->first, (long long)g->last);
    int rc = audit_append(g->c->db, g->c->actor, "demo.scale", entity, 0, NULL, after, NULL);
    g->rows = g->first = g->last = 0;
    return rc;
}

static int step(struct stmt *st)
{
    int rc = db_step(st);
    db_finalize(st);
    return rc < 0 ? rc : 0;
}

/* ---- templates -------------------------------------------------------------------------- */

static const char *strip_last(struct ctx *c, const char *s)
{
    /* 遼寧省 → 遼寧: drop the last character (3 bytes in UTF-8) when the name is longer. */
    size_t n = strlen(s);
    return n > 6 ? arena_strndup(c->arena, s, n - 3) : s;
}

static int load_template(struct ctx *c, int64_t plan, struct tpl *t)
{
    memset(t, 0, sizeof *t);
    t->plan = plan;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT p.pairing_id, g.name_a, g.name_b FROM plan p JOIN pairing g "
               "ON g.id = p.pairing_id WHERE p.id = :p");
    db_bind_int64(&st, ":p", plan);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        t->pairing = db_col_int64(&st, 0);
        for (int s = 0; s < 2; s++) {
            t->name[s] = svc_col(c, &st, 1 + s);
            t->short_name[s] = strip_last(c, t->name[s]);
        }
    }
    db_finalize(&st);
    if (rc != DB_ROW)
        return failed(c, "reading a seed plan");
    t->sec_lo = scalar(c, "SELECT coalesce(min(id), 0) FROM plan_section WHERE plan_id = :p", plan);
    t->task_lo = scalar(c, "SELECT coalesce(min(id), 0) FROM task WHERE plan_id = :p", plan);
    db_prepare(c->db, &st,
               "SELECT number, title, id FROM task WHERE plan_id = :p ORDER BY number");
    db_bind_int64(&st, ":p", plan);
    while ((rc = db_step(&st)) == DB_ROW && t->n_tasks < MAX_TASKS) {
        t->task_no[t->n_tasks] = (int)db_col_int64(&st, 0);
        t->task_id[t->n_tasks] = db_col_int64(&st, 2);
        t->task_title[t->n_tasks++] = svc_col(c, &st, 1);
    }
    db_finalize(&st);
    db_prepare(c->db, &st,
               "SELECT task_number FROM pairing WHERE parent_id = :p AND task_number IS NOT NULL "
               "ORDER BY id");
    db_bind_int64(&st, ":p", t->pairing);
    while ((rc = db_step(&st)) == DB_ROW && t->n_child_tasks < 32)
        t->child_task[t->n_child_tasks++] = (int)db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0 || t->n_tasks == 0)
        return failed(c, "reading a seed plan's tasks");
    if (t->n_child_tasks == 0)
        t->child_task[t->n_child_tasks++] = t->task_no[0];
    return SVC_OK;
}

/* ---- one chunk: a province pairing with everything in it -------------------------------- */

/* The pairing, its plan (sections, tasks, targets copied with the names replaced) and its
 * city pairings. */
static int gen_plan(struct gen *g, const struct tpl *t, int k, const char *name[2],
                    int64_t *pairing, int64_t *plan, int64_t *task_off, int *child)
{
    struct ctx *c = g->c;
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO pairing (name_a, name_b, kind, created_at) "
               "VALUES (:a, :b, 'province', :now)");
    db_bind_text(&st, ":a", name[0]);
    db_bind_text(&st, ":b", name[1]);
    db_bind_text(&st, ":now", g->now);
    if (step(&st) < 0)
        return failed(c, "storing a pairing");
    *pairing = db_last_insert_id(c->db);

    char sha[SHA256_HEX_LEN + 1];
    const char *seed = arena_printf(c->arena, "demo-scale:%d", k);
    sha256_hex(seed, strlen(seed), sha);
    /* Every text of the copy: the long names first, then the short ones (遼寧 in 遼寧與江蘇). */
#define RENAME(col)                                                                             \
    "replace(replace(replace(replace(" col ", :la, :na), :lb, :nb), :sa, :na), :sb, :nb)"
#define BIND_RENAME(st)                                                                         \
    do {                                                                                        \
        db_bind_text(st, ":la", t->name[0]);                                                    \
        db_bind_text(st, ":lb", t->name[1]);                                                    \
        db_bind_text(st, ":sa", t->short_name[0]);                                              \
        db_bind_text(st, ":sb", t->short_name[1]);                                              \
        db_bind_text(st, ":na", name[0]);                                                       \
        db_bind_text(st, ":nb", name[1]);                                                       \
    } while (0)
    db_prepare(c->db, &st,
               "INSERT INTO plan (pairing_id, version, status, title, target_year, source_sha256, "
               "source_text, preamble, imported_at, imported_by) "
               "SELECT :pairing, 1, 'current', " RENAME("title") ", target_year, :sha, "
               RENAME("source_text") ", " RENAME("preamble") ", :now, 'demo --scale' "
               "FROM plan WHERE id = :tpl");
    BIND_RENAME(&st);
    db_bind_int64(&st, ":pairing", *pairing);
    db_bind_text(&st, ":sha", sha);
    db_bind_text(&st, ":now", g->now);
    db_bind_int64(&st, ":tpl", t->plan);
    if (step(&st) < 0)
        return failed(c, "storing a plan");
    *plan = db_last_insert_id(c->db);
    db_prepare(c->db, &st, "UPDATE plan SET lineage = id WHERE id = :p");
    db_bind_int64(&st, ":p", *plan);
    if (step(&st) < 0)
        return failed(c, "storing a plan");

    /* Copies keep their ids' offsets, so a task's area and a target's task map by arithmetic. */
    int64_t sec_off = scalar(c, "SELECT max(id) + 1 - :p FROM plan_section", t->sec_lo);
    *task_off = scalar(c, "SELECT max(id) + 1 - :p FROM task", t->task_lo);
    db_prepare(c->db, &st,
               "INSERT INTO plan_section (id, plan_id, kind, ordinal, marker, title, body) "
               "SELECT id + :off, :plan, kind, ordinal, marker, " RENAME("title") ", "
               RENAME("body") " FROM plan_section WHERE plan_id = :tpl");
    BIND_RENAME(&st);
    db_bind_int64(&st, ":off", sec_off);
    db_bind_int64(&st, ":plan", *plan);
    db_bind_int64(&st, ":tpl", t->plan);
    if (step(&st) < 0)
        return failed(c, "storing plan sections");
    db_prepare(c->db, &st,
               "INSERT INTO task (id, plan_id, area_id, number, title, body, title_key, "
               "damaged) SELECT id + :off, :plan, area_id + :soff, number, " RENAME("title")
               ", " RENAME("body") ", title_key, damaged FROM task WHERE plan_id = :tpl");
    BIND_RENAME(&st);
    db_bind_int64(&st, ":off", *task_off);
    db_bind_int64(&st, ":soff", sec_off);
    db_bind_int64(&st, ":plan", *plan);
    db_bind_int64(&st, ":tpl", t->plan);
    if (step(&st) < 0)
        return failed(c, "storing tasks");
    db_prepare(c->db, &st,
               "INSERT INTO target (plan_id, task_id, text, min, max, unit, object, per, year) "
               "SELECT :plan, task_id + :off, text, min, max, unit, object, per, year "
               "FROM target WHERE plan_id = :tpl");
    db_bind_int64(&st, ":off", *task_off);
    db_bind_int64(&st, ":plan", *plan);
    db_bind_int64(&st, ":tpl", t->plan);
    if (step(&st) < 0)
        return failed(c, "storing targets");
#undef RENAME
#undef BIND_RENAME

    for (int j = 0; j < CITIES; j++) {
        db_prepare(c->db, &st,
                   "INSERT INTO pairing (parent_id, name_a, name_b, kind, plan_id, task_number, "
                   "created_at) VALUES (:parent, :a, :b, 'city', :plan, :task, :now)");
        db_bind_int64(&st, ":parent", *pairing);
        db_bind_text(&st, ":a", arena_printf(c->arena, "%s第%d市", name[0], j + 1));
        db_bind_text(&st, ":b", arena_printf(c->arena, "%s第%d市", name[1], j + 1));
        db_bind_int64(&st, ":plan", *plan);
        db_bind_int64(&st, ":task", t->child_task[j % t->n_child_tasks]);
        db_bind_text(&st, ":now", g->now);
        if (step(&st) < 0)
            return failed(c, "storing a city pairing");
        child[j] = t->child_task[j % t->n_child_tasks];
    }
    g->out->pairings++;
    g->out->city_pairings += CITIES;
    g->out->tasks += t->n_tasks;
    const char *after = arena_printf(c->arena,
                                     "{\"pairing_id\":%lld,\"copied_from_plan\":%lld,"
                                     "\"tasks\":%d,\"city_pairings\":%d}",
                                     (long long)*pairing, (long long)t->plan, t->n_tasks, CITIES);
    return audit_append(c->db, c->actor, "demo.scale", "plan", *plan, NULL, after, NULL) < 0
               ? failed(c, "auditing")
               : SVC_OK;
}

static int add_unit(struct gen *g, int64_t pairing, int side, const char *name, const char *kind,
                    const char *tier, int64_t *id)
{
    struct stmt st;
    db_prepare(g->c->db, &st,
               "INSERT INTO unit (pairing_id, side, name, name_key, kind, tier, created_at, "
               "updated_at) VALUES (:p, :s, :name, :key, :kind, :tier, :now, :now)");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":s", side);
    db_bind_text(&st, ":name", name);
    db_bind_text(&st, ":key", text_key(g->c->arena, name));
    db_bind_text(&st, ":kind", kind);
    db_bind_text(&st, ":tier", tier);
    db_bind_text(&st, ":now", g->now);
    if (step(&st) < 0)
        return failed(g->c, "storing a unit");
    note(g);
    *id = g->last;
    g->out->units++;
    return SVC_OK;
}

/* PER_UNIT accounts of one role in a unit, logins <prefix>1…; *first is the first's id. */
static int add_users(struct gen *g, int64_t unit, const char *prefix, const char *role,
                     int64_t *first)
{
    for (int i = 1; i <= PER_UNIT; i++) {
        struct stmt st;
        db_prepare(g->c->db, &st,
                   "INSERT INTO users (unit_id, login, name, pw_hash, role, pw_changed_at, "
                   "created_at, updated_at) VALUES (:unit, :login, :login, :hash, :role, :now, "
                   ":now, :now)");
        db_bind_int64(&st, ":unit", unit);
        db_bind_text(&st, ":login", arena_printf(g->c->arena, "%s%d", prefix, i));
        db_bind_text(&st, ":hash", g->pw_hash);
        db_bind_text(&st, ":role", role);
        db_bind_text(&st, ":now", g->now);
        if (step(&st) < 0)
            return failed(g->c, "storing an account");
        int64_t id = db_last_insert_id(g->c->db);
        if (i == 1)
            *first = id;
        g->out->users++;
    }
    return SVC_OK;
}

static int gen_units(struct gen *g, int k, int64_t pairing, const char *name[2], struct side *sd)
{
    struct ctx *c = g->c;
    int rc;
    for (int s = 0; s < 2; s++) {
        struct side *d = &sd[s];
        const char *n = name[s];
        d->n_dept = DEPTS - (s == 1 && k % 2);
        if ((rc = add_unit(g, pairing, s, arena_printf(c->arena, "%s對口合作工作領導小組", n),
                           "government", "decision", &d->leadership)) ||
            (rc = add_unit(g, pairing, s, arena_printf(c->arena, "%s發展和改革委員會", n),
                           "department", "coordination", &d->office)))
            return rc;
        for (int j = 0; j < CITIES; j++)
            if ((rc = add_unit(g, pairing, s, arena_printf(c->arena, "%s第%d市人民政府", n, j + 1),
                               "city", "execution", &d->city[j])))
                return rc;
        for (int j = 0; j < d->n_dept; j++)
            if ((rc = add_unit(g, pairing, s, arena_printf(c->arena, "%s%s", n, dept_names[j]),
                               "department", "execution", &d->dept[j])))
                return rc;
    }
    if (audit_kind(g, "unit") < 0)
        return failed(c, "auditing");
    for (int s = 0; s < 2; s++) {
        struct side *d = &sd[s];
        const char *pre = arena_printf(c->arena, "g%03d%c.", k, s ? 'b' : 'a');
        if ((rc = add_users(g, d->leadership, arena_printf(c->arena, "%sleader", pre), "leader",
                            &d->leader)) ||
            (rc = add_users(g, d->office, arena_printf(c->arena, "%scoord", pre), "coordinator",
                            &d->coord)))
            return rc;
        for (int j = 0; j < CITIES; j++)
            if ((rc = add_users(g, d->city[j], arena_printf(c->arena, "%sc%02d.m", pre, j + 1),
                                "member", &d->city_user[j])))
                return rc;
        for (int j = 0; j < d->n_dept; j++)
            if ((rc = add_users(g, d->dept[j], arena_printf(c->arena, "%sd%02d.m", pre, j + 1),
                                "member", &d->dept_user[j])))
                return rc;
    }
    g->first = sd[0].leader;
    g->last = db_last_insert_id(c->db);
    g->rows = g->last - g->first + 1;
    return audit_kind(g, "users") < 0 ? failed(c, "auditing") : SVC_OK;
}

/* The unit leading a task on one side: the first city pairing on it, else the lead office;
 * *user is an account of that unit. */
static int64_t lead_of(const struct side *d, const int *child, int number, int64_t *user)
{
    for (int j = 0; j < CITIES; j++)
        if (child[j] == number) {
            *user = d->city_user[j];
            return d->city[j];
        }
    *user = d->coord;
    return d->office;
}

static int gen_assignments(struct gen *g, const struct tpl *t, int64_t task_off,
                           const struct side *sd, const int *child)
{
    for (int i = 0; i < t->n_tasks; i++)
        for (int s = 0; s < 2; s++) {
            int64_t user;
            int64_t units[2] = {lead_of(&sd[s], child, t->task_no[i], &user),
                                sd[s].dept[t->task_no[i] % sd[s].n_dept]};
            for (int r = 0; r < 2; r++) {
                struct stmt st;
                db_prepare(g->c->db, &st,
                           "INSERT INTO assignment (task_id, unit_id, role, created_at) "
                           "VALUES (:t, :u, :role, :now)");
                db_bind_int64(&st, ":t", t->task_id[i] + task_off);
                db_bind_int64(&st, ":u", units[r]);
                db_bind_text(&st, ":role", r ? "support" : "lead");
                db_bind_text(&st, ":now", g->now);
                if (step(&st) < 0)
                    return failed(g->c, "storing an assignment");
                note(g);
            }
        }
    return audit_kind(g, "assignment") < 0 ? failed(g->c, "auditing") : SVC_OK;
}

/* ---- work plans, items, reports, reviews ------------------------------------------------ */

struct item_ctx {
    int64_t id, owner, member, reviewer;
    int year, seq;
    const char *title;
};

static const char *stamp(struct gen *g, int year, int month, const char *time)
{
    return arena_printf(g->c->arena, "%04d-%02d-28T%s.000Z", year, month, time);
}

static int gen_reports(struct gen *g, const struct item_ctx *it)
{
    struct ctx *c = g->c;
    int months = it->year == g->year ? g->month : 12;
    int64_t last[13] = {0};
    for (int r = 0; r < REPORTS; r++) {
        int m = 1 + r % months;
        bool final = r == REPORTS - 1;
        const char *status = statuses[(it->seq + r) % 10];
        int percent = 5 + r * 95 / (REPORTS - 1);
        if (final && it->year < g->year)
            status = "done", percent = 100;
        const char *period = arena_printf(c->arena, "%04d-%02d", it->year, m);
        const char *fmt = narratives[strcmp(status, "delayed") == 0 ? 2 : (it->seq + r) % 4 == 2
                                                                              ? 3
                                                                              : (r & 1)];
        struct stmt st;
        db_prepare(c->db, &st,
                   "INSERT INTO report (work_item_id, unit_id, period, status, percent, "
                   "narrative, supersedes_id, submitted_by, at) VALUES (:item, :unit, :period, "
                   ":status, :percent, :narrative, :sup, :by, :at)");
        db_bind_int64(&st, ":item", it->id);
        db_bind_int64(&st, ":unit", it->owner);
        db_bind_text(&st, ":period", period);
        db_bind_text(&st, ":status", status);
        db_bind_int64(&st, ":percent", percent);
        db_bind_text(&st, ":narrative",
                     arena_printf(c->arena, fmt, it->title, 1 + (r + it->seq) % 4, (r * 3) % 7));
        svc_bind_opt_id(&st, ":sup", last[m]);
        db_bind_int64(&st, ":by", it->member);
        db_bind_text(&st, ":at", stamp(g, it->year, m, "09:30:00"));
        if (step(&st) < 0)
            return failed(c, "storing a report");
        int64_t report = db_last_insert_id(c->db);
        last[m] = report;
        g->out->reports++;
        /* Pending: the latest report of every fourth item; returned now and then. */
        if (final && it->seq % 4 == 0)
            continue;
        bool returned = !final && (r * 7 + it->seq) % 19 == 0;
        db_prepare(c->db, &st,
                   "INSERT INTO review (report_id, decision, reviewer_id, comment, at) "
                   "VALUES (:r, :d, :u, :comment, :at)");
        db_bind_int64(&st, ":r", report);
        db_bind_text(&st, ":d", returned ? "returned" : "accepted");
        db_bind_int64(&st, ":u", it->reviewer);
        db_bind_text(&st, ":comment", returned ? "請補充簽約項目清單和企業名單。" : NULL);
        db_bind_text(&st, ":at", stamp(g, it->year, m, "16:00:00"));
        if (step(&st) < 0)
            return failed(c, "storing a review");
        g->out->reviews++;
    }
    return SVC_OK;
}

static int gen_work_plan(struct gen *g, const struct tpl *t, int64_t pairing, int64_t task_off,
                         const struct side *sd, const int *child, int k, int year)
{
    struct ctx *c = g->c;
    struct stmt st;
    const char *at = stamp(g, year - 1, 12, "10:00:00");
    db_prepare(c->db, &st,
               "INSERT INTO work_plan (pairing_id, year, status, revision, created_at, updated_at) "
               "VALUES (:p, :y, 'agreed', 3, :at, :at)");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":y", year);
    db_bind_text(&st, ":at", at);
    if (step(&st) < 0)
        return failed(c, "storing a work plan");
    int64_t wp = db_last_insert_id(c->db);
    if (!g->out->work_plan && year == g->year)
        g->out->work_plan = wp;
    g->out->work_plans++;
    for (int s = 0; s < 2; s++) {
        db_prepare(c->db, &st,
                   "INSERT INTO approval (work_plan_id, side, user_id, at) "
                   "VALUES (:w, :s, :u, :at)");
        db_bind_int64(&st, ":w", wp);
        db_bind_int64(&st, ":s", s);
        db_bind_int64(&st, ":u", sd[s].coord);
        db_bind_text(&st, ":at", at);
        if (step(&st) < 0)
            return failed(c, "storing an approval");
    }
    for (int i = 0; i < ITEMS; i++) {
        int ti = i % t->n_tasks, number = t->task_no[ti];
        int s = number % 3 == 2 ? 1 : 0;
        struct item_ctx it = {.year = year, .seq = i + k, .reviewer = sd[s].coord,
                              .title = t->task_title[ti]};
        it.owner = lead_of(&sd[s], child, number, &it.member);
        if (it.owner == sd[s].office) { /* an office leads: a department carries the item */
            int d = (i * 7 + k) % sd[s].n_dept;
            it.owner = sd[s].dept[d];
            it.member = sd[s].dept_user[d];
        }
        db_prepare(c->db, &st,
                   "INSERT INTO work_item (work_plan_id, task_id, title, owner_unit_id, due, "
                   "indicator, target_value, revision, created_at, updated_at) "
                   "VALUES (:w, :t, :title, :owner, :due, :ind, :tv, 1, :at, :at)");
        db_bind_int64(&st, ":w", wp);
        db_bind_int64(&st, ":t", t->task_id[ti] + task_off);
        db_bind_text(&st, ":title", arena_printf(c->arena, "%d年%s（%d）", year, it.title,
                                                 i / t->n_tasks + 1));
        db_bind_int64(&st, ":owner", it.owner);
        db_bind_text(&st, ":due", arena_printf(c->arena, "%04d-%02d-%02d", year,
                                               3 + (i * 5) % 10, 10 + i % 18));
        db_bind_text(&st, ":ind", number % 2 ? "對接活動場次" : "簽約項目數");
        db_bind_text(&st, ":tv", number % 2 ? "2" : "3");
        db_bind_text(&st, ":at", at);
        if (step(&st) < 0)
            return failed(c, "storing a work item");
        it.id = db_last_insert_id(c->db);
        g->out->items++;
        if (!g->out->member_item && year == g->year) {
            g->out->member_item = it.id;
            g->out->member = arena_strdup(c->arena, "");
            struct stmt u;
            db_prepare(c->db, &u, "SELECT login FROM users WHERE id = :p");
            db_bind_int64(&u, ":p", it.member);
            if (db_step(&u) == DB_ROW)
                g->out->member = svc_col(c, &u, 0);
            db_finalize(&u);
        }
        int rc = gen_reports(g, &it);
        if (rc != SVC_OK)
            return rc;
    }
    return SVC_OK;
}

/* The audit entry of a kind written by plain INSERTs in this chunk: ids above *before. */
static int audit_range(struct gen *g, const char *entity, const char *max_sql, int64_t *before)
{
    int64_t now = scalar(g->c, max_sql, 0);
    g->first = *before + 1;
    g->last = now;
    g->rows = now - *before;
    *before = now;
    return audit_kind(g, entity);
}

struct marks {
    int64_t work_plan, work_item, report, review, project;
    int64_t enterprise, event, registration, event_outcome, exchange;
};

static int audit_ranges(struct gen *g, struct marks *m)
{
    if (audit_range(g, "work_plan", "SELECT coalesce(max(id), :p) FROM work_plan",
                    &m->work_plan) < 0 ||
        audit_range(g, "work_item", "SELECT coalesce(max(id), :p) FROM work_item",
                    &m->work_item) < 0 ||
        audit_range(g, "report", "SELECT coalesce(max(id), :p) FROM report", &m->report) < 0 ||
        audit_range(g, "review", "SELECT coalesce(max(id), :p) FROM review", &m->review) < 0 ||
        audit_range(g, "project", "SELECT coalesce(max(id), :p) FROM project", &m->project) < 0 ||
        audit_range(g, "enterprise", "SELECT coalesce(max(id), :p) FROM enterprise",
                    &m->enterprise) < 0 ||
        audit_range(g, "event", "SELECT coalesce(max(id), :p) FROM event", &m->event) < 0 ||
        audit_range(g, "registration", "SELECT coalesce(max(id), :p) FROM registration",
                    &m->registration) < 0 ||
        audit_range(g, "event_outcome", "SELECT coalesce(max(id), :p) FROM event_outcome",
                    &m->event_outcome) < 0 ||
        audit_range(g, "exchange", "SELECT coalesce(max(id), :p) FROM exchange",
                    &m->exchange) < 0)
        return failed(g->c, "auditing");
    return SVC_OK;
}

/* The pairing's projects: stages in turn, signed over the years, either side owning, a city
 * government of the owning side as partner, industries from a short list of divisions. */
static int gen_projects(struct gen *g, int64_t pairing, const struct side *sd)
{
    static const char *const industries[] = {"39", "34", "27", "65", "64", "01", "75", "58"};
    static const char *const stages[] = {"negotiating", "signed", "started", "operating",
                                         "signed", "started", "operating", "stopped"};
    struct ctx *c = g->c;
    int64_t city[CITIES];
    int n_city = 0;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT id FROM pairing WHERE parent_id = :p ORDER BY id");
    db_bind_int64(&st, ":p", pairing);
    while (n_city < CITIES && db_step(&st) == DB_ROW)
        city[n_city++] = db_col_int64(&st, 0);
    db_finalize(&st);
    for (int i = 0; i < PROJECTS; i++) {
        int side = i % 2, year = g->year - (i % 5);
        const char *stage = stages[i % 8];
        /* the 1st of a month up to this one: never a date after today */
        int month = 1 + (i * 5) % 12 % (year == g->year ? g->month : 12);
        const char *on = arena_printf(c->arena, "%04d-%02d-01", year, month);
        int64_t planned = (int64_t)(1 + (i * 37) % 300) * 500000; /* 50 万元 to 1.5 亿元 */
        bool is_signed = strcmp(stage, "negotiating") != 0;
        db_prepare(c->db, &st,
                   "INSERT INTO project (pairing_id, side, city_pairing_id, name, name_key, "
                   "industry, industry_section, stage, stage_on, signed_on, invest_planned, "
                   "invest_contracted, invest_paid, major, public, created_at, updated_at) "
                   "VALUES (:p, :side, :city, :name, :name, :ind, :sec, :stage, :on, :signed, "
                   ":planned, :contracted, :paid, :major, :public, :now, :now)");
        db_bind_int64(&st, ":p", pairing);
        db_bind_int64(&st, ":side", side);
        if (n_city)
            db_bind_int64(&st, ":city", city[i % n_city]);
        else
            db_bind_null(&st, ":city");
        db_bind_text(&st, ":name", arena_printf(c->arena, "合作項目%03d", i + 1));
        db_bind_text(&st, ":ind", industries[i % 8]);
        db_bind_text(&st, ":sec", industry_find(industries[i % 8])->section);
        db_bind_text(&st, ":stage", stage);
        db_bind_text(&st, ":on", on);
        db_bind_text(&st, ":signed", is_signed ? on : NULL);
        db_bind_int64(&st, ":planned", planned);
        db_bind_int64(&st, ":contracted", is_signed ? planned / 4 * 3 : 0);
        db_bind_int64(&st, ":paid", strcmp(stage, "operating") == 0 ? planned / 4 * 3 : 0);
        db_bind_int64(&st, ":major", is_signed && planned / 4 * 3 >= 100000000);
        db_bind_int64(&st, ":public", i % 3 == 0);
        db_bind_text(&st, ":now", g->now);
        if (db_step(&st) < 0) {
            db_finalize(&st);
            return failed(c, "adding a project");
        }
        db_finalize(&st);
        int64_t id = db_last_insert_id(c->db);
        db_prepare(c->db, &st,
                   "INSERT INTO project_partner (project_id, ordinal, side, unit_id) "
                   "VALUES (:id, 1, :side, :unit)");
        db_bind_int64(&st, ":id", id);
        db_bind_int64(&st, ":side", side);
        db_bind_int64(&st, ":unit", sd[side].city[i % CITIES]);
        int s1 = db_step(&st);
        db_finalize(&st);
        db_prepare(c->db, &st,
                   "INSERT INTO project_stage (project_id, stage, on_date, at) "
                   "VALUES (:id, :stage, :on, :now)");
        db_bind_int64(&st, ":id", id);
        db_bind_text(&st, ":stage", stage);
        db_bind_text(&st, ":on", on);
        db_bind_text(&st, ":now", g->now);
        int s2 = db_step(&st);
        db_finalize(&st);
        if (s1 < 0 || s2 < 0)
            return failed(c, "adding a project's partner and stage");
    }
    return SVC_OK;
}

/* The pairing's enterprises (ENTERPRISES a side), two docking events a year for the last
 * three years, one on each side (capacity 80; 30 enterprises of each side registered, 25 of
 * each checked in), two signings and an intention at each, and a secondment each way and a
 * training a year. Credit codes are left out: they are unique per pairing and optional. */
enum { ENTERPRISES = 40, EVENT_YEARS = 3 };
static int gen_events(struct gen *g, int64_t pairing, const struct side *sd)
{
    struct ctx *c = g->c;
    struct stmt st;
    int64_t ent[2][ENTERPRISES];
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < ENTERPRISES; i++) {
            db_prepare(c->db, &st,
                       "INSERT INTO enterprise (pairing_id, side, name, name_key, industry, "
                       "industry_section, size, created_at, updated_at) VALUES (:p, :s, :n, :n, "
                       "'34', 'C', 'medium', :now, :now)");
            db_bind_int64(&st, ":p", pairing);
            db_bind_int64(&st, ":s", s);
            db_bind_text(&st, ":n", arena_printf(c->arena, "企業%c%03d", s ? 'B' : 'A', i + 1));
            db_bind_text(&st, ":now", g->now);
            if (step(&st) < 0)
                return failed(c, "adding an enterprise");
            ent[s][i] = db_last_insert_id(c->db);
        }
    for (int y = g->year - EVENT_YEARS + 1; y <= g->year; y++)
        for (int host = 0; host < 2; host++) {
            /* the spring one on side 0, the autumn one on side 1; this year's autumn one is
             * ahead only when the month is before October */
            int month = host ? 10 : 4;
            bool held = y < g->year || month < g->month;
            db_prepare(c->db, &st,
                       "INSERT INTO event (pairing_id, kind, title, host_side, starts, ends, year, "
                       "capacity, public, target_enterprises, created_at, updated_at) VALUES (:p, "
                       "'docking', :t, :h, :s, :e, :y, 80, 1, 50, :now, :now)");
            db_bind_int64(&st, ":p", pairing);
            db_bind_text(&st, ":t", arena_printf(c->arena, "%d年對接活動%d", y, host + 1));
            db_bind_int64(&st, ":h", host);
            db_bind_text(&st, ":s", arena_printf(c->arena, "%04d-%02d-15T09:00", y, month));
            db_bind_text(&st, ":e", arena_printf(c->arena, "%04d-%02d-15T17:00", y, month));
            db_bind_int64(&st, ":y", y);
            db_bind_text(&st, ":now", g->now);
            if (step(&st) < 0)
                return failed(c, "adding an event");
            int64_t ev = db_last_insert_id(c->db), first_reg[2] = {0, 0};
            db_prepare(c->db, &st, "INSERT INTO event_unit (event_id, unit_id) VALUES (:e, :u)");
            db_bind_int64(&st, ":e", ev);
            db_bind_int64(&st, ":u", sd[host].office);
            if (step(&st) < 0)
                return failed(c, "adding an organiser");
            for (int i = 0; i < 60; i++) {
                int s = i % 2, k = (i / 2 + y) % ENTERPRISES;
                bool came = held && i / 2 < 25;
                db_prepare(c->db, &st,
                           "INSERT INTO registration (event_id, number, enterprise_id, side, "
                           "status, queued_at, created_at, updated_at, checked_in_at) VALUES "
                           "(:e, :n, :en, :s, 'registered', :now, :now, :now, :in)");
                db_bind_int64(&st, ":e", ev);
                db_bind_int64(&st, ":n", i + 1);
                db_bind_int64(&st, ":en", ent[s][k]);
                db_bind_int64(&st, ":s", s);
                db_bind_text(&st, ":now", g->now);
                db_bind_text(&st, ":in", came ? g->now : NULL);
                if (step(&st) < 0)
                    return failed(c, "adding a registration");
                if (i < 2)
                    first_reg[s] = db_last_insert_id(c->db);
            }
            for (int o = 0; held && o < 3; o++) {
                db_prepare(c->db, &st,
                           "INSERT INTO event_outcome (event_id, kind, title, amount_yuan, "
                           "created_at, updated_at) VALUES (:e, :k, :t, :a, :now, :now)");
                db_bind_int64(&st, ":e", ev);
                db_bind_text(&st, ":k", o < 2 ? "signed" : "intention");
                db_bind_text(&st, ":t", arena_printf(c->arena, "合作協議%d", o + 1));
                db_bind_int64(&st, ":a", (int64_t)(o + 1) * 50000000);
                db_bind_text(&st, ":now", g->now);
                if (step(&st) < 0)
                    return failed(c, "adding an outcome");
                int64_t out = db_last_insert_id(c->db);
                for (int s = 0; s < 2; s++) {
                    db_prepare(c->db, &st,
                               "INSERT INTO event_outcome_party (outcome_id, ordinal, "
                               "registration_id) VALUES (:o, :i, :r)");
                    db_bind_int64(&st, ":o", out);
                    db_bind_int64(&st, ":i", s);
                    db_bind_int64(&st, ":r", first_reg[s]);
                    if (step(&st) < 0)
                        return failed(c, "adding an outcome's party");
                }
            }
        }
    for (int y = g->year - EVENT_YEARS + 1; y <= g->year; y++)
        for (int k = 0; k < 3; k++) {
            int s = k % 2;
            bool training = k == 2;
            db_prepare(c->db, &st,
                       "INSERT INTO exchange (pairing_id, kind, title, person_name, from_unit_id, "
                       "host_unit_id, side, field, starts, ends, year, count_a, count_b, "
                       "created_at, updated_at) VALUES (:p, :k, :t, :n, :from, :host, :s, :f, "
                       ":starts, :ends, :y, :ca, :cb, :now, :now)");
            db_bind_int64(&st, ":p", pairing);
            db_bind_text(&st, ":k", training ? "training" : "secondment");
            db_bind_text(&st, ":t", training ? "幹部專題培訓" : "幹部掛職");
            db_bind_text(&st, ":n", training ? NULL : arena_printf(c->arena, "掛職幹部%d", k + 1));
            svc_bind_opt_id(&st, ":from", training ? 0 : sd[s].office);
            svc_bind_opt_id(&st, ":host", training ? 0 : sd[1 - s].office);
            db_bind_int64(&st, ":s", s);
            db_bind_text(&st, ":f", training ? NULL : "放管服改革");
            db_bind_text(&st, ":starts", arena_printf(c->arena, "%04d-03-01", y));
            db_bind_text(&st, ":ends", arena_printf(c->arena, "%04d-%02d-28", y, training ? 3 : 12));
            db_bind_int64(&st, ":y", y);
            db_bind_int64(&st, ":ca", training ? 40 : 0);
            db_bind_int64(&st, ":cb", training ? 5 : 0);
            db_bind_text(&st, ":now", g->now);
            if (step(&st) < 0)
                return failed(c, "adding an exchange");
        }
    return SVC_OK;
}

/* One chunk, one transaction: province pairing number k (its sides are 测试省 2k-1 and 2k). */
static int gen_chunk(struct gen *g, const struct tpl *t, int k, struct marks *m)
{
    struct ctx *c = g->c;
    const char *name[2] = {arena_printf(c->arena, "測試省%02d", 2 * k - 1),
                           arena_printf(c->arena, "測試省%02d", 2 * k)};
    if (db_begin(c->db) < 0)
        return failed(c, "starting a transaction");
    int64_t pairing = 0, plan = 0, task_off = 0;
    int child[CITIES] = {0};
    struct side sd[2];
    memset(sd, 0, sizeof sd);
    int rc = gen_plan(g, t, k, name, &pairing, &plan, &task_off, child);
    if (rc == SVC_OK)
        rc = gen_units(g, k, pairing, name, sd);
    if (rc == SVC_OK)
        rc = gen_assignments(g, t, task_off, sd, child);
    for (int y = g->year - YEARS + 1; y <= g->year && rc == SVC_OK; y++)
        rc = gen_work_plan(g, t, pairing, task_off, sd, child, k, y);
    if (rc == SVC_OK)
        rc = gen_projects(g, pairing, sd);
    if (rc == SVC_OK)
        rc = gen_events(g, pairing, sd);
    if (rc == SVC_OK)
        rc = audit_ranges(g, m);
    if (rc == SVC_OK && db_commit(c->db) < 0)
        rc = failed(c, "committing");
    db_rollback(c->db);
    if (rc == SVC_OK && !g->out->pairing) {
        g->out->pairing = pairing;
        g->out->plan = plan;
        g->out->coordinator = arena_printf(c->arena, "g%03da.coord1", k);
    }
    return rc;
}

int demo_scale_create(struct ctx *c, int scale, int current_year, int current_month,
                      struct demo_scale_result *out)
{
    memset(out, 0, sizeof *out);
    if (c->user)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "demo data is made from the command line only");
    if (scale < 1 || scale > DEMO_SCALE_MAX)
        return svc_fail(c, SVC_INVALID, "err_range", "scale", "scale must be 1 to %d",
                        DEMO_SCALE_MAX);
    int64_t plans[2] = {scalar(c, "SELECT coalesce(min(id), 0) + :p FROM plan "
                                  "WHERE status = 'current'", 0),
                        0};
    plans[1] = scalar(c, "SELECT coalesce(min(id), 0) FROM plan WHERE status = 'current' "
                         "AND id > :p", plans[0]);
    if (plans[0] <= 0)
        return svc_fail(c, SVC_CONFLICT, "err_conflict", NULL,
                        "import the seed plans and run `duikou demo` first");
    if (scalar(c, "SELECT count(*) FROM pairing WHERE name_a = '測試省01' AND :p = 0", 0) > 0)
        return svc_fail(c, SVC_CONFLICT, "err_conflict", NULL,
                        "this database has generated pairings already");
    struct tpl tpl[2];
    int n_tpl = plans[1] > 0 ? 2 : 1, rc;
    for (int i = 0; i < n_tpl; i++)
        if ((rc = load_template(c, plans[i], &tpl[i])) != SVC_OK)
            return rc;
    struct gen g = {.c = c, .year = current_year, .month = current_month, .out = out,
                    .now = svc_now(c)};
    out->password = user_generate_password(c);
    g.pw_hash = auth_hash_password(c, out->password);
    if (!g.pw_hash)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "hashing the password failed");
    struct marks m = {
        scalar(c, "SELECT coalesce(max(id), :p) FROM work_plan", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM work_item", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM report", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM review", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM project", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM enterprise", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM event", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM registration", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM event_outcome", 0),
        scalar(c, "SELECT coalesce(max(id), :p) FROM exchange", 0),
    };
    int total = 7 * scale;
    struct arena *keep = c->arena;
    for (int k = 1; k <= total; k++) {
        /* Each chunk's temporaries go into an arena of its own, freed after the chunk, so
         * memory stays flat at any scale; what the caller gets is copied out first. */
        struct arena scratch;
        arena_init(&scratch);
        c->arena = &scratch;
        bool first = !out->pairing, had_member = out->member_item != 0;
        rc = gen_chunk(&g, &tpl[(k - 1) % n_tpl], k, &m);
        c->arena = keep;
        if (rc == SVC_OK && first)
            out->coordinator = arena_strdup(keep, out->coordinator);
        if (rc == SVC_OK && !had_member && out->member)
            out->member = arena_strdup(keep, out->member);
        if (rc != SVC_OK) /* the message lives in scratch */
            c->error = c->error ? arena_strdup(keep, c->error) : NULL;
        arena_free(&scratch);
        if (rc != SVC_OK)
            return rc;
    }
    return SVC_OK;
}
