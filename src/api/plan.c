/* plan: the published side of the plans: pairings as a tree, plans with their key areas,
 * tasks, pairings and targets. Public, like the plan texts themselves. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "service/pairing.h"
#include "service/plan.h"

static void pairing_json(struct jw *w, const struct pairing_view *k)
{
    jw_obj(w);
    jw_kint(w, "id", k->id);
    jw_kstr(w, "kind", k->kind);
    jw_kstr(w, "a", k->name_a);
    jw_kstr(w, "b", k->name_b);
    jw_kstr(w, "a_code", k->code_a);
    jw_kstr(w, "b_code", k->code_b);
    if (k->parent_id) {
        jw_kint(w, "parent_id", k->parent_id);
        jw_kint(w, "task", k->task);
        jw_kstr(w, "theme", k->theme);
    } else {
        jw_key(w, "plan");
        if (k->plan_id) {
            jw_obj(w);
            jw_kint(w, "id", k->plan_id);
            jw_kstr(w, "title", k->plan_title);
            jw_obj_end(w);
        } else {
            jw_null(w);
        }
        jw_key(w, "children");
        jw_arr(w);
        for (size_t i = 0; i < k->n_children; i++)
            pairing_json(w, &k->children[i]);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

int api_pairings(struct req *r, struct resp *p)
{
    struct pairing_view *v;
    size_t n;
    int rc = pairing_tree(&r->ctx, &v, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "pairings");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        pairing_json(&w, &v[i]);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

int api_pairing(struct req *r, struct resp *p)
{
    struct pairing_view v;
    int rc = pairing_get(&r->ctx, r->ids[0], &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    pairing_json(&w, &v);
    return 200;
}

int api_plans(struct req *r, struct resp *p)
{
    struct plan_summary *s;
    size_t n;
    int rc = plan_list(&r->ctx, req_query(r, "all") != NULL, &s, &n);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_key(&w, "plans");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w);
        jw_kint(&w, "id", s[i].id);
        jw_kstr(&w, "title", s[i].title);
        jw_kint(&w, "pairing_id", s[i].pairing_id);
        jw_key(&w, "pairing");
        jw_arr(&w);
        jw_str(&w, s[i].name_a);
        jw_str(&w, s[i].name_b);
        jw_arr_end(&w);
        jw_kint(&w, "version", s[i].version);
        jw_kstr(&w, "status", s[i].status);
        if (s[i].target_year)
            jw_kint(&w, "target_year", s[i].target_year);
        else
            jw_knull(&w, "target_year");
        jw_kint(&w, "tasks", s[i].tasks);
        jw_kint(&w, "pairings", s[i].pairings);
        jw_kstr(&w, "imported_at", s[i].imported_at);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}

/* Rendered plans, by id. A stored plan version never changes but for its status (current →
 * superseded when a revision is imported, possibly by another process), so an entry is good
 * while the status read from the database still matches: one indexed lookup instead of six
 * queries and the rendering. Direct-mapped and small: plans are few. */
enum { PLAN_CACHE = 64 };
static struct {
    int64_t id;
    char status[16];
    char *json;
    size_t len;
} plan_cache[PLAN_CACHE];
static pthread_mutex_t plan_cache_lock = PTHREAD_MUTEX_INITIALIZER;

void api_plan_cache_clear(void)
{
    pthread_mutex_lock(&plan_cache_lock);
    for (int i = 0; i < PLAN_CACHE; i++) {
        free(plan_cache[i].json);
        plan_cache[i].json = NULL;
        plan_cache[i].id = 0;
    }
    pthread_mutex_unlock(&plan_cache_lock);
}

int api_plan(struct req *r, struct resp *p)
{
    int64_t id = r->ids[0];
    char status[16];
    int rc = plan_status(&r->ctx, id, status);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    if (api_etag(r, p, arena_printf(r->arena, "\"plan-%" PRId64 "-%s\"", id, status)))
        return 304;
    p->content_type = "application/json; charset=utf-8";
    size_t slot = (size_t)id % PLAN_CACHE;
    bool hit = false;
    pthread_mutex_lock(&plan_cache_lock);
    if (plan_cache[slot].json && plan_cache[slot].id == id &&
        strcmp(plan_cache[slot].status, status) == 0) {
        sb_appendn(&p->body, plan_cache[slot].json, plan_cache[slot].len);
        hit = true;
    }
    pthread_mutex_unlock(&plan_cache_lock);
    if (hit)
        return 200;

    struct plan_view v;
    rc = plan_get(&r->ctx, id, &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    plan_view_json(&v, &w);
    char *copy = xmalloc(p->body.len + 1);
    memcpy(copy, sb_str(&p->body), p->body.len + 1);
    pthread_mutex_lock(&plan_cache_lock);
    free(plan_cache[slot].json);
    plan_cache[slot].id = id;
    snprintf(plan_cache[slot].status, sizeof plan_cache[slot].status, "%s", v.s.status);
    plan_cache[slot].json = copy;
    plan_cache[slot].len = p->body.len;
    pthread_mutex_unlock(&plan_cache_lock);
    return 200;
}
