/* demo_scale: a large generated organisation for `duikou demo --scale N` (see demo_scale.c). */
#ifndef DUIKOU_SERVICE_DEMO_SCALE_H
#define DUIKOU_SERVICE_DEMO_SCALE_H
#include <stddef.h>
#include <stdint.h>

struct ctx;

enum { DEMO_SCALE_MAX = 100 };

/* What was made, for the command to print. password is the one password every generated
 * account shares (arena); the counts are of generated rows only. */
struct demo_scale_result {
    const char *password;
    const char *coordinator, *member; /* a generated login of each kind, for the bench */
    int64_t member_item;              /* an item that member's unit owns */
    int64_t work_plan;                /* a work plan of the first generated pairing */
    int64_t pairing, plan;            /* the first generated pairing and its plan */
    int64_t pairings, city_pairings, tasks, units, users, work_plans, items, reports, reviews;
};

/* Adds 7 × scale province pairings generated from the shapes of the imported plans (scale 10:
 * 70 pairings, 700 city pairings, ~49,000 work items, ~1,000,000 reports, ~5,000 units,
 * ~20,000 users), with work plans of the 14 years up to current_year, and per pairing 80
 * enterprises, 6 docking events of the last 3 years with 60 registrations each, their
 * outcomes, and secondments and trainings (scale 10: ~25,000 registrations). Only from the command
 * line, after `demo` (it needs the seed plans). */
int demo_scale_create(struct ctx *c, int scale, int current_year, int current_month,
                      struct demo_scale_result *out);

#endif
