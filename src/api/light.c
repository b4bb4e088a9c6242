/* light: the 红黄绿灯 counts of a pairing's work items — for the pairing, per key area, per
 * city pairing and per owner unit — as the supervision pages and the dashboards read them. */
#include <inttypes.h>

#include "api/api.h"
#include "core/json.h"
#include "service/light.h"

static void group_json(struct jw *w, const struct light_group *g, bool side)
{
    jw_obj(w);
    jw_kint(w, "id", g->id);
    jw_kstr(w, "name", g->name);
    if (side)
        jw_kint(w, "side", g->side);
    jw_key(w, "counts");
    jw_obj(w);
    for (int l = 0; l < LIGHT_N; l++)
        jw_kint(w, light_name((enum light)l), g->count[l]);
    jw_obj_end(w);
    jw_kint(w, "total", g->total);
    jw_obj_end(w);
}

static void groups_json(struct jw *w, const char *key, const struct light_group *g, size_t n,
                        bool side)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++)
        group_json(w, &g[i], side);
    jw_arr_end(w);
}

/* GET /api/v1/lights?pairing=ID&year=YYYY (year left out: every year) → the counts. */
int api_lights(struct req *r, struct resp *p)
{
    int st;
    int64_t pairing = api_query_int(r, p, "pairing", 0, 1, INT64_MAX, &st);
    if (st)
        return st;
    if (!pairing)
        return http_error(r, p, 400, "err_required", "pairing");
    int64_t year = api_query_int(r, p, "year", 0, 2000, 2100, &st);
    if (st)
        return st;
    if ((st = api_pairing_check(r, p, pairing, "pairing", true)))
        return st;
    struct light_summary s;
    int rc = light_counts(&r->ctx, pairing, (int)year, &s);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    char today[11], soon[11];
    light_today(today, soon);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "pairing_id", pairing);
    if (year)
        jw_kint(&w, "year", year);
    else
        jw_knull(&w, "year");
    jw_kstr(&w, "today", today);
    jw_kint(&w, "soon_days", light_policy.soon_days);
    jw_key(&w, "pairing");
    group_json(&w, &s.pairing, false);
    groups_json(&w, "areas", s.areas, s.n_areas, false);
    groups_json(&w, "cities", s.cities, s.n_cities, false);
    groups_json(&w, "units", s.units, s.n_units, true);
    jw_obj_end(&w);
    return 200;
}
