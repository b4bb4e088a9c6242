/* work_plan: 年度工作计划 over the API — the plans of a pairing, opening one for a year, its
 * items, submission and the dual sign-off, and the items a unit's clerk reports on.
 *
 * Concurrency is explicit: every item edit or removal, and every submit or approve, names
 * the revision it was made against in If-Match. A missing If-Match is 428 (a silent
 * overwrite must be impossible), a stale one 412. ETags are
 *
 *     "wp-<plan id>-<revision>-<digest>"    "wi-<item id>-<revision>-<digest>"
 *
 * where the revision is what If-Match checks (the digest may be left out there: "wp-7-3"
 * is accepted), and the digest, of the response body, changes with everything else the
 * response shows — a new report, a review, a light turning with the date — so that
 * If-None-Match never gets a 304 for content that moved on without a revision. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "core/hash.h"
#include "core/json.h"
#include "service/light.h"
#include "service/report.h"
#include "service/reporting.h"
#include "service/work_plan.h"

/* ---- ETag and If-Match ------------------------------------------------------------------ */

/* True when the If-None-Match list (weak comparison: W/ ignored) holds etag or "*". */
static bool none_match_hit(const char *list, const char *etag)
{
    size_t n = strlen(etag);
    const char *s = list;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (strncmp(s, "W/", 2) == 0)
            s += 2;
        size_t len = strcspn(s, ",");
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if ((len == 1 && s[0] == '*') || (len == n && strncmp(s, etag, n) == 0))
            return true;
        s += strcspn(s, ",");
    }
    return false;
}

/* Sets the ETag of the body written so far. With conditional (a GET), answers 304 when the
 * request's If-None-Match already has it: returns true, and the handler returns 304. */
static bool etag_finish(struct req *r, struct resp *p, const char *kind, int64_t id,
                        int64_t revision, bool conditional)
{
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(p->body.buf ? p->body.buf : "", p->body.len, hex);
    hex[16] = '\0';
    const char *etag =
        arena_printf(r->arena, "\"%s-%" PRId64 "-%" PRId64 "-%s\"", kind, id, revision, hex);
    resp_header(r, p, "ETag", etag);
    const char *inm = conditional ? req_header(r, "If-None-Match") : NULL;
    if (inm && none_match_hit(inm, etag)) {
        sb_reset(&p->body);
        return true;
    }
    return false;
}

/* Reads decimal digits into *v (no sign, no leading zero, fits in int64); advances *s. */
static bool read_num(const char **s, int64_t *v)
{
    const char *q = *s;
    if (*q < '1' || *q > '9')
        return false;
    uint64_t x = 0;
    int digits = 0;
    for (; *q >= '0' && *q <= '9'; q++) {
        if (++digits > 18)
            return false;
        x = x * 10 + (uint64_t)(*q - '0');
    }
    *v = (int64_t)x;
    *s = q;
    return true;
}

enum { IF_MATCH_OK = 0, IF_MATCH_NONE = -1, IF_MATCH_OTHER = -2 };

/* Parses If-Match against "kind-id-revision[-digest]": IF_MATCH_OK with *revision, or
 * IF_MATCH_NONE (absent, blank, or "*": no revision named), or IF_MATCH_OTHER (another
 * thing, a weak or malformed tag, a list). */
static int parse_if_match(struct req *r, const char *kind, int64_t id, int64_t *revision)
{
    const char *h = req_header(r, "If-Match");
    if (!h)
        return IF_MATCH_NONE;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t len = strlen(h);
    while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
        len--;
    if (len == 0 || (len == 1 && h[0] == '*'))
        return IF_MATCH_NONE;
    const char *s = arena_strndup(r->arena, h, len);
    size_t kn = strlen(kind);
    int64_t got_id = 0, rev = 0;
    if (*s++ != '"' || strncmp(s, kind, kn) != 0 || s[kn] != '-')
        return IF_MATCH_OTHER;
    s += kn + 1;
    if (!read_num(&s, &got_id) || *s++ != '-' || !read_num(&s, &rev))
        return IF_MATCH_OTHER;
    if (*s == '-') {
        s++;
        size_t hex = strspn(s, "0123456789abcdef");
        if (hex == 0 || hex > SHA256_HEX_LEN)
            return IF_MATCH_OTHER;
        s += hex;
    }
    if (strcmp(s, "\"") != 0 || got_id != id)
        return IF_MATCH_OTHER;
    *revision = rev;
    return IF_MATCH_OK;
}

/* The answer to a failed If-Match: 428 when none was named, 412 when another was. */
static int if_match_error(struct req *r, struct resp *p, int why)
{
    if (why == IF_MATCH_NONE)
        return http_error(r, p, 428, "err_precondition_required", "If-Match");
    return http_error(r, p, 412, "err_stale", "If-Match");
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void unit_json(struct jw *w, const struct work_item_unit *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "name", u->name);
    jw_kint(w, "side", u->side);
    jw_obj_end(w);
}

void api_work_item_json(struct jw *w, const struct work_item_view *v, bool close)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "work_plan_id", v->work_plan_id);
    jw_kint(w, "year", v->year);
    jw_kstr(w, "plan_status", v->plan_status);
    jw_kint(w, "revision", v->revision);
    jw_key(w, "task");
    if (v->task_id) {
        jw_obj(w);
        jw_kint(w, "id", v->task_id);
        jw_kint(w, "number", v->task_number);
        jw_kstr(w, "title", v->task_title);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "due", v->due);
    jw_kstr(w, "indicator", v->indicator);
    jw_kstr(w, "target_value", v->target_value);
    jw_key(w, "owner");
    unit_json(w, &v->owner);
    jw_key(w, "support");
    jw_arr(w);
    for (size_t i = 0; i < v->n_support; i++)
        unit_json(w, &v->support[i]);
    jw_arr_end(w);
    jw_kstr(w, "light", light_name(v->light));
    jw_key(w, "latest_report");
    if (v->report_id) {
        jw_obj(w);
        jw_kint(w, "id", v->report_id);
        jw_kstr(w, "period", v->report_period);
        jw_kstr(w, "status", v->report_status);
        jw_kint(w, "percent", v->report_percent);
        jw_kstr(w, "at", v->report_at);
        jw_kstr(w, "review", v->review);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "accepted_status", v->accepted_status);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    if (close)
        jw_obj_end(w);
}

static void plan_json(struct jw *w, const struct work_plan_view *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_key(w, "pairing");
    jw_arr(w);
    jw_str(w, v->name_a);
    jw_str(w, v->name_b);
    jw_arr_end(w);
    jw_kint(w, "year", v->year);
    jw_kstr(w, "status", v->status);
    jw_kint(w, "revision", v->revision);
    jw_key(w, "approved");
    jw_arr(w);
    jw_bool(w, v->approved[0]);
    jw_bool(w, v->approved[1]);
    jw_arr_end(w);
    jw_key(w, "approvals");
    jw_arr(w);
    for (size_t i = 0; i < v->n_approvals; i++) {
        const struct work_plan_approval *a = &v->approvals[i];
        jw_obj(w);
        jw_kint(w, "id", a->id);
        jw_kint(w, "side", a->side);
        jw_key(w, "user");
        jw_obj(w);
        jw_kint(w, "id", a->user_id);
        jw_kstr(w, "login", a->user_login);
        jw_obj_end(w);
        jw_kstr(w, "at", a->at);
        jw_kstr(w, "cleared_at", a->cleared_at);
        jw_kstr(w, "cleared_reason", a->cleared_reason);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = 0; i < v->n_items; i++)
        api_work_item_json(w, &v->items[i], true);
    jw_arr_end(w);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

/* Writes plan id as it is now, with its ETag; status is the success status to return. A
 * GET passes conditional, for If-None-Match. */
static int respond_plan(struct req *r, struct resp *p, int64_t id, int status, bool conditional)
{
    struct work_plan_view v;
    int rc = work_plan_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    plan_json(&w, &v);
    if (etag_finish(r, p, "wp", v.id, v.revision, conditional))
        return 304;
    return status;
}

static int respond_item(struct req *r, struct resp *p, int64_t id, int status)
{
    struct work_item_view v;
    int rc = work_plan_item_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    api_work_item_json(&w, &v, true);
    etag_finish(r, p, "wi", v.id, v.revision, false);
    return status;
}

/* ---- work plans ------------------------------------------------------------------------- */

/* GET /api/v1/work-plans?pairing=ID → {"work_plans":[…]}, newest year first. */
int api_work_plans(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (!pairing)
        return http_error(r, p, 400, "err_required", "pairing");
    if ((st = api_pairing_check(r, p, pairing, "pairing", true)))
        return st;
    struct work_plan_summary *s;
    size_t n;
    int rc = work_plan_list(&r->ctx, pairing, &s, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", pairing);
    jw_key(&w, "work_plans");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", s[i].id);
        jw_kint(&w, "year", s[i].year);
        jw_kstr(&w, "status", s[i].status);
        jw_kint(&w, "revision", s[i].revision);
        jw_kint(&w, "items", s[i].items);
        jw_kstr(&w, "updated_at", s[i].updated_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* POST /api/v1/work-plans {"pairing_id","year"}: get-or-create. 201 with Location when it
 * was made now, 200 when it existed; the plan either way. */
int api_work_plan_open(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = 0, year = 0;
    static const char *const keys[] = {"pairing_id", "year", NULL};
    if ((st = api_json_object(r, p, r->json, NULL, keys)) ||
        (st = api_json_int(r, p, r->json, "pairing_id", NULL, API_REQUIRED, 1, INT64_MAX,
                           &pairing)) ||
        (st = api_json_int(r, p, r->json, "year", NULL, API_REQUIRED, 2000, 2100, &year)))
        return st;
    /* Whether it exists decides 200 or 201; work_plan_open is the authority on permission
     * (a reader may find, only a coordinator may open). */
    int64_t existing = 0, id = 0;
    bool existed = work_plan_find(&r->ctx, pairing, (int)year, &existing) == SVC_OK;
    int rc = work_plan_open(&r->ctx, pairing, (int)year, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (!existed || existing != id)
        resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/work-plans/%" PRId64, id));
    return respond_plan(r, p, id, existed && existing == id ? 200 : 201, false);
}

/* GET /api/v1/work-plans/{id}: the plan, approvals and items, with ETag (304 on a match). */
int api_work_plan(struct req *r, struct resp *p)
{
    return respond_plan(r, p, r->ids[0], 200, true);
}

/* For a write without If-Match: 404 or 403 when the plan is not there for the caller (as
 * the write would have answered), else 428. */
static int plan_precondition(struct req *r, struct resp *p, int why)
{
    if (why == IF_MATCH_NONE) {
        struct work_plan_view v;
        int rc = work_plan_get(&r->ctx, r->ids[0], &v);
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
    }
    return if_match_error(r, p, why);
}

/* POST /api/v1/work-plans/{id}/submit {} with If-Match "wp-…": draft → submitted. */
int api_work_plan_submit(struct req *r, struct resp *p)
{
    int64_t rev = 0;
    int why = parse_if_match(r, "wp", r->ids[0], &rev);
    if (why != IF_MATCH_OK)
        return plan_precondition(r, p, why);
    static const char *const keys[] = {NULL};
    int st = api_json_object(r, p, r->json, NULL, keys);
    if (st)
        return st;
    int rc = work_plan_submit(&r->ctx, r->ids[0], rev);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return respond_plan(r, p, r->ids[0], 200, false);
}

/* POST /api/v1/work-plans/{id}/approve {"side"?} with If-Match "wp-…": the caller's side
 * (a coordinator's own side when side is left out; an admin names it). */
int api_work_plan_approve(struct req *r, struct resp *p)
{
    int64_t rev = 0;
    int why = parse_if_match(r, "wp", r->ids[0], &rev);
    if (why != IF_MATCH_OK)
        return plan_precondition(r, p, why);
    static const char *const keys[] = {"side", NULL};
    int st = api_json_object(r, p, r->json, NULL, keys);
    if (st)
        return st;
    json_t *sv = json_object_get(r->json, "side");
    int64_t side = r->user->side;
    if (sv && !json_is_null(sv)) {
        if (!json_is_integer(sv))
            return http_error(r, p, 422, "err_type", "side");
        side = json_integer_value(sv);
        if (side != 0 && side != 1)
            return http_error(r, p, 422, "err_side", "side");
    } else if (side != 0 && side != 1) {
        return http_error(r, p, 422, "err_required", "side"); /* an admin names the side */
    }
    int rc = work_plan_approve(&r->ctx, r->ids[0], (int)side, rev, NULL);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return respond_plan(r, p, r->ids[0], 200, false);
}

/* ---- items ------------------------------------------------------------------------------- */

/* The item fields of a body. An edit replaces every field, so each must be present then
 * (null for "none" where a field is optional); an addition may leave the optional ones out. */
static int item_input(struct req *r, struct resp *p, bool edit, struct work_item_input *in)
{
    memset(in, 0, sizeof *in);
    unsigned opt = edit ? API_PRESENT : 0;
    int64_t *support = NULL;
    static const char *const keys[] = {"title", "task_id", "owner_unit_id", "support",
                                       "due", "indicator", "target_value", NULL};
    int st;
    if ((st = api_json_object(r, p, r->json, NULL, keys)) ||
        (st = api_json_str(r, p, r->json, "title", NULL, API_REQUIRED, &in->title)) ||
        (st = api_json_int(r, p, r->json, "task_id", NULL, opt, 1, INT64_MAX, &in->task_id)) ||
        (st = api_json_int(r, p, r->json, "owner_unit_id", NULL, API_REQUIRED, 1, INT64_MAX,
                           &in->owner_unit_id)) ||
        (st = api_json_ids(r, p, r->json, "support", opt, WORK_ITEM_MAX_SUPPORT, &support,
                           &in->n_support)) ||
        (st = api_json_str(r, p, r->json, "due", NULL, API_REQUIRED, &in->due)) ||
        (st = api_json_str(r, p, r->json, "indicator", NULL, opt, &in->indicator)) ||
        (st = api_json_str(r, p, r->json, "target_value", NULL, opt, &in->target_value)))
        return st;
    in->support = support;
    return 0;
}

/* POST /api/v1/work-plans/{id}/items → 201, the item, its ETag and Location. */
int api_work_item_add(struct req *r, struct resp *p)
{
    struct work_item_input in;
    int st = item_input(r, p, false, &in);
    if (st)
        return st;
    int64_t id = 0;
    int rc = work_plan_item_add(&r->ctx, r->ids[0], &in, &id);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    resp_header(r, p, "Location", arena_printf(r->arena, "/api/v1/work-items/%" PRId64, id));
    return respond_item(r, p, id, 201);
}

/* GET /api/v1/work-items/{id}?after=&limit= → the item with ETag, and a page of its
 * reports, newest first: {…item…, "reports":[…], "next_after":id|null}. */
int api_work_item(struct req *r, struct resp *p)
{
    int st;
    int64_t after = api_query_int(r, p, "after", 0, 0, INT64_MAX, &st);
    if (st)
        return st;
    int64_t limit = api_query_int(r, p, "limit", REPORT_PAGE_DEFAULT, 1, REPORT_PAGE_MAX, &st);
    if (st)
        return st;
    struct work_item_view v;
    int rc = work_plan_item_get(&r->ctx, r->ids[0], &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct report_page page;
    if ((rc = report_history(&r->ctx, v.id, after, (int)limit, &page)) != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    api_work_item_json(&w, &v, false);
    jw_key(&w, "reports");
    jw_arr(&w);
    for (size_t i = 0; i < page.n; i++)
        api_report_json(&w, &page.items[i]);
    jw_arr_end(&w);
    api_next_after(&w, page.more ? page.next_after : 0);
    jw_obj_end(&w);
    if (etag_finish(r, p, "wi", v.id, v.revision, true))
        return 304;
    return 200;
}

/* For an item write without If-Match: 404/403 first, as the write would answer. */
static int item_precondition(struct req *r, struct resp *p, int why)
{
    if (why == IF_MATCH_NONE) {
        struct work_item_view v;
        int rc = work_plan_item_get(&r->ctx, r->ids[0], &v);
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
    }
    return if_match_error(r, p, why);
}

/* PATCH /api/v1/work-items/{id} with If-Match "wi-…" and every field → the item. */
int api_work_item_edit(struct req *r, struct resp *p)
{
    int64_t rev = 0;
    int why = parse_if_match(r, "wi", r->ids[0], &rev);
    if (why != IF_MATCH_OK)
        return item_precondition(r, p, why);
    struct work_item_input in;
    int st = item_input(r, p, true, &in);
    if (st)
        return st;
    int rc = work_plan_item_edit(&r->ctx, r->ids[0], rev, &in);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return respond_item(r, p, r->ids[0], 200);
}

/* DELETE /api/v1/work-items/{id} with If-Match "wi-…" → 204. */
int api_work_item_remove(struct req *r, struct resp *p)
{
    int64_t rev = 0;
    int why = parse_if_match(r, "wi", r->ids[0], &rev);
    if (why != IF_MATCH_OK)
        return item_precondition(r, p, why);
    int rc = work_plan_item_remove(&r->ctx, r->ids[0], rev);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    return 204;
}

/* GET /api/v1/my/work-items?year=&after=&limit= → the items the caller's unit owns, soonest
 * due first: {"unit_id":…, "items":[…], "next_after":id|null}. An admin has no unit: none. */
int api_my_work_items(struct req *r, struct resp *p)
{
    int st;
    int64_t year = api_query_int(r, p, "year", 0, 2000, 2100, &st);
    if (st)
        return st;
    int64_t after = api_query_int(r, p, "after", 0, 0, INT64_MAX, &st);
    if (st)
        return st;
    int64_t limit =
        api_query_int(r, p, "limit", WORK_ITEM_PAGE_DEFAULT, 1, WORK_ITEM_PAGE_MAX, &st);
    if (st)
        return st;
    struct work_item_page page = {0};
    if (r->user->unit_id) {
        int rc = work_plan_unit_items(&r->ctx, r->user->unit_id, (int)year, false, after, (int)limit,
                                      &page);
        if (rc == SVC_INVALID && r->ctx.field)
            return http_error(r, p, 400, r->ctx.code, r->ctx.field); /* a bad cursor */
        if (rc != SVC_OK)
            return http_from_service(r, p, rc);
    }
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    if (r->user->unit_id)
        jw_kint(&w, "unit_id", r->user->unit_id);
    else
        jw_knull(&w, "unit_id");
    /* Each item's current period of the reporting calendar (service/reporting.h). */
    struct reporting_now *now = arena_alloc(r->arena, (page.n + 1) * sizeof *now);
    int rc = reporting_views_now(&r->ctx, page.items, page.n, now);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < page.n; i++) {
        api_work_item_json(&w, &page.items[i], false);
        jw_key(&w, "reporting");
        jw_obj(&w);
        if (now[i].period[0]) {
            jw_kstr(&w, "period", now[i].period);
            jw_kstr(&w, "due", now[i].due);
            jw_kstr(&w, "state", reporting_state_name(now[i].state));
        } else {
            jw_knull(&w, "period");
            jw_knull(&w, "due");
            jw_knull(&w, "state");
        }
        jw_kint(&w, "missing", now[i].missing);
        jw_obj_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    api_next_after(&w, page.more ? page.next_after : 0);
    jw_obj_end(&w);
    return 200;
}
