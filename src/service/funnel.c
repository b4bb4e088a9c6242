/* funnel: from events to operating projects (service/event.h). One query per step over the
 * same set of events, so each count is what the lists it summarises show. */
#include "service/event.h"

#include <string.h>

#include "service/internal.h"
#include "service/perm.h"
#include "store/db.h"

/* The set of events: one event (:ev), or the pairing's year's held ones (past, not
 * cancelled). */
#define FUNNEL_EVENTS                                                                        \
    "SELECT e.id FROM event e WHERE (:ev <> 0 AND e.id = :ev) OR (:ev = 0 AND e.pairing_id = " \
    ":p AND e.year = :y AND e.state = 'planned' AND e.ends < :now)"
/* An outcome's investment: its project's contracted investment once it has one, else its
 * own amount. */
#define FUNNEL_AMOUNT "CASE WHEN p.invest_contracted > 0 THEN p.invest_contracted ELSE o.amount_yuan END"
#define FUNNEL_OUTCOMES(where)                                                               \
    "SELECT count(*), coalesce(sum(" FUNNEL_AMOUNT "), 0) FROM event_outcome o LEFT JOIN "   \
    "project p ON p.id = o.project_id WHERE o.event_id IN (" FUNNEL_EVENTS ") AND (" where ")"

static const struct {
    const char *key, *sql;
} steps[FUNNEL_STEPS] = {
    {"events", "SELECT count(*), 0 FROM (" FUNNEL_EVENTS ") x"},
    {"registered", "SELECT count(*), 0 FROM registration g WHERE g.event_id IN (" FUNNEL_EVENTS
                   ") AND g.enterprise_id IS NOT NULL AND g.status = 'registered'"},
    {"attended", "SELECT count(*), 0 FROM registration g WHERE g.event_id IN (" FUNNEL_EVENTS
                 ") AND g.enterprise_id IS NOT NULL AND g.checked_in_at IS NOT NULL"},
    {"intentions", FUNNEL_OUTCOMES("1 = 1")},
    {"signed", FUNNEL_OUTCOMES("o.kind = 'signed' OR p.stage IN ('signed', 'started', "
                               "'operating')")},
    {"started", FUNNEL_OUTCOMES("p.stage IN ('started', 'operating')")},
    {"operating", FUNNEL_OUTCOMES("p.stage = 'operating'")},
};

int funnel_get(struct ctx *c, int64_t pairing_id, int year, int64_t event_id,
               struct funnel_step out[FUNNEL_STEPS])
{
    int rc;
    memset(out, 0, FUNNEL_STEPS * sizeof *out);
    if (event_id) {
        struct event_view e;
        if ((rc = event_get(c, event_id, &e)) != SVC_OK)
            return rc;
        if (pairing_id && pairing_id != e.pairing_id)
            return svc_fail(c, SVC_INVALID, "err_invalid", "event",
                            "event %lld is not of pairing %lld", (long long)event_id,
                            (long long)pairing_id);
        pairing_id = e.pairing_id;
    } else {
        if (!pairing_id && c->user && !perm_is_admin_user(c))
            pairing_id = c->user->pairing_id;
        if (!pairing_id || perm_pairing_root(c, pairing_id) != pairing_id)
            return svc_fail(c, SVC_INVALID, "err_pairing_unknown", "pairing",
                            "pairing %lld is not a province pairing", (long long)pairing_id);
        if ((rc = perm_read_pairing(c, pairing_id)) != SVC_OK)
            return rc;
        if (year < 2000 || year > 2100)
            return svc_fail(c, SVC_INVALID, "err_range", "year", "a year 2000–2100");
    }
    char now[17];
    event_now_local(now);
    for (int i = 0; i < FUNNEL_STEPS; i++) {
        struct stmt st;
        db_prepare(c->db, &st, steps[i].sql);
        db_bind_int64(&st, ":ev", event_id);
        db_bind_int64(&st, ":p", pairing_id);
        db_bind_int64(&st, ":y", year);
        db_bind_text(&st, ":now", now);
        int s = db_step(&st);
        out[i].key = steps[i].key;
        if (s == DB_ROW) {
            out[i].count = db_col_int64(&st, 0);
            out[i].invest_yuan = db_col_int64(&st, 1);
        }
        db_finalize(&st);
        if (s != DB_ROW)
            return svc_store_failed(c, "funnel", steps[i].key);
    }
    return SVC_OK;
}
