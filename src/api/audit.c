/* audit: GET /api/v1/audit, the audit log newest first for admins and leaders (who sees which
 * rows, and why a leader sees no client addresses: service/audit_log.h). */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/audit_log.h"

enum { FILTER_MAX = 200 }; /* bytes of a text filter; longer ones cannot match anything */

/* A stored before/after document as a JSON value. The log holds what services wrote, which
 * is JSON; a row that is not (written by hand, or by an older version) is shown as a string
 * rather than breaking the response. */
static void stored_json(struct jw *w, const char *key, const char *text)
{
    jw_key(w, key);
    if (!text) {
        jw_null(w);
        return;
    }
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
    if (j) {
        json_decref(j);
        jw_raw(w, text);
    } else {
        jw_str(w, text);
    }
}

static int text_filter(struct req *r, struct resp *p, const char *name, const char **out)
{
    const char *v = req_query(r, name);
    *out = v && *v ? v : NULL;
    if (*out && strlen(*out) > FILTER_MAX)
        return http_error(r, p, 400, "err_too_long", name);
    return 0;
}

static int time_filter(struct req *r, struct resp *p, const char *name, const char **out)
{
    const char *v = req_query(r, name);
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (!(*out = audit_log_time(&r->ctx, v)))
        return http_error(r, p, 400, "err_datetime", name);
    return 0;
}

/* GET /api/v1/audit?actor=&action=&kind=&entity=&entity_id=&since=&until=&after=&limit=
 * → {"entries":[{"id","at","actor","action","entity","entity_id","before","after","client"}],
 *    "next_after": the id to pass as ?after= for the next page, or null on the last page}.
 * since ≤ at < until; action "auth." (ending in a dot) matches every auth.* action; kind a
 * kind of action (audit_log_kinds: sign_in, account, work_plan …). Sign-ins are included. */
int api_audit(struct req *r, struct resp *p)
{
    struct audit_filter f = {0};
    int st;
    if ((st = text_filter(r, p, "actor", &f.actor)) ||
        (st = text_filter(r, p, "action", &f.action)) ||
        (st = text_filter(r, p, "entity", &f.entity)) ||
        (st = time_filter(r, p, "since", &f.since)) ||
        (st = time_filter(r, p, "until", &f.until)) ||
        (st = text_filter(r, p, "kind", &f.kind)))
        return st;
    if (f.kind && !audit_log_kind(f.kind))
        return http_error(r, p, 400, "err_invalid", "kind");
    f.entity_id = api_query_int(r, p, "entity_id", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    f.after = api_query_int(r, p, "after", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    f.limit = (int)api_query_int(r, p, "limit", AUDIT_LIST_DEFAULT, 1, AUDIT_LIST_MAX, &st);
    if (st)
        return st;
    struct audit_entry *e;
    size_t n;
    int64_t next = 0;
    int rc = audit_log_list(&r->ctx, &f, &e, &n, &next);
    if (rc == SVC_OK) /* under --mlps the reading is audited too */
        rc = audit_log_record_read(&r->ctx, "audit.read", &f, NULL, n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "entries");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", e[i].id);
        jw_kstr(&w, "at", e[i].at);
        jw_kstr(&w, "actor", e[i].actor);
        jw_kstr(&w, "action", e[i].action);
        jw_kstr(&w, "entity", e[i].entity);
        if (e[i].entity_id)
            jw_kint(&w, "entity_id", e[i].entity_id);
        else
            jw_knull(&w, "entity_id");
        stored_json(&w, "before", e[i].before);
        stored_json(&w, "after", e[i].after);
        jw_kstr(&w, "client", e[i].client);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    api_next_after(&w, next);
    jw_obj_end(&w);
    return 200;
}
