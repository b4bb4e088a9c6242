/* exchange: the rules of 干部挂职 · 培训 · 人才交流 (service/exchange.h). Each write reads,
 * checks and writes with its audit row in one transaction; the UPDATE names the updated_at it
 * read. Personal data is sealed before it reaches SQL and opened only for those who may see
 * it; the audit rows say whether it is sealed, never what it is. */
#include "service/exchange.h"

#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/seal.h"
#include "core/text.h"
#include "core/utf8.h"
#include "service/internal.h"
#include "service/light.h"
#include "service/perm.h"
#include "store/audit.h"
#include "store/db.h"

static const char *const kinds[EXCHANGE_KIND_N] = {"secondment", "training", "talent",
                                                   "expert",     "teacher",  "student"};

const char *exchange_kind_name(enum exchange_kind k)
{
    return (unsigned)k < EXCHANGE_KIND_N ? kinds[k] : "secondment";
}

enum exchange_kind exchange_kind_from(const char *name)
{
    for (int k = 0; name && k < EXCHANGE_KIND_N; k++)
        if (strcmp(name, kinds[k]) == 0)
            return (enum exchange_kind)k;
    return EXCHANGE_KIND_N;
}

/* 上海–大连 plan, task 25: "重点在'放管服'改革、自贸试验区建设、国家自主创新示范区建设、产业
 * 发展规划、金融和航运、物流中心建设、国企改革和企业转型升级等领域和方向开展交流". */
const char *const exchange_fields[] = {"放管服改革",     "自贸试验区建设", "国家自主创新示范区建设",
                                       "产业发展规划",   "金融和航运",     "物流中心建设",
                                       "国企改革和企业转型升级"};
const size_t exchange_n_fields = sizeof exchange_fields / sizeof *exchange_fields;

bool exchange_id_number_normalise(const char *in, char out[19])
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    size_t n = 0, len = in ? strlen(in) : 0, i = 0;
    out[0] = 0;
    while (i < len) {
        uint32_t cp = text_fold_cp(utf8_decode(in, len, &i));
        if (cp == ' ' || cp == '\t')
            continue;
        if (cp == 'x')
            cp = 'X';
        if (n == 18 || !((cp >= '0' && cp <= '9') || (cp == 'X' && n == 17)))
            return false;
        out[n++] = (char)cp;
    }
    out[n] = 0;
    if (n != 18)
        goto bad;
    /* the birth date (characters 7–14) is a real day */
    char date[11];
    memcpy(date, out + 6, 4);
    date[4] = '-';
    memcpy(date + 5, out + 10, 2);
    date[7] = '-';
    memcpy(date + 8, out + 12, 2);
    date[10] = 0;
    int year = 0;
    if (!clock_parse_date(date, NULL, &year) || year < 1900)
        goto bad;
    int sum = 0;
    for (int k = 0; k < 17; k++)
        sum += (out[k] - '0') * weights[k];
    if ("10X98765432"[sum % 11] != out[17])
        goto bad;
    return true;
bad:
    out[0] = 0;
    return false;
}

bool exchange_phone_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 5 || n > 20)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-'))
            return false;
    return true;
}

void exchange_input_init(struct exchange_input *in)
{
    memset(in, 0, sizeof *in);
    in->from_unit_id = in->host_unit_id = -1;
    in->side = -1;
    in->count_a = in->count_b = -1;
    in->task_id = -1;
}

bool exchange_may_create(const struct ctx *c)
{
    return perm_is_admin_user(c) || c->user->role == ROLE_COORDINATOR;
}

bool exchange_may_write(const struct ctx *c, const struct exchange_view *v)
{
    return perm_is_admin_user(c) ||
           (c->user->role == ROLE_COORDINATOR && c->user->pairing_id == v->pairing_id);
}

bool exchange_sees_personal(const struct ctx *c, int64_t pairing_id, int side)
{
    return perm_is_admin_user(c) ||
           (c->user->role == ROLE_COORDINATOR && c->user->pairing_id == pairing_id &&
            c->user->side == side);
}

/* ---- reading ------------------------------------------------------------------------- */

#define EXCHANGE_COLUMNS                                                                     \
    "SELECT x.id, x.pairing_id, pa.name_a, pa.name_b, x.kind, x.title, x.person_name, "     \
    "x.post, x.field, x.starts, x.ends, x.place, x.purpose, coalesce(x.from_unit_id, 0), "  \
    "fu.name, coalesce(x.host_unit_id, 0), hu.name, x.side, x.year, x.count_a, x.count_b, " \
    "x.names, coalesce(x.task_id, 0), coalesce(t.number, 0), t.title, x.id_number_sealed, " \
    "x.phone_sealed, x.created_at, x.updated_at FROM exchange x "                            \
    "JOIN pairing pa ON pa.id = x.pairing_id LEFT JOIN unit fu ON fu.id = x.from_unit_id "   \
    "LEFT JOIN unit hu ON hu.id = x.host_unit_id LEFT JOIN task t ON t.id = x.task_id "

/* The names of a training, one a line as stored. */
static void split_names(struct ctx *c, const char *text, struct exchange_view *v)
{
    v->names = NULL;
    v->n_names = 0;
    size_t cap = 0;
    while (text && *text) {
        size_t n = strcspn(text, "\n");
        if (n)
            *(const char **)ARRAY_PUSH(c->arena, v->names, v->n_names, cap) =
                arena_strndup(c->arena, text, n);
        text += n + (text[n] == '\n');
    }
}

/* Whether a secondment is in post today, and whether it returns within the window. */
static void mark_dates(struct exchange_view *v, const char *today, const char *horizon)
{
    v->in_post = v->kind == EXCHANGE_SECONDMENT && strcmp(v->starts, today) <= 0 &&
                 (!v->ends || strcmp(v->ends, today) >= 0);
    v->returning = v->in_post && v->ends && strcmp(v->ends, horizon) <= 0;
}

/* Today and the end of the returning window (today + 30 days), YYYY-MM-DD. */
static void window(char today[11], char horizon[11])
{
    char soon[11];
    int64_t days = 0;
    light_today(today, soon);
    clock_parse_date(today, &days, NULL);
    clock_format_date(days + EXCHANGE_RETURNING_DAYS, horizon);
}

/* Opens the personal data for those who may see it; for everyone else it is not there. */
static void reveal(struct ctx *c, struct exchange_view *v)
{
    v->personal_visible = v->kind == EXCHANGE_SECONDMENT &&
                          exchange_sees_personal(c, v->pairing_id, v->side);
    v->personal_unavailable = false;
    v->id_number = v->phone = NULL;
    if (!v->personal_visible)
        return;
    if (v->id_sealed_ && !(v->id_number = seal_open(c->arena, v->id_sealed_)))
        v->personal_unavailable = true;
    if (v->phone_sealed_ && !(v->phone = seal_open(c->arena, v->phone_sealed_)))
        v->personal_unavailable = true;
}

static void exchange_row(struct ctx *c, struct stmt *st, struct exchange_view *v,
                         const char *today, const char *horizon)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->pairing_id = db_col_int64(st, 1);
    v->name_a = svc_col(c, st, 2);
    v->name_b = svc_col(c, st, 3);
    v->kind = exchange_kind_from(db_col_text(st, 4));
    v->title = svc_col(c, st, 5);
    v->person_name = svc_col(c, st, 6);
    v->post = svc_col(c, st, 7);
    v->field = svc_col(c, st, 8);
    v->starts = svc_col(c, st, 9);
    v->ends = svc_col(c, st, 10);
    v->place = svc_col(c, st, 11);
    v->purpose = svc_col(c, st, 12);
    v->from_unit_id = db_col_int64(st, 13);
    v->from_unit = svc_col(c, st, 14);
    v->host_unit_id = db_col_int64(st, 15);
    v->host_unit = svc_col(c, st, 16);
    v->side = (int)db_col_int64(st, 17);
    v->year = (int)db_col_int64(st, 18);
    v->count_a = db_col_int64(st, 19);
    v->count_b = db_col_int64(st, 20);
    split_names(c, db_col_text(st, 21), v);
    v->task_id = db_col_int64(st, 22);
    v->task_number = (int)db_col_int64(st, 23);
    v->task_title = svc_col(c, st, 24);
    v->id_sealed_ = svc_col(c, st, 25);
    v->phone_sealed_ = svc_col(c, st, 26);
    v->created_at = svc_col(c, st, 27);
    v->updated_at = svc_col(c, st, 28);
    mark_dates(v, today, horizon);
    reveal(c, v);
}

static int exchange_read(struct ctx *c, int64_t id, struct exchange_view *out)
{
    char today[11], horizon[11];
    window(today, horizon);
    struct stmt st;
    memset(out, 0, sizeof *out);
    db_prepare(c->db, &st, EXCHANGE_COLUMNS "WHERE x.id = :id");
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    if (s == DB_ROW)
        exchange_row(c, &st, out, today, horizon);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "exchange", "reading the exchange");
    if (s != DB_ROW)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no exchange %lld",
                        (long long)id);
    return SVC_OK;
}

int exchange_get(struct ctx *c, int64_t id, struct exchange_view *out)
{
    int rc = exchange_read(c, id, out);
    if (rc == SVC_OK)
        rc = perm_read_pairing(c, out->pairing_id);
    if (rc != SVC_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

int exchange_list(struct ctx *c, const struct exchange_filter *f, struct exchange_view **out,
                  size_t *n)
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
    if (pairing && !(pairing = perm_pairing_root(c, pairing)))
        return SVC_OK; /* an admin asking for a pairing that is not there: none */
    char today[11], horizon[11];
    window(today, horizon);
    bool dated = f->now || f->returning;
    struct stmt st;
    size_t cap = 0;
    int s;
    /* "now" and "returning" are secondments by the plans' today; the rest filter by column */
    db_prepare(c->db, &st,
               EXCHANGE_COLUMNS
               "WHERE (:p = 0 OR x.pairing_id = :p) AND (:y = 0 OR x.year = :y) AND "
               "(:k = '' OR x.kind = :k) AND (:side < 0 OR x.side = :side) AND "
               "(:dated = 0 OR (x.kind = 'secondment' AND x.starts <= :today AND "
               "(x.ends IS NULL OR x.ends >= :today))) AND "
               "(:ret = 0 OR (x.ends IS NOT NULL AND x.ends <= :horizon)) "
               "ORDER BY CASE WHEN :dated = 1 THEN coalesce(x.ends, '9999') ELSE '' END, "
               "x.starts, x.id LIMIT :lim");
    db_bind_int64(&st, ":p", pairing);
    db_bind_int64(&st, ":y", f->year);
    db_bind_text(&st, ":k", f->kind >= 0 && f->kind < EXCHANGE_KIND_N ? kinds[f->kind] : "");
    db_bind_int64(&st, ":side", f->side == 0 || f->side == 1 ? f->side : -1);
    db_bind_int64(&st, ":dated", dated);
    db_bind_int64(&st, ":ret", f->returning);
    db_bind_text(&st, ":today", today);
    db_bind_text(&st, ":horizon", horizon);
    db_bind_int64(&st, ":lim", EXCHANGE_LIST_MAX);
    while ((s = db_step(&st)) == DB_ROW)
        exchange_row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap), today, horizon);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "exchange", "listing exchanges");
    return SVC_OK;
}

/* ---- writing ------------------------------------------------------------------------- */

/* The audit image: every field as stored, but of the personal data only whether it is
 * sealed (the plain text must never reach the append-only log). */
static const char *exchange_json(struct ctx *c, const struct exchange_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "pairing_id", v->pairing_id);
    jw_kstr(w, "kind", exchange_kind_name(v->kind));
    jw_kstr(w, "title", v->title);
    jw_kstr(w, "person_name", v->person_name);
    jw_kbool(w, "id_number_sealed", v->id_sealed_ != NULL);
    jw_kbool(w, "phone_sealed", v->phone_sealed_ != NULL);
    if (v->from_unit_id)
        jw_kint(w, "from_unit_id", v->from_unit_id);
    if (v->host_unit_id)
        jw_kint(w, "host_unit_id", v->host_unit_id);
    jw_kint(w, "side", v->side);
    jw_kstr(w, "post", v->post);
    jw_kstr(w, "field", v->field);
    jw_kstr(w, "starts", v->starts);
    jw_kstr(w, "ends", v->ends);
    jw_kstr(w, "place", v->place);
    jw_kint(w, "count_a", v->count_a);
    jw_kint(w, "count_b", v->count_b);
    if (v->n_names) {
        jw_key(w, "names");
        jw_arr(w);
        for (size_t i = 0; i < v->n_names; i++)
            jw_str(w, v->names[i]);
        jw_arr_end(w);
    }
    if (v->task_id)
        jw_kint(w, "task_id", v->task_id);
    jw_kstr(w, "purpose", v->purpose);
    return svc_json_end(c, &j);
}

static int text_field(struct ctx *c, const char *in, bool required, size_t max,
                      const char *field, const char **out)
{
    int rc = svc_check_text(c, in, required, "err_required", max, field, out);
    if (rc == SVC_OK && *out && max <= EXCHANGE_TITLE_MAX && strpbrk(*out, "\r\n\t"))
        return svc_fail(c, SVC_INVALID, "err_invalid", field, "%s is one line", field);
    return rc;
}

/* A unit of the pairing: its side into *side. */
static int unit_of(struct ctx *c, int64_t unit_id, int64_t pairing, const char *field, int *side)
{
    int64_t p = 0;
    int rc = perm_unit_scope(c, unit_id, &p, side);
    if (rc == SVC_NOT_FOUND || (rc == SVC_OK && p != pairing))
        return svc_fail(c, SVC_INVALID, "err_unit_unknown", field,
                        "unit %lld is not a unit of this pairing", (long long)unit_id);
    return rc;
}

/* One personal datum: validated, then sealed (unchanged when it is the plain already
 * stored). *changed says whether the stored text moves. */
static int personal(struct ctx *c, const char *in, bool id_number, const char *old_plain,
                    bool old_unavailable, const char **sealed, bool *changed)
{
    const char *field = id_number ? "id_number" : "phone";
    const char *plain = NULL;
    if (svc_check_text(c, in, false, "err_required", 40, field, &plain) != SVC_OK)
        return svc_fail(c, SVC_INVALID, id_number ? "err_id_number" : "err_phone", field,
                        "%s is not valid", field);
    char canon[19];
    if (plain && id_number) {
        if (!exchange_id_number_normalise(plain, canon))
            return svc_fail(c, SVC_INVALID, "err_id_number", field,
                            "not a 居民身份证号码 with a right check character");
        plain = canon;
    } else if (plain && !exchange_phone_valid(plain)) {
        return svc_fail(c, SVC_INVALID, "err_phone", field,
                        "a phone is 5–20 digits, + and -");
    }
    if (!plain) {
        *changed = *sealed != NULL;
        *sealed = NULL;
        return SVC_OK;
    }
    if (*sealed && !old_unavailable && old_plain && strcmp(old_plain, plain) == 0)
        return SVC_OK;
    const char *s = seal_text(c->arena, plain);
    if (!s)
        return svc_fail(c, SVC_CONFLICT, "err_data_key", field,
                        "the data key is not loaded: personal data cannot be stored");
    *sealed = s;
    *changed = true;
    return SVC_OK;
}

/* Applies in to v (v->kind and v->pairing_id set), checking every field and the rules of
 * the kind. *personal_changed: a sealed datum moved (the audit image cannot show it). */
static int check_input(struct ctx *c, const struct exchange_input *in, bool create,
                       struct exchange_view *v, bool *personal_changed)
{
    int rc;
    bool secondment = v->kind == EXCHANGE_SECONDMENT;
    const int old_side = v->side;
    if ((create || in->title) &&
        (rc = text_field(c, in->title, true, EXCHANGE_TITLE_MAX, "title", &v->title)) != SVC_OK)
        return rc;
    if (in->person_name && (rc = text_field(c, in->person_name, false, EXCHANGE_SHORT_MAX,
                                            "person_name", &v->person_name)) != SVC_OK)
        return rc;
    if (in->post &&
        (rc = text_field(c, in->post, false, EXCHANGE_SHORT_MAX, "post", &v->post)) != SVC_OK)
        return rc;
    if (in->field && (rc = text_field(c, in->field, false, EXCHANGE_SHORT_MAX, "field",
                                      &v->field)) != SVC_OK)
        return rc;
    if (in->place && (rc = text_field(c, in->place, false, EXCHANGE_SHORT_MAX, "place",
                                      &v->place)) != SVC_OK)
        return rc;
    if (in->purpose && (rc = svc_check_text(c, in->purpose, false, "err_required",
                                            EXCHANGE_PURPOSE_MAX, "purpose", &v->purpose)) !=
                           SVC_OK)
        return rc;
    /* dates: starts required, ends optional and not before it; the year is starts' */
    if (create || in->starts) {
        int year = 0;
        if (!in->starts || !*in->starts)
            return svc_fail(c, SVC_INVALID, "err_required", "starts", "starts is required");
        if (!clock_parse_date(in->starts, NULL, &year))
            return svc_fail(c, SVC_INVALID, "err_date", "starts", "starts is YYYY-MM-DD");
        if (year < 2000 || year > 2100)
            return svc_fail(c, SVC_INVALID, "err_range", "starts", "a year 2000–2100");
        v->starts = arena_strdup(c->arena, in->starts);
        v->year = year;
    }
    if (in->ends) {
        v->ends = NULL;
        int end_year = 0;
        if (*in->ends && !clock_parse_date(in->ends, NULL, &end_year))
            return svc_fail(c, SVC_INVALID, "err_date", "ends", "ends is YYYY-MM-DD");
        if (*in->ends && end_year > 2100)
            return svc_fail(c, SVC_INVALID, "err_range", "ends", "a year 2000–2100");
        if (*in->ends)
            v->ends = arena_strdup(c->arena, in->ends);
    }
    if (v->ends && strcmp(v->ends, v->starts) < 0)
        return svc_fail(c, SVC_INVALID, "err_exchange_ends", "ends",
                        "an exchange does not end before it starts");
    /* units and the side */
    int from_side = -1, host_side = -1;
    if (in->from_unit_id >= 0)
        v->from_unit_id = in->from_unit_id;
    if (in->host_unit_id >= 0)
        v->host_unit_id = in->host_unit_id;
    if (v->from_unit_id &&
        (rc = unit_of(c, v->from_unit_id, v->pairing_id, "from_unit_id", &from_side)) != SVC_OK)
        return rc;
    if (v->host_unit_id &&
        (rc = unit_of(c, v->host_unit_id, v->pairing_id, "host_unit_id", &host_side)) != SVC_OK)
        return rc;
    if (in->side >= 0) {
        if (in->side > 1)
            return svc_fail(c, SVC_INVALID, "err_side", "side", "the side is 0 or 1");
        v->side = in->side;
    } else if (create) {
        v->side = -1;
    }
    if (from_side >= 0) {
        if (in->side >= 0 && in->side != from_side)
            return svc_fail(c, SVC_INVALID, "err_exchange_side", "side",
                            "the side is the from unit's side");
        v->side = from_side;
    }
    if (v->side < 0)
        return svc_fail(c, SVC_INVALID, "err_required", "side",
                        "the sending (or organising) side is required");
    if (secondment) {
        if (!v->person_name)
            return svc_fail(c, SVC_INVALID, "err_required", "person_name",
                            "a secondment names its person");
        if (!v->from_unit_id)
            return svc_fail(c, SVC_INVALID, "err_required", "from_unit_id",
                            "a secondment names the unit the person comes from");
        if (!v->host_unit_id)
            return svc_fail(c, SVC_INVALID, "err_required", "host_unit_id",
                            "a secondment names its host unit");
        if (host_side == from_side)
            return svc_fail(c, SVC_INVALID, "err_exchange_host_side", "host_unit_id",
                            "the host unit is on the other side");
        if ((in->count_a >= 0 && in->count_a != (v->side == 0)) ||
            (in->count_b >= 0 && in->count_b != (v->side == 1)))
            return svc_fail(c, SVC_INVALID, "err_exchange_count_secondment", "count_a",
                            "a secondment counts one person of its side");
        if (in->set_names && in->n_names)
            return svc_fail(c, SVC_INVALID, "err_exchange_not_secondment", "names",
                            "a secondment names its one person");
        /* one person of the sending side: stored so that every sum of counts agrees */
        v->count_a = v->side == 0;
        v->count_b = v->side == 1;
    } else {
        if (in->id_number && *in->id_number)
            return svc_fail(c, SVC_INVALID, "err_exchange_personal", "id_number",
                            "personal data is kept for secondments only");
        if (in->phone && *in->phone)
            return svc_fail(c, SVC_INVALID, "err_exchange_personal", "phone",
                            "personal data is kept for secondments only");
        if (in->count_a >= 0) {
            if (in->count_a > EXCHANGE_COUNT_MAX)
                return svc_fail(c, SVC_INVALID, "err_range", "count_a", "at most %d people",
                                EXCHANGE_COUNT_MAX);
            v->count_a = in->count_a;
        }
        if (in->count_b >= 0) {
            if (in->count_b > EXCHANGE_COUNT_MAX)
                return svc_fail(c, SVC_INVALID, "err_range", "count_b", "at most %d people",
                                EXCHANGE_COUNT_MAX);
            v->count_b = in->count_b;
        }
        if (v->count_a + v->count_b < 1)
            return svc_fail(c, SVC_INVALID, "err_exchange_count", "count_a",
                            "an exchange counts at least one person");
        if (in->set_names) {
            if (in->n_names > EXCHANGE_NAMES_MAX)
                return svc_fail(c, SVC_INVALID, "err_range", "names", "at most %d names",
                                EXCHANGE_NAMES_MAX);
            const char **names = arena_alloc(c->arena, (in->n_names + 1) * sizeof *names);
            size_t k = 0;
            for (size_t i = 0; i < in->n_names; i++) {
                const char *name;
                if ((rc = text_field(c, in->names[i], false, EXCHANGE_SHORT_MAX, "names",
                                     &name)) != SVC_OK)
                    return rc;
                if (name)
                    names[k++] = name;
            }
            v->names = names;
            v->n_names = k;
        }
        if ((int64_t)v->n_names > v->count_a + v->count_b)
            return svc_fail(c, SVC_INVALID, "err_exchange_names", "names",
                            "more names than people counted");
    }
    if (in->task_id >= 0) {
        v->task_id = in->task_id;
        if (in->task_id) {
            int64_t p = svc_task_pairing(c, in->task_id);
            if (p < 0)
                return svc_store_failed(c, "exchange", "reading the task");
            if (!p || perm_pairing_root(c, p) != v->pairing_id)
                return svc_fail(c, SVC_INVALID, "err_task_unknown", "task_id",
                                "task %lld is not of this pairing's plan",
                                (long long)in->task_id);
        }
    }
    /* personal data last: who may set it depends on the side just settled. Moving a
     * secondment to the other side hands its personal data to that side's lead office: only
     * one who may see it now may do so. */
    if (!create && v->side != old_side && (v->id_sealed_ || v->phone_sealed_) &&
        !exchange_sees_personal(c, v->pairing_id, old_side))
        return svc_fail(c, SVC_FORBIDDEN, "err_exchange_personal_forbidden", "from_unit_id",
                        "the sending side's lead office keeps the personal data");
    bool id_set = in->id_number != NULL, phone_set = in->phone != NULL;
    if ((id_set || phone_set) && !exchange_sees_personal(c, v->pairing_id, v->side) &&
        ((id_set && (*in->id_number || v->id_sealed_)) ||
         (phone_set && (*in->phone || v->phone_sealed_))))
        return svc_fail(c, SVC_FORBIDDEN, "err_exchange_personal_forbidden",
                        id_set ? "id_number" : "phone",
                        "the sending side's lead office keeps the personal data");
    if (id_set && (rc = personal(c, in->id_number, true, v->id_number, v->personal_unavailable,
                                 &v->id_sealed_, personal_changed)) != SVC_OK)
        return rc;
    if (phone_set && (rc = personal(c, in->phone, false, v->phone, v->personal_unavailable,
                                    &v->phone_sealed_, personal_changed)) != SVC_OK)
        return rc;
    return SVC_OK;
}

static const char *names_text(struct ctx *c, const struct exchange_view *v)
{
    if (!v->n_names)
        return NULL;
    struct sb b = SB_INIT;
    for (size_t i = 0; i < v->n_names; i++)
        sb_appendf(&b, "%s%s", i ? "\n" : "", v->names[i]);
    const char *s = arena_strdup(c->arena, sb_str(&b));
    sb_free(&b);
    return s;
}

static void bind_opt_text(struct stmt *st, const char *name, const char *s)
{
    if (s)
        db_bind_text(st, name, s);
    else
        db_bind_null(st, name);
}

static void bind_fields(struct ctx *c, struct stmt *st, const struct exchange_view *v)
{
    db_bind_text(st, ":title", v->title);
    bind_opt_text(st, ":person", v->person_name);
    bind_opt_text(st, ":ids", v->id_sealed_);
    bind_opt_text(st, ":phs", v->phone_sealed_);
    svc_bind_opt_id(st, ":from", v->from_unit_id);
    svc_bind_opt_id(st, ":host", v->host_unit_id);
    db_bind_int64(st, ":side", v->side);
    bind_opt_text(st, ":post", v->post);
    bind_opt_text(st, ":field", v->field);
    db_bind_text(st, ":starts", v->starts);
    bind_opt_text(st, ":ends", v->ends);
    db_bind_int64(st, ":year", v->year);
    bind_opt_text(st, ":place", v->place);
    db_bind_int64(st, ":ca", v->count_a);
    db_bind_int64(st, ":cb", v->count_b);
    bind_opt_text(st, ":names", names_text(c, v));
    svc_bind_opt_id(st, ":task", v->task_id);
    bind_opt_text(st, ":purpose", v->purpose);
}

int exchange_create(struct ctx *c, const struct exchange_input *in, int64_t *id)
{
    struct exchange_view v;
    memset(&v, 0, sizeof v);
    if (!exchange_may_create(c))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                        "the lead offices record exchanges");
    v.pairing_id = in->pairing_id;
    if (!v.pairing_id && !perm_is_admin_user(c))
        v.pairing_id = c->user->pairing_id;
    if (!v.pairing_id || perm_pairing_root(c, v.pairing_id) != v.pairing_id)
        return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing_id",
                        "pairing %lld is not a province pairing", (long long)v.pairing_id);
    if (!perm_is_admin_user(c) && c->user->pairing_id != v.pairing_id)
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "another pairing");
    v.kind = exchange_kind_from(in->kind);
    if (v.kind == EXCHANGE_KIND_N)
        return svc_fail(c, SVC_INVALID, in->kind ? "err_exchange_kind" : "err_required", "kind",
                        "unknown kind of exchange");
    bool personal_changed = false;
    int rc = check_input(c, in, true, &v, &personal_changed);
    if (rc != SVC_OK)
        return rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "exchange", "starting the transaction");
    struct stmt st;
    db_prepare(c->db, &st,
               "INSERT INTO exchange (pairing_id, kind, title, person_name, id_number_sealed, "
               "phone_sealed, from_unit_id, host_unit_id, side, post, field, starts, ends, year, "
               "place, count_a, count_b, names, task_id, purpose, created_by, created_at, "
               "updated_at) VALUES (:p, :kind, :title, :person, :ids, :phs, :from, :host, "
               ":side, :post, :field, :starts, :ends, :year, :place, :ca, :cb, :names, :task, "
               ":purpose, :by, :now, :now)");
    db_bind_int64(&st, ":p", v.pairing_id);
    db_bind_text(&st, ":kind", exchange_kind_name(v.kind));
    bind_fields(c, &st, &v);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":now", svc_now(c));
    int s = db_step(&st);
    db_finalize(&st);
    v.id = db_last_insert_id(c->db);
    if (s < 0 ||
        audit_append(c->db, c->actor, "exchange.create", "exchange", v.id, NULL,
                     exchange_json(c, &v), c->client) < 0 ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "exchange", "storing the exchange");
        db_rollback(c->db);
        return rc;
    }
    if (id)
        *id = v.id;
    return SVC_OK;
}

int exchange_edit(struct ctx *c, int64_t id, const struct exchange_input *in)
{
    struct exchange_view old, v;
    int rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "exchange", "starting the transaction");
    if ((rc = exchange_get(c, id, &old)) != SVC_OK)
        goto done;
    if (!exchange_may_write(c, &old)) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "the lead offices edit exchanges");
        goto done;
    }
    if (in->if_updated_at && strcmp(in->if_updated_at, old.updated_at) != 0) {
        rc = svc_fail(c, SVC_STALE, "err_stale", NULL, "exchange %lld changed meanwhile",
                      (long long)id);
        goto done;
    }
    if (in->kind && exchange_kind_from(in->kind) != old.kind) {
        rc = svc_fail(c, SVC_INVALID, "err_fixed", "kind", "the kind of an exchange is fixed");
        goto done;
    }
    v = old;
    bool personal_changed = false;
    if ((rc = check_input(c, in, false, &v, &personal_changed)) != SVC_OK)
        goto done;
    const char *before = exchange_json(c, &old), *after = exchange_json(c, &v);
    if (strcmp(before, after) == 0 && !personal_changed)
        goto done;
    if (personal_changed) {
        /* the image cannot show the new sealed datum: it says that one moved */
        size_t n = strlen(after);
        after = arena_printf(c->arena, "%.*s,\"personal_changed\":true}", (int)(n - 1), after);
    }
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE exchange SET title = :title, person_name = :person, id_number_sealed = "
               ":ids, phone_sealed = :phs, from_unit_id = :from, host_unit_id = :host, side = "
               ":side, post = :post, field = :field, starts = :starts, ends = :ends, year = "
               ":year, place = :place, count_a = :ca, count_b = :cb, names = :names, task_id = "
               ":task, purpose = :purpose, updated_at = :now WHERE id = :id AND updated_at = "
               ":seen");
    bind_fields(c, &st, &v);
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    db_bind_text(&st, ":seen", old.updated_at);
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0 ||
        audit_append(c->db, c->actor, "exchange.update", "exchange", id, before, after,
                     c->client) < 0 ||
        db_commit(c->db) < 0)
        rc = svc_store_failed(c, "exchange", "updating the exchange");
done:
    db_rollback(c->db);
    return rc;
}

/* ---- counts -------------------------------------------------------------------------- */

int exchange_counts(struct ctx *c, int64_t pairing_id, int year, struct exchange_counts *out)
{
    memset(out, 0, sizeof *out);
    if (!pairing_id && c->user && !perm_is_admin_user(c))
        pairing_id = c->user->pairing_id;
    int rc = perm_read_pairing(c, pairing_id);
    if (rc != SVC_OK)
        return rc;
    pairing_id = perm_pairing_root(c, pairing_id);
    if (!pairing_id)
        return svc_fail(c, SVC_NOT_FOUND, "err_pairing_unknown", "pairing", "no such pairing");
    out->pairing_id = pairing_id;
    out->year = year ? year : light_this_year();
    struct stmt st;
    int s;
    /* a secondment is one person of its sending side, whatever its counts say */
    db_prepare(c->db, &st,
               "SELECT kind, side, count(*), sum(count_a), sum(count_b) FROM exchange WHERE "
               "pairing_id = :p AND year = :y GROUP BY kind, side");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", out->year);
    while ((s = db_step(&st)) == DB_ROW) {
        enum exchange_kind k = exchange_kind_from(db_col_text(&st, 0));
        if (k == EXCHANGE_KIND_N)
            continue;
        int side = (int)db_col_int64(&st, 1) == 1;
        int64_t entries = db_col_int64(&st, 2);
        struct exchange_kind_count *kc = &out->kind[k];
        kc->entries += entries;
        if (k == EXCHANGE_SECONDMENT) {
            kc->people[side] += entries;
        } else {
            kc->people[0] += db_col_int64(&st, 3);
            kc->people[1] += db_col_int64(&st, 4);
        }
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "exchange", "counting exchanges");
    for (int k = 0; k < EXCHANGE_KIND_N; k++)
        for (int side = 0; side < 2; side++)
            out->people[side] += out->kind[k].people[side];
    /* the targets of the tasks the year's exchanges serve */
    db_prepare(c->db, &st,
               "SELECT x.kind, g.task_id, t.number, g.text, coalesce(g.min, -1), "
               "coalesce(g.max, -1), g.unit, g.per FROM (SELECT DISTINCT kind, task_id FROM "
               "exchange WHERE pairing_id = :p AND year = :y AND task_id IS NOT NULL) x "
               "JOIN target g ON g.task_id = x.task_id JOIN task t ON t.id = g.task_id "
               "ORDER BY x.kind, t.number, g.id");
    db_bind_int64(&st, ":p", pairing_id);
    db_bind_int64(&st, ":y", out->year);
    size_t caps[EXCHANGE_KIND_N] = {0};
    while ((s = db_step(&st)) == DB_ROW) {
        enum exchange_kind k = exchange_kind_from(db_col_text(&st, 0));
        if (k == EXCHANGE_KIND_N)
            continue;
        struct exchange_kind_count *kc = &out->kind[k];
        struct exchange_target *t = ARRAY_PUSH(c->arena, kc->targets, kc->n_targets, caps[k]);
        t->task_id = db_col_int64(&st, 1);
        t->task_number = (int)db_col_int64(&st, 2);
        t->text = svc_col(c, &st, 3);
        t->min = db_col_int64(&st, 4);
        t->max = db_col_int64(&st, 5);
        t->unit = svc_col(c, &st, 6);
        t->per = svc_col(c, &st, 7);
    }
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "exchange", "reading the targets") : SVC_OK;
}

bool exchange_has_sealed(struct ctx *c)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT 1 FROM exchange WHERE id_number_sealed IS NOT NULL OR phone_sealed IS NOT "
               "NULL LIMIT 1");
    int s = db_step(&st);
    db_finalize(&st);
    return s != DB_DONE;
}
