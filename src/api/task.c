/* task: one task of a plan as those who carry it out see it — its text, key area, targets
 * and city pairings, who leads and supports it on each side, and its work items in every
 * year's work plan with their owner, due date, light and latest report. */
#include <inttypes.h>

#include "api/api.h"
#include "core/json.h"
#include "service/task.h"

/* GET /api/v1/tasks/{id} (members of the task's pairing). */
int api_task(struct req *r, struct resp *p)
{
    struct task_view v;
    int rc = task_get(&r->ctx, r->ids[0], &v);
    if (rc != SVC_OK)
        return http_from_service(r, p, rc);
    struct jw w;
    api_begin(p, &w);
    jw_obj(&w);
    jw_kint(&w, "id", v.id);
    jw_kint(&w, "number", v.number);
    jw_kstr(&w, "title", v.title);
    jw_kstr(&w, "body", v.body);
    jw_kbool(&w, "damaged", v.damaged);
    jw_key(&w, "plan");
    jw_obj(&w);
    jw_kint(&w, "id", v.plan_id);
    jw_kstr(&w, "title", v.plan_title);
    jw_kint(&w, "version", v.plan_version);
    jw_kstr(&w, "status", v.plan_status);
    jw_kint(&w, "pairing_id", v.pairing_id);
    jw_obj_end(&w);
    jw_key(&w, "area");
    if (v.area_id) {
        jw_obj(&w);
        jw_kint(&w, "id", v.area_id);
        jw_kstr(&w, "marker", v.area_marker);
        jw_kstr(&w, "title", v.area_title);
        jw_obj_end(&w);
    } else {
        jw_null(&w);
    }
    jw_key(&w, "targets");
    jw_arr(&w);
    for (size_t i = 0; i < v.n_targets; i++) {
        const struct task_target *t = &v.targets[i];
        jw_obj(&w);
        jw_kstr(&w, "text", t->text);
        if (t->has_min)
            jw_kint(&w, "min", t->min);
        else
            jw_knull(&w, "min");
        if (t->has_max)
            jw_kint(&w, "max", t->max);
        else
            jw_knull(&w, "max");
        jw_kstr(&w, "unit", t->unit);
        jw_kstr(&w, "object", t->object);
        jw_kstr(&w, "per", t->per);
        if (t->year)
            jw_kint(&w, "year", t->year);
        else
            jw_knull(&w, "year");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "pairings");
    jw_arr(&w);
    for (size_t i = 0; i < v.n_pairings; i++) {
        const struct task_pairing *g = &v.pairings[i];
        jw_obj(&w);
        jw_kint(&w, "id", g->id);
        jw_kstr(&w, "kind", g->kind);
        jw_kstr(&w, "a", g->a);
        jw_kstr(&w, "b", g->b);
        jw_kstr(&w, "theme", g->theme);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "assignments");
    api_assignments_json(&w, v.assignments, v.n_assignments);
    /* The version PUT .../assignments wants in If-Match (the task as a whole has no ETag:
     * its work items and reports change without the assignments changing). */
    jw_kstr(&w, "assignments_etag",
            api_assignments_etag(r, v.id, v.assignments, v.n_assignments));
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < v.n_items; i++)
        api_work_item_json(&w, &v.items[i], true);
    jw_arr_end(&w);
    jw_obj_end(&w);
    return 200;
}
