/* plan: importing plan texts into the store, listing plans and reading one back. */
#ifndef DUIKOU_SERVICE_PLAN_H
#define DUIKOU_SERVICE_PLAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctx;
struct ingest_result;

struct plan_import_result {
    const char *title;
    int64_t plan_id;
    int version;
    const char *status; /* "new", "unchanged" or "revised" */
    int areas, tasks, targets, pairings, pairings_added;
    int assignments_carried; /* revised: assignments copied to the new version's tasks */
    int64_t previous_id;     /* revised: the version it replaces */
    const char **changes; /* revised: what differs from the previous version */
    size_t n_changes;
};

/* Stores every plan of r (which must have no errors: see ingest_has_errors) with its
 * pairing, child city/zone pairings, sections, tasks and targets, in one transaction with
 * its audit rows. A plan whose text is already the current version is left alone; a changed
 * text of the same plan (same pairing and title) becomes a new version, the old one kept as
 * superseded. A title's region the gazetteer does not know is refused (SVC_INVALID) unless
 * opt->new_regions (opt may be NULL), and a region name with markup always is. *out is an
 * arena array of one result per plan. The command line (c->user
 * NULL) or an admin only: anyone else gets SVC_FORBIDDEN and nothing is read or stored. */
struct plan_import_options {
    bool new_regions; /* a title may name a region the gazetteer does not know (a new zone) */
    bool dry_run;     /* everything checked and done, then rolled back: the results say what
                         the import would do (a preview); nothing is stored */
};
int plan_import(struct ctx *c, const struct ingest_result *r, const struct plan_import_options *opt,
                struct plan_import_result **out, size_t *n);

struct plan_summary {
    int64_t id, pairing_id, lineage;
    const char *title, *name_a, *name_b, *status, *imported_at, *imported_by, *sha256;
    int version, target_year, tasks, pairings;
};

/* Current plans (all versions when all is true), by id. */
int plan_list(struct ctx *c, bool all, struct plan_summary **out, size_t *n);

struct plan_section_view {
    const char *kind, *marker, *title, *body;
};
struct plan_area_view {
    int64_t id;
    const char *marker, *title;
};
struct plan_task_view {
    int64_t id;
    int number;
    int area; /* index into areas, -1 if none */
    const char *title, *body;
    bool damaged; /* the source text had characters lost (the ingester's damaged_text) */
};
struct plan_pairing_view {
    int64_t id;
    int task;
    const char *kind, *a, *b, *a_code, *b_code, *theme;
};
struct plan_target_view {
    int task; /* 0: the goals */
    const char *text, *unit, *object, *per;
    bool has_min, has_max;
    int64_t min, max;
    int year;
};

struct plan_view {
    struct plan_summary s;
    const char *preamble, *source_text;
    struct plan_section_view *sections; /* ideology, principles, goals, safeguards in order */
    size_t n_sections;
    struct plan_area_view *areas;
    size_t n_areas;
    struct plan_task_view *tasks;
    size_t n_tasks;
    struct plan_pairing_view *pairings;
    size_t n_pairings;
    struct plan_target_view *targets;
    size_t n_targets;
};

struct jw;
/* The JSON of a plan as `duikou plan show --json` and GET /api/v1/plans/{id} print it. */
void plan_view_json(const struct plan_view *v, struct jw *w);

/* The status ("current" or "superseded") of plan id into out[16]: the only part of a stored
 * plan version that ever changes. SVC_NOT_FOUND when there is no such plan. */
int plan_status(struct ctx *c, int64_t id, char out[16]);

/* Reads plan id with everything under it. SVC_NOT_FOUND when there is no such plan. */
int plan_get(struct ctx *c, int64_t id, struct plan_view *out);

#endif
