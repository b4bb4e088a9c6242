/* evaluation: 考核评估 (see evaluation.h). */
#include "service/evaluation.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/sb.h"
#include "service/event.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/notification.h"
#include "service/perm.h"
#include "service/reporting.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/db.h"

static int store_failed(struct ctx *c, const char *what)
{
    return svc_store_failed(c, "evaluation", what);
}

/* ---- names ------------------------------------------------------------------------------- */

static const char *const method_names[EM_N] = {
    "items_done",        "items_on_time",   "reports_on_time", "reports_first_accepted",
    "projects_progress", "investment_paid", "events_target", "exchanges", "hand"};

const char *evaluation_method_name(enum evaluation_method m)
{
    return m >= 0 && m < EM_N ? method_names[m] : "";
}

enum evaluation_method evaluation_method_from(const char *name)
{
    for (int m = 0; name && m < EM_N; m++)
        if (strcmp(name, method_names[m]) == 0)
            return (enum evaluation_method)m;
    return EM_N;
}

static const char *const stage_names[ES_N] = {"self", "opinion", "final"};

const char *evaluation_stage_name(enum evaluation_stage s)
{
    return s >= 0 && s < ES_N ? stage_names[s] : "";
}

static enum evaluation_stage stage_from(const char *name)
{
    for (int s = 0; name && s < ES_N; s++)
        if (strcmp(name, stage_names[s]) == 0)
            return (enum evaluation_stage)s;
    return ES_SELF;
}

/* The default set: the eight computations, then what only people can judge, by hand. */
static const struct {
    const char *key, *name, *evidence;
    int weight;
    enum evaluation_method method;
} defaults[] = {
    {"items_done", "ev_ind_items_done", NULL, 20, EM_ITEMS_DONE},
    {"items_on_time", "ev_ind_items_on_time", NULL, 15, EM_ITEMS_ON_TIME},
    {"reports_on_time", "ev_ind_reports_on_time", NULL, 15, EM_REPORTS_ON_TIME},
    {"reports_first_accepted", "ev_ind_reports_first_accepted", NULL, 10,
     EM_REPORTS_FIRST_ACCEPTED},
    {"projects_progress", "ev_ind_projects_progress", NULL, 10, EM_PROJECTS_PROGRESS},
    {"investment_paid", "ev_ind_investment_paid", NULL, 10, EM_INVESTMENT_PAID},
    {"events", "ev_ind_events", NULL, 5, EM_EVENTS_TARGET},
    {"exchanges", "ev_ind_exchanges", NULL, 5, EM_EXCHANGES},
    {"organisation", "ev_ind_organisation", "ev_evidence_organisation", 5, EM_HAND},
    {"innovation", "ev_ind_innovation", "ev_evidence_innovation", 5, EM_HAND},
};
enum { N_DEFAULTS = sizeof defaults / sizeof defaults[0] };

size_t evaluation_default_indicators(struct ctx *c, enum lang l,
                                     struct evaluation_indicator **out)
{
    struct evaluation_indicator *v = arena_alloc(c->arena, N_DEFAULTS * sizeof *v);
    for (size_t i = 0; i < N_DEFAULTS; i++)
        v[i] = (struct evaluation_indicator){
            .key = defaults[i].key,
            .name = i18n(l, defaults[i].name),
            .weight = defaults[i].weight,
            .method = defaults[i].method,
            .evidence = defaults[i].evidence ? i18n(l, defaults[i].evidence) : NULL};
    *out = v;
    return N_DEFAULTS;
}

/* ---- reading ----------------------------------------------------------------------------- */

static bool is_admin(const struct ctx *c)
{
    return perm_is_admin_user(c);
}

/* The reader's side in the evaluation's pairing, -1 for an admin or the command line. */
static int reader_side(const struct ctx *c)
{
    return is_admin(c) ? -1 : c->user->side;
}

static int read_row(struct ctx *c, int64_t id, struct evaluation_view *v)
{
    memset(v, 0, sizeof *v);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT e.id, e.pairing_id, e.year, e.state, e.created_at, e.updated_at, "
               "e.opened_at, e.closed_at, p.name_a, p.name_b FROM evaluation e "
               "JOIN pairing p ON p.id = e.pairing_id WHERE e.id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    if (rc == DB_ROW) {
        v->id = db_col_int64(&st, 0);
        v->pairing_id = db_col_int64(&st, 1);
        v->year = (int)db_col_int64(&st, 2);
        v->state = svc_col(c, &st, 3);
        v->created_at = svc_col(c, &st, 4);
        v->updated_at = svc_col(c, &st, 5);
        v->opened_at = svc_col(c, &st, 6);
        v->closed_at = svc_col(c, &st, 7);
        v->name_a = svc_col(c, &st, 8);
        v->name_b = svc_col(c, &st, 9);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the evaluation");
    if (rc != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no evaluation %lld",
                        (long long)id);
    return SVC_OK;
}

static int read_indicators(struct ctx *c, struct evaluation_view *v)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT key, name, weight, method, evidence FROM evaluation_indicator "
               "WHERE evaluation_id = :id ORDER BY ordinal");
    db_bind_int64(&st, ":id", v->id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct evaluation_indicator *x =
            ARRAY_PUSH(c->arena, v->indicators, v->n_indicators, cap);
        x->key = svc_col(c, &st, 0);
        x->name = svc_col(c, &st, 1);
        x->weight = (int)db_col_int64(&st, 2);
        x->method = evaluation_method_from(db_col_text(&st, 3));
        x->evidence = svc_col(c, &st, 4);
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the indicators") : SVC_OK;
}

static int indicator_index(const struct evaluation_view *v, const char *key)
{
    for (size_t i = 0; i < v->n_indicators; i++)
        if (strcmp(v->indicators[i].key, key) == 0)
            return (int)i;
    return -1;
}

static int *no_scores(struct ctx *c, size_t n)
{
    int *s = arena_alloc(c->arena, (n + 1) * sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = -1;
    return s;
}

static int read_sides(struct ctx *c, struct evaluation_view *v)
{
    for (int s = 0; s < 2; s++) {
        struct evaluation_side *x = &v->sides[s];
        x->self_scores = no_scores(c, v->n_indicators);
        x->opinion_scores = no_scores(c, v->n_indicators);
        x->final_scores = no_scores(c, v->n_indicators);
    }
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT s.side, s.stage, s.self_text, s.opinion_text, s.summary, u.login, "
               "s.confirmed_at, s.id FROM evaluation_side s LEFT JOIN users u ON u.id = s.confirmed_by "
               "WHERE s.evaluation_id = :id");
    db_bind_int64(&st, ":id", v->id);
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct evaluation_side *x = &v->sides[db_col_int64(&st, 0) ? 1 : 0];
        x->stage = stage_from(db_col_text(&st, 1));
        x->self_text = svc_col(c, &st, 2);
        x->opinion_text = svc_col(c, &st, 3);
        x->summary = svc_col(c, &st, 4);
        x->confirmed_by = svc_col(c, &st, 5);
        x->confirmed_at = svc_col(c, &st, 6);
        x->row_id = db_col_int64(&st, 7);
        if (x->confirmed_at && !x->confirmed_by)
            x->confirmed_by = "admin";
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the sides");
    db_prepare(c->db, &st,
               "SELECT side, key, step, points FROM evaluation_hand_score "
               "WHERE evaluation_id = :id");
    db_bind_int64(&st, ":id", v->id);
    while ((rc = db_step(&st)) == DB_ROW) {
        struct evaluation_side *x = &v->sides[db_col_int64(&st, 0) ? 1 : 0];
        int k = indicator_index(v, db_col_text(&st, 1));
        if (k < 0)
            continue;
        int points = (int)db_col_int64(&st, 3);
        if (strcmp(db_col_text(&st, 2), "self") == 0)
            x->self_scores[k] = points;
        else
            x->opinion_scores[k] = points;
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the hand scores");
    for (int s = 0; s < 2; s++) {
        struct evaluation_side *x = &v->sides[s];
        for (size_t k = 0; k < v->n_indicators; k++)
            x->final_scores[k] = x->opinion_scores[k] >= 0 ? x->opinion_scores[k]
                                                            : x->self_scores[k];
    }
    return SVC_OK;
}

static int read_steps(struct ctx *c, struct evaluation_view *v)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT s.id, s.side, s.action, s.text, u.login, s.at FROM evaluation_step s "
               "LEFT JOIN users u ON u.id = s.user_id WHERE s.evaluation_id = :id "
               "ORDER BY s.id");
    db_bind_int64(&st, ":id", v->id);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct evaluation_step *x = ARRAY_PUSH(c->arena, v->steps, v->n_steps, cap);
        x->id = db_col_int64(&st, 0);
        x->side = db_col_is_null(&st, 1) ? -1 : (int)db_col_int64(&st, 1);
        x->action = svc_col(c, &st, 2);
        x->text = svc_col(c, &st, 3);
        x->by = svc_col(c, &st, 4);
        x->at = svc_col(c, &st, 5);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the steps");
    db_prepare(c->db, &st,
               "SELECT unit_id FROM evaluation_commendation WHERE evaluation_id = :id "
               "ORDER BY unit_id");
    db_bind_int64(&st, ":id", v->id);
    cap = 0;
    while ((rc = db_step(&st)) == DB_ROW)
        *(int64_t *)ARRAY_PUSH(c->arena, v->commended, v->n_commended, cap) =
            db_col_int64(&st, 0);
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the commendations") : SVC_OK;
}

/* Everything of one evaluation, unchecked. */
static int read_all(struct ctx *c, int64_t id, struct evaluation_view *v)
{
    int rc = read_row(c, id, v);
    if (rc == SVC_OK)
        rc = read_indicators(c, v);
    if (rc == SVC_OK)
        rc = read_sides(c, v);
    if (rc == SVC_OK)
        rc = read_steps(c, v);
    return rc;
}

/* What the reader may not see yet: the other side's self-evaluation before it is submitted
 * (its text, its scores, its saves in the history). */
static void hide_drafts(struct ctx *c, struct evaluation_view *v)
{
    int mine = reader_side(c);
    for (int s = 0; s < 2; s++) {
        struct evaluation_side *x = &v->sides[s];
        x->self_visible = mine < 0 || mine == s || x->stage != ES_SELF ||
                          strcmp(v->state, "closed") == 0;
        if (x->self_visible)
            continue;
        x->self_text = NULL;
        x->self_scores = no_scores(c, v->n_indicators);
        x->final_scores = no_scores(c, v->n_indicators);
    }
    size_t k = 0;
    for (size_t i = 0; i < v->n_steps; i++)
        if (!(strcmp(v->steps[i].action, "save") == 0 && v->steps[i].side >= 0 &&
              !v->sides[v->steps[i].side].self_visible))
            v->steps[k++] = v->steps[i];
    v->n_steps = k;
}

int evaluation_get(struct ctx *c, int64_t id, struct evaluation_view *out)
{
    int rc = read_row(c, id, out);
    if (rc == SVC_OK && (rc = perm_read_pairing(c, out->pairing_id)) != SVC_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    if (rc == SVC_OK)
        rc = read_all(c, id, out);
    if (rc == SVC_OK)
        hide_drafts(c, out);
    return rc;
}

int evaluation_list(struct ctx *c, int64_t pairing_id, struct evaluation_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t root = perm_pairing_root(c, pairing_id);
    int rc = root ? perm_read_pairing(c, root)
                  : svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no pairing %lld",
                             (long long)pairing_id);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT e.id FROM evaluation e WHERE e.pairing_id = :p ORDER BY e.year DESC");
    db_bind_int64(&st, ":p", root);
    int64_t *ids = NULL;
    size_t n_ids = 0, cap = 0;
    while ((rc = db_step(&st)) == DB_ROW)
        *(int64_t *)ARRAY_PUSH(c->arena, ids, n_ids, cap) = db_col_int64(&st, 0);
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "listing the evaluations");
    *out = arena_alloc(c->arena, (n_ids + 1) * sizeof **out);
    for (size_t i = 0; i < n_ids; i++) {
        struct evaluation_view *v = &(*out)[i];
        if ((rc = read_row(c, ids[i], v)) != SVC_OK || (rc = read_sides(c, v)) != SVC_OK)
            return rc;
        hide_drafts(c, v);
    }
    *n = n_ids;
    return SVC_OK;
}

int64_t evaluation_current(struct ctx *c, int64_t pairing_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id FROM evaluation WHERE pairing_id = :p "
               "ORDER BY CASE WHEN state = 'open' THEN 0 ELSE 1 END, year DESC LIMIT 1");
    db_bind_int64(&st, ":p", pairing_id);
    int64_t id = db_step(&st) == DB_ROW ? db_col_int64(&st, 0) : 0;
    db_finalize(&st);
    return id;
}

/* ---- writing ----------------------------------------------------------------------------- */

void evaluation_indicators_json(struct jw *w, const struct evaluation_view *v)
{
    jw_key(w, "indicators");
    jw_arr(w);
    for (size_t i = 0; i < v->n_indicators; i++) {
        const struct evaluation_indicator *x = &v->indicators[i];
        jw_obj(w);
        jw_kstr(w, "key", x->key);
        jw_kstr(w, "name", x->name);
        jw_kint(w, "weight", x->weight);
        jw_kstr(w, "method", evaluation_method_name(x->method));
        jw_kstr(w, "evidence", x->evidence);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void audit_json(struct svc_json *j, const struct evaluation_view *v)
{
    struct jw *w = svc_json_begin(j);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kint(w, "year", v->year);
    jw_kstr(w, "state", v->state);
    evaluation_indicators_json(w, v);
    jw_key(w, "sides");
    jw_arr(w);
    for (int s = 0; s < 2 && v->sides[s].self_scores; s++) {
        const struct evaluation_side *x = &v->sides[s];
        /* Leaders of both sides read the pairing's audit log: a self-evaluation not yet
         * submitted stays out of it (its saves are in the side's own history). */
        bool draft = x->stage == ES_SELF;
        jw_obj(w);
        jw_kstr(w, "stage", evaluation_stage_name(x->stage));
        jw_kstr(w, "self_text", draft ? NULL : x->self_text);
        jw_kstr(w, "opinion_text", x->opinion_text);
        jw_kstr(w, "summary", x->summary);
        jw_kstr(w, "confirmed_at", x->confirmed_at);
        jw_key(w, "self_scores");
        jw_obj(w);
        for (size_t k = 0; k < v->n_indicators; k++)
            if (!draft && x->self_scores[k] >= 0)
                jw_kint(w, v->indicators[k].key, x->self_scores[k]);
        jw_obj_end(w);
        jw_key(w, "opinion_scores");
        jw_obj(w);
        for (size_t k = 0; k < v->n_indicators; k++)
            if (x->opinion_scores[k] >= 0)
                jw_kint(w, v->indicators[k].key, x->opinion_scores[k]);
        jw_obj_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "commended");
    jw_arr(w);
    for (size_t i = 0; i < v->n_commended; i++)
        jw_int(w, v->commended[i]);
    jw_arr_end(w);
}

/* One change of an evaluation: the caller has begun a transaction and read *before (all of
 * it); write runs the change's statements; then the updated_at moves, the step is recorded
 * (action NULL: none), the evaluation read again and audited, and everything commits. */
static int finish(struct ctx *c, const struct evaluation_view *before, const char *audit_action,
                  int side, const char *step_action, const char *step_text)
{
    const char *now = svc_now_after(c, before->updated_at);
    struct stmt st;
    db_prepare(c->db, &st, "UPDATE evaluation SET updated_at = :now WHERE id = :id");
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":id", before->id);
    int rc = db_step(&st);
    db_finalize(&st);
    if (rc >= 0 && step_action) {
        db_prepare(c->db, &st,
                   "INSERT INTO evaluation_step (evaluation_id, side, action, text, user_id, at) "
                   "VALUES (:e, :side, :action, :text, :by, :now)");
        db_bind_int64(&st, ":e", before->id);
        if (side >= 0)
            db_bind_int64(&st, ":side", side);
        else
            db_bind_null(&st, ":side");
        db_bind_text(&st, ":action", step_action);
        if (step_text)
            db_bind_text(&st, ":text", step_text);
        else
            db_bind_null(&st, ":text");
        svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
        db_bind_text(&st, ":now", now);
        rc = db_step(&st);
        db_finalize(&st);
    }
    int64_t step_id = step_action ? db_last_insert_id(c->db) : 0;
    struct evaluation_view after;
    if (rc < 0 || read_all(c, before->id, &after) != SVC_OK)
        return store_failed(c, "storing the evaluation");
    /* who must act next is told in the same transaction */
    bool closed = strcmp(after.state, "closed") == 0 && strcmp(before->state, "closed") != 0;
    bool final = strcmp(after.state, "open") == 0 && after.sides[0].stage == ES_FINAL &&
                 after.sides[1].stage == ES_FINAL &&
                 !(before->sides[0].stage == ES_FINAL && before->sides[1].stage == ES_FINAL);
    if (step_action && notification_evaluation_step(c, before->id,
                                                    closed  ? "closed"
                                                    : final ? "final"
                                                            : step_action,
                                                    side, step_id) < 0)
        return store_failed(c, "telling who acts next");
    struct svc_json jb, ja;
    audit_json(&jb, before);
    const char *b = svc_json_end(c, &jb);
    audit_json(&ja, &after);
    if (audit_append(c->db, c->actor, audit_action, "evaluation", before->id, b,
                     svc_json_end(c, &ja), c->client) < 0 ||
        db_commit(c->db) < 0)
        return store_failed(c, "storing the evaluation");
    return SVC_OK;
}

/* Coordinators of the pairing (either side) and admins: create, configure, open. */
static int may_run(struct ctx *c, int64_t root)
{
    if (is_admin(c))
        return SVC_OK;
    return perm_manage_side(c, root, c->user->side);
}

static int check_indicators(struct ctx *c, const struct evaluation_indicator *in, size_t n,
                            struct evaluation_indicator **out)
{
    if (n == 0 || n > EVALUATION_INDICATORS_MAX)
        return svc_fail(c, SVC_INVALID, "err_evaluation_indicator", "indicators",
                        "1 to %d indicators", EVALUATION_INDICATORS_MAX);
    struct evaluation_indicator *v = arena_alloc(c->arena, n * sizeof *v);
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = in[i].key ? in[i].key : "";
        size_t len = strlen(key);
        bool ok = len >= 1 && len <= 40;
        for (size_t k = 0; ok && k < len; k++)
            ok = (key[k] >= 'a' && key[k] <= 'z') || (key[k] >= '0' && key[k] <= '9') ||
                 key[k] == '_';
        for (size_t k = 0; ok && k < i; k++)
            ok = strcmp(v[k].key, key) != 0;
        if (!ok)
            return svc_fail(c, SVC_INVALID, "err_evaluation_key",
                            arena_printf(c->arena, "indicators[%zu].key", i),
                            "a key is 1–40 of a-z 0-9 _, unique: %s", key);
        v[i].key = arena_strdup(c->arena, key);
        int rc = svc_check_text(c, in[i].name, true, "err_required", EVALUATION_NAME_MAX,
                                arena_printf(c->arena, "indicators[%zu].name", i), &v[i].name);
        if (rc == SVC_OK)
            rc = svc_check_text(c, in[i].evidence, false, "err_required",
                                EVALUATION_EVIDENCE_MAX,
                                arena_printf(c->arena, "indicators[%zu].evidence", i),
                                &v[i].evidence);
        if (rc != SVC_OK)
            return rc;
        if (in[i].method < 0 || in[i].method >= EM_N)
            return svc_fail(c, SVC_INVALID, "err_evaluation_method",
                            arena_printf(c->arena, "indicators[%zu].method", i),
                            "no such method");
        if (in[i].weight < 0 || in[i].weight > 100)
            return svc_fail(c, SVC_INVALID, "err_range",
                            arena_printf(c->arena, "indicators[%zu].weight", i),
                            "a weight is 0–100");
        v[i].method = in[i].method;
        v[i].weight = in[i].weight;
        sum += in[i].weight;
    }
    if (sum != 100)
        return svc_fail(c, SVC_INVALID, "err_evaluation_weights", "indicators",
                        "the weights sum to %d, not 100", sum);
    *out = v;
    return SVC_OK;
}

static int write_indicators(struct ctx *c, int64_t id, const struct evaluation_indicator *v,
                            size_t n)
{
    struct stmt st;
    db_prepare(c->db, &st, "DELETE FROM evaluation_indicator WHERE evaluation_id = :id");
    db_bind_int64(&st, ":id", id);
    int rc = db_step(&st);
    db_finalize(&st);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        db_prepare(c->db, &st,
                   "INSERT INTO evaluation_indicator (evaluation_id, ordinal, key, name, "
                   "weight, method, evidence) VALUES (:id, :o, :key, :name, :w, :m, :ev)");
        db_bind_int64(&st, ":id", id);
        db_bind_int64(&st, ":o", (int64_t)i + 1);
        db_bind_text(&st, ":key", v[i].key);
        db_bind_text(&st, ":name", v[i].name);
        db_bind_int64(&st, ":w", v[i].weight);
        db_bind_text(&st, ":m", evaluation_method_name(v[i].method));
        if (v[i].evidence)
            db_bind_text(&st, ":ev", v[i].evidence);
        else
            db_bind_null(&st, ":ev");
        rc = db_step(&st);
        db_finalize(&st);
    }
    return rc < 0 ? rc : 0;
}

int evaluation_create(struct ctx *c, int64_t pairing_id, int year, enum lang l, int64_t *id)
{
    int64_t root = perm_pairing_root(c, pairing_id);
    if (!root)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", "pairing_id", "no pairing %lld",
                        (long long)pairing_id);
    int rc = may_run(c, root);
    if (rc != SVC_OK)
        return rc;
    if (year < 2000 || year > 2100)
        return svc_fail(c, SVC_INVALID, "err_range", "year", "a year is 2000–2100");
    struct evaluation_indicator *ind;
    size_t n = evaluation_default_indicators(c, l, &ind);
    const char *now = svc_now(c);
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the evaluation");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO evaluation (pairing_id, year, created_by, created_at, updated_at) "
               "SELECT :p, :y, :by, :now, :now WHERE NOT EXISTS "
               "(SELECT 1 FROM evaluation WHERE pairing_id = :p AND year = :y)");
    db_bind_int64(&st, ":p", root);
    db_bind_int64(&st, ":y", year);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    if (s >= 0 && db_changes(c->db) == 0) {
        db_rollback(c->db);
        return svc_fail(c, SVC_CONFLICT, "err_evaluation_exists", "year",
                        "pairing %lld has an evaluation of %d", (long long)root, year);
    }
    int64_t new_id = s >= 0 ? db_last_insert_id(c->db) : 0;
    if (s < 0 || write_indicators(c, new_id, ind, n) < 0) {
        db_rollback(c->db);
        return store_failed(c, "storing the evaluation");
    }
    struct evaluation_view before = {.id = new_id, .pairing_id = root, .year = year,
                                     .state = "none", .updated_at = now};
    if ((rc = finish(c, &before, "evaluation.create", -1, "create", NULL)) != SVC_OK) {
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = new_id;
    return SVC_OK;
}

/* Begins the transaction of a change and reads the evaluation whole; SVC_STALE when
 * if_updated_at names an older version. On failure nothing is left open. */
static int begin_change(struct ctx *c, int64_t id, const char *if_updated_at,
                        struct evaluation_view *v)
{
    if (db_begin(c->db) < 0)
        return store_failed(c, "starting the change");
    int rc = read_row(c, id, v);
    if (rc == SVC_OK)
        rc = perm_read_pairing(c, v->pairing_id);
    if (rc == SVC_OK)
        rc = read_all(c, id, v);
    if (rc == SVC_OK && if_updated_at && strcmp(if_updated_at, v->updated_at) != 0)
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "evaluation %lld changed meanwhile",
                      (long long)id);
    if (rc != SVC_OK)
        db_rollback(c->db);
    return rc;
}

static int abort_change(struct ctx *c, int rc)
{
    db_rollback(c->db);
    return rc;
}

int evaluation_set_indicators(struct ctx *c, int64_t id, const struct evaluation_indicator *in,
                              size_t n, const char *if_updated_at)
{
    struct evaluation_indicator *v = NULL;
    int rc = check_indicators(c, in, n, &v);
    struct evaluation_view old;
    if (rc != SVC_OK || (rc = begin_change(c, id, if_updated_at, &old)) != SVC_OK)
        return rc;
    if ((rc = may_run(c, old.pairing_id)) != SVC_OK)
        return abort_change(c, rc);
    if (strcmp(old.state, "draft") != 0)
        return abort_change(c, svc_fail(c, SVC_CONFLICT, "err_evaluation_locked", "indicators",
                                        "evaluation %lld is open: its indicators are locked",
                                        (long long)id));
    if (write_indicators(c, id, v, n) < 0)
        return abort_change(c, store_failed(c, "storing the indicators"));
    if ((rc = finish(c, &old, "evaluation.indicators", -1, "indicators", NULL)) != SVC_OK)
        db_rollback(c->db);
    return rc;
}

int evaluation_open(struct ctx *c, int64_t id)
{
    struct evaluation_view old;
    int rc = begin_change(c, id, NULL, &old);
    if (rc != SVC_OK)
        return rc;
    if ((rc = may_run(c, old.pairing_id)) != SVC_OK)
        return abort_change(c, rc);
    if (strcmp(old.state, "draft") != 0)
        return abort_change(c, svc_fail(c, SVC_CONFLICT, "err_evaluation_step", NULL,
                                        "evaluation %lld is %s, not a draft", (long long)id,
                                        old.state));
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE evaluation SET state = 'open', opened_at = :now WHERE id = :id");
    db_bind_text(&st, ":now", svc_now(c));
    db_bind_int64(&st, ":id", id);
    rc = db_step(&st);
    db_finalize(&st);
    for (int s = 0; rc >= 0 && s < 2; s++) {
        db_prepare(c->db, &st,
                   "INSERT INTO evaluation_side (evaluation_id, side) VALUES (:id, :s)");
        db_bind_int64(&st, ":id", id);
        db_bind_int64(&st, ":s", s);
        rc = db_step(&st);
        db_finalize(&st);
    }
    if (rc < 0)
        return abort_change(c, store_failed(c, "opening the evaluation"));
    if ((rc = finish(c, &old, "evaluation.open", -1, "open", NULL)) != SVC_OK)
        db_rollback(c->db);
    return rc;
}

/* The hand scores of a self-evaluation (every hand indicator, 0–100) or an opinion (any of
 * them, -1 none), written for step. */
static int write_scores(struct ctx *c, const struct evaluation_view *v, int side,
                        const char *step, const int *scores, bool all)
{
    for (size_t k = 0; k < v->n_indicators; k++) {
        if (v->indicators[k].method != EM_HAND)
            continue;
        int x = scores ? scores[k] : -1;
        if ((x < 0 && all) || x > 100 || x < -1)
            return svc_fail(c, SVC_INVALID, "err_evaluation_score",
                            arena_printf(c->arena, "scores.%s", v->indicators[k].key),
                            "a hand score is 0–100 (%s: %d)", v->indicators[k].key, x);
    }
    struct stmt st;
    db_prepare(c->db, &st,
               "DELETE FROM evaluation_hand_score WHERE evaluation_id = :id AND side = :s "
               "AND step = :step");
    db_bind_int64(&st, ":id", v->id);
    db_bind_int64(&st, ":s", side);
    db_bind_text(&st, ":step", step);
    int rc = db_step(&st);
    db_finalize(&st);
    for (size_t k = 0; rc >= 0 && scores && k < v->n_indicators; k++) {
        if (v->indicators[k].method != EM_HAND || scores[k] < 0)
            continue;
        db_prepare(c->db, &st,
                   "INSERT INTO evaluation_hand_score (evaluation_id, side, key, step, points) "
                   "VALUES (:id, :s, :key, :step, :p)");
        db_bind_int64(&st, ":id", v->id);
        db_bind_int64(&st, ":s", side);
        db_bind_text(&st, ":key", v->indicators[k].key);
        db_bind_text(&st, ":step", step);
        db_bind_int64(&st, ":p", scores[k]);
        rc = db_step(&st);
        db_finalize(&st);
    }
    return rc < 0 ? store_failed(c, "storing the hand scores") : SVC_OK;
}

/* UPDATE evaluation_side SET <set> for the side (set: a literal of this file). */
static int set_side(struct ctx *c, int64_t id, int side, const char *set, const char *text)
{
    struct stmt st;
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE evaluation_side SET %s WHERE evaluation_id = :id AND side = :s", set);
    db_prepare(c->db, &st, sql);
    db_bind_int64(&st, ":id", id);
    db_bind_int64(&st, ":s", side);
    if (strstr(set, ":text")) {
        if (text)
            db_bind_text(&st, ":text", text);
        else
            db_bind_null(&st, ":text");
    }
    if (strstr(set, ":by"))
        svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    if (strstr(set, ":now"))
        db_bind_text(&st, ":now", svc_now(c));
    int rc = db_step(&st);
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "storing the step") : SVC_OK;
}

static int out_of_order(struct ctx *c, const struct evaluation_view *v, const char *action,
                        int side)
{
    return svc_fail(c, SVC_CONFLICT, "err_evaluation_step", "action",
                    "%s on side %d of evaluation %lld (%s, stages %s/%s) is out of order",
                    action, side, (long long)v->id, v->state,
                    evaluation_stage_name(v->sides[0].stage),
                    evaluation_stage_name(v->sides[1].stage));
}

static int close_evaluation(struct ctx *c, struct evaluation_view *v);

int evaluation_step(struct ctx *c, int64_t id, const struct evaluation_action *a)
{
    const char *act = a->action ? a->action : "";
    int side = a->side;
    bool confirm = strcmp(act, "confirm") == 0;
    if (confirm) /* a leader confirms for its own side; an admin for both */
        side = is_admin(c) ? -1 : c->user->role == ROLE_LEADER ? c->user->side : side;
    else if (side != 0 && side != 1)
        return svc_fail(c, SVC_INVALID, "err_invalid", "side", "the side is 0 or 1");
    const char *text = NULL;
    int rc = svc_check_text(c, a->text, strcmp(act, "self") == 0 ||
                                            strcmp(act, "opinion") == 0 ||
                                            strcmp(act, "return") == 0,
                            "err_required",
                            strcmp(act, "return") == 0 ? EVALUATION_REASON_MAX
                                                       : EVALUATION_TEXT_MAX,
                            strcmp(act, "return") == 0 ? "reason" : "text", &text);
    if (rc != SVC_OK)
        return rc;
    struct evaluation_view v;
    if ((rc = begin_change(c, id, NULL, &v)) != SVC_OK)
        return rc;
    bool open = strcmp(v.state, "open") == 0;
    struct evaluation_side *x = side == 0 || side == 1 ? &v.sides[side] : NULL;
    const char *audit = arena_printf(c->arena, "evaluation.%s", act);
    if (strcmp(act, "save") == 0 || strcmp(act, "self") == 0) {
        /* the side's own lead office writes its self-evaluation */
        if ((rc = perm_manage_side(c, v.pairing_id, side)) != SVC_OK)
            return abort_change(c, rc);
        if (!open || x->stage != ES_SELF)
            return abort_change(c, out_of_order(c, &v, act, side));
        bool submit = strcmp(act, "self") == 0;
        if ((rc = write_scores(c, &v, side, "self", a->scores, submit)) != SVC_OK ||
            (rc = set_side(c, id, side,
                           submit ? "self_text = :text, stage = 'opinion', opinion_text = NULL"
                                  : "self_text = :text",
                           text)) != SVC_OK)
            return abort_change(c, rc);
        if (submit && (rc = write_scores(c, &v, side, "opinion", NULL, false)) != SVC_OK)
            return abort_change(c, rc);
    } else if (strcmp(act, "opinion") == 0) {
        /* the other side's lead office */
        if ((rc = perm_manage_side(c, v.pairing_id, 1 - side)) != SVC_OK)
            return abort_change(c, rc);
        if (!open || x->stage != ES_OPINION)
            return abort_change(c, out_of_order(c, &v, act, side));
        if ((rc = write_scores(c, &v, side, "opinion", a->scores, false)) != SVC_OK ||
            (rc = set_side(c, id, side, "opinion_text = :text, stage = 'final'", text)) !=
                SVC_OK)
            return abort_change(c, rc);
    } else if (strcmp(act, "return") == 0) {
        /* at the opinion: the other side's coordinator sends the self-evaluation back; at the
         * confirmation: a leader (an admin) sends a side back to self or opinion */
        bool at_opinion = open && x->stage == ES_OPINION;
        bool at_final = open && v.sides[0].stage == ES_FINAL && v.sides[1].stage == ES_FINAL;
        enum evaluation_stage to = at_opinion ? ES_SELF : a->to_stage;
        if (at_opinion)
            rc = perm_manage_side(c, v.pairing_id, 1 - side);
        else if (!is_admin(c) && c->user->role != ROLE_LEADER)
            rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "leaders return a side");
        if (rc != SVC_OK)
            return abort_change(c, rc);
        if (!at_opinion && (!at_final || (to != ES_SELF && to != ES_OPINION)))
            return abort_change(c, out_of_order(c, &v, act, side));
        rc = set_side(c, id, side, to == ES_SELF ? "stage = 'self'" : "stage = 'opinion'",
                      NULL);
        for (int s = 0; rc == SVC_OK && s < 2; s++)
            rc = set_side(c, id, s, "confirmed_by = NULL, confirmed_at = NULL", NULL);
        if (rc != SVC_OK)
            return abort_change(c, rc);
    } else if (strcmp(act, "confirm") == 0) {
        /* each side's leadership, or an admin for both */
        if (!is_admin(c) && c->user->role != ROLE_LEADER)
            return abort_change(c, svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                                            "leaders confirm an evaluation"));
        if (!open || v.sides[0].stage != ES_FINAL || v.sides[1].stage != ES_FINAL ||
            (side >= 0 && v.sides[side].confirmed_at))
            return abort_change(c, out_of_order(c, &v, act, side));
        for (int s = 0; rc == SVC_OK && s < 2; s++) /* an admin: what is not yet confirmed */
            if (side < 0 ? !v.sides[s].confirmed_at : s == side)
                rc = set_side(c, id, s, "confirmed_by = :by, confirmed_at = :now", NULL);
        bool both = side < 0 || v.sides[1 - side].confirmed_at;
        if (rc == SVC_OK && both)
            rc = close_evaluation(c, &v);
        if (rc != SVC_OK)
            return abort_change(c, rc);
    } else if (strcmp(act, "summary") == 0) {
        if ((rc = perm_manage_side(c, v.pairing_id, side)) != SVC_OK)
            return abort_change(c, rc);
        if (strcmp(v.state, "draft") == 0)
            return abort_change(c, out_of_order(c, &v, act, side));
        if ((rc = set_side(c, id, side, "summary = :text", text)) != SVC_OK)
            return abort_change(c, rc);
    } else {
        return abort_change(c, svc_fail(c, SVC_INVALID, "err_evaluation_action", "action",
                                        "no such step: %s", act));
    }
    if ((rc = finish(c, &v, audit, side, act, text)) != SVC_OK)
        db_rollback(c->db);
    return rc;
}

/* ---- scores ------------------------------------------------------------------------------ */

struct ev_item {
    int64_t id, unit, lineage, task_number;
    int side;
    const char *title;
    bool done, on_time;
};

struct ev_period { /* an item's report period */
    int64_t item, unit, lineage, task_number, report, reviewed_report;
    int side;
    const char *label, *period;
    bool due_passed, on_time;
    int first_review; /* -1 none yet, 0 returned, 1 accepted */
};

struct ev_project {
    int64_t id, city, contracted, paid;
    int side;
    const char *name;
    int64_t *units;
    size_t n_units;
    bool progressed;
};

struct ev_city {
    int64_t id, lineage, task_number;
    const char *name;
};

struct ev_event { /* a docking event held in the year */
    int64_t id, attended, target; /* target -1: none */
    int side;                     /* the host side */
    const char *title;
    int64_t *units, *cities;      /* its organising units and city pairings */
    size_t n_units, n_cities;
};

struct ev_exchange { /* a secondment or a training of the year */
    int64_t id, from_unit, host_unit;
    int side;
    bool training;
    const char *title;
};

struct ev_data {
    struct ev_item *items;
    size_t n_items;
    struct ev_period *periods;
    size_t n_periods;
    struct ev_project *projects;
    size_t n_projects;
    struct ev_city *cities;
    size_t n_cities;
    struct ev_event *events;
    size_t n_events;
    struct ev_exchange *exchanges;
    size_t n_exchanges;
    struct { int64_t id; int side; const char *name; } *units;
    size_t n_units;
    char today[11];
};

/* A scope: which records count. */
struct ev_scope {
    int kind; /* 0 side, 1 unit, 2 city */
    int64_t id;
    const struct ev_city *city;
};

static bool city_has(const struct ev_city *g, int64_t lineage, int64_t task_number)
{
    return g->lineage == lineage && g->task_number == task_number && task_number > 0;
}

static bool item_in(const struct ev_scope *s, int side, int64_t unit, int64_t lineage,
                    int64_t task_number)
{
    switch (s->kind) {
    case 0:
        return side == s->id;
    case 1:
        return unit == s->id;
    default:
        return city_has(s->city, lineage, task_number);
    }
}

static bool project_in(const struct ev_scope *s, const struct ev_project *p)
{
    switch (s->kind) {
    case 0:
        return p->side == s->id;
    case 1:
        for (size_t i = 0; i < p->n_units; i++)
            if (p->units[i] == s->id)
                return true;
        return false;
    default:
        return p->city == s->city->id;
    }
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static bool event_in(const struct ev_scope *s, const struct ev_event *e)
{
    switch (s->kind) {
    case 0:
        return e->side == s->id;
    case 1:
        return has_id(e->units, e->n_units, s->id);
    default:
        return has_id(e->cities, e->n_cities, s->city->id);
    }
}

/* An exchange counts for its side, and for a unit that sent or hosted it; a city pairing has
 * none of its own. */
static bool exchange_in(const struct ev_scope *s, const struct ev_exchange *x)
{
    switch (s->kind) {
    case 0:
        return x->side == s->id;
    case 1:
        return x->from_unit == s->id || x->host_unit == s->id;
    default:
        return false;
    }
}

static void add_input(struct ctx *c, struct evaluation_points *p, size_t *cap, const char *kind,
                      int64_t id, const char *label, const char *period, bool counted,
                      int64_t amount)
{
    struct evaluation_input *in = ARRAY_PUSH(c->arena, p->inputs, p->n_inputs, *cap);
    *in = (struct evaluation_input){.kind = kind, .id = id, .label = label, .period = period,
                                    .counted = counted, .amount = amount};
}

/* The points of a computed indicator in scope. */
static void compute(struct ctx *c, const struct ev_data *d, const struct ev_scope *s,
                    enum evaluation_method m, struct evaluation_points *p)
{
    size_t cap = 0;
    switch (m) {
    case EM_ITEMS_DONE:
    case EM_ITEMS_ON_TIME:
        for (size_t i = 0; i < d->n_items; i++) {
            const struct ev_item *x = &d->items[i];
            if (!item_in(s, x->side, x->unit, x->lineage, x->task_number))
                continue;
            bool yes = m == EM_ITEMS_DONE ? x->done : x->on_time;
            add_input(c, p, &cap, "work_item", x->id, x->title, NULL, yes, 0);
            p->num += yes;
            p->den++;
        }
        break;
    case EM_REPORTS_ON_TIME:
    case EM_REPORTS_FIRST_ACCEPTED:
        for (size_t i = 0; i < d->n_periods; i++) {
            const struct ev_period *x = &d->periods[i];
            if (!item_in(s, x->side, x->unit, x->lineage, x->task_number))
                continue;
            if (m == EM_REPORTS_ON_TIME) {
                if (!x->due_passed)
                    continue;
                add_input(c, p, &cap, x->report ? "report" : "work_item",
                          x->report ? x->report : x->item, x->label, x->period, x->on_time, 0);
                p->num += x->on_time;
            } else {
                if (x->first_review < 0)
                    continue;
                add_input(c, p, &cap, "report", x->reviewed_report, x->label, x->period,
                          x->first_review == 1, 0);
                p->num += x->first_review == 1;
            }
            p->den++;
        }
        break;
    case EM_PROJECTS_PROGRESS:
        for (size_t i = 0; i < d->n_projects; i++) {
            const struct ev_project *x = &d->projects[i];
            if (!project_in(s, x))
                continue;
            add_input(c, p, &cap, "project", x->id, x->name, NULL, x->progressed, 0);
            p->num += x->progressed;
            p->den++;
        }
        break;
    case EM_INVESTMENT_PAID:
        for (size_t i = 0; i < d->n_projects; i++) {
            const struct ev_project *x = &d->projects[i];
            if (!project_in(s, x) || x->contracted <= 0)
                continue;
            int64_t paid = x->paid < x->contracted ? x->paid : x->contracted;
            add_input(c, p, &cap, "project", x->id, x->name, NULL, paid > 0, x->contracted);
            p->num += paid;
            p->den += x->contracted;
        }
        break;
    case EM_EVENTS_TARGET:
        /* "协调不少于50家企业参与": an event met its target when that many enterprises came
         * (without a target, when any came) */
        for (size_t i = 0; i < d->n_events; i++) {
            const struct ev_event *x = &d->events[i];
            if (!event_in(s, x))
                continue;
            bool met = x->target > 0 ? x->attended >= x->target : x->attended > 0;
            add_input(c, p, &cap, "event", x->id, x->title, NULL, met, 0);
            p->num += met;
            p->den++;
        }
        break;
    case EM_EXCHANGES: {
        /* "形成常态化干部交流和人才培训机制": cadres seconded and people trained in the year,
         * one half each; a unit without any exchange is not judged on it */
        bool seconded = false, trained = false, any = false;
        for (size_t i = 0; i < d->n_exchanges; i++) {
            const struct ev_exchange *x = &d->exchanges[i];
            if (!exchange_in(s, x))
                continue;
            add_input(c, p, &cap, "exchange", x->id, x->title, NULL, true, 0);
            any = true;
            *(x->training ? &trained : &seconded) = true;
        }
        if (s->kind == 0 || any) {
            p->num = seconded + trained;
            p->den = 2;
        }
        break;
    }
    default:
        break;
    }
    p->applies = p->den > 0;
    p->value = p->den > 0 ? (double)p->num / (double)p->den : 0;
}

/* Rounds to two decimals, so the stored, shown and summed figures agree. */
static double round_to(double x, double scale)
{
    return (double)(int64_t)(x * scale + (x >= 0 ? 0.5 : -0.5)) / scale;
}

static double round2(double x)
{
    return round_to(x, 100.0);
}

static void score_scope(struct ctx *c, const struct evaluation_view *v, const struct ev_data *d,
                        const struct ev_scope *s, struct evaluation_score *out)
{
    out->points = arena_alloc(c->arena, (v->n_indicators + 1) * sizeof *out->points);
    double points = 0, weights = 0;
    for (size_t k = 0; k < v->n_indicators; k++) {
        const struct evaluation_indicator *ind = &v->indicators[k];
        struct evaluation_points *p = &out->points[k];
        p->key = ind->key;
        p->weight = ind->weight;
        if (ind->method == EM_HAND) {
            /* a side's own; a unit its side's; a city the mean of the sides' */
            int a = v->sides[0].final_scores[k], b = v->sides[1].final_scores[k];
            int sides = s->kind == 2 ? -1 : s->kind == 0 ? (int)s->id : out->side;
            int64_t sum = 0, n = 0;
            if ((sides < 0 || sides == 0) && a >= 0)
                sum += a, n++;
            if ((sides < 0 || sides == 1) && b >= 0)
                sum += b, n++;
            p->applies = n > 0;
            p->num = sum;
            p->den = n * 100;
            p->value = n ? (double)sum / (double)(n * 100) : 0;
        } else {
            compute(c, d, s, ind->method, p);
        }
        p->value = round_to(p->value, 10000.0);
        p->points = p->applies ? round2(p->value * ind->weight) : 0;
        out->ranked = out->ranked || (p->applies && ind->method != EM_HAND);
        if (p->applies) {
            points += p->points;
            weights += ind->weight;
        }
    }
    out->score = weights > 0 ? round2(points * 100.0 / weights) : 0;
}

static int by_score(const void *a, const void *b)
{
    const struct evaluation_score *x = a, *y = b;
    if (x->ranked != y->ranked)
        return x->ranked ? -1 : 1;
    if (x->ranked && x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void rank(struct evaluation_score *s, size_t n)
{
    qsort(s, n, sizeof *s, by_score);
    for (size_t i = 0; i < n; i++)
        s[i].rank = !s[i].ranked                                  ? 0
                    : i > 0 && s[i].score == s[i - 1].score ? s[i - 1].rank
                                                            : (int)i + 1;
}

static int load_items(struct ctx *c, int64_t plan, struct ev_data *d)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT x.id, x.title, x.owner_unit_id, u.side, x.due, t.number, tp.lineage, "
               "(SELECT lr.status FROM report lr JOIN review lv ON lv.report_id = lr.id "
               " WHERE lr.work_item_id = x.id AND lv.decision = 'accepted' "
               " ORDER BY lr.id DESC LIMIT 1), "
               "(SELECT lr.period FROM report lr JOIN review lv ON lv.report_id = lr.id "
               " WHERE lr.work_item_id = x.id AND lv.decision = 'accepted' "
               " ORDER BY lr.id DESC LIMIT 1) "
               "FROM work_item x JOIN unit u ON u.id = x.owner_unit_id "
               "LEFT JOIN task t ON t.id = x.task_id LEFT JOIN plan tp ON tp.id = t.plan_id "
               "WHERE x.work_plan_id = :w AND x.removed_at IS NULL ORDER BY x.id");
    db_bind_int64(&st, ":w", plan);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct ev_item *x = ARRAY_PUSH(c->arena, d->items, d->n_items, cap);
        x->id = db_col_int64(&st, 0);
        x->title = svc_col(c, &st, 1);
        x->unit = db_col_int64(&st, 2);
        x->side = (int)db_col_int64(&st, 3);
        const char *due = db_col_text(&st, 4);
        x->task_number = db_col_int64(&st, 5);
        x->lineage = db_col_int64(&st, 6);
        const char *acc = db_col_text(&st, 7);
        x->done = acc && strcmp(acc, "done") == 0;
        if (x->done) {
            /* done in the period that holds its due day, or before: the report that says
             * done speaks for its period, whenever in the next month it was written */
            const char *period = db_col_text(&st, 8);
            char start[11];
            int y = 0, k = 0;
            if (period && sscanf(period, "%4d-Q%d", &y, &k) == 2)
                snprintf(start, sizeof start, "%04u-%02u-01", (unsigned)y % 10000u,
                         (unsigned)(k * 3 - 2) % 100u);
            else
                snprintf(start, sizeof start, "%.7s-01", period ? period : "");
            x->on_time = strcmp(start, due) <= 0;
        } else {
            x->on_time = strcmp(due, d->today) >= 0;
        }
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the items") : SVC_OK;
}

static const struct ev_item *find_item(const struct ev_data *d, int64_t id)
{
    size_t lo = 0, hi = d->n_items;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->items[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->n_items && d->items[lo].id == id ? &d->items[lo] : NULL;
}

/* The report periods: every period of every item the calendar expects (reporting_grid), with
 * the first report that covers it (on time?) and the first reviewed one (accepted?). */
static int load_periods(struct ctx *c, int64_t root, int year, struct ev_data *d)
{
    struct reporting_grid g; /* every unit's, whoever reads */
    int rc = reporting_grid_all(c, root, year, &g);
    if (rc != SVC_OK)
        return rc;
    struct rep {
        int64_t id, item;
        const char *period, *decision;
        char day[11];
    } *reps = NULL;
    size_t n_reps = 0, cap = 0;
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT r.id, r.work_item_id, r.period, r.at, v.decision FROM report r "
               "JOIN work_item x ON x.id = r.work_item_id LEFT JOIN review v "
               "ON v.report_id = r.id WHERE x.work_plan_id = :w AND x.removed_at IS NULL "
               "ORDER BY r.work_item_id, r.id");
    db_bind_int64(&st, ":w", g.work_plan_id);
    while ((rc = db_step(&st)) == DB_ROW) {
        struct rep *r = ARRAY_PUSH(c->arena, reps, n_reps, cap);
        r->id = db_col_int64(&st, 0);
        r->item = db_col_int64(&st, 1);
        r->period = svc_col(c, &st, 2);
        reporting_local_date(db_col_text(&st, 3), r->day);
        r->decision = svc_col(c, &st, 4);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the reports");
    size_t pcap = 0;
    for (size_t i = 0; i < g.n_items; i++) {
        const struct reporting_item_row *row = &g.items[i];
        const struct ev_item *it = find_item(d, row->item_id);
        if (!it)
            continue;
        size_t r0 = 0, hi = n_reps; /* the item's first report: reps are by item, then id */
        while (r0 < hi) {
            size_t mid = (r0 + hi) / 2;
            if (reps[mid].item < row->item_id)
                r0 = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = 0; k < g.n_periods; k++) {
            enum report_state state = row->states[k];
            if (state == RS_NONE)
                continue;
            const struct reporting_period *per = &g.periods[k];
            struct ev_period *x = ARRAY_PUSH(c->arena, d->periods, d->n_periods, pcap);
            x->item = it->id;
            x->unit = it->unit;
            x->side = it->side;
            x->lineage = it->lineage;
            x->task_number = it->task_number;
            x->period = arena_strdup(c->arena, per->name);
            x->label = it->title;
            x->due_passed = strcmp(per->due, g.today) < 0;
            x->first_review = -1;
            for (size_t r = r0; r < n_reps && reps[r].item == it->id; r++) {
                if (!reporting_covers(reps[r].period, per, g.quarterly))
                    continue;
                if (!x->report) {
                    x->report = reps[r].id;
                    x->on_time = strcmp(reps[r].day, per->due) <= 0;
                }
                if (reps[r].decision && x->first_review < 0) {
                    x->reviewed_report = reps[r].id;
                    x->first_review = strcmp(reps[r].decision, "accepted") == 0;
                }
            }
        }
    }
    return SVC_OK;
}

static int load_projects(struct ctx *c, int64_t root, int year, struct ev_data *d)
{
    char first[11], last[11];
    snprintf(first, sizeof first, "%04u-01-01", (unsigned)year % 10000u);
    snprintf(last, sizeof last, "%04u-12-31", (unsigned)year % 10000u);
    /* the projects of the year: begun by its end, and not stopped before it began */
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT o.id, o.name, o.side, o.city_pairing_id, o.stage, o.invest_contracted, "
               "o.invest_paid FROM project o WHERE o.pairing_id = :p "
               "AND (SELECT min(s.on_date) FROM project_stage s WHERE s.project_id = o.id) "
               "<= :last AND NOT (o.stage = 'stopped' AND o.stage_on < :first) ORDER BY o.id");
    db_bind_int64(&st, ":p", root);
    db_bind_text(&st, ":first", first);
    db_bind_text(&st, ":last", last);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        const char *stage = db_col_text(&st, 4);
        if (strcmp(stage, "stopped") == 0)
            continue;
        struct ev_project *x = ARRAY_PUSH(c->arena, d->projects, d->n_projects, cap);
        x->id = db_col_int64(&st, 0);
        x->name = svc_col(c, &st, 1);
        x->side = (int)db_col_int64(&st, 2);
        x->city = db_col_int64(&st, 3);
        x->progressed = strcmp(stage, "negotiating") != 0;
        x->contracted = db_col_int64(&st, 5);
        x->paid = db_col_int64(&st, 6);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the projects");
    for (size_t i = 0; i < d->n_projects; i++) {
        struct ev_project *x = &d->projects[i];
        db_prepare(c->db, &st,
                   "SELECT DISTINCT unit_id FROM project_partner WHERE project_id = :id "
                   "AND unit_id IS NOT NULL");
        db_bind_int64(&st, ":id", x->id);
        size_t ucap = 0;
        while ((rc = db_step(&st)) == DB_ROW)
            *(int64_t *)ARRAY_PUSH(c->arena, x->units, x->n_units, ucap) =
                db_col_int64(&st, 0);
        db_finalize(&st);
        if (rc < 0)
            return store_failed(c, "reading the partners");
    }
    return SVC_OK;
}

/* The year's held docking events with what they need, and its secondments and trainings. */
static int load_events(struct ctx *c, int64_t root, int year, struct ev_data *d)
{
    struct event_filter f = {.pairing_id = root, .year = year, .kind = "docking", .when = 2};
    struct event_view *ev;
    size_t n;
    int rc = event_list(c, &f, &ev, &n);
    if (rc != SVC_OK)
        return rc;
    d->events = arena_alloc(c->arena, (n + 1) * sizeof *d->events);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ev[i].state, "cancelled") == 0)
            continue;
        struct ev_event *x = &d->events[d->n_events++];
        *x = (struct ev_event){.id = ev[i].id, .attended = ev[i].attended_enterprises,
                               .target = ev[i].target_enterprises, .side = ev[i].host_side,
                               .title = ev[i].title};
        x->units = arena_alloc(c->arena, (ev[i].n_units + 1) * sizeof *x->units);
        for (size_t k = 0; k < ev[i].n_units; k++)
            x->units[x->n_units++] = ev[i].units[k].id;
        x->cities = arena_alloc(c->arena, (ev[i].n_cities + 1) * sizeof *x->cities);
        for (size_t k = 0; k < ev[i].n_cities; k++)
            x->cities[x->n_cities++] = ev[i].cities[k].id;
    }
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT id, coalesce(from_unit_id, 0), coalesce(host_unit_id, 0), side, kind, "
               "title FROM exchange WHERE pairing_id = :p AND year = :y AND kind IN "
               "('secondment', 'training') ORDER BY id");
    db_bind_int64(&st, ":p", root);
    db_bind_int64(&st, ":y", year);
    size_t cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct ev_exchange *x = ARRAY_PUSH(c->arena, d->exchanges, d->n_exchanges, cap);
        x->id = db_col_int64(&st, 0);
        x->from_unit = db_col_int64(&st, 1);
        x->host_unit = db_col_int64(&st, 2);
        x->side = (int)db_col_int64(&st, 3);
        x->training = strcmp(db_col_text(&st, 4), "training") == 0;
        x->title = svc_col(c, &st, 5);
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the exchanges") : SVC_OK;
}

static int load_scopes(struct ctx *c, int64_t root, struct ev_data *d)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT g.id, g.name_a, g.name_b, gp.lineage, g.task_number FROM pairing g "
               "JOIN plan gp ON gp.id = g.plan_id WHERE g.parent_id = :p ORDER BY g.id");
    db_bind_int64(&st, ":p", root);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(&st)) == DB_ROW) {
        struct ev_city *x = ARRAY_PUSH(c->arena, d->cities, d->n_cities, cap);
        x->id = db_col_int64(&st, 0);
        x->name = arena_printf(c->arena, "%s–%s", db_col_text(&st, 1), db_col_text(&st, 2));
        x->lineage = db_col_int64(&st, 3);
        x->task_number = db_col_int64(&st, 4);
    }
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the city pairings");
    db_prepare(c->db, &st,
               "SELECT id, side, name FROM unit WHERE pairing_id = :p ORDER BY side, name");
    db_bind_int64(&st, ":p", root);
    cap = 0;
    while ((rc = db_step(&st)) == DB_ROW) {
        int64_t id = db_col_int64(&st, 0);
        bool has = false;
        for (size_t i = 0; !has && i < d->n_items; i++)
            has = d->items[i].unit == id;
        for (size_t i = 0; !has && i < d->n_projects; i++)
            for (size_t k = 0; !has && k < d->projects[i].n_units; k++)
                has = d->projects[i].units[k] == id;
        for (size_t i = 0; !has && i < d->n_events; i++)
            has = has_id(d->events[i].units, d->events[i].n_units, id);
        if (!has)
            continue;
        ARRAY_PUSH(c->arena, d->units, d->n_units, cap);
        d->units[d->n_units - 1].id = id;
        d->units[d->n_units - 1].side = (int)db_col_int64(&st, 1);
        d->units[d->n_units - 1].name = svc_col(c, &st, 2);
    }
    db_finalize(&st);
    return rc < 0 ? store_failed(c, "reading the units") : SVC_OK;
}

static int live_scores(struct ctx *c, const struct evaluation_view *v,
                       struct evaluation_scores *out)
{
    memset(out, 0, sizeof *out);
    struct ev_data d;
    memset(&d, 0, sizeof d);
    char soon[11];
    light_today(d.today, soon);
    int64_t plan = 0;
    struct stmt st;
    db_prepare(c->db, &st, "SELECT id FROM work_plan WHERE pairing_id = :p AND year = :y");
    db_bind_int64(&st, ":p", v->pairing_id);
    db_bind_int64(&st, ":y", v->year);
    if (db_step(&st) == DB_ROW)
        plan = db_col_int64(&st, 0);
    db_finalize(&st);
    int rc = SVC_OK;
    if (plan && (rc = load_items(c, plan, &d)) == SVC_OK)
        rc = load_periods(c, v->pairing_id, v->year, &d);
    if (rc == SVC_OK)
        rc = load_projects(c, v->pairing_id, v->year, &d);
    if (rc == SVC_OK)
        rc = load_events(c, v->pairing_id, v->year, &d);
    if (rc == SVC_OK)
        rc = load_scopes(c, v->pairing_id, &d);
    if (rc != SVC_OK)
        return rc;
    out->as_of = arena_strdup(c->arena, d.today);
    for (int s = 0; s < 2; s++) {
        struct ev_scope scope = {.kind = 0, .id = s};
        struct evaluation_score *x = &out->sides[s];
        x->scope = "side";
        x->id = s;
        x->side = s;
        x->name = s ? v->name_b : v->name_a;
        score_scope(c, v, &d, &scope, x);
    }
    out->sides[0].ranked = out->sides[1].ranked = true;
    out->sides[0].rank = out->sides[0].score >= out->sides[1].score ? 1 : 2;
    out->sides[1].rank = out->sides[1].score >= out->sides[0].score ? 1 : 2;
    out->n_units = d.n_units;
    out->units = arena_alloc(c->arena, (d.n_units + 1) * sizeof *out->units);
    for (size_t i = 0; i < d.n_units; i++) {
        struct ev_scope scope = {.kind = 1, .id = d.units[i].id};
        struct evaluation_score *x = &out->units[i];
        x->scope = "unit";
        x->id = d.units[i].id;
        x->side = d.units[i].side;
        x->name = d.units[i].name;
        score_scope(c, v, &d, &scope, x);
    }
    rank(out->units, out->n_units);
    out->n_cities = d.n_cities;
    out->cities = arena_alloc(c->arena, (d.n_cities + 1) * sizeof *out->cities);
    for (size_t i = 0; i < d.n_cities; i++) {
        struct ev_scope scope = {.kind = 2, .id = d.cities[i].id, .city = &d.cities[i]};
        struct evaluation_score *x = &out->cities[i];
        x->scope = "city";
        x->id = d.cities[i].id;
        x->side = -1;
        x->name = d.cities[i].name;
        score_scope(c, v, &d, &scope, x);
    }
    rank(out->cities, out->n_cities);
    return SVC_OK;
}

/* ---- the stored form: the API's JSON -------------------------------------------------------*/

static void score_json(struct jw *w, const struct evaluation_score *s)
{
    jw_obj(w);
    jw_kstr(w, "scope", s->scope);
    if (strcmp(s->scope, "unit") == 0)
        jw_kint(w, "unit_id", s->id);
    jw_kint(w, "id", s->id);
    jw_kint(w, "side", s->side);
    jw_kstr(w, "name", s->name);
    jw_key(w, "score");
    jw_double(w, s->score);
    jw_kint(w, "rank", s->rank);
    jw_kbool(w, "ranked", s->ranked);
    jw_kbool(w, "commended", s->commended);
    jw_key(w, "indicators");
    jw_arr(w);
    for (size_t k = 0; s->points && s->points[k].key; k++) {
        const struct evaluation_points *p = &s->points[k];
        jw_obj(w);
        jw_kstr(w, "key", p->key);
        jw_kint(w, "weight", p->weight);
        jw_kbool(w, "applies", p->applies);
        jw_key(w, "value");
        jw_double(w, p->value);
        jw_key(w, "points");
        jw_double(w, p->points);
        jw_kint(w, "num", p->num);
        jw_kint(w, "den", p->den);
        jw_key(w, "inputs");
        jw_arr(w);
        for (size_t i = 0; i < p->n_inputs; i++) {
            const struct evaluation_input *in = &p->inputs[i];
            jw_obj(w);
            jw_kstr(w, "kind", in->kind);
            jw_kint(w, "id", in->id);
            jw_kstr(w, "label", in->label);
            if (in->period)
                jw_kstr(w, "period", in->period);
            jw_kbool(w, "counted", in->counted);
            if (in->amount)
                jw_kint(w, "amount", in->amount);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void evaluation_scores_json(struct jw *w, const struct evaluation_scores *s)
{
    jw_kstr(w, "as_of", s->as_of);
    jw_kbool(w, "frozen", s->frozen);
    jw_key(w, "sides");
    jw_arr(w);
    for (int i = 0; i < 2; i++)
        score_json(w, &s->sides[i]);
    jw_arr_end(w);
    jw_key(w, "scores");
    jw_arr(w);
    for (size_t i = 0; i < s->n_units; i++)
        score_json(w, &s->units[i]);
    jw_arr_end(w);
    jw_key(w, "cities");
    jw_arr(w);
    for (size_t i = 0; i < s->n_cities; i++)
        score_json(w, &s->cities[i]);
    jw_arr_end(w);
}

static const char *jstr(struct ctx *c, json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? arena_strdup(c->arena, s) : NULL;
}

static void score_read(struct ctx *c, json_t *o, size_t n_ind, struct evaluation_score *s)
{
    s->scope = jstr(c, o, "scope");
    s->id = json_integer_value(json_object_get(o, "id"));
    s->side = (int)json_integer_value(json_object_get(o, "side"));
    s->name = jstr(c, o, "name");
    s->score = json_number_value(json_object_get(o, "score"));
    s->rank = (int)json_integer_value(json_object_get(o, "rank"));
    s->ranked = json_is_true(json_object_get(o, "ranked"));
    json_t *a = json_object_get(o, "indicators");
    size_t n = json_array_size(a) < n_ind ? json_array_size(a) : n_ind;
    s->points = arena_alloc(c->arena, (n_ind + 1) * sizeof *s->points);
    for (size_t k = 0; k < n; k++) {
        json_t *x = json_array_get(a, k);
        struct evaluation_points *p = &s->points[k];
        p->key = jstr(c, x, "key");
        p->weight = (int)json_integer_value(json_object_get(x, "weight"));
        p->applies = json_is_true(json_object_get(x, "applies"));
        p->value = json_number_value(json_object_get(x, "value"));
        p->points = json_number_value(json_object_get(x, "points"));
        p->num = json_integer_value(json_object_get(x, "num"));
        p->den = json_integer_value(json_object_get(x, "den"));
        json_t *ins = json_object_get(x, "inputs");
        p->n_inputs = json_array_size(ins);
        p->inputs = arena_alloc(c->arena, (p->n_inputs + 1) * sizeof *p->inputs);
        for (size_t i = 0; i < p->n_inputs; i++) {
            json_t *y = json_array_get(ins, i);
            p->inputs[i] = (struct evaluation_input){
                .kind = jstr(c, y, "kind"),
                .id = json_integer_value(json_object_get(y, "id")),
                .label = jstr(c, y, "label"),
                .period = jstr(c, y, "period"),
                .counted = json_is_true(json_object_get(y, "counted")),
                .amount = json_integer_value(json_object_get(y, "amount"))};
        }
    }
}

static int stored_scores(struct ctx *c, const struct evaluation_view *v, const char *text,
                         struct evaluation_scores *out)
{
    json_t *o = json_loads(text, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "evaluation %lld: bad scores",
                        (long long)v->id);
    }
    out->as_of = jstr(c, o, "as_of");
    out->frozen = true;
    json_t *a = json_object_get(o, "sides");
    for (size_t i = 0; i < 2 && i < json_array_size(a); i++)
        score_read(c, json_array_get(a, i), v->n_indicators, &out->sides[i]);
    a = json_object_get(o, "scores");
    out->n_units = json_array_size(a);
    out->units = arena_alloc(c->arena, (out->n_units + 1) * sizeof *out->units);
    for (size_t i = 0; i < out->n_units; i++)
        score_read(c, json_array_get(a, i), v->n_indicators, &out->units[i]);
    a = json_object_get(o, "cities");
    out->n_cities = json_array_size(a);
    out->cities = arena_alloc(c->arena, (out->n_cities + 1) * sizeof *out->cities);
    for (size_t i = 0; i < out->n_cities; i++)
        score_read(c, json_array_get(a, i), v->n_indicators, &out->cities[i]);
    json_decref(o);
    return SVC_OK;
}

int evaluation_scores(struct ctx *c, const struct evaluation_view *v,
                      struct evaluation_scores *out)
{
    memset(out, 0, sizeof *out);
    struct stmt st;
    db_prepare(c->db, &st, "SELECT scores FROM evaluation WHERE id = :id");
    db_bind_int64(&st, ":id", v->id);
    int rc = db_step(&st);
    const char *stored = rc == DB_ROW ? svc_col(c, &st, 0) : NULL;
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the scores");
    rc = stored ? stored_scores(c, v, stored, out) : live_scores(c, v, out);
    for (size_t i = 0; rc == SVC_OK && i < out->n_units; i++)
        for (size_t k = 0; k < v->n_commended; k++)
            if (out->units[i].id == v->commended[k])
                out->units[i].commended = true;
    return rc;
}

const struct evaluation_score *evaluation_unit(const struct evaluation_scores *s,
                                               int64_t unit_id)
{
    for (size_t i = 0; i < s->n_units; i++)
        if (s->units[i].id == unit_id)
            return &s->units[i];
    return NULL;
}

/* Both leaderships have confirmed: the figures as of now, with the final hand scores, are
 * stored, and the evaluation closes. Inside the caller's transaction. */
static int close_evaluation(struct ctx *c, struct evaluation_view *v)
{
    struct evaluation_view now;
    int rc = read_all(c, v->id, &now); /* with this step's confirmations */
    struct evaluation_scores s;
    if (rc != SVC_OK || (rc = live_scores(c, &now, &s)) != SVC_OK)
        return rc;
    struct sb b = SB_INIT;
    struct jw w;
    jw_init(&w, &b, false);
    jw_obj(&w);
    evaluation_scores_json(&w, &s);
    jw_obj_end(&w);
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE evaluation SET state = 'closed', closed_at = :now, scores = :s "
               "WHERE id = :id");
    db_bind_text(&st, ":now", svc_now(c));
    db_bind_text(&st, ":s", sb_str(&b));
    db_bind_int64(&st, ":id", v->id);
    rc = db_step(&st);
    db_finalize(&st);
    sb_free(&b);
    return rc < 0 ? store_failed(c, "closing the evaluation") : SVC_OK;
}

int evaluation_commend(struct ctx *c, int64_t id, const int64_t *unit_ids, size_t n)
{
    struct evaluation_view v;
    int rc = begin_change(c, id, NULL, &v);
    if (rc != SVC_OK)
        return rc;
    if (!is_admin(c) && c->user->role != ROLE_LEADER)
        return abort_change(c, svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                                        "leaders choose the commendations"));
    if (strcmp(v.state, "closed") != 0)
        return abort_change(c, out_of_order(c, &v, "commend", -1));
    struct evaluation_scores s;
    if ((rc = evaluation_scores(c, &v, &s)) != SVC_OK)
        return abort_change(c, rc);
    for (size_t i = 0; i < n; i++) {
        const struct evaluation_score *u = evaluation_unit(&s, unit_ids[i]);
        if (!u || u->rank < 1 || u->rank > EVALUATION_COMMEND_TOP)
            return abort_change(c, svc_fail(c, SVC_INVALID, "err_evaluation_commend",
                                            "unit_ids",
                                            "unit %lld is not among the first %d",
                                            (long long)unit_ids[i], EVALUATION_COMMEND_TOP));
    }
    struct stmt st;
    db_prepare(c->db, &st, "DELETE FROM evaluation_commendation WHERE evaluation_id = :id");
    db_bind_int64(&st, ":id", id);
    rc = db_step(&st);
    db_finalize(&st);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        db_prepare(c->db, &st,
                   "INSERT INTO evaluation_commendation (evaluation_id, unit_id) "
                   "SELECT :id, :u WHERE NOT EXISTS (SELECT 1 FROM evaluation_commendation "
                   "WHERE evaluation_id = :id AND unit_id = :u)");
        db_bind_int64(&st, ":id", id);
        db_bind_int64(&st, ":u", unit_ids[i]);
        rc = db_step(&st);
        db_finalize(&st);
    }
    if (rc < 0)
        return abort_change(c, store_failed(c, "storing the commendations"));
    if ((rc = finish(c, &v, "evaluation.commend", -1, "commend", NULL)) != SVC_OK)
        db_rollback(c->db);
    return rc;
}

int evaluation_side_access(struct ctx *c, int64_t row_id, bool write, int64_t *pairing)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT evaluation_id, side FROM evaluation_side WHERE id = :id");
    db_bind_int64(&st, ":id", row_id);
    int rc = db_step(&st);
    int64_t id = rc == DB_ROW ? db_col_int64(&st, 0) : 0;
    int side = rc == DB_ROW ? (int)db_col_int64(&st, 1) : 0;
    db_finalize(&st);
    if (rc < 0)
        return store_failed(c, "reading the side");
    struct evaluation_view v;
    if (!id || (rc = evaluation_get(c, id, &v)) == SVC_NOT_FOUND)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no evaluation side %lld",
                        (long long)row_id);
    if (rc != SVC_OK)
        return rc;
    *pairing = v.pairing_id;
    if (write) { /* the side's own lead office, while it writes */
        if ((rc = perm_manage_side(c, v.pairing_id, side)) != SVC_OK)
            return rc;
        if (strcmp(v.state, "open") != 0 || v.sides[side].stage != ES_SELF)
            return out_of_order(c, &v, "evidence", side);
        return SVC_OK;
    }
    if (!v.sides[side].self_visible) /* the other side's draft: its files as if there were none */
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "no evaluation side %lld",
                        (long long)row_id);
    return SVC_OK;
}
