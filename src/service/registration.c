/* registration: who registers for an event, the waiting list and the check-in
 * (service/event.h). Every check of a free seat and the write that takes it run in one
 * transaction, and db_begin takes the write lock at once, so two organisers giving the last
 * seat at the same moment are served one after the other: never over capacity. */
#include "service/event.h"

#include <string.h>

#include "core/mem.h"
#include "service/internal.h"
#include "service/notification.h"
#include "service/perm.h"
#include "store/audit.h"
#include "store/db.h"

#define REGISTRATION_COLUMNS                                                                 \
    "SELECT g.id, g.event_id, g.number, coalesce(g.enterprise_id, 0), "                     \
    "coalesce(g.unit_id, 0), g.side, coalesce(en.name, n.name), en.credit_code, g.status, " \
    "g.queued_at, ru.login, g.checked_in_at, cu.login, g.updated_at, "                      \
    "CASE WHEN g.status = 'waiting' THEN (SELECT count(*) FROM registration w WHERE "       \
    "w.event_id = g.event_id AND w.status = 'waiting' AND (w.queued_at < g.queued_at OR "   \
    "(w.queued_at = g.queued_at AND w.id <= g.id))) ELSE 0 END "                             \
    "FROM registration g LEFT JOIN enterprise en ON en.id = g.enterprise_id "                \
    "LEFT JOIN unit n ON n.id = g.unit_id LEFT JOIN users ru ON ru.id = g.registered_by "    \
    "LEFT JOIN users cu ON cu.id = g.checked_in_by "

static void row(struct ctx *c, struct stmt *st, struct registration_view *v)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->event_id = db_col_int64(st, 1);
    v->number = db_col_int64(st, 2);
    v->enterprise_id = db_col_int64(st, 3);
    v->unit_id = db_col_int64(st, 4);
    v->side = (int)db_col_int64(st, 5);
    v->name = svc_col(c, st, 6);
    v->credit_code = svc_col(c, st, 7);
    v->status = svc_col(c, st, 8);
    v->queued_at = svc_col(c, st, 9);
    v->registered_by = svc_col(c, st, 10);
    v->checked_in_at = svc_col(c, st, 11);
    v->checked_in_by = svc_col(c, st, 12);
    v->updated_at = svc_col(c, st, 13);
    v->position = db_col_int64(st, 14);
}

/* The ways a registration is looked up, each its own literal statement (the store keeps
 * prepared statements by their SQL text's address: never a built string). */
enum by { BY_ID, BY_ENTERPRISE, BY_UNIT, BY_NUMBER, BY_FIRST_WAITING };

static int read_one(struct ctx *c, enum by by, int64_t a, int64_t b,
                    struct registration_view *out)
{
    struct stmt st;
    switch (by) {
    case BY_ID:
        db_prepare(c->db, &st, REGISTRATION_COLUMNS "WHERE g.id = :a");
        break;
    case BY_ENTERPRISE:
        db_prepare(c->db, &st,
                   REGISTRATION_COLUMNS "WHERE g.event_id = :a AND g.enterprise_id = :b");
        break;
    case BY_UNIT:
        db_prepare(c->db, &st, REGISTRATION_COLUMNS "WHERE g.event_id = :a AND g.unit_id = :b");
        break;
    case BY_NUMBER:
        db_prepare(c->db, &st, REGISTRATION_COLUMNS "WHERE g.event_id = :a AND g.number = :b");
        break;
    default:
        db_prepare(c->db, &st,
                   REGISTRATION_COLUMNS "WHERE g.event_id = :a AND g.status = 'waiting' "
                                        "ORDER BY g.queued_at, g.id LIMIT 1");
        break;
    }
    db_bind_int64(&st, ":a", a);
    if (by != BY_ID && by != BY_FIRST_WAITING)
        db_bind_int64(&st, ":b", b);
    int s = db_step(&st);
    if (s == DB_ROW)
        row(c, &st, out);
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "registration", "reading the registration");
    return s == DB_ROW ? SVC_OK : SVC_NOT_FOUND;
}

static const char *registration_json(struct ctx *c, const struct registration_view *v)
{
    struct svc_json j;
    struct jw *w = svc_json_begin(&j);
    jw_kint(w, "event_id", v->event_id);
    jw_kint(w, "number", v->number);
    if (v->enterprise_id)
        jw_kint(w, "enterprise_id", v->enterprise_id);
    else
        jw_kint(w, "unit_id", v->unit_id);
    jw_kint(w, "side", v->side);
    jw_kstr(w, "status", v->status);
    jw_kstr(w, "checked_in_at", v->checked_in_at);
    return svc_json_end(c, &j);
}

/* Re-reads registration id (in the open transaction) and appends its audit row. */
static int audit_row(struct ctx *c, const char *action, int64_t id, const char *before)
{
    struct registration_view v;
    if (read_one(c, BY_ID, id, 0, &v) != SVC_OK)
        return -1;
    return audit_append(c->db, c->actor, action, "registration", id, before,
                        registration_json(c, &v), c->client);
}

int registration_get(struct ctx *c, int64_t id, struct registration_view *out)
{
    int rc = read_one(c, BY_ID, id, 0, out);
    if (rc == SVC_NOT_FOUND)
        return svc_fail(c, SVC_NOT_FOUND, "err_not_found", NULL, "there is no registration %lld",
                        (long long)id);
    if (rc != SVC_OK)
        return rc;
    struct event_view e;
    return event_get(c, out->event_id, &e);
}

int registration_list(struct ctx *c, int64_t event_id, struct registration_view **out,
                      size_t *n)
{
    *out = NULL;
    *n = 0;
    struct event_view e;
    int rc = event_get(c, event_id, &e);
    if (rc != SVC_OK)
        return rc;
    struct stmt st;
    size_t cap = 0;
    int s;
    db_prepare(c->db, &st, REGISTRATION_COLUMNS "WHERE g.event_id = :e ORDER BY g.number");
    db_bind_int64(&st, ":e", event_id);
    while ((s = db_step(&st)) == DB_ROW)
        row(c, &st, ARRAY_PUSH(c->arena, *out, *n, cap));
    db_finalize(&st);
    return s < 0 ? svc_store_failed(c, "registration", "listing registrations") : SVC_OK;
}

const char *registration_qr_text(struct ctx *c, int64_t event_id, int64_t number)
{
    return arena_printf(c->arena, "/events/%lld/checkin?number=%lld", (long long)event_id,
                        (long long)number);
}

/* Registrations holding a seat. -1 when the store fails. */
static int64_t seats_taken(struct ctx *c, int64_t event_id)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT count(*) FROM registration WHERE event_id = :e AND status = 'registered'");
    db_bind_int64(&st, ":e", event_id);
    int s = db_step(&st);
    int64_t n = s == DB_ROW ? db_col_int64(&st, 0) : -1;
    db_finalize(&st);
    return n;
}

int event_fill_seats(struct ctx *c, int64_t event_id, int64_t capacity, int64_t *first)
{
    *first = 0;
    /* a cancelled or finished event gives no seats: its waiting list stays as it was */
    char now[17];
    event_now_local(now);
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT 1 FROM event WHERE id = :e AND state = 'planned' AND ends >= :now");
    db_bind_int64(&st, ":e", event_id);
    db_bind_text(&st, ":now", now);
    int open = db_step(&st);
    db_finalize(&st);
    if (open < 0)
        return -1;
    if (open != DB_ROW)
        return 0;
    for (;;) {
        int64_t taken = seats_taken(c, event_id);
        if (taken < 0)
            return -1;
        if (capacity && taken >= capacity)
            return 0;
        struct registration_view w;
        int rc = read_one(c, BY_FIRST_WAITING, event_id, 0, &w);
        if (rc == SVC_NOT_FOUND)
            return 0;
        if (rc != SVC_OK)
            return -1;
        db_prepare(c->db, &st,
                   "UPDATE registration SET status = 'registered', updated_at = :now WHERE id = "
                   ":id");
        db_bind_text(&st, ":now", svc_now_after(c, w.updated_at));
        db_bind_int64(&st, ":id", w.id);
        int s = db_step(&st);
        db_finalize(&st);
        if (s < 0 || audit_row(c, "registration.promote", w.id, registration_json(c, &w)) < 0 ||
            notification_event_registration(c, w.id, event_id, "registered") < 0)
            return -1;
        if (!*first)
            *first = w.id;
    }
}

/* Whether c may register (or withdraw) for side's enterprise or unit_id (0: an enterprise)
 * at event e: its organisers anyone; a coordinator of the side anything of it; a member
 * their own unit or an enterprise of their side; a leader reads only. */
static bool may_register(struct ctx *c, const struct event_view *e, int side, int64_t unit_id)
{
    if (event_may_organise(c, e))
        return true;
    const struct user *u = c->user;
    if (u->pairing_id != e->pairing_id || u->side != side)
        return false;
    if (u->role == ROLE_COORDINATOR)
        return true;
    if (u->role != ROLE_MEMBER)
        return false;
    return unit_id ? unit_id == u->unit_id : true;
}

/* The side of the enterprise or unit to register, checked to be of the event's pairing;
 * a merged enterprise stands for the one it was merged into. */
static int party_scope(struct ctx *c, const struct event_view *e, int64_t *enterprise_id,
                       int64_t unit_id, int *side)
{
    if ((*enterprise_id != 0) == (unit_id != 0))
        return svc_fail(c, SVC_INVALID, "err_registration_party", "enterprise_id",
                        "an enterprise or a unit registers, one of them");
    if (unit_id) {
        int64_t pairing = 0;
        int rc = perm_unit_scope(c, unit_id, &pairing, side);
        if (rc == SVC_NOT_FOUND || (rc == SVC_OK && pairing != e->pairing_id))
            return svc_fail(c, SVC_INVALID, "err_unit_unknown", "unit_id",
                            "unit %lld is not a unit of this pairing", (long long)unit_id);
        return rc;
    }
    struct stmt st;
    db_prepare(c->db, &st,
               "SELECT coalesce(m.id, en.id), coalesce(m.pairing_id, en.pairing_id), "
               "coalesce(m.side, en.side) FROM enterprise en LEFT JOIN enterprise m ON m.id = "
               "en.merged_into WHERE en.id = :id");
    db_bind_int64(&st, ":id", *enterprise_id);
    int s = db_step(&st);
    int64_t pairing = 0;
    if (s == DB_ROW) {
        *enterprise_id = db_col_int64(&st, 0);
        pairing = db_col_int64(&st, 1);
        *side = (int)db_col_int64(&st, 2);
    }
    db_finalize(&st);
    if (s < 0)
        return svc_store_failed(c, "registration", "reading the enterprise");
    if (s != DB_ROW || pairing != e->pairing_id)
        return svc_fail(c, SVC_INVALID, "err_enterprise_unknown", "enterprise_id",
                        "enterprise %lld is not in this pairing's directory",
                        (long long)*enterprise_id);
    return SVC_OK;
}

static int open_event(struct ctx *c, const struct event_view *e)
{
    if (strcmp(e->state, "cancelled") == 0)
        return svc_fail(c, SVC_CONFLICT, "err_event_cancelled", NULL, "the event is cancelled");
    return SVC_OK;
}

/* The registration of the enterprise or unit at the event, or SVC_NOT_FOUND. */
static int find_party(struct ctx *c, int64_t event_id, int64_t enterprise_id, int64_t unit_id,
                      struct registration_view *out)
{
    return enterprise_id
               ? read_one(c, BY_ENTERPRISE, event_id,
                          enterprise_id, out)
               : read_one(c, BY_UNIT, event_id, unit_id, out);
}

/* Inserts a new registration (or renews a withdrawn one) with status, checked in or not. */
static int64_t put_party(struct ctx *c, const struct event_view *e, int64_t enterprise_id,
                         int64_t unit_id, int side, const char *status, bool check_in,
                         const struct registration_view *withdrawn)
{
    const char *now = svc_now(c);
    struct stmt st;
    if (withdrawn) {
        db_prepare(c->db, &st,
                   "UPDATE registration SET status = :st, queued_at = :now, registered_by = :by, "
                   "updated_at = :now, checked_in_at = :in, checked_in_by = :inby WHERE id = :id");
        db_bind_int64(&st, ":id", withdrawn->id);
    } else {
        db_prepare(c->db, &st,
                   "INSERT INTO registration (event_id, number, enterprise_id, unit_id, side, "
                   "status, queued_at, registered_by, created_at, updated_at, checked_in_at, "
                   "checked_in_by) VALUES (:e, (SELECT coalesce(max(number), 0) + 1 FROM "
                   "registration WHERE event_id = :e), :en, :u, :side, :st, :now, :by, :now, "
                   ":now, :in, :inby)");
        db_bind_int64(&st, ":e", e->id);
        svc_bind_opt_id(&st, ":en", enterprise_id);
        svc_bind_opt_id(&st, ":u", unit_id);
        db_bind_int64(&st, ":side", side);
    }
    db_bind_text(&st, ":st", status);
    db_bind_text(&st, ":now", now);
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_text(&st, ":in", check_in ? now : NULL);
    svc_bind_opt_id(&st, ":inby", check_in && c->user ? c->user->id : 0);
    int s = db_step(&st);
    db_finalize(&st);
    if (s < 0)
        return -1;
    return withdrawn ? withdrawn->id : db_last_insert_id(c->db);
}

int registration_add(struct ctx *c, int64_t event_id, int64_t enterprise_id, int64_t unit_id,
                     struct registration_view *out)
{
    struct event_view e;
    struct registration_view old;
    int side = 0, rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "registration", "starting the transaction");
    if ((rc = event_get(c, event_id, &e)) != SVC_OK ||
        (rc = party_scope(c, &e, &enterprise_id, unit_id, &side)) != SVC_OK)
        goto done;
    if (!may_register(c, &e, side, unit_id)) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                      "one registers one's own unit or an enterprise of one's side");
        goto done;
    }
    if ((rc = open_event(c, &e)) != SVC_OK)
        goto done;
    if (e.past) {
        rc = svc_fail(c, SVC_CONFLICT, "err_event_past", NULL, "the event is over");
        goto done;
    }
    rc = find_party(c, event_id, enterprise_id, unit_id, &old);
    if (rc == SVC_OK && strcmp(old.status, "withdrawn") != 0) {
        rc = svc_fail(c, SVC_CONFLICT, "err_registration_exists", "enterprise_id",
                      "registered already (number %lld)", (long long)old.number);
        goto done;
    }
    if (rc != SVC_OK && rc != SVC_NOT_FOUND)
        goto done;
    bool renew = rc == SVC_OK;
    int64_t taken = seats_taken(c, event_id);
    const char *status = e.capacity && taken >= e.capacity ? "waiting" : "registered";
    int64_t id = taken < 0 ? -1
                           : put_party(c, &e, enterprise_id, unit_id, side, status, false,
                                       renew ? &old : NULL);
    if (id < 0 ||
        audit_row(c, renew ? "registration.renew" : "registration.create", id,
                  renew ? registration_json(c, &old) : NULL) < 0 ||
        (unit_id && notification_event_registration(c, id, event_id, status) < 0) ||
        read_one(c, BY_ID, id, 0, out) != SVC_OK || db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "registration", "storing the registration");
        goto done;
    }
    rc = SVC_OK;
done:
    db_rollback(c->db);
    return rc;
}

int registration_withdraw(struct ctx *c, int64_t id, int64_t *promoted)
{
    struct registration_view old;
    struct event_view e;
    int rc;
    *promoted = 0;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "registration", "starting the transaction");
    if ((rc = registration_get(c, id, &old)) != SVC_OK ||
        (rc = event_get(c, old.event_id, &e)) != SVC_OK)
        goto done;
    if (!may_register(c, &e, old.side, old.unit_id)) {
        rc = svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL,
                      "who registered it, or the organisers, withdraw it");
        goto done;
    }
    if (strcmp(old.status, "withdrawn") == 0) {
        rc = svc_fail(c, SVC_CONFLICT, "err_registration_withdrawn", NULL, "withdrawn already");
        goto done;
    }
    if (old.checked_in_at) {
        rc = svc_fail(c, SVC_CONFLICT, "err_checked_in", NULL, "it came: it was checked in");
        goto done;
    }
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE registration SET status = 'withdrawn', updated_at = :now WHERE id = :id");
    db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
    db_bind_int64(&st, ":id", id);
    int s = db_step(&st);
    db_finalize(&st);
    /* a seat given back goes to the first waiting, unless the event is cancelled or over */
    bool fill = strcmp(old.status, "registered") == 0 && strcmp(e.state, "planned") == 0 &&
                !e.past;
    if (s < 0 || audit_row(c, "registration.withdraw", id, registration_json(c, &old)) < 0 ||
        notification_event_registration(c, id, e.id, "withdrawn") < 0 ||
        (fill && event_fill_seats(c, e.id, e.capacity, promoted) < 0) || db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "registration", "withdrawing the registration");
        goto done;
    }
    rc = SVC_OK;
done:
    db_rollback(c->db);
    return rc;
}

/* The event for an organiser's act on the day: readable, organised by c, not cancelled. */
static int organiser_event(struct ctx *c, int64_t event_id, struct event_view *e)
{
    int rc = event_get(c, event_id, e);
    if (rc != SVC_OK)
        return rc;
    if (!event_may_organise(c, e))
        return svc_fail(c, SVC_FORBIDDEN, "err_forbidden", NULL, "the organisers check in");
    return open_event(c, e);
}

static int mark_checked_in(struct ctx *c, const struct registration_view *old)
{
    struct stmt st;
    db_prepare(c->db, &st,
               "UPDATE registration SET checked_in_at = :now, checked_in_by = :by, updated_at = "
               ":now WHERE id = :id AND checked_in_at IS NULL");
    db_bind_text(&st, ":now", svc_now_after(c, old->updated_at));
    svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
    db_bind_int64(&st, ":id", old->id);
    int s = db_step(&st);
    db_finalize(&st);
    return s < 0 ? -1 : audit_row(c, "registration.check_in", old->id, registration_json(c, old));
}

int registration_check_in(struct ctx *c, int64_t event_id, int64_t number,
                          struct registration_view *out, bool *already)
{
    struct event_view e;
    struct registration_view old;
    int rc;
    *already = false;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "registration", "starting the transaction");
    if ((rc = organiser_event(c, event_id, &e)) != SVC_OK)
        goto done;
    rc = read_one(c, BY_NUMBER, event_id, number, &old);
    if (rc == SVC_NOT_FOUND) {
        rc = svc_fail(c, SVC_NOT_FOUND, "err_registration_unknown", "number",
                      "no registration %lld at this event", (long long)number);
        goto done;
    }
    if (rc != SVC_OK)
        goto done;
    if (strcmp(old.status, "waiting") == 0) {
        rc = svc_fail(c, SVC_CONFLICT, "err_registration_waiting", "number",
                      "number %lld is on the waiting list", (long long)number);
        goto done;
    }
    if (strcmp(old.status, "withdrawn") == 0) {
        rc = svc_fail(c, SVC_CONFLICT, "err_registration_withdrawn", "number",
                      "number %lld withdrew", (long long)number);
        goto done;
    }
    if (old.checked_in_at) {
        *already = true;
        *out = old;
        rc = SVC_OK;
        goto done;
    }
    if (mark_checked_in(c, &old) < 0 || read_one(c, BY_ID, old.id, 0, out) != SVC_OK ||
        db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "registration", "checking in");
        goto done;
    }
    rc = SVC_OK;
done:
    db_rollback(c->db);
    return rc;
}

int registration_walk_in(struct ctx *c, int64_t event_id, int64_t enterprise_id,
                         int64_t unit_id, struct registration_view *out)
{
    struct event_view e;
    struct registration_view old;
    int side = 0, rc;
    if (db_begin(c->db) < 0)
        return svc_store_failed(c, "registration", "starting the transaction");
    if ((rc = organiser_event(c, event_id, &e)) != SVC_OK ||
        (rc = party_scope(c, &e, &enterprise_id, unit_id, &side)) != SVC_OK)
        goto done;
    rc = find_party(c, event_id, enterprise_id, unit_id, &old);
    if (rc != SVC_OK && rc != SVC_NOT_FOUND)
        goto done;
    bool known = rc == SVC_OK;
    if (known && strcmp(old.status, "registered") == 0) {
        /* registered already: this is its check-in */
        if (!old.checked_in_at && mark_checked_in(c, &old) < 0) {
            rc = svc_store_failed(c, "registration", "checking in");
            goto done;
        }
    } else {
        int64_t taken = seats_taken(c, event_id);
        if (taken < 0) {
            rc = svc_store_failed(c, "registration", "counting the seats");
            goto done;
        }
        if (e.capacity && taken >= e.capacity) {
            rc = svc_fail(c, SVC_CONFLICT, "err_event_full", NULL,
                          "all %lld seats are taken", (long long)e.capacity);
            goto done;
        }
        const char *before = known ? registration_json(c, &old) : NULL;
        int64_t id;
        if (known && strcmp(old.status, "waiting") == 0) {
            /* from the waiting list to a free seat at the door: it keeps its number */
            struct stmt st;
            db_prepare(c->db, &st,
                       "UPDATE registration SET status = 'registered', checked_in_at = :now, "
                       "checked_in_by = :by, updated_at = :now WHERE id = :id");
            db_bind_text(&st, ":now", svc_now_after(c, old.updated_at));
            svc_bind_opt_id(&st, ":by", c->user ? c->user->id : 0);
            db_bind_int64(&st, ":id", old.id);
            int s = db_step(&st);
            db_finalize(&st);
            id = s < 0 ? -1 : old.id;
        } else {
            id = put_party(c, &e, enterprise_id, unit_id, side, "registered", true,
                           known ? &old : NULL);
        }
        if (id < 0 || audit_row(c, "registration.walk_in", id, before) < 0) {
            rc = svc_store_failed(c, "registration", "registering at the door");
            goto done;
        }
        old.id = id;
    }
    if (read_one(c, BY_ID, old.id, 0, out) != SVC_OK || db_commit(c->db) < 0) {
        rc = svc_store_failed(c, "registration", "registering at the door");
        goto done;
    }
    rc = SVC_OK;
done:
    db_rollback(c->db);
    return rc;
}
