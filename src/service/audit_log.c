/* audit_log: the audit log read back, newest first (rules in audit_log.h). The page is a
 * range on the id downwards (keyset: `after` is the last id of the previous page), so a deep
 * page costs what the first one does. A leader's range is of audit_scope, the rows of the
 * leader's pairing (written with each row: migration 7), so it reads only those. An admin's
 * filters are checked row by row on the walk back through the whole log, so a filter that
 * matches few rows walks until it fills a page: fine at the sizes of one deployment's log
 * (tests/explain/bounded.txt says so); an index on (action, id) or (actor, id) is the fix if
 * it is not. */
#include "service/audit_log.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/sb.h"
#include "service/auth.h"
#include "service/perm.h"
#include "store/audit.h"
#include "store/db.h"

/* ---- times ------------------------------------------------------------------------------ */

/* n decimal digits at *p into *v; advances *p. */
static bool digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        x = x * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *v = x;
    return true;
}

const char *audit_log_time(struct ctx *c, const char *s)
{
    if (!s)
        return NULL;
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return NULL;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return NULL;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &sec))
                return NULL;
            if (*p == '.' || *p == ',') {
                p++;
                int k = 0;
                while (isdigit((unsigned char)*p)) {
                    if (k < 3)
                        ms = ms * 10 + (*p - '0');
                    k++;
                    p++;
                }
                if (k == 0 || k > 9)
                    return NULL;
                for (; k < 3; k++)
                    ms *= 10;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || oh > 14 || om > 59)
                return NULL;
            off = sign * (oh * 60 + om);
        }
    }
    if (*p || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || sec > 59)
        return NULL;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(&tm);
    if (tm.tm_mday != d || tm.tm_mon != mo - 1) /* 2026-02-30 rolled over */
        return NULL;
    int64_t at = ((int64_t)t - (int64_t)off * 60) * 1000 + ms;
    if (at < 0)
        return NULL;
    char *out = arena_alloc(c->arena, 25);
    clock_format(at, out);
    return out;
}

/* ---- kinds of action ------------------------------------------------------------------- */

const struct audit_kind audit_log_kinds[] = {
    {"sign_in", {"auth.", NULL}},          {"account", {"user.", NULL}},
    {"unit", {"unit.", NULL}},             {"pairing", {"pairing.", "region."}},
    {"plan", {"plan.", "assignment."}},    {"work_plan", {"work_plan.", "work_item."}},
    {"report", {"report.submit", NULL}},   {"review", {"report.review", NULL}},
    {"notice", {"notice.", NULL}},         {"audit", {"audit.", NULL}},
};
const size_t audit_log_n_kinds = sizeof audit_log_kinds / sizeof *audit_log_kinds;

const struct audit_kind *audit_log_kind(const char *name)
{
    for (size_t i = 0; name && i < audit_log_n_kinds; i++)
        if (strcmp(name, audit_log_kinds[i].name) == 0)
            return &audit_log_kinds[i];
    return NULL;
}

/* s as a LIKE pattern for "contains s", with '!' escaping the wildcards. */
static const char *like_pattern(struct ctx *c, const char *s)
{
    struct sb b = SB_INIT;
    sb_append(&b, "%");
    for (const char *p = s; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!')
            sb_append(&b, "!");
        sb_appendn(&b, p, 1);
    }
    sb_append(&b, "%");
    const char *out = arena_strdup(c->arena, sb_str(&b));
    sb_free(&b);
    return out;
}

/* ---- names ------------------------------------------------------------------------------ */

/* Per kind of object: a query for its names, "IN (…)" appended; columns key, name, unit. */
static const struct {
    const char *entity, *sql;
} name_sql[] = {
    {"unit", "SELECT id, name, NULL FROM unit WHERE id IN "},
    {"users", "SELECT u.id, u.name, n.name FROM users u LEFT JOIN unit n ON n.id = u.unit_id "
              "WHERE u.id IN "},
    {"login", "SELECT u.login, u.name, n.name FROM users u LEFT JOIN unit n "
              "ON n.id = u.unit_id WHERE u.login IN "},
    {"plan", "SELECT id, title, NULL FROM plan WHERE id IN "},
    {"task", "SELECT id, title, NULL FROM task WHERE id IN "},
    {"work_plan", "SELECT w.id, CAST(w.year AS TEXT) || ' ' || p.name_a || '—' || p.name_b, "
                  "NULL FROM work_plan w JOIN pairing p ON p.id = w.pairing_id WHERE w.id IN "},
    {"work_item", "SELECT id, title, NULL FROM work_item WHERE id IN "},
    {"report", "SELECT r.id, i.title || ' ' || r.period, NULL FROM report r "
               "JOIN work_item i ON i.id = r.work_item_id WHERE r.id IN "},
    {"notice", "SELECT id, title, NULL FROM notice WHERE id IN "},
    {"pairing", "SELECT id, name_a || '—' || name_b, NULL FROM pairing WHERE id IN "},
};

static bool ref_is(const struct audit_ref *r, const char *entity)
{
    return r->entity && strcmp(r->entity, entity) == 0 &&
           (strcmp(entity, "login") == 0 ? r->login != NULL : r->id > 0);
}

int audit_log_names(struct ctx *c, struct audit_ref *refs, size_t n)
{
    for (size_t k = 0; k < sizeof name_sql / sizeof *name_sql; k++) {
        const char *entity = name_sql[k].entity;
        bool login = strcmp(entity, "login") == 0;
        struct sb q = SB_INIT;
        sb_append(&q, name_sql[k].sql);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (ref_is(&refs[i], entity))
                sb_appendf(&q, "%s:i%zu", m++ ? ", " : "(", i);
        if (!m) {
            sb_free(&q);
            continue;
        }
        sb_append(&q, ")");
        struct stmt st;
        db_prepare(c->db, &st, sb_str(&q));
        sb_free(&q);
        for (size_t i = 0; i < n; i++)
            if (ref_is(&refs[i], entity)) {
                char name[32];
                snprintf(name, sizeof name, ":i%zu", i);
                if (login)
                    db_bind_text(&st, name, refs[i].login);
                else
                    db_bind_int64(&st, name, refs[i].id);
            }
        int s;
        while ((s = db_step(&st)) == DB_ROW) {
            const char *key = db_col_text(&st, 0);
            int64_t id = db_col_int64(&st, 0);
            const char *nm = arena_strdup(c->arena, db_col_text(&st, 1));
            const char *unit = db_col_is_null(&st, 2) ? NULL
                                                      : arena_strdup(c->arena, db_col_text(&st, 2));
            for (size_t i = 0; i < n; i++)
                if (ref_is(&refs[i], entity) &&
                    (login ? strcmp(refs[i].login, key) == 0 : refs[i].id == id)) {
                    refs[i].name = nm;
                    refs[i].unit = unit;
                }
        }
        db_finalize(&st);
        if (s < 0)
            return svc_fail(c, SVC_ERROR, "err_internal", NULL, "naming the audit log failed");
    }
    return SVC_OK;
}

/* ---- listing ---------------------------------------------------------------------------- */

int audit_log_list(struct ctx *c, const struct audit_filter *f, struct audit_entry **out,
                   size_t *n, int64_t *next_after)
{
    *out = NULL;
    *n = 0;
    *next_after = 0;
    int64_t scope = 0; /* the leader's province pairing; 0: everything */
    /* 三员分立 under --mlps: the audit administrator reads it all, other administrators none */
    bool admin = perm_admin_acts_as(c, ADMIN_AUDIT);
    if (!admin) {
        if (c->user->role != ROLE_LEADER || c->user->pairing_id <= 0)
            return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                            "%s may not read the audit log (admins and leaders only)",
                            c->user->login);
        scope = c->user->pairing_id;
    }
    /* and under --mlps the rows an administrator or the command line wrote are its alone:
     * audit_by_admin, decided as each row was written (migration 24), not by today's roles */
    bool hide_admins = !admin && auth_policy.mlps;
    int limit = f->limit <= 0 ? AUDIT_LIST_DEFAULT : f->limit;
    if (limit > AUDIT_LIST_MAX)
        limit = AUDIT_LIST_MAX;
    const char *actor = f->actor;
    if (actor && !strchr(actor, ':') && strcmp(actor, "public") != 0 &&
        strcmp(actor, "anonymous") != 0)
        actor = arena_printf(c->arena, "user:%s", actor);
    size_t alen = f->action ? strlen(f->action) : 0;
    bool prefix = alen > 0 && f->action[alen - 1] == '.';

    /* One row more than asked for tells whether another page follows. A leader's page is a
     * range of audit_scope (pairing, id), written with each row (migration 7); an admin's
     * walks the log back by id, which the filters narrow row by row. */
#define AUDIT_FILTERS                                                                         \
    "AND (:actor IS NULL OR a.actor = :actor) "                                               \
    "AND (:action IS NULL OR (:prefix = 0 AND a.action = :action) "                           \
    "     OR (:prefix = 1 AND substr(a.action, 1, length(:action)) = :action)) "              \
    "AND (:entity IS NULL OR a.entity = :entity) "                                            \
    "AND (:eid = 0 OR a.entity_id = :eid) "                                                   \
    "AND (:since IS NULL OR a.at >= :since) "                                                 \
    "AND (:until IS NULL OR a.at < :until) "                                                 \
    "AND (:hide = 0 OR NOT EXISTS (SELECT 1 FROM audit_by_admin b WHERE b.audit_id = a.id)) " \
    "AND (:person IS NULL OR a.actor = 'user:' || :person OR a.actor IN (SELECT "            \
    "     'user:' || u.login FROM users u WHERE u.name LIKE :ppat ESCAPE '!')) "              \
    "AND (:unit IS NULL OR a.actor IN (SELECT 'user:' || u.login FROM users u JOIN unit n "   \
    "     ON n.id = u.unit_id WHERE n.name LIKE :unit ESCAPE '!') OR (a.entity = 'unit' AND " \
    "     a.entity_id IN (SELECT n.id FROM unit n WHERE n.name LIKE :unit ESCAPE '!'))) "      \
    "AND (:k1 IS NULL OR substr(a.action, 1, length(:k1)) = :k1 "                             \
    "     OR substr(a.action, 1, length(:k2)) = :k2) "                                        \
    "AND (:nosign = 0 OR substr(a.action, 1, 5) <> 'auth.') "
#define AUDIT_COLUMNS                                                                         \
    "SELECT a.id, a.at, a.actor, a.action, a.entity, coalesce(a.entity_id, 0), a.before, "   \
    "a.after, a.client "
    struct stmt st;
    if (scope)
        db_prepare(c->db, &st,
                   AUDIT_COLUMNS "FROM audit_scope s JOIN audit a ON a.id = s.audit_id "
                                 "WHERE s.pairing_id = :p AND s.audit_id < :after " AUDIT_FILTERS
                                 "ORDER BY s.audit_id DESC LIMIT :limit");
    else
        db_prepare(c->db, &st,
                   AUDIT_COLUMNS "FROM audit a WHERE a.id < :after " AUDIT_FILTERS
                                 "ORDER BY a.id DESC LIMIT :limit");
#undef AUDIT_FILTERS
#undef AUDIT_COLUMNS
    db_bind_int64(&st, ":after", f->after > 0 ? f->after : INT64_MAX);
    db_bind_text(&st, ":actor", actor);
    db_bind_text(&st, ":action", alen ? f->action : NULL);
    db_bind_int64(&st, ":prefix", prefix);
    db_bind_text(&st, ":entity", f->entity && *f->entity ? f->entity : NULL);
    db_bind_int64(&st, ":eid", f->entity_id > 0 ? f->entity_id : 0);
    db_bind_text(&st, ":since", f->since);
    db_bind_text(&st, ":until", f->until);
    db_bind_int64(&st, ":hide", hide_admins);
    bool person = f->person && *f->person, unit = f->unit && *f->unit;
    db_bind_text(&st, ":person", person ? f->person : NULL);
    db_bind_text(&st, ":ppat", person ? like_pattern(c, f->person) : NULL);
    db_bind_text(&st, ":unit", unit ? like_pattern(c, f->unit) : NULL);
    const struct audit_kind *k = f->kind && *f->kind ? audit_log_kind(f->kind) : NULL;
    db_bind_text(&st, ":k1", k ? k->prefix[0] : NULL);
    db_bind_text(&st, ":k2", k ? (k->prefix[1] ? k->prefix[1] : k->prefix[0]) : NULL);
    db_bind_int64(&st, ":nosign", f->no_sign_ins);
    if (scope)
        db_bind_int64(&st, ":p", scope);
    db_bind_int64(&st, ":limit", limit + 1);
    size_t cap = 0;
    int s;
    while ((s = db_step(&st)) == DB_ROW) {
        if (*n == (size_t)limit) {
            *next_after = (*out)[*n - 1].id;
            break;
        }
        struct audit_entry *e = ARRAY_PUSH(c->arena, *out, *n, cap);
        e->id = db_col_int64(&st, 0);
        e->at = arena_strdup(c->arena, db_col_text(&st, 1));
        e->actor = arena_strdup(c->arena, db_col_text(&st, 2));
        e->action = arena_strdup(c->arena, db_col_text(&st, 3));
        e->entity = arena_strdup(c->arena, db_col_text(&st, 4));
        e->entity_id = db_col_int64(&st, 5);
        e->before = db_col_is_null(&st, 6) ? NULL : arena_strdup(c->arena, db_col_text(&st, 6));
        e->after = db_col_is_null(&st, 7) ? NULL : arena_strdup(c->arena, db_col_text(&st, 7));
        e->client = !admin || db_col_is_null(&st, 8) ? NULL
                                                     : arena_strdup(c->arena, db_col_text(&st, 8));
    }
    db_finalize(&st);
    if (s < 0)
        return svc_fail(c, SVC_ERROR, "err_internal", NULL, "reading the audit log failed");
    return SVC_OK;
}

/* ---- readings and refusals, audited under --mlps --------------------------------------- */

/* after (JSON text) as the row of action, in a transaction of its own. */
static int record(struct ctx *c, const char *action, const char *entity, struct sb *after)
{
    const char *actor = c->actor ? c->actor : "anonymous";
    int rc = SVC_OK;
    if (db_begin(c->db) < 0 ||
        audit_append(c->db, actor, action, entity, 0, NULL, sb_str(after), c->client) < 0 ||
        db_commit(c->db) < 0) {
        db_rollback(c->db);
        rc = svc_fail(c, SVC_ERROR, "err_internal", NULL, "recording %s failed", action);
    }
    sb_free(after);
    return rc;
}

/* key: s, or nothing when s is NULL (no such filter). */
static void kstr_if(struct jw *w, const char *key, const char *s)
{
    if (s)
        jw_kstr(w, key, s);
}

int audit_log_record_read(struct ctx *c, const char *action, const struct audit_filter *f,
                          const char *format, size_t rows)
{
    if (!auth_policy.mlps)
        return SVC_OK;
    struct sb b = SB_INIT;
    struct jw w;
    jw_init(&w, &b, false);
    jw_obj(&w);
    jw_key(&w, "filters");
    jw_obj(&w);
    kstr_if(&w, "actor", f->actor);
    kstr_if(&w, "action", f->action);
    kstr_if(&w, "entity", f->entity);
    if (f->entity_id > 0)
        jw_kint(&w, "entity_id", f->entity_id);
    kstr_if(&w, "since", f->since);
    kstr_if(&w, "until", f->until);
    kstr_if(&w, "person", f->person);
    kstr_if(&w, "unit", f->unit);
    kstr_if(&w, "kind", f->kind);
    if (f->no_sign_ins)
        jw_kbool(&w, "no_sign_ins", true);
    if (f->after > 0)
        jw_kint(&w, "after", f->after);
    jw_obj_end(&w);
    kstr_if(&w, "format", format);
    jw_kint(&w, "rows", (int64_t)rows);
    jw_obj_end(&w);
    return record(c, action, "audit", &b);
}

int audit_log_record_denied(struct ctx *c, const char *method, const char *path,
                            const char *code)
{
    if (!auth_policy.mlps)
        return SVC_OK;
    const char *kept_code = c->code, *kept_error = c->error, *kept_field = c->field;
    struct sb b = SB_INIT;
    struct jw w;
    jw_init(&w, &b, false);
    jw_obj(&w);
    jw_kstr(&w, "method", method);
    jw_kstr(&w, "path", path);
    kstr_if(&w, "code", code);
    jw_obj_end(&w);
    int rc = record(c, "auth.denied", "route", &b);
    c->code = kept_code, c->error = kept_error, c->field = kept_field;
    return rc;
}
