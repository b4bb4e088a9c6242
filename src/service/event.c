/* event: the rules of 活动 (service/event.h): the events themselves, their rotation and the
 * year's theme industries. Registrations are registration.c's, outcomes outcome.c's, the
 * funnel funnel.c's. Each write reads, checks and writes with its audit row in one
 * transaction; an UPDATE names the updated_at it read. */
#include "service/event.h"

#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/industry.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "service/region.h"
#include "store/audit.h"
#include "store/db.h"

static const char *const kinds[EVENT_KIND_N] = {"consultation", "joint_meeting", "docking",
                                                 "forum",        "exhibition",    "training"};

const char *event_kind_name(enum event_kind k)
{
    return k < EVENT_KIND_N ? kinds[k] : NULL;
}

enum event_kind event_kind_from(const char *name)
{
    for (int i = 0; name && i < EVENT_KIND_N; i++)
        if (strcmp(name, kinds[i]) == 0)
            return (enum event_kind)i;
    return EVENT_KIND_N;
}

/* Now in the plans' time zone as YYYY-MM-DDTHH:MM: what an event's typed times compare with. */
void event_now_local(char out[17])
{
    int64_t ms = clock_now_ms() + (int64_t)light_policy.utc_offset_minutes * 60000;
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t min = (ms - days * 86400000) / 60000;
    char date[11];
    clock_format_date(days, date);
    memcpy(out, date, 10);
    out[10] = 'T';
    unsigned h = (unsigned)(min / 60) % 24, m = (unsigned)(min % 60);
    out[11] = (char)('0' + h / 10);
    out[12] = (char)('0' + h % 10);
    out[13] = ':';
    out[14] = (char)('0' + m / 10);
    out[15] = (char)('0' + m % 10);
    out[16] = '\0';
}

/* A time as typed: YYYY-MM-DDTHH:MM (a space for the T, and :SS of zero, are taken too, as
 * forms and spreadsheets write them), a real date and time. The normal form into out[17]. */
static bool parse_local_time(const char *s, char out[17], int *year)
{
    size_t n = s ? strlen(s) : 0;
    if (n != 16 && !(n == 19 && strcmp(s + 16, ":00") == 0))
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!clock_parse_date(date, NULL, year) || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
        return false;
    for (int i = 11; i < 16; i++)
        if (i != 13 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[11] - '0') * 10 + (s[12] - '0'), m = (s[14] - '0') * 10 + (s[15] - '0');
    if (h > 23 || m > 59)
        return false;
    memcpy(out, date, 10);
    memcpy(out + 10, "T00:00", 7);
    memcpy(out + 11, s + 11, 2);
    memcpy(out + 14, s + 14, 2);
    return true;
}

/* ---- reading ---------------------------------------------------------------------------- */

#define EVENT_COLUMNS                                                                        \
    "SELECT e.id, e.pairing_id, pa.name_a, pa.name_b, e.kind, e.title, r.code, r.name, "     \
    "e.host_side, e.year, e.starts, e.ends, e.place, e.agenda, e.minutes, e.state, "         \
    "coalesce(e.capacity, 0), e.public, coalesce(e.task_id, 0), t.number, t.title, "         \
    "coalesce(e.target_enterprises, -1), e.created_at, e.updated_at "                        \
    "FROM event e JOIN pairing pa ON pa.id = e.pairing_id "                                  \
    "LEFT JOIN region r ON r.id = e.host_region_id LEFT JOIN task t ON t.id = e.task_id "

static void event_row(struct ctx *c, struct stmt *st, struct event_view *v, const char *now)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->pairing_id = db_col_int64(st, 1);
    v->name_a = svc_col(c, st, 2);
    v->name_b = svc_col(c, st, 3);
    v->kind = svc_col(c, st, 4);
    v->title = svc_col(c, st, 5);
    v->host_region_code = svc_col(c, st, 6);
    v->host_region_name = svc_col(c, st, 7);
    v->host_side = (int)db_col_int64(st, 8);
    v->year = (int)db_col_int64(st, 9);
    v->starts = svc_col(c, st, 10);
    v->ends = svc_col(c, st, 11);
    v->place = svc_col(c, st, 12);
    v->agenda = svc_col(c, st, 13);
    v->minutes = svc_col(c, st, 14);
    v->state = svc_col(c, st, 15);
    v->capacity = db_col_int64(st, 16);
    v->is_public = db_col_int64(st, 17) != 0;
    v->task_id = db_col_int64(st, 18);
    v->task_number = (int)db_col_int64(st, 19);
    v->task_title = svc_col(c, st, 20);
    v->target_enterprises = db_col_int64(st, 21);
    v->created_at = svc_col(c, st, 22);
    v->updated_at = svc_col(c, st, 23);
    v->past = strcmp(v->ends, now) < 0;
}

/* The counts of registrations and outcomes. */
static int read_counts(struct ctx *c, struct event_view *v)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT coalesce(sum(CASE WHEN status = 'registered' THEN 1 ELSE 0 END), 0), "
               "coalesce(sum(CASE WHEN status = 'registered' AND enterprise_id IS NOT NULL "
               "THEN 1 ELSE 0 END), 0), "
               "coalesce(sum(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END), 0), "
               "coalesce(sum(CASE WHEN checked_in_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
               "coalesce(sum(CASE WHEN checked_in_at IS NOT NULL AND enterprise_id IS NOT NULL "
               "THEN 1 ELSE 0 END), 0) FROM registration WHERE event_id = :id");
    db_bind_int64(&st, ":id", v->id);
    int s = db_step(&st);
    if (s == DB_ROW) {
        v->registered = db_col_int64(&st, 0);
        v->registered_enterprises = db_col_int64(&st, 1);
        v->waiting = db_col_int64(&st, 2);
        v->attended = db_col_int64(&st, 3);
        v->attended_enterprises = db_col_int64(&st, 4);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "event", "counting the registrations");
    db_prepare(c->db, &st,
               "SELECT kind, count(*), coalesce(sum(amount_yuan), 0) FROM event_outcome WHERE "
               "event_id = :id GROUP BY kind");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        bool is_signed = strcmp(db_col_text(&st, 0), "signed") == 0;
        *(is_signed ? &v->signed_count : &v->intentions) = db_col_int64(&st, 1);
        *(is_signed ? &v->signed_yuan : &v->intention_yuan) = db_col_int64(&st, 2);
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "event", "counting the outcomes") : SVC_OK;
}

/* Themes, organising units and city pairings. */
static int read_lists(struct ctx *c, struct event_view *v)
{
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT industry FROM event_theme WHERE event_id = :id ORDER BY industry");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW)
        *(const char **)ARRAY_PUSH(c->arena, v->themes, v->n_themes, cap) = svc_col(c, &st, 0);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "event", "reading the themes");
    cap = 0;
    db_prepare(c->db, &st,
               "SELECT n.id, n.side, n.name FROM event_unit eu JOIN unit n ON n.id = "
               "eu.unit_id WHERE eu.event_id = :id ORDER BY n.side, n.id");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct event_unit *u = ARRAY_PUSH(c->arena, v->units, v->n_units, cap);
        u->id = db_col_int64(&st, 0);
        u->side = (int)db_col_int64(&st, 1);
        u->name = svc_col(c, &st, 2);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "event", "reading the organisers");
    cap = 0;
    db_prepare(c->db, &st,
               "SELECT p.id, p.name_a, p.name_b FROM event_city ec JOIN pairing p ON p.id = "
               "ec.pairing_id WHERE ec.event_id = :id ORDER BY p.id");
    db_bind_int64(&st, ":id", v->id);
    while ((s = db_step(&st)) == DB_ROW) {
        struct event_city *e = ARRAY_PUSH(c->arena, v->cities, v->n_cities, cap);
        e->id = db_col_int64(&st, 0);
        e->name_a = svc_col(c, &st, 1);
        e->name_b = svc_col(c, &st, 2);
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "event", "reading the city pairings") : SVC_OK;
}

static int read_more(struct ctx *c, struct event_view *v)
{
    int rc = read_counts(c, v);
    return rc == SVC_OK ? read_lists(c, v) : rc;
}

static int event_read(struct ctx *c, int64_t id, struct event_view *out)
{
    char now[17];
    event_now_local(now);
    struct stmt st;
    db_prepare(c->db, &st, EVENT_COLUMNS "WHERE e.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        event_row(c, &st, out, now);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "event", "reading the event");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no event %lld",
                        (long long)id);
    return read_more(c, out);
}

bool event_may_create(const struct ctx *c)
{
    return perm_is_admin_user(c) || c->user->role == ROLE_COORDINATOR;
}

bool event_may_organise(struct ctx *c, const struct event_view *v)
{
    if (perm_is_admin_user(c))
        return true;
    if (c->user->pairing_id != v->pairing_id)
        return false;
    if (c->user->role == ROLE_COORDINATOR)
        return true;
    for (size_t i = 0; i < v->n_units; i++)
        if (v->units[i].id == c->user->unit_id)
            return true;
    return false;
}

int event_get(struct ctx *c, int64_t id, struct event_view *out)
{
    int rc = event_read(c, id, out);
    if (rc == SVC_OK)
        rc = perm_read_pairing(c, out->pairing_id);
    return rc;
}

int event_access(struct ctx *c, int64_t id, bool write, int64_t *pairing)
{
    struct event_view v;
    int rc = event_get(c, id, &v);
    if (rc != SVC_OK)
        return rc;
    *pairing = v.pairing_id;
    if (write && !event_may_organise(c, &v))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "the organisers keep an event's files");
    return SVC_OK;
}

/* Runs a list query (bound by the caller) and reads each row's counts and lists. */
static int list_rows(struct ctx *c, struct stmt *st, struct event_view **out, size_t *n)
{
    char now[17];
    event_now_local(now);
    size_t cap = 0;
    int s;
    while ((s = db_step(st)) == DB_ROW)
        event_row(c, st, ARRAY_PUSH(c->arena, *out, *n, cap), now);
    db_finalize(st);
    if (s < 0)
        return svc_store_failed(c, "event", "listing events");
    for (size_t i = 0; i < *n; i++) {
        int rc = read_more(c, &(*out)[i]);
        if (rc != SVC_OK)
            return rc;
    }
    return SVC_OK;
}

int event_list(struct ctx *c, const struct event_filter *f, struct event_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int rc = perm_role_at_least(c, ROLE_MEMBER);
    if (rc != SVC_OK)
        return rc;
    int64_t pairing = f->pairing_id;
    if (!pairing && !perm_is_admin_user(c))
        pairing = c->user->pairing_id;
    if (pairing && (rc = perm_read_pairing(c, pairing)) != SVC_OK)
        return rc;
    if (f->kind && event_kind_from(f->kind) == EVENT_KIND_N)
        return svc_fail(c, SVC_INVALID, "err_event_kind", "kind", "unknown event kind %s",
                        f->kind);
    if (f->theme && !industry_find(f->theme))
        return svc_fail(c, SVC_INVALID, "err_industry_unknown", "theme",
                        "%s is not a GB/T 4754-2017 section or division", f->theme);
    char now[17];
    event_now_local(now);
    struct stmt st;
    /* the theme filter: a section letter matches the divisions under it */
    db_prepare(c->db, &st,
               EVENT_COLUMNS
               "WHERE (:p = 0 OR e.pairing_id = :p) AND (:y = 0 OR e.year = :y) AND "
               "(:kind IS NULL OR e.kind = :kind) AND (:when = 0 OR (:when = 1 AND e.ends >= "
               ":now) OR (:when = 2 AND e.ends < :now)) AND (:unit = 0 OR EXISTS (SELECT 1 FROM "
               "event_unit eu WHERE eu.event_id = e.id AND eu.unit_id = :unit) OR EXISTS "
               "(SELECT 1 FROM registration g WHERE g.event_id = e.id AND g.unit_id = :unit AND "
               "g.status <> 'withdrawn')) AND (:theme IS NULL OR EXISTS (SELECT 1 FROM "
               "event_theme et WHERE et.event_id = e.id AND (et.industry = :theme OR "
               "et.section = :theme))) "
               "ORDER BY CASE WHEN :when = 1 THEN e.starts END, e.starts DESC, e.id DESC "
               "LIMIT :lim");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":y", f->year);
    db_bind_text(&st, ":kind", f->kind);
    db_bind_int64(&st, ":when", f->when);
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":unit", f->unit_id);
    db_bind_text(&st, ":theme", f->theme);
    db_bind_int64(&st, ":lim", EVENT_LIST_MAX);
    return list_rows(c, &st, out, n);
}

int event_list_public(struct ctx *c, bool upcoming, int limit, struct event_view **out,
                      size_t *n)
{
    *out = NULL;
    *n = 0;
    if (limit <= 0 || limit > EVENT_LIST_MAX)
        limit = EVENT_LIST_MAX;
    char now[17];
    event_now_local(now);
    struct stmt st;
    db_prepare(c->db, &st,
               EVENT_COLUMNS "WHERE e.public = 1 AND (:up = 0 OR e.ends >= :now) "
                             "ORDER BY CASE WHEN :up = 1 THEN e.starts END, e.starts DESC, "
                             "e.id DESC LIMIT :lim");
    db_bind_int64(&st, ":up", upcoming);
    db_bind_text(&st, ":now", now);
    db_bind_int64(&st, ":lim", limit);
    int rc = list_rows(c, &st, out, n);
    if (rc != SVC_OK)
        return rc;
    /* only the public facts: no agenda's internal notes, minutes, task or organisers */
    for (size_t i = 0; i < *n; i++) {
        struct event_view *v = &(*out)[i];
        v->minutes = NULL;
        v->task_id = 0;
        v->task_title = NULL;
        v->n_units = 0;
        v->units = NULL;
    }
    return SVC_OK;
}

int event_list_for_user(struct ctx *c, const struct user *u, struct event_view **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!u->pairing_id)
        return SVC_OK; /* an admin has no unit and takes part in nothing */
    bool all = u->role == ROLE_COORDINATOR || u->role == ROLE_LEADER;
    struct stmt st;
    db_prepare(c->db, &st,
               EVENT_COLUMNS
               "WHERE e.pairing_id = :p AND (:all = 1 OR EXISTS (SELECT 1 FROM event_unit eu "
               "WHERE eu.event_id = e.id AND eu.unit_id = :unit) OR EXISTS (SELECT 1 FROM "
               "registration g WHERE g.event_id = e.id AND g.unit_id = :unit AND g.status <> "
               "'withdrawn')) ORDER BY e.starts DESC, e.id DESC LIMIT :lim");
    db_bind_int64(&st, ":p", u->pairing_id);
    db_bind_int64(&st, ":all", all);
    db_bind_int64(&st, ":unit", u->unit_id);
    db_bind_int64(&st, ":lim", EVENT_LIST_MAX);
    return list_rows(c, &st, out, n);
}

/* ---- writing ---------------------------------------------------------------------------- */

static const char *event_json(struct ctx *c, const struct event_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kstr(w, "kind", v->kind);
    jw_kstr(w, "title", v->title);
    jw_kint(w, "host_side", v->host_side);
    jw_kstr(w, "host_region_code", v->host_region_code);
    jw_kstr(w, "starts", v->starts);
    jw_kstr(w, "ends", v->ends);
    jw_kstr(w, "place", v->place);
    if (v->capacity)
        jw_kint(w, "capacity", v->capacity);
    else
        jw_knull(w, "capacity");
    jw_kbool(w, "public", v->is_public);
    if (v->task_id)
        jw_kint(w, "task_id", v->task_id);
    if (v->target_enterprises >= 0)
        jw_kint(w, "target_enterprises", v->target_enterprises);
    jw_kstr(w, "state", v->state);
    jw_kstr(w, "agenda", v->agenda);
    jw_kstr(w, "minutes", v->minutes);
    jw_key(w, "themes");
    jw_arr(w);
    for (size_t i = 0; i < v->n_themes; i++)
        jw_str(w, v->themes[i]);
    jw_arr_end(w);
    jw_key(w, "unit_ids");
    jw_arr(w);
    for (size_t i = 0; i < v->n_units; i++)
        jw_int(w, v->units[i].id);
    jw_arr_end(w);
    jw_key(w, "city_pairing_ids");
    jw_arr(w);
    for (size_t i = 0; i < v->n_cities; i++)
        jw_int(w, v->cities[i].id);
    jw_arr_end(w);
    return svc_json_end(c, &j);
}

/* The task's "不少于 N 家企业": the least number of enterprises its targets name, or -1. */
static int64_t task_enterprise_target(struct ctx *c, int64_t task_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT min FROM target WHERE task_id = :t AND min IS NOT NULL AND unit = '家' "
               "AND (object LIKE '%企業%' OR object LIKE '%企业%') ORDER BY min DESC LIMIT 1");
    db_bind_int64(&st, ":t", task_id);
    int s = db_step(&st);
    int64_t n = s == DB_ROW ? db_col_int64(&st, 0) : -1;
    db_finalize(&st);
    return n;
}

static int check_line(struct ctx *c, const char *in, bool required, size_t max,
                      const char *field, const char **out)
{
    int rc = svc_check_text(c, in, required, "err_required", max, field, out);
    if (rc == SVC_OK && *out && strpbrk(*out, "\r\n\t"))
        return svc_fail(c, SVC_INVALID, "err_invalid", field, "%s is one line", field);
    return rc;
}

/* Applies in to v, checking every field. */
static int check_input(struct ctx *c, const struct event_input *in, bool create,
                       struct event_view *v)
{
    int rc;
    if (create || in->kind) {
        if (event_kind_from(in->kind) == EVENT_KIND_N)
            return svc_fail(c, SVC_INVALID, "err_event_kind", "kind", "unknown event kind");
        v->kind = in->kind;
    }
    if ((create || in->title) &&
        (rc = check_line(c, in->title, true, EVENT_TITLE_MAX, "title", &v->title)) != SVC_OK)
        return rc;
    if (create || in->host_side != -1) {
        if (in->host_side != 0 && in->host_side != 1)
            return svc_fail(c, SVC_INVALID, "err_side", "host_side", "host_side is 0 or 1");
        v->host_side = in->host_side;
    }
    if (in->host_region_code) {
        v->host_region_code = NULL;
        if (in->host_region_code[0] && !region_id(c, in->host_region_code))
            return svc_fail(c, SVC_INVALID, "err_region_unknown", "host_region_code",
                            "there is no region %s", in->host_region_code);
        if (in->host_region_code[0])
            v->host_region_code = in->host_region_code;
    }
    char starts[17], ends[17];
    if (create || in->starts) {
        if (!in->starts || !in->starts[0])
            return svc_fail(c, SVC_INVALID, "err_required", "starts", "starts is required");
        if (!parse_local_time(in->starts, starts, &v->year))
            return svc_fail(c, SVC_INVALID, "err_event_time", "starts",
                            "a time is YYYY-MM-DDTHH:MM");
        if (v->year < 2000 || v->year > 2100)
            return svc_fail(c, SVC_INVALID, "err_range", "starts", "a year 2000–2100");
        v->starts = arena_strdup(c->arena, starts);
    }
    if (create || in->ends) {
        if (!in->ends || !in->ends[0])
            return svc_fail(c, SVC_INVALID, "err_required", "ends", "ends is required");
        int end_year = 0;
        if (!parse_local_time(in->ends, ends, &end_year))
            return svc_fail(c, SVC_INVALID, "err_event_time", "ends", "a time is YYYY-MM-DDTHH:MM");
        if (end_year > 2100)
            return svc_fail(c, SVC_INVALID, "err_range", "ends", "a year 2000–2100");
        v->ends = arena_strdup(c->arena, ends);
    }
    if (strcmp(v->ends, v->starts) <= 0)
        return svc_fail(c, SVC_INVALID, "err_event_ends", "ends", "an event ends after it starts");
    if (in->place && (rc = check_line(c, in->place, false, EVENT_PLACE_MAX, "place",
                                      &v->place)) != SVC_OK)
        return rc;
    if (in->agenda && (rc = svc_check_text(c, in->agenda, false, "err_required", EVENT_AGENDA_MAX,
                                           "agenda", &v->agenda)) != SVC_OK)
        return rc;
    if (in->capacity != -1) {
        if (in->capacity < 0 || in->capacity > EVENT_CAPACITY_MAX)
            return svc_fail(c, SVC_INVALID, "err_range", "capacity", "capacity 1–%d",
                            EVENT_CAPACITY_MAX);
        v->capacity = in->capacity;
    }
    if (in->is_public != -1)
        v->is_public = in->is_public != 0;
    if (in->task_id != -1) {
        v->task_id = 0;
        if (in->task_id) {
            int64_t p = svc_task_pairing(c, in->task_id);
            if (p < 0)
                return svc_store_failed(c, "event", "reading the task");
            if (p != v->pairing_id)
                return svc_fail(c, SVC_INVALID, "err_task_unknown", "task_id",
                                "task %lld is not of this pairing's plans",
                                (long long)in->task_id);
            v->task_id = in->task_id;
        }
    }
    if (in->target_enterprises == -2)
        v->target_enterprises = -1;
    else if (in->target_enterprises >= 0) {
        if (in->target_enterprises > EVENT_CAPACITY_MAX)
            return svc_fail(c, SVC_INVALID, "err_range", "target_enterprises", "too large");
        v->target_enterprises = in->target_enterprises;
    } else if (in->target_enterprises != -1)
        return svc_fail(c, SVC_INVALID, "err_range", "target_enterprises", "not a number");
    else if (create && v->task_id)
        v->target_enterprises = task_enterprise_target(c, v->task_id);
    if (in->state) {
        if (strcmp(in->state, "planned") != 0 && strcmp(in->state, "cancelled") != 0)
            return svc_fail(c, SVC_INVALID, "err_status", "state", "planned or cancelled");
        v->state = in->state;
    }
    if (create || in->set_themes) {
        if (in->n_themes > EVENT_THEMES_MAX)
            return svc_fail(c, SVC_INVALID, "err_range", "themes", "at most %d themes",
                            EVENT_THEMES_MAX);
        const char **t = arena_alloc(c->arena, (in->n_themes + 1) * sizeof *t);
        size_t k = 0;
        for (size_t i = 0; i < in->n_themes; i++) {
            const struct industry *ind = industry_find(in->themes[i]);
            if (!ind)
                return svc_fail(c, SVC_INVALID, "err_industry_unknown", "themes",
                                "%s is not a GB/T 4754-2017 section or division",
                                in->themes[i] ? in->themes[i] : "");
            bool dup = false;
            for (size_t m = 0; m < k; m++)
                dup = dup || strcmp(t[m], ind->code) == 0;
            if (!dup)
                t[k++] = ind->code;
        }
        v->themes = t;
        v->n_themes = k;
    }
    if (create || in->set_units) {
        if (in->n_units > EVENT_UNITS_MAX)
            return svc_fail(c, SVC_INVALID, "err_range", "unit_ids", "at most %d units",
                            EVENT_UNITS_MAX);
        struct event_unit *u = arena_alloc(c->arena, (in->n_units + 1) * sizeof *u);
        int *sides = arena_alloc(c->arena, (in->n_units + 1) * sizeof *sides);
        int64_t *ids = arena_alloc(c->arena, (in->n_units + 1) * sizeof *ids);
        size_t k;
        if ((rc = svc_check_units(c, v->pairing_id, in->unit_ids, in->n_units, ids, sides, &k)) !=
            SVC_OK)
            return rc;
        for (size_t i = 0; i < k; i++)
            u[i] = (struct event_unit){.id = ids[i], .side = sides[i]};
        v->units = u;
        v->n_units = k;
    }
    if (create || in->set_cities) {
        if (in->n_cities > EVENT_CITIES_MAX)
            return svc_fail(c, SVC_INVALID, "err_range", "city_pairing_ids",
                            "at most %d city pairings", EVENT_CITIES_MAX);
        struct event_city *e = arena_alloc(c->arena, (in->n_cities + 1) * sizeof *e);
        size_t k = 0;
        for (size_t i = 0; i < in->n_cities; i++) {
            int64_t id = in->city_pairing_ids[i];
            if (id == v->pairing_id || perm_pairing_root(c, id) != v->pairing_id)
                return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "city_pairing_ids",
                                "pairing %lld is not a city pairing of this pairing",
                                (long long)id);
            bool dup = false;
            for (size_t m = 0; m < k; m++)
                dup = dup || e[m].id == id;
            if (!dup)
                e[k++] = (struct event_city){.id = id};
        }
        v->cities = e;
        v->n_cities = k;
    }
    return SVC_OK;
}

static int write_lists(struct ctx *c, const struct event_view *v, bool themes, bool units,
                       bool cities)
{
    struct stmt st;
    int s = 0;
    if (themes) {
        db_prepare(c->db, &st, "DELETE FROM event_theme WHERE event_id = :id");
        db_bind_int64(&st, ":id", v->id);
        s = db_step(&st);
        db_finalize(&st);
        for (size_t i = 0; s >= 0 && i < v->n_themes; i++) {
            const struct industry *ind = industry_find(v->themes[i]);
            db_prepare(c->db, &st,
                       "INSERT INTO event_theme (event_id, industry, section) VALUES (:id, "
                       ":ind, :sec)");
            db_bind_int64(&st, ":id", v->id);
            db_bind_text(&st, ":ind", ind->code);
            db_bind_text(&st, ":sec", ind->section);
            s = db_step(&st);
            db_finalize(&st);
        }
    }
    if (units && s >= 0) {
        db_prepare(c->db, &st, "DELETE FROM event_unit WHERE event_id = :id");
        db_bind_int64(&st, ":id", v->id);
        s = db_step(&st);
        db_finalize(&st);
        for (size_t i = 0; s >= 0 && i < v->n_units; i++) {
            db_prepare(c->db, &st, "INSERT INTO event_unit (event_id, unit_id) VALUES (:id, :u)");
            db_bind_int64(&st, ":id", v->id);
            db_bind_int64(&st, ":u", v->units[i].id);
            s = db_step(&st);
            db_finalize(&st);
        }
    }
    if (cities && s >= 0) {
        db_prepare(c->db, &st, "DELETE FROM event_city WHERE event_id = :id");
        db_bind_int64(&st, ":id", v->id);
        s = db_step(&st);
        db_finalize(&st);
        for (size_t i = 0; s >= 0 && i < v->n_cities; i++) {
            db_prepare(c->db, &st,
                       "INSERT INTO event_city (event_id, pairing_id) VALUES (:id, :p)");
            db_bind_int64(&st, ":id", v->id);
            db_bind_int64(&st, ":p", v->cities[i].id);
            s = db_step(&st);
            db_finalize(&st);
        }
    }
    return s < 0 ? -1 : 0;
}

static void bind_fields(struct ctx *c, struct stmt *st, const struct event_view *v)
{
    db_bind_text(st, ":kind", v->kind);
    db_bind_text(st, ":title", v->title);
    db_bind_int64(st, ":side", v->host_side);
    svc_bind_opt_id(st, ":region", v->host_region_code ? region_id(c, v->host_region_code) : 0);
    db_bind_text(st, ":starts", v->starts);
    db_bind_text(st, ":ends", v->ends);
    db_bind_int64(st, ":year", v->year);
    db_bind_text(st, ":place", v->place);
    svc_bind_opt_id(st, ":cap", v->capacity);
    db_bind_text(st, ":agenda", v->agenda);
    db_bind_int64(st, ":public", v->is_public);
    svc_bind_opt_id(st, ":task", v->task_id);
    if (v->target_enterprises >= 0)
        db_bind_int64(st, ":target", v->target_enterprises);
    else
        db_bind_null(st, ":target");
    db_bind_text(st, ":state", v->state);
}

int event_create(struct ctx *c, const struct event_input *in, int64_t *id)
{
    struct event_view v;
    memset(&v, 0, sizeof v);
    v.target_enterprises = -1;
    v.state = "planned";
    if (!event_may_create(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "the lead offices hold events");
    v.pairing_id = in->pairing_id;
    if (!v.pairing_id && !perm_is_admin_user(c))
        v.pairing_id = c->user->pairing_id;
    if (!v.pairing_id || perm_pairing_root(c, v.pairing_id) != v.pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "pairing %lld is not a province pairing", (long long)v.pairing_id);
    if (!perm_is_admin_user(c) && c->user->pairing_id != v.pairing_id)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "another pairing");
    if (in->state && strcmp(in->state, "planned") != 0)
        return svc_fail(c, SVC_INVALID, "err_status", "state", "a new event is planned");
    int rc = check_input(c, in, true, &v);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "event", "starting the transaction");
    const char *now = svc_now(c);
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO event (pairing_id, kind, title, host_side, host_region_id, starts, "
               "ends, year, place, capacity, agenda, public, task_id, target_enterprises, state, "
               "created_by, created_at, updated_at) VALUES (:p, :kind, :title, :side, :region, "
               ":starts, :ends, :year, :place, :cap, :agenda, :public, :task, :target, :state, "
               ":by, :now, :now)");
    db_bind_int64(&st, ":p", v.pairing_id);
    bind_fields(c, &st, &v);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", now);
    int s = db_step(&st);
    db_finalize(&st);
    v.id = db_last_insert_id(c->db);
    if (s < 0 || write_lists(c, &v, true, true, true) < 0 ||
        audit_append(c->db, c->actor, "event.create", "event", v.id, NULL, event_json(c, &v),
                     c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "event", "storing the event");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = v.id;
    return SVC_OK;
}

/* Reads the event for a write in the open transaction: not found for who may not read it,
 * forbidden for a reader who does not organise it, stale when it changed since seen. */
static int read_for_write(struct ctx *c, int64_t id, const char *seen, struct event_view *old)
{
    int rc = event_get(c, id, old);
    if (rc != SVC_OK)
        return rc;
    if (!event_may_organise(c, old))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "the organisers edit an event");
    if (seen && strcmp(seen, old->updated_at) != 0)
        return svc_fail(c, SVC_STALE, "err_stale", NULL, "event %lld changed meanwhile",
                        (long long)id);
    return SVC_OK;
}

int event_edit(struct ctx *c, int64_t id, const struct event_input *in)
{
    struct event_view old, v;
    int rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "event", "starting the transaction");
    if ((rc = read_for_write(c, id, in->if_updated_at, &old)) != SVC_OK)
        goto done;
    v = old;
    if ((rc = check_input(c, in, false, &v)) != SVC_OK)
        goto done;
    /* seats already given are not taken back: capacity is at least who holds one */
    if (v.capacity && v.capacity < old.registered) {
        rc = svc_fail(c, SVC_CONFLICT, "err_event_capacity", "capacity",
                      "%lld hold a seat already", (long long)old.registered);
        goto done;
    }
    const char *before = event_json(c, &old), *after = event_json(c, &v);
    if (strcmp(before, after) == 0)
        goto done;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE event SET kind = :kind, title = :title, host_side = :side, "
               "host_region_id = :region, starts = :starts, ends = :ends, year = :year, place = "
               ":place, capacity = :cap, agenda = :agenda, public = :public, task_id = :task, "
               "target_enterprises = :target, state = :state, updated_at = :now WHERE id = :id "
               "AND updated_at = :seen");
    bind_fields(c, &st, &v);
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    int64_t promoted = 0;
    if (s < 0 ||
        write_lists(c, &v, in->set_themes, in->set_units, in->set_cities) < 0 ||
        audit_append(c->db, c->actor, "event.update", "event", id, before, after, c->client) < 0 ||
        /* more seats (or none cancelled): the waiting list moves up into them */
        (strcmp(v.state, "planned") == 0 && event_fill_seats(c, id, v.capacity, &promoted) < 0) ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "event", "updating the event");
done:
    db_rollback(c->db);
    return rc;
}

int event_set_minutes(struct ctx *c, int64_t id, const char *minutes, const char *if_updated_at)
{
    struct event_view old, v;
    int rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "event", "starting the transaction");
    if ((rc = read_for_write(c, id, if_updated_at, &old)) != SVC_OK)
        goto done;
    v = old;
    if ((rc = svc_check_text(c, minutes ? minutes : "", false, "err_required", EVENT_MINUTES_MAX,
                             "minutes", &v.minutes)) != SVC_OK)
        goto done;
    const char *before = event_json(c, &old), *after = event_json(c, &v);
    if (strcmp(before, after) == 0)
        goto done;
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE event SET minutes = :m, updated_at = :now WHERE id = :id AND "
               "updated_at = :seen");
    db_bind_text(&st, ":m", v.minutes);
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0 ||
        audit_append(c->db, c->actor, "event.minutes", "event", id, before, after, c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "event", "storing the minutes");
done:
    db_rollback(c->db);
    return rc;
}

/* ---- rotation and themes ---------------------------------------------------------------- */

int event_rotation(struct ctx *c, int64_t pairing_id, struct event_rotation *out)
{
    memset(out, 0, sizeof *out);
    out->suggested_side = -1;
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    struct event_filter f = {.pairing_id = pairing_id, .kind = "docking"};
    struct event_view *all;
    size_t n;
    if ((rc = event_list(c, &f, &all, &n)) != SVC_OK)
        return rc;
    /* the held or planned ones, cancelled ones did not take a turn */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].state, "cancelled") != 0)
            all[k++] = all[i];
    out->previous = all;
    out->n_previous = k < 10 ? k : 10;
    if (k == 0)
        return SVC_OK;
    out->suggested_side = 1 - all[0].host_side;
    /* of the suggested side's cities (its city pairings' regions), the one that hosted least
     * lately: never before first, in the order the plan names them */
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT r.code, r.name, (SELECT max(e.starts) FROM event e WHERE e.pairing_id = "
               ":p AND e.kind = 'docking' AND e.state <> 'cancelled' AND e.host_region_id = "
               "r.id) AS last FROM pairing cp JOIN region r ON r.id = CASE WHEN :side = 0 THEN "
               "cp.region_a ELSE cp.region_b END WHERE cp.parent_id = :p AND r.level = 'city' "
               "ORDER BY CASE WHEN last IS NULL THEN 0 ELSE 1 END, last, cp.id LIMIT 1");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":side", out->suggested_side);
    int s = db_step(&st);
    if (s == DB_ROW) {
        out->suggested_region_code = svc_col(c, &st, 0);
        out->suggested_region_name = svc_col(c, &st, 1);
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "event", "suggesting a host city") : SVC_OK;
}

int event_year_themes(struct ctx *c, int64_t pairing_id, int year, struct event_year_themes *out)
{
    memset(out, 0, sizeof *out);
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0, cap2 = 0, n2 = 0;
    int s;
    db_prepare(c->db, &st,
               "SELECT DISTINCT et.industry FROM event_theme et JOIN event e ON e.id = "
               "et.event_id WHERE e.pairing_id = :p AND e.year = :y AND e.state <> 'cancelled' "
               "ORDER BY et.industry");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    while ((s = db_step(&st)) == DB_ROW) {
        const char *code = svc_col(c, &st, 0);
        const struct industry *ind = industry_find(code);
        *(const char **)ARRAY_PUSH(c->arena, out->themes, out->n, cap) = code;
        *(const char **)ARRAY_PUSH(c->arena, out->names, n2, cap2) = ind ? ind->name : code;
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "event", "reading the year's themes");
    char today[11], soon[11];
    light_today(today, soon);
    int this_year = light_this_year();
    /* "每年選擇1—2個重點產業或招商主題": more is a warning; none is one once half the year is
     * gone (from June) or the year is over */
    if (out->n > EVENT_THEMES_PER_YEAR)
        out->warning = "event_themes_many";
    else if (out->n == 0 && (year < this_year || (year == this_year && strcmp(today + 5, "06-01") >= 0)))
        out->warning = "event_themes_none";
    return SVC_OK;
}

int event_totals(struct ctx *c, int64_t pairing_id, int year, struct event_totals *out)
{
    memset(out, 0, sizeof *out);
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    /* one statement, a row per event of the year with its three counts: the dashboard's
     * reading is made again after every write of the pairing, so it stays this cheap */
    char today[11], soon[11];
    light_today(today, soon);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT e.id, e.title, e.starts, e.ends, coalesce(e.target_enterprises, -1), "
               "(SELECT count(*) FROM registration g WHERE g.event_id = e.id AND "
               "g.enterprise_id IS NOT NULL AND g.status = 'registered'), "
               "(SELECT count(*) FROM registration g WHERE g.event_id = e.id AND "
               "g.enterprise_id IS NOT NULL AND g.checked_in_at IS NOT NULL), "
               "(SELECT count(*) FROM event_outcome o WHERE o.event_id = e.id AND o.kind = "
               "'signed') FROM event e WHERE e.pairing_id = :p AND e.year = :y AND e.state = "
               "'planned' ORDER BY e.starts DESC, e.id DESC LIMIT :lim");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", year);
    db_bind_int64(&st, ":lim", EVENT_LIST_MAX);
    size_t cap = 0;
    int s;
    while ((s = db_step(&st)) == DB_ROW) {
        /* by the day: held from the day after it ended, so that a reading kept for the day
         * (the dashboard's) never differs from one made later that day */
        if (strncmp(db_col_text(&st, 3), today, 10) >= 0) {
            out->upcoming++;
            continue;
        }
        int64_t target = db_col_int64(&st, 4), attended = db_col_int64(&st, 6);
        out->held++;
        out->registered_enterprises += db_col_int64(&st, 5);
        out->attended_enterprises += attended;
        out->signed_count += db_col_int64(&st, 7);
        /* the plan's "不少于50家企业": short when fewer came than the target */
        if (target > 0 && attended < target && out->n_short < EVENT_SHORT_MAX) {
            struct event_short *x = ARRAY_PUSH(c->arena, out->short_of_target, out->n_short, cap);
            *x = (struct event_short){.id = db_col_int64(&st, 0), .attended = attended,
                                      .target = target, .title = svc_col(c, &st, 1),
                                      .starts = svc_col(c, &st, 2)};
        }
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "event", "counting the year's events") : SVC_OK;
}
